// Request log search on 1,000,000 rows, on PGlite and on PostgreSQL. Prints figures; asserts nothing.
//
//   node --conditions=react-server --import tsx bench/request-log.ts
//
// PostgreSQL runs when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a role that may CREATE
// DATABASE; a throwaway database is created and dropped (BENCH_KEEP=1 keeps it). BENCH_ROWS and
// BENCH_RUNS change the size; BENCH_REUSE_URL measures a kept database again (BENCH_FILL_ONLY=1
// only fills, BENCH_WRITE_ONLY=1 only runs the writing phase); BENCH_WRITERS and BENCH_INSERT_SECONDS shape the writing phase; BENCH_ENGINES=pglite or =postgres runs one engine; BENCH_PGLITE_DIR keeps
// the PGlite data directory for another run; BENCH_SKIP_NOSTATS=1 skips the pass without statistics.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type DbHandle } from '@/lib/db/connection';
import { dropExpiredPartitions, ensureDayPartitions, listPartitions, REQUEST_LOG } from '@/lib/db/partitions';
import { attemptWriteStats, completeAttempt, startAttempt } from '@/lib/requests/record';
import { createThrowawayDatabase } from '@/lib/testing/throwaway-database';
import {
  findByRequestId,
  resetSearchCaches,
  getAttempts,
  getRequest,
  listFilterOptions,
  searchRequests,
  type RequestFilters,
} from '@/lib/requests/search';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CHUNK = 50_000;
const ADDRESSES = 200_000;
const TARGET_EXACT_MS = 10;
/** The rows cover the last 30 days, as a month of log does (PostgreSQL: 31 day partitions). */
const SPREAD_SECONDS = 30 * 86_400;
const TARGET_INSERTS_PER_S = 3_000;
const TARGET_DROP_MS = 1_000;
const TARGET_ADDRESS_MS = 100;

const globalForDb = globalThis as typeof globalThis & { __sendmuxDb?: Promise<DbHandle> };

/**
 * One INSERT … SELECT per chunk. Per 100 rows: ~85 single sends, ~10 batches of 10 messages
 * (most from CSV jobs), ~3 GET /me, ~2 uploads; 2 % are 503-then-200 retry pairs under one key,
 * ~4 % more fail with a spread of catalog codes, 0.1 % have no response (a crash mid-call).
 */
