// Batch throughput: a CSV of 100,000 rows (or --rows N) uploaded as a stream, through the sandbox at
// its default rate limit (1,800 requests/min), from "Send now" to the last result stored.
//
//   node --conditions=react-server --import tsx bench/batch-throughput.ts [--rows 1000000]
//   TEST_DB=postgres TEST_DATABASE_URL=postgres://postgres@127.0.0.1:54329/postgres node … (PostgreSQL)
//
// The sandbox runs in a child process (its own PGlite, or the same PostgreSQL database); this
// process is the console: it reads the upload as POST /api/batches does (lib/batch/start-batch.ts,
// storing rows while the runner already sends) and runs the batch runner with the default settings
// (BATCH_WORKERS, BATCH_LEASE_SECONDS). Prints figures; asserts nothing.
//
// --server measures the console as users run it instead: `next start` with the Node flags of
// `npm start`, the CSV streamed to POST /api/batches (see serverRun below). Build first:
//
//   npx next build   (or NEXT_DIST_DIR=.next-bench npx next build, and the same NEXT_DIST_DIR here)
//   node --conditions=react-server --import tsx bench/batch-throughput.ts --server [--rows 1000000]
//
// Where a run's time goes: BENCH_SEND_TRACE=N prints every N seconds the requests accepted so far
// against the key's pace; BENCH_MEM_TRACE=N the console's memory; BENCH_UPLOAD_KBPS=N (--server)
// sends the file at N KB/s, as over a slow link; BENCH_CHILD_NODE_ARGS and (with
// --server) BENCH_CONSOLE_NODE_ARGS pass Node flags such as "--cpu-prof --cpu-prof-dir=/tmp/p" to
// the sandbox child and the console.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/lib/db';
import type { DbHandle } from '@/lib/db/connection';
import { resetEnvForTests } from '@/lib/env';
import { getJobProgress } from '@/lib/batch/job-queries';
import { BatchRunner } from '@/lib/batch/runner';
import { freePort, startConsoleChild } from '@/lib/batch/testing/child-process';
import { startBatchFromStream } from '@/lib/batch/start-batch';
import { createTestDatabase, testEngine, type TestDatabase } from '@/lib/testing/test-db';
import { openDatabase } from '@/lib/db/connection';
import { createThrowawayDatabase } from '@/lib/testing/throwaway-database';
import type { JobSnapshot } from '@/lib/batch/dto';
import { BENCH_SPEC } from './bench-spec';
import { consoleNodeFlags, distDir, signIn, startConsole } from './support/console-server';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const ROWS = Number(arg('--rows') ?? 100_000);
const RATE_LIMIT = 1800;

let csvBytes = 0;
/** The bench's CSV file as the upload hands it over: 64 KB pieces, made as they are read. */
async function* generatedCsv(rows: number): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let text = 'email,name,n\n';
  for (let i = 1; i <= rows; i++) {
    text += `row-${i}+bench@example.com,Row ${i},${i}\n`;
    if (text.length >= 65_536 || i === rows) {
      const bytes = encoder.encode(text);
      csvBytes += bytes.byteLength;
      yield bytes;
      text = '';
    }
  }
}

/**
 * Sendmux is warm when a job starts; a sandbox child that has just started is not: its first batch
 * request took 1.3 s on PGlite (first statements planned, code paths compiled), which the first
 * chunk's figure would charge to the console. One batch of 100 is sent straight to the sandbox
 * (not through the console), then its outbox and rate window are cleared.
 */
