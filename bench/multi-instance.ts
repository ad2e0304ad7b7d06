// bench/multi-instance: two full consoles (`next start`, production build, with the Node flags of
// `npm start`: bench/support/console-server.ts) on one PostgreSQL, sharing one sandbox key limited
// to SANDBOX_RATE_LIMIT=30 requests a minute (each console serves the sandbox; its window per key
// lives in the shared database, like Sendmux's one per key).
//
//   npm run build   (or NEXT_DIST_DIR=.next-bench npx next build, then the same NEXT_DIST_DIR here)
//   node --conditions=react-server --import tsx bench/multi-instance.ts
//
// Run 1: a 6,000-row job (60 requests of 100): wall time against the window floor, upstream 429s,
// duplicates and lost rows. Run 2: the same with a Compose send every few seconds through the real
// server action, from before the job starts until it ends: how long the sends waited for the key's
// budget (api_requests.wait_ms) and their latency against sends to an idle key. Then SIGTERM to
// both consoles: exit codes and drain time. Prints figures; asserts nothing.
//
// PostgreSQL: BENCH_DATABASE_URL (a role that may CREATE DATABASE), else a throwaway cluster from
// the machine's binaries (scripts/throwaway-postgres.mjs). Ports: BENCH_PORT and BENCH_PORT+1 (4480).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/lib/db/connection';
import { openDatabase } from '@/lib/db/connection';
import { queryRows } from '@/lib/db';
import { resetEnvForTests } from '@/lib/env';
import { createJob } from '@/lib/batch/create-job';
import { fixtureRows } from '@/lib/batch/testing/fixtures';
import { createThrowawayDatabase } from '@/lib/testing/throwaway-database';
import { emptyMessage } from '@/lib/schemas/message-values';
import type { MessageInput } from '@/lib/schemas/message';
import { actionId, distDir, signIn, startConsole, type Console } from './support/console-server';
// @ts-expect-error -- a plain ES module (no types) shared with scripts/test-all.mjs
import { startThrowawayPostgres as startCluster } from '../scripts/throwaway-postgres.mjs';

type Cluster = { url?: string; error?: string; stop?: () => void };
const startThrowawayPostgres = startCluster as unknown as () => Cluster;