function fillChunk(lo: number, hi: number, total: number): string {
  return `
WITH base AS (
  SELECT g,
    g - (g % 50) AS call_pair,
    (g % 50) IN (0, 1) AS in_pair,
    abs(hashtext('k' || g)::bigint) % 10000 AS r_kind,
    abs(hashtext('f' || g)::bigint) % 1000 AS r_fail,
    abs(hashtext('c' || g)::bigint) % 10 AS r_code,
    abs(hashtext('x' || g)::bigint) % 1000 AS r_cc,
    now() - ((${total} - g) * interval '${SPREAD_SECONDS / total} seconds') AS t
  FROM generate_series(${lo}, ${hi}) g
), kinds AS (
  SELECT *,
    CASE WHEN in_pair OR r_kind < 8500 THEN 'send' WHEN r_kind < 9500 THEN 'batch' WHEN r_kind < 9800 THEN 'me' ELSE 'upload' END AS kind,
    CASE WHEN in_pair THEN call_pair ELSE g END AS call_id
  FROM base
), shaped AS (
  SELECT *,
    'user' || (abs(hashtext('u' || call_id)::bigint) % ${ADDRESSES}) || '@' || (ARRAY['example.com','mail.test','corp.example','shop.test'])[1 + call_id % 4] AS to_addr,
    CASE WHEN in_pair THEN (g % 50) = 1 ELSE NOT (r_fail < 40) END AS succeeded,
    CASE WHEN in_pair THEN 'service_unavailable' ELSE (ARRAY['validation_error','insufficient_credits','rate_limit_exceeded','service_unavailable','authentication_required',
      'insufficient_permissions','idempotency_conflict','internal_error','timeout','network_error'])[1 + r_code] END AS code,
    (r_fail = 999) AND NOT in_pair AS crashed,
    'req_' || substr(md5('r' || g), 1, 24) AS req_id,
    'job' || (g / 5000) AS job,
    r_kind % 3 <> 0 AS from_job
  FROM kinds
), recips AS (
  SELECT *,
    CASE kind
      WHEN 'send' THEN ARRAY[to_addr]
        || CASE WHEN r_cc < 30 THEN ARRAY['ops@example.com'] WHEN r_cc < 130 THEN ARRAY['user' || (abs(hashtext('cc' || g)::bigint) % ${ADDRESSES}) || '@example.com'] ELSE ARRAY[]::text[] END
      WHEN 'batch' THEN ARRAY(SELECT 'user' || ((abs(hashtext('u' || g)::bigint) + i * 7919) % ${ADDRESSES}) || '@example.com' FROM generate_series(0, 9) i)
      ELSE ARRAY[]::text[] END AS rcpt
  FROM shaped
)
INSERT INTO api_requests (created_at, completed_at, user_id, user_email, key_profile, method, path, source, idempotency_key, attempt, wait_ms,
  next_retry_at, status, ok, error_code, error_message, request_id, duration_ms, request_body, response_body, recipients, message_ids, message_count, job_id, chunk_no)
SELECT
  t,
  CASE WHEN crashed THEN NULL ELSE t + interval '80 milliseconds' END,
  'u' || (g % 8),
  'person' || (g % 8) || '@console.test',
  (ARRAY['transactional','marketing','default'])[1 + g % 3],
  CASE kind WHEN 'me' THEN 'GET' ELSE 'POST' END,
  CASE kind WHEN 'send' THEN '/emails/send' WHEN 'batch' THEN '/emails/send/batch' WHEN 'me' THEN '/me' ELSE '/emails/attachments' END,
  CASE kind WHEN 'send' THEN 'compose' WHEN 'batch' THEN CASE WHEN from_job THEN 'batch' ELSE 'manual_batch' END WHEN 'me' THEN 'settings' ELSE 'upload' END,
  CASE kind
    WHEN 'send' THEN 'compose-' || substr(md5('i' || call_id), 1, 20)
    WHEN 'batch' THEN CASE WHEN from_job THEN 'job:' || job || ':chunk:' || (g % 5000) || ':try:1' ELSE 'batch-' || substr(md5('i' || g), 1, 20) END
    ELSE NULL END,
  CASE WHEN in_pair AND g % 50 = 1 THEN 2 ELSE 1 END,
  CASE WHEN in_pair AND g % 50 = 1 THEN 2000 ELSE 0 END,
  CASE WHEN in_pair AND g % 50 = 0 THEN t + interval '2 seconds' END,
  CASE WHEN crashed THEN NULL WHEN succeeded THEN CASE kind WHEN 'upload' THEN 201 ELSE 200 END
    ELSE (ARRAY[422,402,429,503,401,403,409,500,NULL,NULL])[1 + CASE WHEN in_pair THEN 3 ELSE r_code END] END,
  CASE WHEN crashed THEN NULL ELSE succeeded END,
  CASE WHEN crashed OR succeeded THEN NULL ELSE code END,
  CASE WHEN crashed OR succeeded THEN NULL ELSE 'Simulated ' || replace(code, '_', ' ') END,
  CASE WHEN crashed OR (NOT succeeded AND code IN ('timeout','network_error')) THEN NULL ELSE req_id END,
  CASE WHEN crashed THEN NULL ELSE 40 + abs(hashtext('d' || g)::bigint) % 400 END,
  CASE kind
    WHEN 'send' THEN jsonb_build_object('from', jsonb_build_object('email','orders@shop.test','name','Shop'), 'to', jsonb_build_object('email', to_addr),
      'subject', 'Your order ' || call_id || ' has shipped', 'html_body', '<p>Hello, your order <b>' || call_id || '</b> is on its way. Track it in your account.</p>',
      'text_body', 'Hello, your order ' || call_id || ' is on its way.')
      || CASE WHEN cardinality(rcpt) > 1 THEN jsonb_build_object('cc', jsonb_build_array(jsonb_build_object('email', rcpt[2]))) ELSE '{}'::jsonb END
    WHEN 'batch' THEN jsonb_build_object('messages', (SELECT jsonb_agg(jsonb_build_object('from', jsonb_build_object('email','news@shop.test'), 'to', jsonb_build_object('email', a),
      'subject', 'May newsletter', 'html_body', '<p>Hi {{name}}, here is what is new.</p>')) FROM unnest(rcpt) a))
    WHEN 'upload' THEN jsonb_build_object('filename', 'invoice-' || g || '.pdf', 'content_type', 'application/pdf', 'size_bytes', 20000 + g % 50000)
    ELSE NULL END,
  CASE WHEN crashed THEN NULL
    WHEN NOT succeeded THEN jsonb_build_object('ok', false, 'error', jsonb_build_object('code', code, 'message', 'Simulated ' || replace(code, '_', ' '), 'retryable', code IN ('rate_limit_exceeded','service_unavailable','internal_error')), 'meta', jsonb_build_object('request_id', req_id))
    WHEN kind = 'send' THEN jsonb_build_object('ok', true, 'data', jsonb_build_object('message_id', 'eml_' || substr(md5('m' || g), 1, 24), 'status', 'queued'), 'meta', jsonb_build_object('request_id', req_id))
    WHEN kind = 'batch' THEN jsonb_build_object('ok', true, 'data', jsonb_build_object('results', (SELECT jsonb_agg(jsonb_build_object('index', i, 'message_id', 'eml_' || substr(md5('m' || g || '-' || i), 1, 24), 'status', 'queued')) FROM generate_series(0, 9) i),
      'summary', jsonb_build_object('total', 10, 'queued', 10, 'failed', 0)), 'meta', jsonb_build_object('request_id', req_id))
    WHEN kind = 'upload' THEN jsonb_build_object('ok', true, 'data', jsonb_build_object('attachment_id', 'att_' || substr(md5('a' || g), 1, 24)), 'meta', jsonb_build_object('request_id', req_id))
    ELSE jsonb_build_object('ok', true, 'data', jsonb_build_object('team', jsonb_build_object('id', 'team_1', 'name', 'Shop')), 'meta', jsonb_build_object('request_id', req_id)) END,
  rcpt,
  CASE WHEN crashed OR NOT succeeded THEN ARRAY[]::text[]
    WHEN kind = 'send' THEN ARRAY['eml_' || substr(md5('m' || g), 1, 24)]
    WHEN kind = 'batch' THEN ARRAY(SELECT 'eml_' || substr(md5('m' || g || '-' || i), 1, 24) FROM generate_series(0, 9) i)
    ELSE ARRAY[]::text[] END,
  CASE kind WHEN 'send' THEN 1 WHEN 'batch' THEN 10 ELSE 0 END,
  CASE WHEN kind = 'batch' AND from_job THEN job END,
  CASE WHEN kind = 'batch' AND from_job THEN g % 5000 END
FROM recips`;
}

