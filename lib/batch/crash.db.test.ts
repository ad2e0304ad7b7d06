import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows, type DbHandle } from '@/lib/db';
import { openDatabase } from '@/lib/db/connection';
import { resetEnvForTests } from '@/lib/env';
import { TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';
import { createTestDatabase, testEngine, type TestDatabase } from '@/lib/testing/test-db';
import { chunkIdempotencyKey } from '@/lib/mail-merge/chunking';
import { createJob } from '@/lib/batch/create-job';
import { freePort, startConsoleChild, type ConsoleChild } from '@/lib/batch/testing/child-process';
import { fixtureRows } from '@/lib/batch/testing/fixtures';
import { serveSandbox, type SandboxServer } from '@/lib/batch/testing/sandbox-server';

// Console processes (runner-child.ts) are killed with SIGKILL mid-job and restarted on the same
// database. On PGlite a child must own the data directory, so it also serves the sandbox and this
// process looks at the data only while no child runs. On PostgreSQL the children share the test
// database and this process serves the sandbox, which (like Sendmux) outlives a dying console.

const engine = testEngine();
const PROFILE = 'batch';
const globalForDb = globalThis as typeof globalThis & { __sendmuxDb?: Promise<DbHandle> };

let database: TestDatabase;
/** PGlite: a directory this file manages itself, handed to each child in turn. */
let dataDir: string | undefined;
let sandbox: SandboxServer | undefined;
let sandboxPort: number;
const children: ConsoleChild[] = [];

beforeAll(async () => {
  if (engine === 'pglite') {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-crash-'));
    database = await openDatabase({ kind: 'pglite', dataDir });
  } else database = await createTestDatabase();
  globalForDb.__sendmuxDb = Promise.resolve(database);
  sandboxPort = engine === 'postgres' ? (sandbox = await serveSandbox()).port : await freePort();
  vi.stubEnv('SANDBOX_API_KEY', TEST_SANDBOX_KEY);
  vi.stubEnv('SENDMUX_KEYS', `${PROFILE}=${TEST_SANDBOX_KEY}`);
  vi.stubEnv('SENDMUX_API_URL', `http://127.0.0.1:${sandboxPort}/sandbox/api/v1`);
  vi.stubEnv('SANDBOX_RATE_LIMIT', '60000');
  resetEnvForTests();
});

afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL');
  await sandbox?.close();
  globalForDb.__sendmuxDb = undefined;
  await database.close().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
  resetEnvForTests();
});

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    BATCH_LEASE_SECONDS: '5',
    BATCH_WORKERS: '4',
    SANDBOX_API_KEY: TEST_SANDBOX_KEY,
    SENDMUX_KEYS: `${PROFILE}=${TEST_SANDBOX_KEY}`,
    SENDMUX_API_URL: `http://127.0.0.1:${sandboxPort}/sandbox/api/v1`,
    SANDBOX_RATE_LIMIT: '60000',
  };
  if (engine === 'postgres') env.DATABASE_URL = database.url;
  else {
    delete env.DATABASE_URL;
    env.DATA_DIR = dataDir;
  }
  return env;
}

async function startChild(options: { exitWhenDone?: string } = {}): Promise<ConsoleChild> {
  const child = await startConsoleChild(childEnv(), {
    runBatch: true,
    sandboxPort: engine === 'pglite' ? sandboxPort : undefined,
    ...options,
  });
  children.push(child);
  return child;
}

async function kill(child: ConsoleChild): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}

/** PGlite: the parent hands the directory to a child (and takes it back) by closing and reopening. */
async function releaseDatabase(): Promise<void> {
  if (engine === 'postgres') return;
  await database.close();
}
async function retakeDatabase(): Promise<void> {
  if (engine === 'postgres' || !dataDir) return;
  database = await openDatabase({ kind: 'pglite', dataDir });
  globalForDb.__sendmuxDb = Promise.resolve(database);
}