async function warmSandbox(apiUrl: string, key: string): Promise<number> {
  const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
  const messages = Array.from({ length: 100 }, (_, i) => ({
    from: { email: 'sandbox@sendmux.test' },
    to: { email: `warm-up-${i}@example.com` },
    subject: 'warm-up',
    html_body: '<p>warm-up</p>',
  }));
  const res = await fetch(`${apiUrl}/emails/send/batch`, {
    method: 'POST',
    headers: { ...headers, 'Idempotency-Key': `warm-up-${randomBytes(8).toString('hex')}` },
    body: JSON.stringify({ messages }),
  });
  if (!res.ok) throw new Error(`warming the sandbox failed: ${res.status} ${await res.text()}`);
  const lastSeq = (await newestOutboxMessage(apiUrl, key))?.seq ?? null;
  if (lastSeq === null) throw new Error('warming the sandbox failed: its outbox is empty');
  for (const [method, path] of [
    ['DELETE', '/_sandbox/outbox'],
    ['POST', '/_sandbox/rate-limit/reset'],
  ] as const) {
    const r = await fetch(`${apiUrl}${path}`, { method, headers });
    if (!r.ok) throw new Error(`${method} ${path} failed: ${r.status} ${await r.text()}`);
  }
  return lastSeq;
}

/** The newest message in the sandbox's outbox (GET /_sandbox/outbox, newest first), or null. */
async function newestOutboxMessage(
  apiUrl: string,
  key: string,
): Promise<{ seq: number; created_at: string } | null> {
  const res = await fetch(`${apiUrl}/_sandbox/outbox?limit=1`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  const body = (await res.json()) as { data?: { messages: { seq: number; created_at: string }[] } };
  return body.data?.messages[0] ?? null;
}

/**
 * BENCH_SEND_TRACE=N: every N seconds from "Send now", how many requests the sandbox has accepted
 * (its outbox's newest seq past the warm-up's, 100 messages a request) against what the key allows
 * by then at RATE_LIMIT a minute: where a run falls behind its floor, during the upload or after.
 */
function startSendTrace(apiUrl: string, key: string, seqBefore: number, t0: number): () => void {
  const every = Number(process.env.BENCH_SEND_TRACE);
  if (!every) return () => undefined;
  const timer = setInterval(() => {
    void newestOutboxMessage(apiUrl, key)
      .then((newest) => {
        const seq = newest?.seq;
        const t = (performance.now() - t0) / 1000;
        const requests = Math.ceil(((seq ?? seqBefore) - seqBefore) / 100);
        const pace = Math.round((t * RATE_LIMIT) / 60);
        console.log(`  sent by ${t.toFixed(0)} s: ${requests} requests (${pace} at ${RATE_LIMIT}/min)`);
      })
      .catch(() => undefined);
  }, every * 1000);
  return () => clearInterval(timer);
}

/**
 * The sandbox child both modes send to: its own PGlite in dataDir, or the PostgreSQL database at
 * databaseUrl; at RATE_LIMIT requests a minute, warmed (warmSandbox). Its API's URL.
 */
async function startSandbox(
  key: string,
  store: { databaseUrl?: string; dataDir: string },
  nodeArgs: string[] = [],
): Promise<{ child: Awaited<ReturnType<typeof startConsoleChild>>; apiUrl: string; seqBefore: number }> {
  const sandboxPort = await freePort();
  const child = await startConsoleChild(
    {
      ...process.env,
      NODE_ENV: 'production',
      SENDMUX_API_KEY: undefined,
      SENDMUX_KEYS: undefined,
      SANDBOX_API_KEY: key,
      SANDBOX_RATE_LIMIT: String(RATE_LIMIT),
      ...(store.databaseUrl
        ? { DATABASE_URL: store.databaseUrl }
        : { DATA_DIR: store.dataDir, DATABASE_URL: undefined }),
    },
    { sandboxPort, nodeArgs },
  );
  const apiUrl = `http://127.0.0.1:${sandboxPort}/sandbox/api/v1`;
  try {
    return { child, apiUrl, seqBefore: await warmSandbox(apiUrl, key) };
  } catch (err) {
    child.process.kill('SIGKILL');
    throw err;
  }
}

/** The lines both modes print about the send: the floor, the ratio, CPU per request. */
function printSendFigures(
  chunkCount: number,
  wallMs: number,
  cpuMsSpent: { console: number; sandbox: number },
) {
  const floorMs = (chunkCount / (RATE_LIMIT / 60)) * 1000;
  console.log(
    `  floor at ${RATE_LIMIT}/min         ${seconds(floorMs)}  (${chunkCount} requests ÷ ${RATE_LIMIT / 60} per second)`,
  );
  console.log(`  ratio incl. job creation   ${(wallMs / floorMs).toFixed(3)}×  (target ≤ 1.05×)`);
  const perRequest = (ms: number) => `${(ms / chunkCount).toFixed(1)} ms`;
  console.log(
    `  CPU per request            console ${perRequest(cpuMsSpent.console)}, sandbox ${perRequest(cpuMsSpent.sandbox)}` +
      `  (each must stay under ${(60_000 / RATE_LIMIT).toFixed(1)} ms of one core to keep pace)`,
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const bytesMb = (n: number) => `${Math.round(n / 2 ** 20)}`;

/** utime + stime of a process in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A memory figure of a process in MB from /proc/<pid>/status: VmHWM (peak RSS) or VmRSS. */
function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}
const peakRssMb = (pid: number) => statusMb(pid, 'VmHWM');

/**
 * A PGlite data directory made (initdb, migrations) by a child process, as a console finds it
 * after its first start: initdb alone peaks at ~800 MB, once per install, and this bench measures
 * the console sending, not installing.
 */
function initialisedPgliteDir(prefix: string): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, '--init-only', dataDir], {
    stdio: 'inherit',
  });
  return dataDir;
}