async function fill(handle: DbHandle, label: string): Promise<void> {
  const { db } = handle;
  const started = performance.now();
  if (handle.pool) {
    // PostgreSQL: the console makes days ahead; a month of history needs its past days too.
    const client = await handle.pool.connect();
    try {
      const made = await ensureDayPartitions(client, REQUEST_LOG, {
        from: new Date(Date.now() - (SPREAD_SECONDS + 86_400) * 1000),
      });
      console.log(`  ${label}: ${made.length} day partitions made for the month of rows`);
    } finally {
      client.release();
    }
  }
  // Indexes are dropped for the bulk load and rebuilt from their own definitions afterwards.
  const indexes = await queryRows<{ indexname: string; indexdef: string }>(
    db,
    sql`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'api_requests' AND indexname <> 'api_requests_pkey'`,
  );
  for (const i of indexes) await db.execute(sql.raw(`DROP INDEX ${i.indexname}`));
  // PostgreSQL fills on two connections at once (one per core); PGlite has one.
  const starts = Array.from({ length: Math.ceil(ROWS / CHUNK) }, (_, i) => 1 + i * CHUNK);
  let rowsIn = 0;
  await Promise.all(
    Array.from({ length: handle.pool ? 2 : 1 }, async () => {
      for (let lo = starts.shift(); lo !== undefined; lo = starts.shift()) {
        const hi = Math.min(ROWS, lo + CHUNK - 1);
        await db.execute(sql.raw(fillChunk(lo, hi, ROWS)));
        rowsIn += hi - lo + 1;
        process.stdout.write(`\r  ${label}: ${rowsIn.toLocaleString('en-US')} rows…`);
      }
    }),
  );
  const jobs = Math.floor(ROWS / 5000) + 1;
  await db.execute(
    sql.raw(`INSERT INTO batch_jobs (id, name, status, key_profile, total_rows, columns, spec)
      SELECT 'job' || j, 'Job ' || j, 'done', 'marketing', 5000, '["email"]'::jsonb, '{}'::jsonb FROM generate_series(0, ${jobs}) j`),
  );
  const filled = performance.now();
  process.stdout.write(
    `\r  ${label}: ${ROWS.toLocaleString('en-US')} rows in ${((filled - started) / 1000).toFixed(0)} s; building ${indexes.length} indexes…`,
  );
  // A partitioned table's definitions say ON ONLY (the parent alone); without it each day gets its own.
  for (const i of indexes) await db.execute(sql.raw(i.indexdef.replace(' ON ONLY ', ' ON ')));
  // What autovacuum (PostgreSQL) or the prune schedule (PGlite) does to a table in service: hint bits, visibility map, statistics.
  await db.execute(sql`VACUUM (ANALYZE) api_requests`);
  const [size] = await queryRows<{ size: string }>(
    db,
    // A partitioned table holds nothing itself: its size is its partitions'.
    sql`SELECT pg_size_pretty(pg_total_relation_size('api_requests') + coalesce((SELECT sum(pg_total_relation_size(inhrelid))
          FROM pg_inherits WHERE inhparent = 'api_requests'::regclass), 0)) AS size`,
  );
  console.log(
    `\r  ${label}: ${ROWS.toLocaleString('en-US')} rows, ${size?.size} with indexes, loaded in ${((performance.now() - started) / 1000).toFixed(0)} s (indexes ${((performance.now() - filled) / 1000).toFixed(0)} s)`,
  );
}

