// bench/webhook-ingest: the webhook receiver under Sendmux-like load.
//
//   node --conditions=react-server --import tsx bench/webhook-ingest.ts [--events 20000] [--rows 100000]
//   TEST_DB=postgres TEST_DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres node … (PostgreSQL)
//
// A 100,000-row batch job is seeded (every row queued with its eml_ id), then 20,000 signed events
// are posted over HTTP with 16 concurrent connections to the receiver's route handler (the
// app/api/webhooks/sendmux POST, served by a plain node:http server in this process): half are
// distinct events about distinct rows, half exact re-posts of one of them (Sendmux retrying).
// Prints p50/p95/p99 of the answer, events lost or applied twice, and how long it took until every
// event was correlated to its row. Prints figures; asserts nothing.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/lib/db';
import type { DbHandle } from '@/lib/db/connection';
import { correlationIdle } from '@/lib/delivery/correlate';
import { resetEnvForTests } from '@/lib/env';
import { createTestDatabase } from '@/lib/testing/test-db';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const EVENTS = Number(arg('--events') ?? 20_000);
const ROWS = Number(arg('--rows') ?? 100_000);
const CONCURRENCY = 16;
const SECRET = `whsec_bench_${randomBytes(16).toString('hex')}`;
const JOB = 'benchwebhooks';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;
/** The eml_ id the seed gives row n (see seed()). */
const messageId = (row: number) => `eml_${String(row).padStart(24, '0')}`;

const TYPES = [
  { type: 'message.delivered', data: {} },
  { type: 'message.bounced', data: { bounce_type: 'Permanent', bounce_subtype: 'General' } },
  { type: 'message.complained', data: { complaint_type: 'abuse' } },
  { type: 'message.delivery_delayed', data: { delay_type: 'MailboxFull' } },
];

function eventBody(i: number, row: number): string {
  const kind = TYPES[i % 10 === 0 ? 1 : i % 25 === 0 ? 2 : i % 7 === 0 ? 3 : 0]!;
  return JSON.stringify({
    id: `evt_bench${i.toString(36).padStart(19, '0')}`,
    type: kind.type,
    team_public_id: 'team_bench',
    occurred_at: new Date(Date.now() - 60_000 + i).toISOString(),
    data: {
      message_id: `prov-${i}@bench.invalid`,
      message_id_kind: 'provider',
      sendmux_message_id: messageId(row),
      sender: 'bench@example.com',
      recipients: [`row${row}@example.com`],
      mailbox_id: null,
      bounce_type: null,
      bounce_subtype: null,
      complaint_type: null,
      complaint_subtype: null,
      reject_reason: null,
      delay_type: null,
      delay_expires_at: null,
      is_spam: null,
      webhook_id: null,
      ...kind.data,
    },
  });
}