async function main(): Promise<void> {
  const initOnly = arg('--init-only');
  if (initOnly) {
    await (await openDatabase({ kind: 'pglite', dataDir: initOnly })).close();
    return;
  }
  if (process.argv.includes('--server')) return serverRun();
  // This process plays the console, so it runs with the console's Node flags (npm start passes
  // them, scripts/node-flags.mjs): run again with them unless they are already set.
  const flags = consoleNodeFlags(process.env.NODE_OPTIONS).filter((f) => !process.execArgv.includes(f));
  if (flags.length > 0) {
    const again = spawnSync(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
    });
    process.exit(again.status ?? 1);
  }
  const key = `smx_mbx_bench_${randomBytes(12).toString('hex')}`;
  let database: TestDatabase;
  if (testEngine() === 'pglite') {
    const dataDir = initialisedPgliteDir('smx-bench-db-');
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    database = {
      ...handle,
      dataDir,
      close: async () => {
        await handle.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } else database = await createTestDatabase();
  (globalThis as { __sendmuxDb?: Promise<DbHandle> }).__sendmuxDb = Promise.resolve(database);
  const sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-sandbox-'));
  // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/x") profiles the sandbox process too.
  const nodeArgs = process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const { child, apiUrl, seqBefore } = await startSandbox(
    key,
    { databaseUrl: database.url, dataDir: sandboxDir },
    nodeArgs,
  );
  process.env.SANDBOX_API_KEY = key;
  process.env.SENDMUX_KEYS = `bench=${key}`;
  process.env.SENDMUX_API_URL = apiUrl;
  resetEnvForTests();

  try {
    const chunkCount = Math.ceil(ROWS / 100);
    let settled = 0;
    let retries = 0;
    let firstChunkAt = 0;
    let firstStoredAt = 0;
    let halfStoredAt = 0;
    let allSettled!: () => void;
    const finished = new Promise<void>((resolve) => (allSettled = resolve));
    const runner = new BatchRunner({
      onChunk: (e) => {
        if (e.outcome === 'retry') retries++;
        if (e.outcome === 'done' || e.outcome === 'failed') {
          settled++;
          firstChunkAt ||= performance.now();
        }
        if (settled === chunkCount) allSettled();
      },
    });
    await runner.start();
    // RSS sampled through the run: VmHWM also counts the moments between samples.
    let rssMax = 0;
    let stored = 0;
    const rssAtStart = process.memoryUsage.rss();
    // BENCH_MEM_TRACE=N prints the console's memory every N seconds: where the peak comes from.
    const memTrace = process.env.BENCH_MEM_TRACE
      ? setInterval(
          () => {
            const m = process.memoryUsage();
            const spaces = v8
              .getHeapSpaceStatistics()
              .filter((x) => x.space_size > 2 ** 20)
              .map(
                (x) =>
                  `${x.space_name.replace('_space', '')} ${bytesMb(x.space_used_size)}/${bytesMb(x.space_size)}`,
              )
              .join(', ');
            console.log(
              `  mem ${((performance.now() - t0) / 1000).toFixed(0)} s: rss ${bytesMb(m.rss)} (peak ${peakRssMb(process.pid)}) heapUsed ${bytesMb(m.heapUsed)} heapTotal ${bytesMb(m.heapTotal)} external ${bytesMb(m.external)} arrayBuffers ${bytesMb(m.arrayBuffers)} MB (${spaces}); stored ${stored}, chunks settled ${settled}`,
            );
          },
          Number(process.env.BENCH_MEM_TRACE) * 1000 || 10_000,
        )
      : undefined;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 250);
    const load = os.loadavg()[0]!;
    const cpu0 = { console: cpuMs(process.pid), sandbox: cpuMs(child.pid) };
    // "Send now": the upload starts; the file is made as it is read, never held.
    const t0 = performance.now();
    const stopTrace = startSendTrace(apiUrl, key, seqBefore, t0);
    const result = await startBatchFromStream(
      {
        name: 'bench',
        profile: 'bench',
        delimiter: ',',
        encoding: 'utf-8',
        user: { id: 'usr_bench', email: 'bench@example.com' },
        spec: BENCH_SPEC,
      },
      generatedCsv(ROWS),
      {
        onStored: (n) => {
          stored = n;
          firstStoredAt ||= performance.now();
          if (n >= ROWS / 2) halfStoredAt ||= performance.now();
        },
      },
    );
    const storedMs = performance.now() - t0;
    if (!result.ok) throw new Error(`the upload was refused: ${JSON.stringify(result)}`);
    const { jobId } = result.data;
    const storedCpuMs = cpuMs(process.pid) - cpu0.console;
    await finished;
    const wallMs = performance.now() - t0;
    const cpu1 = { console: cpuMs(process.pid), sandbox: cpuMs(child.pid) };
    clearInterval(sampler);
    clearInterval(memTrace);
    stopTrace();
    let progress = await getJobProgress(jobId);
    // The last worker to go idle marks the job done.
    for (let i = 0; i < 100 && progress?.job.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      progress = await getJobProgress(jobId);
    }
    await runner.stop();

    const [persisted] = await queryRows<{ queued: number; failed: number; with_id: number }>(
      database.db,
      sql`SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued, count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE message_id IS NOT NULL)::int AS with_id
          FROM batch_rows WHERE job_id = ${jobId}`,
    );
    const s = seconds;
    console.log(
      `batch-throughput (${database.kind}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end, BATCH_WORKERS default, JS heap limit ${bytesMb(v8.getHeapStatistics().heap_size_limit)} MB)`,
    );
    console.log(
      `  rows                       ${ROWS.toLocaleString('en')} (${(csvBytes / 1e6).toFixed(1)} MB CSV) in ${chunkCount} requests of ≤100`,
    );
    console.log(`  first chunk sent after     ${s(firstChunkAt - t0)}  (target ≤ 2 s from "Send now")`);
    console.log(
      `  first rows stored after    ${s(firstStoredAt - t0)} (the upload is checked and held up to 0.5 s first), half the rows after ${s(halfStoredAt - t0)}`,
    );
    console.log(
      `  upload read and stored     ${s(storedMs)}  (console CPU ${s(storedCpuMs)} until then, sending included)`,
    );
    console.log(`  send wall time incl. job creation ${s(wallMs)}`);
    printSendFigures(chunkCount, wallMs, {
      console: cpu1.console - cpu0.console,
      sandbox: cpu1.sandbox - cpu0.sandbox,
    });
    console.log(
      `  rows persisted             queued ${persisted?.queued}, failed ${persisted?.failed}, with message_id ${persisted?.with_id}; job ${progress?.job.status}`,
    );
    console.log(`  chunk retries              ${retries}`);
    console.log(
      `  peak RSS (VmHWM)           console ${peakRssMb(process.pid)} MB (sampled max ${bytesMb(rssMax)} MB, ${bytesMb(rssAtStart)} MB before the upload), sandbox ${peakRssMb(child.pid)} MB`,
    );
  } finally {
    child.process.kill(nodeArgs.length > 0 ? 'SIGINT' : 'SIGKILL');
    await database.close();
    fs.rmSync(sandboxDir, { recursive: true, force: true });
  }
}