type Targets = {
  requestIds: string[];
  messageIds: string[];
  keys: string[];
  addresses: string[];
  ids: number[];
  cursors: string[];
};

async function pickTargets(handle: DbHandle): Promise<Targets> {
  const { db } = handle;
  const [range] = await queryRows<{ lo: string; hi: string }>(
    db,
    sql`SELECT min(id) AS lo, max(id) AS hi FROM api_requests`,
  );
  const lo = Number(range!.lo);
  const hi = Number(range!.hi);
  const ids = Array.from({ length: RUNS * 3 }, () => lo + Math.floor(Math.random() * (hi - lo + 1)));
  const rows = await queryRows<{
    id: string;
    request_id: string | null;
    message_ids: string[];
    idempotency_key: string | null;
    recipients: string[];
    cursor: string;
  }>(
    db,
    sql`SELECT id, request_id, message_ids, idempotency_key, recipients,
          to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || id AS cursor
        FROM api_requests WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[])`,
  );
  const pick = <T>(xs: (T | null | undefined)[]) =>
    xs.filter((x): x is T => x !== null && x !== undefined).slice(0, RUNS);
  return {
    requestIds: pick(rows.map((r) => r.request_id)),
    messageIds: pick(rows.map((r) => r.message_ids[Math.floor(Math.random() * r.message_ids.length)])),
    keys: pick(rows.map((r) => r.idempotency_key)),
    addresses: pick(rows.map((r) => r.recipients[Math.floor(Math.random() * r.recipients.length)])),
    ids: pick(rows.map((r) => Number(r.id))),
    cursors: pick(rows.map((r) => r.cursor)),
  };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

// PGlite runs inside this process, so the process's CPU time per query is the engine's own work,
// which a busy machine does not inflate the way it inflates wall time.
let showCpu = false;

async function time<T>(
  label: string,
  targets: T[],
  run: (t: T) => Promise<unknown>,
  targetMs?: number,
): Promise<void> {
  for (const t of targets.slice(0, 5)) await run(t); // warm-up
  const ms: number[] = [];
  const cpu: number[] = [];
  let matched = 0;
  for (const t of targets) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await run(t);
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (out && typeof out === 'object' && 'items' in out && Array.isArray(out.items) && out.items.length > 0)
      matched++;
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const p95 = pct(ms, 95);
  const verdict =
    targetMs === undefined ? '' : p95 <= targetMs ? `  ≤ ${targetMs} ms ✓` : `  > ${targetMs} ms target ✗`;
  const cpuText = showCpu
    ? `  cpu p50 ${pct(cpu, 50).toFixed(2).padStart(6)} p95 ${pct(cpu, 95).toFixed(2).padStart(6)} ms`
    : '';
  console.log(
    `  ${label.padEnd(44)} n=${String(ms.length).padStart(3)}  p50 ${pct(ms, 50).toFixed(2).padStart(7)} ms  p95 ${p95.toFixed(2).padStart(7)} ms  max ${ms.at(-1)!.toFixed(1).padStart(7)} ms${cpuText}${verdict}` +
      (matched && matched !== ms.length ? `  (${matched} with results)` : ''),
  );
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function measure(handle: DbHandle, label: string): Promise<void> {
  globalForDb.__sendmuxDb = Promise.resolve(handle);
  resetSearchCaches();
  const search = (f: RequestFilters) => searchRequests(f);
  // A console that has been up a while: code paths compiled (PGlite's WASM tiers up in the
  // background at first) and the upper index levels cached. Warm-up targets are not measured.
  const warm = await pickTargets(handle);
  const warmStarted = performance.now();
  for (let i = 0; i < 50; i++) {
    await search({ q: warm.requestIds[i] });
    await search({ q: warm.messageIds[i] });
    await search({ q: warm.keys[i] });
    await search({ q: warm.addresses[i] });
    await search({ before: warm.cursors[i] });
  }
  console.log(
    `  warm-up: 250 searches on other random targets in ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`,
  );
  const t = await pickTargets(handle);
  showCpu = handle.kind === 'pglite';
  console.log(
    `\n  ${label} — ${RUNS} runs each, random targets drawn from the table; load average ${loadAverage()} on ${os.cpus().length} CPU(s)`,
  );
  await time(
    'lookup by request_id (search box, one page)',
    t.requestIds,
    (q) => search({ q }),
    TARGET_EXACT_MS,
  );
  await time('lookup by eml_ id', t.messageIds, (q) => search({ q }), TARGET_EXACT_MS);
  await time('lookup by idempotency key', t.keys, (q) => search({ q }), TARGET_EXACT_MS);
  await time('search by address', t.addresses, (q) => search({ q }), TARGET_ADDRESS_MS);
  await time('unfiltered list, newest page', t.ids, () => search({}));
  await time('unfiltered list, page at a random cursor', t.cursors, (before) => search({ before }));
  console.log('  other reads');
  await time(
    'search by a frequent address (ops@, ~3% rows)',
    t.ids,
    () => search({ q: 'ops@example.com' }),
    TARGET_ADDRESS_MS,
  );
  await time(
    'search by an address with no match',
    t.ids,
    (i) => search({ q: `nobody${i}@example.com` }),
    TARGET_ADDRESS_MS,
  );
  await time('search by job:<id>', t.ids, (i) => search({ q: `job:job${Math.floor(i / 5000)}` }));
  await time('request_id + filter outcome=failed', t.requestIds, (q) => search({ q, outcome: 'failed' }));
  await time('filter outcome=failed, newest page', t.ids, () => search({ outcome: 'failed' }));
  await time('filter error code insufficient_credits', t.ids.slice(0, 20), () =>
    search({ errorCode: 'insufficient_credits' }),
  );
  await time('detail: findByRequestId', t.requestIds, (q) => findByRequestId(q));
  await time('detail: getRequest(id)', t.ids, (id) => getRequest(id, { role: 'admin' }));
  await time('detail: getAttempts(key, path)', t.keys, (k) =>
    getAttempts(k, k.startsWith('job:') ? '/emails/send/batch' : '/emails/send'),
  );
  await time('listFilterOptions() (uncached)', t.ids.slice(0, 20), () => {
    resetSearchCaches();
    return listFilterOptions();
  });
}

/**
 * PostgreSQL: the console's own write path (startAttempt, the Sendmux call, completeAttempt: an
 * INSERT before the call and an UPDATE after it) for BENCH_INSERT_SECONDS while one reader runs exact
 * lookups and address searches; halfway through, the oldest day partition is dropped as retention
 * would drop it. BENCH_WRITERS calls are in flight at once (400), each BENCH_CALL_MS long (50): a
 * console logging 3,000 calls a second has hundreds in flight, since each call takes tens of ms.
 * BENCH_WRITERS=8 BENCH_CALL_MS=0 is the closed loop the earlier figures used: 8 writers back to
 * back, bound by each statement's commit.
 */
async function insertsWhileSearching(handle: DbHandle): Promise<void> {
  const seconds = Number(process.env.BENCH_INSERT_SECONDS ?? 30);
  const writers = Number(process.env.BENCH_WRITERS ?? 400);
  const callMs = Number(process.env.BENCH_CALL_MS ?? 50);
  globalForDb.__sendmuxDb = Promise.resolve(handle);
  const t = await pickTargets(handle);
  let stop = false;
  let inserted = 0;
  const write = async (w: number) => {
    for (let n = 0; !stop; n++) {
      const ref = `${w}_${n}_${Date.now()}`;
      const id = await startAttempt({
        keyProfile: 'transactional',
        method: 'POST',
        path: '/emails/send',
        body: {
          from: { email: 'orders@shop.test' },
          to: { email: `writer${w}-${n}@example.com` },
          subject: 'Your order has shipped',
          html_body: '<p>Hello, your order is on its way.</p>',
        },
        context: { source: 'compose', userId: 'u1', userEmail: 'person1@console.test' },
        idempotencyKey: `bench-${ref}`,
        attempt: 1,
        waitMs: 0,
      });
      if (callMs > 0) await new Promise((resolve) => setTimeout(resolve, callMs));
      await completeAttempt(id, {
        status: 200,
        ok: true,
        requestId: `req_bench_${ref}`,
        durationMs: 80,
        responseBody: {
          ok: true,
          data: { message_id: `eml_bench_${ref}`, status: 'queued' },
          meta: { request_id: `req_bench_${ref}` },
        },
      });
      inserted++;
    }
  };
  const exact: number[] = [];
  const address: number[] = [];
  const read = async () => {
    for (let i = 0; !stop; i++) {
      const kind = i % 4;
      const q =
        kind === 0
          ? t.requestIds[i % t.requestIds.length]
          : kind === 1
            ? t.messageIds[i % t.messageIds.length]
            : kind === 2
              ? t.keys[i % t.keys.length]
              : t.addresses[i % t.addresses.length];
      const t0 = performance.now();
      await searchRequests({ q });
      (kind === 3 ? address : exact).push(performance.now() - t0);
    }
  };
  let drop = 'no day partition to drop';
  const dropOldest = async () => {
    const client = await handle.pool!.connect();
    try {
      const oldest = (await listPartitions(client, REQUEST_LOG)).find((p) => p.kind === 'day');
      if (!oldest) return;
      const pruned = await dropExpiredPartitions(client, REQUEST_LOG, oldest.to!);
      drop =
        `${pruned.droppedDays.join(', ')} (${pruned.rowsDropped.toLocaleString('en-US')} rows) dropped in ${pruned.dropMs.map((ms) => ms.toFixed(0)).join(', ')} ms` +
        (pruned.dropMs.every((ms) => ms <= TARGET_DROP_MS)
          ? `  ≤ ${TARGET_DROP_MS} ms ✓`
          : `  > ${TARGET_DROP_MS} ms target ✗`);
    } finally {
      client.release();
    }
  };
  const started = performance.now();
  const running = [...Array.from({ length: writers }, (_, w) => write(w)), read()];
  await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 2));
  await dropOldest();
  await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 2));
  stop = true;
  await Promise.all(running);
  const rate = inserted / ((performance.now() - started) / 1000);
  exact.sort((a, b) => a - b);
  address.sort((a, b) => a - b);
  console.log(
    `\n  Writing while searching — ${writers} calls in flight, each ${callMs} ms between its two writes, ${seconds} s; load average ${loadAverage()}`,
  );
  console.log(
    `  rows written (INSERT + UPDATE each)        ${inserted.toLocaleString('en-US')} = ${rate.toFixed(0)} rows/s` +
      (rate >= TARGET_INSERTS_PER_S
        ? `  ≥ ${TARGET_INSERTS_PER_S} ✓`
        : `  < ${TARGET_INSERTS_PER_S} target ✗`),
  );
  const stats = await attemptWriteStats();
  const perStatement = (x: { writes: number; items: number }) => (x.items / Math.max(1, x.writes)).toFixed(1);
  console.log(
    `  rows per statement                         INSERT ${perStatement(stats.starts)}, UPDATE ${perStatement(stats.completions)} (concurrent writes share one, lib/requests/coalesce.ts)`,
  );
  console.log(
    `  exact lookups meanwhile                    n=${exact.length}  p50 ${pct(exact, 50).toFixed(2)} ms  p95 ${pct(exact, 95).toFixed(2)} ms`,
  );
  console.log(
    `  address searches meanwhile                 n=${address.length}  p50 ${pct(address, 50).toFixed(2)} ms  p95 ${pct(address, 95).toFixed(2)} ms`,
  );
  console.log(`  oldest day partition                       ${drop}`);
}