const ROWS = 6_000;
const RATE_LIMIT = 30;
const COMPOSE_EVERY_MS = Number(process.env.BENCH_COMPOSE_EVERY_MS ?? 7_000);
const basePort = Number(process.env.BENCH_PORT ?? 4480);
const sandboxKey = `smx_mbx_sbx_bench_${randomBytes(12).toString('hex')}`;
const sessionSecret = randomBytes(32).toString('hex');
const metricsToken = randomBytes(24).toString('hex');
const admin = { email: 'bench@example.com', password: 'bench-password-123' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/** Compose's form as a person fills it in (its empty form first, so new fields are not missed). */
const composeMessage = (n: number): MessageInput => ({
  ...emptyMessage(),
  from: { email: 'sandbox@sendmux.test', name: 'Bench' },
  to: { email: `compose-${n}@example.com`, name: '' },
  subject: `multi-instance compose ${n}`,
  htmlBody: '<p>A person pressed Send while a job ran.</p>',
  textBody: 'A person pressed Send while a job ran.',
});

type ComposeSend = { at: number; ms: number; ok: boolean; key: string };

async function composeSend(c: Console, cookie: string, n: number): Promise<ComposeSend> {
  const key = `bench-mi-compose-${randomBytes(6).toString('hex')}`;
  const at = Date.now();
  const t0 = performance.now();
  const res = await fetch(`${c.url}/compose`, {
    method: 'POST',
    headers: {
      'Next-Action': actionId('sendEmailAction'),
      'Content-Type': 'text/plain;charset=UTF-8',
      Origin: c.url,
      Accept: 'text/x-component',
      Cookie: cookie,
    },
    body: JSON.stringify([{ profile: 'sandbox', idempotencyKey: key, message: composeMessage(n) }]),
  });
  const text = await res.text();
  return { at, ms: performance.now() - t0, ok: text.includes('"ok":true'), key };
}

/** Waits until both the budget's and the sandbox's current windows are over, so a run starts fresh. */
async function waitForFreshWindows(db: DbHandle['db']): Promise<void> {
  const [row] = await queryRows<{ until: string | null; now: string }>(
    db,
    sql`SELECT greatest((SELECT max(window_ends_at) FROM rate_budgets), (SELECT max(window_start) + 60000 FROM sandbox_rate_windows)) AS until,
          (extract(epoch from clock_timestamp()) * 1000)::bigint AS now`,
  );
  const wait = row?.until ? Number(row.until) - Number(row.now) + 1_500 : 0;
  if (wait > 0) {
    console.log(`  (waiting ${s(wait)} for the key's window to end)`);
    await sleep(wait);
  }
}

type JobFigures = {
  jobId: string;
  wallMs: number;
  firstStartToDoneMs: number;
  requests: number;
  upstream429: number;
  queued: number;
  lost: number;
  duplicates: number;
  perConsole: Record<string, number>;
};

async function runJob(db: DbHandle['db'], tag: string): Promise<JobFigures> {
  const rows = fixtureRows(tag, ROWS);
  const t0 = Date.now();
  const { jobId, chunkCount } = await createJob({
    name: tag,
    profile: 'sandbox',
    user: null,
    columns: ['email', 'name'],
    rows,
    spec: {},
  });
  for (;;) {
    const [job] = await queryRows<{ status: string }>(
      db,
      sql`SELECT status FROM batch_jobs WHERE id = ${jobId}`,
    );
    if (job?.status === 'done') break;
    await sleep(100);
  }
  const wallMs = Date.now() - t0;
  const [span] = await queryRows<{ first: string; last: string }>(
    db,
    sql`SELECT (extract(epoch from min(created_at)) * 1000)::bigint AS first,
          (extract(epoch from max(completed_at)) * 1000)::bigint AS last
        FROM api_requests WHERE job_id = ${jobId}`,
  );
  const [counts] = await queryRows<{ requests: number; r429: number }>(
    db,
    sql`SELECT count(*)::int AS requests, count(*) FILTER (WHERE status = 429)::int AS r429
        FROM api_requests WHERE job_id = ${jobId}`,
  );
  const [rowsDone] = await queryRows<{ queued: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued FROM batch_rows WHERE job_id = ${jobId}`,
  );
  const [delivered] = await queryRows<{ distinct_rows: number; messages: number }>(
    db,
    sql`SELECT count(DISTINCT subject)::int AS distinct_rows, count(*)::int AS messages
        FROM sandbox_messages WHERE subject LIKE ${`${tag} row %`}`,
  );
  const owners = await queryRows<{ owner: string; n: number }>(
    db,
    sql`SELECT split_part(lease_owner, ':', 2) AS owner, count(*)::int AS n FROM batch_chunks WHERE job_id = ${jobId} GROUP BY 1`,
  );
  if (Number(counts!.requests) < chunkCount) throw new Error('fewer requests than chunks');
  return {
    jobId,
    wallMs,
    firstStartToDoneMs: Number(span!.last) - Number(span!.first),
    requests: Number(counts!.requests),
    upstream429: Number(counts!.r429),
    queued: Number(rowsDone!.queued),
    lost: ROWS - Number(delivered!.distinct_rows),
    duplicates: Number(delivered!.messages) - Number(delivered!.distinct_rows),
    perConsole: Object.fromEntries(owners.map((o) => [`pid ${o.owner}`, Number(o.n)])),
  };
}

function printJob(label: string, f: JobFigures, floorMs: number): void {
  console.log(`${label}`);
  console.log(`  requests                   ${f.requests} (${ROWS.toLocaleString('en')} rows)`);
  console.log(`  wall time (job created → done)          ${s(f.wallMs)}`);
  console.log(`  first request → last answer             ${s(f.firstStartToDoneMs)}`);
  console.log(
    `  window floor               ${s(floorMs)}  (${Math.ceil(f.requests / RATE_LIMIT)} windows of ${RATE_LIMIT}: the last opens 60 s after the first)`,
  );
  console.log(`  ratio                      ${(f.wallMs / floorMs).toFixed(3)}×  (target ≤ 1.15×)`);
  console.log(`  upstream 429s              ${f.upstream429}  (target 0)`);
  console.log(`  rows queued ${f.queued}; lost ${f.lost}; delivered twice ${f.duplicates}  (target 0 and 0)`);
  console.log(`  chunks per console         ${JSON.stringify(f.perConsole)}`);
}

async function scrapeLines(c: Console, pattern: RegExp): Promise<string[]> {
  const res = await fetch(`${c.url}/api/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } });
  const text = await res.text();
  return text.split('\n').filter((l) => pattern.test(l));
}