/**
 * --server: the console as users run it. A sandbox child as in-process mode has it (its own
 * PGlite, or the same PostgreSQL database), and the production console, `next start` with the
 * Node flags of `npm start`, in live mode with one key profile pointed at that child (so the
 * sandbox's work, storing every message it accepts, is not in the console's process). The bench
 * signs in, streams the generated CSV to POST /api/batches as the wizard's "Send now" does, and
 * watches:
 * - the first request the sandbox accepted: the child's outbox (GET /_sandbox/outbox, which does
 *   not take from the key's window), its first message's created_at;
 * - every row stored: the 201 answer;
 * - the job done: GET /api/batches/<id>/progress once a second, as the job page polls it after
 *   the 201, and the job's finishedAt.
 * Memory is the `next start` node process's own (VmHWM; VmRSS sampled every 250 ms).
 * Needs a build: `npx next build` (NEXT_DIST_DIR to use another one, as bench/multi-instance.ts).
 */
async function serverRun(): Promise<void> {
  const key = `smx_mbx_bench_${randomBytes(12).toString('hex')}`;
  const admin = { email: 'bench@example.com', password: `bench-${randomBytes(9).toString('hex')}` };
  const cleanups: (() => Promise<void> | void)[] = [];
  const s = seconds;
  try {
    // PostgreSQL: one throwaway database for both (each migrates it on start, under the lock).
    // PGlite: a data directory each, made by a child first (initialisedPgliteDir).
    let databaseUrl: string | undefined;
    let consoleDir: string;
    let sandboxDir: string;
    if (testEngine() === 'postgres') {
      const adminUrl = process.env.TEST_DATABASE_URL;
      if (!adminUrl)
        throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (a role allowed to CREATE DATABASE)');
      const database = await createThrowawayDatabase(adminUrl, 'smx_bench_bt');
      cleanups.push(() => database.drop());
      databaseUrl = database.url;
      consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-console-'));
      sandboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-sandbox-'));
    } else {
      consoleDir = initialisedPgliteDir('smx-bench-console-');
      sandboxDir = initialisedPgliteDir('smx-bench-sandbox-');
    }
    cleanups.push(() => {
      for (const dir of [consoleDir, sandboxDir]) fs.rmSync(dir, { recursive: true, force: true });
    });

    const {
      child,
      apiUrl: sandboxApi,
      seqBefore,
    } = await startSandbox(key, { databaseUrl, dataDir: sandboxDir });
    cleanups.push(() => void child.process.kill('SIGKILL'));

    // Live mode: a key profile and SENDMUX_API_URL at the child, so this console serves no
    // sandbox of its own (lib/env.ts: sandboxServed only in sandbox mode or at its own port).
    const consolePort = await freePort();
    const server = await startConsole(consolePort, {
      DATA_DIR: consoleDir,
      DATABASE_URL: databaseUrl,
      SENDMUX_API_KEY: undefined,
      SENDMUX_KEYS: `bench=${key}`,
      SENDMUX_API_URL: sandboxApi,
      SENDMUX_MANAGEMENT_KEY: undefined,
      SANDBOX_API_KEY: undefined,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    });
    cleanups.push(async () => {
      if (server.process.exitCode !== null) return;
      server.process.kill('SIGTERM'); // drains, as under npm start
      const timer = setTimeout(() => server.process.kill('SIGKILL'), 30_000);
      await server.exited;
      clearTimeout(timer);
    });
    const pid = server.process.pid!;
    // The pid must be the server itself: the node process we started, which names itself
    // next-server (process.title) as it serves, and has no child doing the work.
    const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!.trim();
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (
      fs.realpathSync(`/proc/${pid}/exe`) !== fs.realpathSync(process.execPath) ||
      !title.startsWith('next-server') ||
      children
    )
      throw new Error(
        `pid ${pid} is not the next start server itself: "${title}"; children: ${children || 'none'}`,
      );
    const readyPeak = peakRssMb(pid);
    const cookie = await signIn(server, admin);

    // Start-up (opening the database, the first pages, signing in) has its own peak: note it,
    // then reset VmHWM (clear_refs 5, Linux ≥ 4.0) so that the run's peak is measured alone.
    const startPeak = { console: peakRssMb(pid), sandbox: peakRssMb(child.pid) };
    const reset = [pid, child.pid].every((p) => {
      try {
        fs.writeFileSync(`/proc/${p}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    });
    let rssMax = 0;
    const samples: { at: number; rss: number }[] = [];
    const rssBefore = statusMb(pid, 'VmRSS') ?? 0;
    const load = os.loadavg()[0]!;
    const cpu0 = { console: cpuMs(pid), sandbox: cpuMs(child.pid) };
    const t0 = performance.now();
    const t0Wall = Date.now();
    const stopTrace = startSendTrace(sandboxApi, key, seqBefore, t0);
    const sampler = setInterval(() => {
      const rss = statusMb(pid, 'VmRSS') ?? 0;
      rssMax = Math.max(rssMax, rss);
      samples.push({ at: performance.now() - t0, rss });
    }, 250);
    // BENCH_MEM_TRACE=N prints the console's RSS every N seconds.
    const memTrace = process.env.BENCH_MEM_TRACE
      ? setInterval(
          () =>
            console.log(
              `  mem ${((performance.now() - t0) / 1000).toFixed(0)} s: console rss ${statusMb(pid, 'VmRSS')} (peak ${peakRssMb(pid)}) MB, sandbox rss ${statusMb(child.pid, 'VmRSS')} MB`,
            ),
          Number(process.env.BENCH_MEM_TRACE) * 1000 || 10_000,
        )
      : undefined;

    // The first message in the sandbox's outbox (empty until now): the first request it accepted.
    let firstAcceptedMs: number | null = null;
    let watching = true;
    const firstWatch = (async () => {
      while (watching && firstAcceptedMs === null) {
        const first = await newestOutboxMessage(sandboxApi, key);
        if (first) firstAcceptedMs = Date.parse(first.created_at) - t0Wall;
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    // "Send now": one line of JSON, then the file, streamed as it is made (never held).
    const meta = { name: 'bench', profile: 'bench', delimiter: ',', encoding: 'utf-8', spec: BENCH_SPEC };
    const parts = (async function* () {
      yield new TextEncoder().encode(`${JSON.stringify(meta)}\n`);
      yield* generatedCsv(ROWS);
    })();
    // BENCH_UPLOAD_KBPS=N sends the file at N KB/s, in 1 KB pieces: a slow link.
    const kbps = Number(process.env.BENCH_UPLOAD_KBPS) || 0;
    let sentBytes = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await parts.next();
        if (next.done) return controller.close();
        if (!kbps) return controller.enqueue(next.value);
        for (let at = 0; at < next.value.byteLength; at += 1000) {
          const piece = next.value.subarray(at, at + 1000);
          sentBytes += piece.byteLength;
          const due = sentBytes / kbps - (performance.now() - t0);
          if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
          controller.enqueue(piece);
        }
      },
    });
    const answer = await fetch(`${server.url}/api/batches`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', Origin: server.url, Cookie: cookie },
      body,
      duplex: 'half',
    } as RequestInit);
    const storedMs = performance.now() - t0;
    const storedCpuMs = cpuMs(pid) - cpu0.console;
    const text = await answer.text();
    const result = (() => {
      try {
        return JSON.parse(text) as { ok: boolean; data?: { jobId: string; rows: number } };
      } catch {
        return null;
      }
    })();
    if (answer.status !== 201 || !result?.ok || !result.data)
      throw new Error(
        `the upload was answered ${answer.status} after ${s(storedMs)}: ${text.slice(0, 500) || '(no body)'}`,
      );
    const { jobId } = result.data;

    // The job page, once the wizard has moved to it.
    let snapshot: JobSnapshot;
    for (;;) {
      const res = await fetch(`${server.url}/api/batches/${jobId}/progress`, { headers: { Cookie: cookie } });
      if (!res.ok) throw new Error(`progress answered ${res.status}: ${await res.text()}`);
      snapshot = (await res.json()) as JobSnapshot;
      if (!['running', 'paused'].includes(snapshot.job.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const seenDoneMs = performance.now() - t0;
    const cpu1 = { console: cpuMs(pid), sandbox: cpuMs(child.pid) };
    clearInterval(sampler);
    clearInterval(memTrace);
    stopTrace();
    watching = false;
    await firstWatch;
    const wallMs = snapshot.job.finishedAt ? Date.parse(snapshot.job.finishedAt) - t0Wall : seenDoneMs;

    const chunkCount = Math.ceil(ROWS / 100);
    const flags =
      consoleNodeFlags(process.env.NODE_OPTIONS).join(' ') || `NODE_OPTIONS=${process.env.NODE_OPTIONS}`;
    console.log(
      `batch-throughput --server (${testEngine()}, next start on ${distDir} with ${flags}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end, BATCH_WORKERS default)`,
    );
    console.log(
      `  rows                       ${ROWS.toLocaleString('en')} (${(csvBytes / 1e6).toFixed(1)} MB CSV) in ${chunkCount} requests of ≤100`,
    );
    console.log(
      `  first request accepted     ${firstAcceptedMs === null ? 'never' : s(firstAcceptedMs)}  (the sandbox outbox's first message; target ≤ 2 s from "Send now")`,
    );
    console.log(
      `  201 answered (all stored)  ${s(storedMs)}  (console CPU ${s(storedCpuMs)} until then, sending included)`,
    );
    console.log(
      `  job done after             ${s(wallMs)}  (the job's finishedAt; seen done by the progress poll after ${s(seenDoneMs)})`,
    );
    printSendFigures(chunkCount, wallMs, {
      console: cpu1.console - cpu0.console,
      sandbox: cpu1.sandbox - cpu0.sandbox,
    });
    const { rows } = snapshot;
    console.log(
      `  rows                       ${result.data.rows} stored; queued ${rows.queued}, failed ${rows.failed}, pending ${rows.pending + rows.sending}; job ${snapshot.job.status}`,
    );
    const since = reset ? 'from the upload on' : 'start-up included: VmHWM could not be reset';
    console.log(
      `  peak RSS (VmHWM)           console ${peakRssMb(pid)} MB ${since} (next start, pid ${pid}; sampled max ${rssMax} MB, ${rssBefore} MB before the upload), sandbox ${peakRssMb(child.pid)} MB`,
    );
    console.log(
      `  start-up peak (VmHWM)      console ${readyPeak} MB when ready, ${startPeak.console} MB once signed in; sandbox ${startPeak.sandbox} MB  (before the upload)`,
    );
    const step = Math.max(1, Math.ceil(samples.length / 12));
    const trace = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
    console.log(
      `  console RSS over the run   ${trace.map((x) => `${(x.at / 1000).toFixed(1)} s ${x.rss}`).join(', ')} MB`,
    );
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