async function withoutStatistics(handle: DbHandle): Promise<void> {
  // PGlite has no autovacuum: until the first scheduled prune analyzes the table, the planner guesses.
  await handle.db.execute(sql`DELETE FROM pg_statistic WHERE starelid = 'api_requests'::regclass`);
  resetSearchCaches();
  globalForDb.__sendmuxDb = Promise.resolve(handle);
  const t = await pickTargets(handle);
  console.log(
    `\n  PGlite before any ANALYZE (no planner statistics) — ${RUNS} runs each; load average ${loadAverage()}`,
  );
  await time('lookup by request_id', t.requestIds, (q) => searchRequests({ q }), TARGET_EXACT_MS);
  await time('lookup by eml_ id', t.messageIds, (q) => searchRequests({ q }), TARGET_EXACT_MS);
  await time('lookup by idempotency key', t.keys, (q) => searchRequests({ q }), TARGET_EXACT_MS);
  await time('search by address', t.addresses, (q) => searchRequests({ q }), TARGET_ADDRESS_MS);
  await time(
    'search by a frequent address (ops@)',
    t.ids.slice(0, 20),
    () => searchRequests({ q: 'ops@example.com' }),
    TARGET_ADDRESS_MS,
  );
  await handle.db.execute(sql`ANALYZE api_requests`);
  resetSearchCaches();
}