async function seed(database: DbHandle): Promise<void> {
  await database.db.execute(
    sql`INSERT INTO batch_jobs (id, name, status, key_profile, total_rows, columns, spec)
        VALUES (${JOB}, 'webhook bench', 'done', 'bench', ${ROWS}, '["email"]'::jsonb, '{}'::jsonb)`,
  );
  for (let from = 1; from <= ROWS; from += 20_000) {
    const to = Math.min(ROWS, from + 19_999);
    await database.db.execute(
      sql`INSERT INTO batch_rows (job_id, row_no, csv_line, input, message, to_email, status, message_id)
          SELECT ${JOB}, n, n + 1, '{}'::jsonb, '{}'::jsonb, 'row' || n || '@example.com', 'queued',
            'eml_' || lpad(to_char(n, 'FM999999999'), 24, '0')
          FROM generate_series(${from}::int, ${to}::int) AS n`,
    );
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-webhooks-'));
  process.env.DATA_DIR = dataDir;
  process.env.SENDMUX_API_KEY = `smx_mbx_bench_${randomBytes(8).toString('hex')}`;
  process.env.SENDMUX_WEBHOOK_SECRETS = SECRET;
  resetEnvForTests();
  const database = await createTestDatabase();
  (globalThis as { __sendmuxDb?: Promise<DbHandle> }).__sendmuxDb = Promise.resolve(database);
  const { POST } = await import('@/app/api/webhooks/sendmux/route');

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      void POST(
        new Request('http://bench.local/api/webhooks/sendmux', {
          method: 'POST',
          headers,
          body: Buffer.concat(chunks),
        }),
      )
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch((err: unknown) => {
          res.writeHead(500).end(String(err));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  try {
    const seedStart = performance.now();
    await seed(database);
    console.log(
      `Seeded a ${ROWS.toLocaleString('en-US')}-row job in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${database.kind})`,
    );

    const unique = EVENTS / 2;
    const stride = Math.max(1, Math.floor(ROWS / unique));
    const bodies: string[] = [];
    for (let i = 0; i < unique; i++) bodies.push(eventBody(i, 1 + ((i * stride) % ROWS)));
    // Every event once, and half of them again, shuffled: duplicates arrive both soon after and
    // long after the original, sometimes at the same moment on another connection.
    const posts = [...bodies, ...bodies.map((_, i) => bodies[(i * 7919) % unique]!)];
    for (let i = posts.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [posts[i], posts[j]] = [posts[j]!, posts[i]!];
    }

    // The posts are signed and sent from a worker thread (bench/webhook-ingest.poster.mjs), as
    // from another machine; the receiver's event loop here only answers them.
    const t0 = performance.now();
    const poster = new Worker(new URL('./webhook-ingest.poster.mjs', import.meta.url), {
      workerData: { port, secret: SECRET, posts, concurrency: CONCURRENCY },
    });
    const result = await new Promise<{
      latencies: number[];
      statuses: Record<string, number>;
      postedMs: number;
    }>((resolve, reject) => {
      poster.once('message', resolve);
      poster.once('error', reject);
    });
    await poster.terminate();
    const { latencies, postedMs } = result;
    const statuses = new Map(Object.entries(result.statuses).map(([s, n]) => [Number(s), n]));

    // Correlation runs behind the answers; wait for it to drain.
    for (;;) {
      await correlationIdle();
      const [pending] = await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM delivery_events WHERE correlated_at IS NULL`,
      );
      if (pending!.n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const correlatedMs = performance.now() - t0;

    const [stored] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM delivery_events`,
    );
    const [twice] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM delivery_status WHERE event_count <> 1`,
    );
    const [linked] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM batch_rows r JOIN delivery_status s ON s.message_id = r.message_id WHERE r.job_id = ${JOB}`,
    );
    const countsStart = performance.now();
    const counts = await queryRows<{ status: string; n: number }>(
      database.db,
      sql`SELECT coalesce(s.status, 'none') AS status, count(*)::int AS n FROM batch_rows r
          LEFT JOIN delivery_status s ON s.message_id = r.message_id WHERE r.job_id = ${JOB} AND r.status = 'queued' GROUP BY 1`,
    );
    const countsMs = performance.now() - countsStart;

    latencies.sort((a, b) => a - b);
    console.log(
      `Engine: ${database.kind}; ${posts.length.toLocaleString('en-US')} posts (${unique.toLocaleString('en-US')} distinct events, ${(posts.length - unique).toLocaleString('en-US')} re-posts), ${CONCURRENCY} connections`,
    );
    console.log(
      `Answers: ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')} in ${(postedMs / 1000).toFixed(1)} s (${Math.round(posts.length / (postedMs / 1000))} posts/s)`,
    );
    console.log(
      `Answer latency: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1)!)}  (target p95 ≤ 20 ms on PGlite)`,
    );
    console.log(
      `Stored: ${stored!.n} events (expected ${unique}); lost ${unique - stored!.n}; applied twice ${twice!.n}`,
    );
    console.log(
      `Correlated to rows: ${linked!.n} of ${unique} rows have a delivery status; every event correlated ${(correlatedMs / 1000).toFixed(1)} s after the first post (${((correlatedMs - postedMs) / 1000).toFixed(1)} s after the last answer)`,
    );
    console.log(
      `Job delivery counts over ${ROWS.toLocaleString('en-US')} rows: ${counts.map((c) => `${c.status} ${c.n}`).join(', ')} in ${ms(countsMs)}`,
    );
  } finally {
    server.closeAllConnections();
    server.close();
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