async function main(): Promise<void> {
  let cluster: Cluster | null = null;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    const started = startThrowawayPostgres();
    if (!started.url) throw new Error(started.error ?? 'no PostgreSQL');
    cluster = started;
    adminUrl = started.url;
  }
  const database = await createThrowawayDatabase(adminUrl, 'smx_bench_mi');
  process.env.DATABASE_URL = database.url;
  process.env.SANDBOX_API_KEY = sandboxKey;
  process.env.SENDMUX_API_KEY = '';
  process.env.SENDMUX_KEYS = '';
  resetEnvForTests();
  const handle = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 4 });
  (globalThis as { __sendmuxDb?: Promise<DbHandle> }).__sendmuxDb = Promise.resolve(handle);
  const consoles: Console[] = [];
  try {
    console.log(
      `multi-instance: 2 consoles (next start, ${distDir}) on one PostgreSQL, one sandbox key at ${RATE_LIMIT} requests/min, ${os.cpus().length} CPUs; load average ${load()} at start`,
    );
    consoles.push(
      ...(await Promise.all(
        [0, 1].map((i) =>
          startConsole(basePort + i, {
            DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-mi-')),
            DATABASE_URL: database.url,
            SESSION_SECRET: sessionSecret,
            SENDMUX_API_KEY: '',
            SENDMUX_KEYS: '',
            SANDBOX_API_KEY: sandboxKey,
            SANDBOX_RATE_LIMIT: String(RATE_LIMIT),
            ADMIN_EMAIL: admin.email,
            ADMIN_PASSWORD: admin.password,
            METRICS_TOKEN: metricsToken,
          }),
        ),
      )),
    );
    const cookies = await Promise.all(consoles.map((c) => signIn(c, admin)));
    const floorMs = (Math.ceil(ROWS / 100 / RATE_LIMIT) - 1) * 60_000;

    // Run 1: nobody sends interactively, so batches may use the whole window.
    const run1 = await runJob(handle.db, `mi1-${randomBytes(3).toString('hex')}`);
    printJob(`\nrun 1: the job alone (load average ${load()})`, run1, floorMs);

    // Run 2: a person sends from Compose every few seconds, on either console, from before the job
    // starts until after it ends.
    await waitForFreshWindows(handle.db);
    const sends: ComposeSend[] = [];
    let stop = false;
    let n = 0;
    const sender = (async () => {
      while (!stop) {
        const i = n++;
        const started = Date.now();
        sends.push(await composeSend(consoles[i % 2]!, cookies[i % 2]!, i));
        await sleep(Math.max(0, COMPOSE_EVERY_MS - (Date.now() - started)));
      }
    })();
    await sleep(2 * COMPOSE_EVERY_MS);
    const jobStart = Date.now();
    const run2 = await runJob(handle.db, `mi2-${randomBytes(3).toString('hex')}`);
    const jobEnd = Date.now();
    stop = true;
    await sender;
    printJob(
      `\nrun 2: the same job with a Compose send every ${COMPOSE_EVERY_MS / 1000} s (load average ${load()})`,
      run2,
      floorMs,
    );

    const waits = await queryRows<{ idempotency_key: string; wait_ms: number; status: number }>(
      handle.db,
      sql`SELECT idempotency_key, wait_ms, status FROM api_requests WHERE source = 'compose' AND attempt = 1`,
    );
    const waitOf = new Map(waits.map((w) => [w.idempotency_key, w]));
    const during = sends.filter((x) => x.at >= jobStart && x.at <= jobEnd);
    const before = sends.filter((x) => x.at < jobStart);
    const duringWaits = during.map((x) => Number(waitOf.get(x.key)?.wait_ms ?? NaN));
    const compose429 = during.filter((x) => waitOf.get(x.key)?.status === 429).length;
    console.log(
      `  Compose sends during the job          ${during.length} (${during.filter((x) => x.ok).length} ok, ${compose429} answered 429)`,
    );
    console.log(
      `  their wait for the key's budget       p50 ${percentile(duringWaits, 50).toFixed(0)} ms, p95 ${percentile(duringWaits, 95).toFixed(0)} ms, max ${Math.max(...duringWaits).toFixed(0)} ms  (target p95 ≤ 1 s)`,
    );
    console.log(
      `  Compose latency                       during the job p50 ${percentile(
        during.map((x) => x.ms),
        50,
      ).toFixed(0)} ms / p95 ${percentile(
        during.map((x) => x.ms),
        95,
      ).toFixed(0)} ms; before it p50 ${percentile(
        before.map((x) => x.ms),
        50,
      ).toFixed(0)} ms (${before.length} sends)`,
    );
    const added = during.map(
      (x) =>
        x.ms -
        percentile(
          before.map((b) => b.ms),
          50,
        ),
    );
    console.log(`  added latency vs before the job, p95  ${percentile(added, 95).toFixed(0)} ms`);

    for (const [i, c] of consoles.entries()) {
      const lines = await scrapeLines(
        c,
        /^sendmux_console_(upstream_requests_total|rate_budget_remaining|rate_budget_limit)\{/,
      );
      console.log(`  /api/metrics of console ${i + 1}:\n    ${lines.join('\n    ')}`);
    }

    // Drain: SIGTERM both while idle; they exit 0.
    const t0 = performance.now();
    for (const c of consoles) c.process.kill('SIGTERM');
    const codes = await Promise.all(consoles.map((c) => c.exited));
    console.log(
      `\nSIGTERM to both consoles: exit codes ${codes.join(', ')} after ${s(performance.now() - t0)}; load average ${load()} at the end`,
    );
  } finally {
    for (const c of consoles) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await handle.close();
    await database.drop();
    cluster?.stop?.();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