async function runPglite(): Promise<void> {
  // BENCH_PGLITE_DIR reuses (or keeps) a filled data directory, to measure again without refilling.
  const kept = process.env.BENCH_PGLITE_DIR;
  const dataDir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-'));
  console.log(`\nPGlite (${kept ? '' : 'temporary '}DATA_DIR ${dataDir})`);
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const [row] = await queryRows<{ n: string }>(handle.db, sql`SELECT count(*) AS n FROM api_requests`);
    if (Number(row?.n) >= ROWS)
      console.log(`  PGlite: reusing ${Number(row?.n).toLocaleString('en-US')} rows`);
    else await fill(handle, 'PGlite');
    await measure(handle, 'PGlite');
    if (process.env.BENCH_SKIP_NOSTATS !== '1') await withoutStatistics(handle);
  } finally {
    await handle.close();
    if (!kept) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runPostgres(adminUrl: string): Promise<void> {
  // BENCH_REUSE_URL measures a database a BENCH_KEEP=1 run filled, without filling it again.
  const reuse = process.env.BENCH_REUSE_URL;
  const database = reuse
    ? { name: new URL(reuse).pathname.slice(1), url: reuse, drop: async () => {} }
    : await createThrowawayDatabase(adminUrl, 'smx_bench');
  const { name } = database;
  const url = new URL(database.url);
  const [serverVersion] = await (async () => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    await c.end();
    return [r.rows[0]?.server_version];
  })();
  console.log(`\nPostgreSQL ${serverVersion} (throwaway database ${name})`);
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 10 });
  try {
    const [row] = await queryRows<{ n: string }>(handle.db, sql`SELECT count(*) AS n FROM api_requests`);
    // A reused database has lost a day to the previous run's retention phase: never refill it.
    if (reuse) console.log(`  PostgreSQL: reusing ${Number(row?.n).toLocaleString('en-US')} rows`);
    else await fill(handle, 'PostgreSQL');
    if (process.env.BENCH_FILL_ONLY !== '1') {
      if (process.env.BENCH_WRITE_ONLY !== '1') await measure(handle, 'PostgreSQL');
      await insertsWhileSearching(handle);
    }
  } finally {
    await handle.close();
    if (process.env.BENCH_KEEP === '1' || reuse) {
      console.log(`  kept database ${url.toString()}`);
      return;
    }
    await database.drop();
  }
}

async function main(): Promise<void> {
  console.log(
    `Request log benchmark: ${ROWS.toLocaleString('en-US')} rows, ${RUNS} runs per query, targets: exact lookups p95 ≤ ${TARGET_EXACT_MS} ms, address search p95 ≤ ${TARGET_ADDRESS_MS} ms`,
  );
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',');
  if (engines.includes('pglite')) await runPglite();
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!engines.includes('postgres')) return;
  if (pgUrl) await runPostgres(pgUrl);
  else
    console.log(
      '\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to a role that may CREATE DATABASE)',
    );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