async function waitForDone(jobId: string, last: ConsoleChild): Promise<void> {
  if (engine === 'pglite') {
    expect(await last.exited).toBe(0);
    return;
  }
  for (let i = 0; i < 1200; i++) {
    const [job] = await queryRows<{ status: string }>(
      database.db,
      sql`SELECT status FROM batch_jobs WHERE id = ${jobId}`,
    );
    if (job?.status === 'done') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the job did not finish');
}

type Row = { row_no: number; status: string; message_id: string | null; idempotency_key: string };

async function deliveries(tag: string): Promise<Map<string, { id: string; key: string | null }[]>> {
  const rows = await queryRows<{ subject: string; id: string; idempotency_key: string | null }>(
    database.db,
    sql`SELECT subject, id, idempotency_key FROM sandbox_messages WHERE subject LIKE ${`${tag} row %`}`,
  );
  const out = new Map<string, { id: string; key: string | null }[]>();
  for (const r of rows)
    out.set(r.subject, [...(out.get(r.subject) ?? []), { id: r.id, key: r.idempotency_key }]);
  return out;
}

/** Every row queued, delivered exactly once, and the id the row holds is the message Sendmux stored. */
async function expectExactlyOnce(jobId: string, tag: string, total: number): Promise<void> {
  const rows = await queryRows<Row>(
    database.db,
    sql`SELECT row_no, status, message_id, idempotency_key FROM batch_rows WHERE job_id = ${jobId} ORDER BY row_no`,
  );
  const delivered = await deliveries(tag);
  expect(rows).toHaveLength(total);
  expect(delivered.size).toBe(total);
  for (const row of rows) {
    expect(row.status, `row ${row.row_no}`).toBe('queued');
    expect(delivered.get(`${tag} row ${row.row_no}`), `row ${row.row_no}`).toEqual([
      { id: row.message_id, key: row.idempotency_key },
    ]);
  }
}

/** 12 chunks of 100, each with one slow row so that chunks are in flight when the kill lands. */
function crashRows(tag: string, total: number) {
  const slow: Record<number, string> = {};
  for (let i = 50; i <= total; i += 100) slow[i] = 'slow+400';
  return fixtureRows(tag, total, slow);
}

describe(`batch runner processes (${engine})`, () => {
  it(
    'kill -9 mid-job, twice, then restart: every row is delivered exactly once and every row is queued',
    { timeout: 180_000 },
    async () => {
      const tag = 'crash';
      const total = 1200;
      const { jobId } = await createJob({
        name: tag,
        profile: PROFILE,
        user: null,
        columns: ['email', 'name'],
        rows: crashRows(tag, total),
        spec: {},
      });
      await releaseDatabase();

      const first = await startChild();
      await first.settled(3);
      await kill(first);
      const second = await startChild();
      await second.settled(3);
      await kill(second);
      const last = await startChild({ exitWhenDone: jobId });
      await waitForDone(jobId, last);
      if (engine === 'postgres') await kill(last);
      await retakeDatabase();

      await expectExactlyOnce(jobId, tag, total);
      const chunks = await queryRows<{ chunk_no: number; status: string; sends: number }>(
        database.db,
        sql`SELECT chunk_no, status, sends FROM batch_chunks WHERE job_id = ${jobId} ORDER BY chunk_no`,
      );
      expect(chunks.map((c) => c.status)).toEqual(Array(12).fill('done'));
      // The kills landed while chunks were out: those were sent again under their same keys.
      expect(chunks.some((c) => c.sends >= 2)).toBe(true);
      const attempts = await queryRows<{ key: string; n: number }>(
        database.db,
        sql`SELECT idempotency_key AS key, count(*)::int AS n FROM api_requests WHERE job_id = ${jobId} GROUP BY idempotency_key`,
      );
      expect(attempts.map((a) => a.key).sort()).toEqual(
        Array.from({ length: 12 }, (_, n) => chunkIdempotencyKey(jobId, n, 1)).sort(),
      );
    },
  );

  it(
    'SIGTERM mid-job drains (in-flight chunks finish, the rest are given back, exit 0); a restart finishes the job: nothing lost, nothing sent twice',
    { timeout: 180_000 },
    async () => {
      const tag = 'drain';
      const total = 1200;
      const { jobId } = await createJob({
        name: tag,
        profile: PROFILE,
        user: null,
        columns: ['email', 'name'],
        rows: crashRows(tag, total),
        spec: {},
      });
      await releaseDatabase();

      const first = await startChild();
      await first.settled(3);
      first.process.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      // Every chunk the drained process claimed is recorded or back to pending: none is left
      // 'sending' under its lease for another instance to wait out.
      await retakeDatabase();
      const afterDrain = await queryRows<{ status: string; n: number; owned: number }>(
        database.db,
        sql`SELECT status, count(*)::int AS n, count(*) FILTER (WHERE lease_expires_at IS NOT NULL)::int AS owned
            FROM batch_chunks WHERE job_id = ${jobId} GROUP BY status`,
      );
      expect(afterDrain.find((r) => r.status === 'sending')).toBeUndefined();
      expect(afterDrain.every((r) => r.owned === 0)).toBe(true);
      const doneAtDrain = afterDrain.find((r) => r.status === 'done')?.n ?? 0;
      expect(doneAtDrain).toBeGreaterThanOrEqual(3);
      expect(doneAtDrain).toBeLessThan(12);
      await releaseDatabase();

      const last = await startChild({ exitWhenDone: jobId });
      await waitForDone(jobId, last);
      if (engine === 'postgres') await kill(last);
      await retakeDatabase();

      await expectExactlyOnce(jobId, tag, total);
      // The drain sent nothing twice: no chunk needed a second send, not even a replay.
      const chunks = await queryRows<{ status: string; sends: number }>(
        database.db,
        sql`SELECT status, sends FROM batch_chunks WHERE job_id = ${jobId}`,
      );
      expect(chunks).toHaveLength(12);
      expect(chunks.every((c) => c.status === 'done' && c.sends === 1)).toBe(true);
      const attempts = await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM api_requests WHERE job_id = ${jobId}`,
      );
      expect(attempts[0]!.n).toBe(12);
    },
  );

  it.skipIf(engine === 'pglite')(
    'two console processes share one job on PostgreSQL: all chunks done, none sent by both',
    { timeout: 180_000 },
    async () => {
      const [a, b] = await Promise.all([startChild(), startChild()]);
      const tag = 'pair';
      const total = 4000;
      const slow: Record<number, string> = {};
      for (let i = 1; i <= total; i += 100) slow[i] = 'slow+150';
      const { jobId } = await createJob({
        name: tag,
        profile: PROFILE,
        user: null,
        columns: ['email', 'name'],
        rows: fixtureRows(tag, total, slow),
        spec: {},
      });
      await waitForDone(jobId, a);
      await Promise.all([kill(a), kill(b)]);

      await expectExactlyOnce(jobId, tag, total);
      const chunks = await queryRows<{
        chunk_no: number;
        status: string;
        sends: number;
        lease_owner: string;
      }>(
        database.db,
        sql`SELECT chunk_no, status, sends, lease_owner FROM batch_chunks WHERE job_id = ${jobId} ORDER BY chunk_no`,
      );
      expect(chunks).toHaveLength(40);
      expect(chunks.every((c) => c.status === 'done' && c.sends === 1)).toBe(true);
      // Every upstream attempt, from either process, is in api_requests: one per chunk key means no
      // chunk went out twice, whoever sent it.
      const attempts = await queryRows<{ key: string; n: number }>(
        database.db,
        sql`SELECT idempotency_key AS key, count(*)::int AS n FROM api_requests WHERE job_id = ${jobId} GROUP BY idempotency_key`,
      );
      expect(attempts).toHaveLength(40);
      expect(attempts.every((x) => x.n === 1)).toBe(true);
      // Both processes took part: each settled chunk names the worker that sent it.
      const owners = new Set(chunks.map((c) => c.lease_owner));
      expect(owners).toEqual(new Set([a.worker, b.worker]));
    },
  );
});
