// Why one long file: the job runner end to end against one sandbox server and database set up once.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '@/lib/db';
import { resetEnvForTests } from '@/lib/env';
import { clearFaults } from '@/lib/sandbox/faults';
import { resetSandboxRateLimit } from '@/lib/sandbox/rate-limit';
import { TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';
import { sendBatch } from '@/lib/sendmux/operations';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { chunkIdempotencyKey } from '@/lib/mail-merge/chunking';
import { createJob } from '@/lib/batch/create-job';
import { cancelJob, pauseJob, resumeJob, retryFailedRows } from '@/lib/batch/job-controls';
import {
  countJobRows,
  exportRows,
  failedRowsNeedingChange,
  getJobProgress,
  jobErrorCodes,
  listJobRows,
  listJobs,
} from '@/lib/batch/job-queries';
import { sendManualBatch } from '@/lib/batch/manual';
import { BatchRunner, type ChunkEvent } from '@/lib/batch/runner';
import { fixtureMessage, fixtureRows } from '@/lib/batch/testing/fixtures';
import { attemptsOf, outboxBySubject, storedRows, waitForJob } from '@/lib/batch/testing/harness';
import { serveSandbox, type SandboxServer } from '@/lib/batch/testing/sandbox-server';

const getDatabase = useTestDatabase();
const PROFILE = 'batch';
const user = { id: 'usr_test', email: 'operator@example.com' };
let sandbox: SandboxServer;
let runner: BatchRunner | undefined;
const events: ChunkEvent[] = [];

beforeAll(async () => {
  sandbox = await serveSandbox();
  vi.stubEnv('SANDBOX_API_KEY', TEST_SANDBOX_KEY);
  vi.stubEnv('SENDMUX_KEYS', `${PROFILE}=${TEST_SANDBOX_KEY}`);
  vi.stubEnv('SENDMUX_API_URL', sandbox.apiUrl);
  vi.stubEnv('SANDBOX_RATE_LIMIT', '60000');
  resetEnvForTests();
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  clearFaults();
  await resetSandboxRateLimit();
});

afterAll(async () => {
  await sandbox.close();
  vi.unstubAllEnvs();
  resetEnvForTests();
});

async function startRunner(workers = 4): Promise<BatchRunner> {
  runner = new BatchRunner({ workers, leaseSeconds: 5, pollMs: 50, onChunk: (e) => events.push(e) });
  await runner.start();
  return runner;
}

const job = (tag: string, count: number, special: Record<number, string> = {}) =>
  createJob({
    name: tag,
    profile: PROFILE,
    user,
    columns: ['email', 'name'],
    rows: fixtureRows(tag, count, special),
    spec: { tag },
  });

const db = () => getDatabase().db;

describe(`batch runner against the sandbox (${testEngine()})`, () => {
  const tag = 'scn';
  let jobId = '';

  it('sends 250 rows: exactly the scenario rows fail with their codes, the rest are queued once, a 503 chunk is retried under its same key', async () => {
    const created = await job(tag, 250, {
      7: 'fail+insufficient_credits',
      120: 'fail+insufficient_credits',
      200: 'fail+validation_error',
      230: 'flaky+503',
    });
    jobId = created.jobId;
    expect(created).toMatchObject({ totalRows: 250, chunkCount: 3 });
    expect(jobId).toMatch(/^[a-z0-9]{12}$/);
    await startRunner();
    const progress = await waitForJob(jobId);

    expect(progress.job.status).toBe('done');
    expect(progress.rows).toMatchObject({
      total: 250,
      queued: 247,
      failed: 3,
      pending: 0,
      sending: 0,
      cancelled: 0,
    });
    expect(progress.chunks).toMatchObject({ total: 3, done: 3 });

    const rows = await storedRows(jobId);
    const outbox = await outboxBySubject(tag);
    for (let i = 1; i <= 250; i++) {
      const row = rows.get(i)!;
      const chunkNo = Math.floor((i - 1) / 100);
      expect(row.idempotency_key).toBe(chunkIdempotencyKey(jobId, chunkNo, 1));
      if (i === 7 || i === 120) {
        expect(row).toMatchObject({ status: 'failed', error_code: 'insufficient_credits', message_id: null });
        expect(outbox.get(`${tag} row ${i}`)).toBeUndefined();
      } else if (i === 200) {
        expect(row).toMatchObject({ status: 'failed', error_code: 'validation_error' });
        expect(row.error_fields?.[0]?.field).toBe('to.email');
        expect(outbox.get(`${tag} row ${i}`)).toBeUndefined();
      } else {
        expect(row.status, `row ${i}`).toBe('queued');
        expect(row.request_id).toMatch(/^req_/);
        // Exactly once, and the id the row holds is the message the sandbox stored.
        expect(outbox.get(`${tag} row ${i}`)).toEqual({
          count: 1,
          ids: [row.message_id],
          keys: [row.idempotency_key],
        });
      }
    }
    expect(outbox.size).toBe(247);

    const attempts = await attemptsOf(jobId);
    const byKey = (n: number) =>
      attempts.filter((a) => a.idempotency_key === chunkIdempotencyKey(jobId, n, 1));
    expect(byKey(0).map((a) => a.status)).toEqual([200]);
    expect(byKey(1).map((a) => a.status)).toEqual([200]);
    // The flaky row's chunk: one 503 for the whole request, then the same key again, delivered once.
    expect(byKey(2).map((a) => [a.status, a.error_code])).toEqual([
      [503, 'service_unavailable'],
      [200, null],
    ]);
    expect(rows.get(230)!.request_id).toBe(byKey(2)[1]!.request_id);
    const [chunk2] = await queryRows<{ sends: number; status: string }>(
      db(),
      sql`SELECT sends, status FROM batch_chunks WHERE job_id = ${jobId} AND chunk_no = 2`,
    );
    expect(chunk2).toEqual({ sends: 2, status: 'done' });
  });

  it('answers the job page queries: rows by status, error code and address, error codes, export', async () => {
    const failed = await listJobRows(jobId, { status: 'failed' });
    expect(failed.rows.map((r) => r.rowNo)).toEqual([7, 120, 200]);
    expect(failed.nextCursor).toBeNull();
    const credits = await listJobRows(jobId, { errorCode: 'insufficient_credits' });
    expect(credits.rows.map((r) => r.rowNo)).toEqual([7, 120]);
    const byAddress = await listJobRows(jobId, { q: 'ROW-12+' });
    expect(byAddress.rows.map((r) => r.rowNo)).toEqual([12]);
    const page1 = await listJobRows(jobId, { limit: 100 });
    const page2 = await listJobRows(jobId, { limit: 100, cursor: page1.nextCursor ?? undefined });
    expect(page1.rows.at(-1)?.rowNo).toBe(100);
    expect(page2.rows[0]?.rowNo).toBe(101);
    expect(await countJobRows(jobId, { status: 'queued' })).toBe(247);
    expect(await jobErrorCodes(jobId)).toEqual([
      expect.objectContaining({ code: 'insufficient_credits', count: 2, needsChange: false }),
      expect.objectContaining({ code: 'validation_error', count: 1, needsChange: true }),
    ]);
    const exported = [];
    for await (const row of exportRows(jobId, 64)) exported.push(row);
    expect(exported.map((r) => r.rowNo)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(exported[6]).toMatchObject({
      status: 'failed',
      errorCode: 'insufficient_credits',
      input: { name: 'Row 7' },
    });
    const listed = await listJobs();
    expect(listed.find((j) => j.id === jobId)?.rows).toMatchObject({ queued: 247, failed: 3 });
  });

  it('retries only the failed rows a re-send can fix, under try:2 keys; queued rows are never sent again', async () => {
    const before = await attemptsOf(jobId);
    const result = await retryFailedRows(jobId, user);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data).toMatchObject({ try: 2, retriedRows: 2, chunks: 1, reopenedChunks: 0 });
    expect(result.data.needsChange).toEqual([
      expect.objectContaining({
        code: 'validation_error',
        count: 1,
        rows: [expect.objectContaining({ rowNo: 200, csvLine: 201 })],
      }),
    ]);
    expect(result.data.needsChange[0]?.action).toMatch(/Correct the listed fields/);

    await startRunner();
    const progress = await waitForJob(jobId);
    expect(progress.job).toMatchObject({ status: 'done', currentTry: 2 });

    const attempts = (await attemptsOf(jobId)).slice(before.length);
    // One new request, under the new key, holding exactly the two retried rows.
    expect(attempts.map((a) => a.idempotency_key)).toEqual([chunkIdempotencyKey(jobId, 0, 2)]);
    expect(attempts[0]!.message_count).toBe(2);
    expect(attempts[0]!.recipients.sort()).toEqual(
      [
        'fail+insufficient_credits+row-7+scn@example.com',
        'fail+insufficient_credits+row-120+scn@example.com',
      ].sort(),
    );
    const rows = await storedRows(jobId);
    for (const i of [7, 120]) {
      expect(rows.get(i)).toMatchObject({
        status: 'failed',
        error_code: 'insufficient_credits',
        try: 2,
        idempotency_key: chunkIdempotencyKey(jobId, 0, 2),
      });
    }
    expect(rows.get(200)).toMatchObject({ status: 'failed', error_code: 'validation_error', try: 1 });
    const outbox = await outboxBySubject(tag);
    expect(outbox.size).toBe(247);
    expect([...outbox.values()].every((e) => e.count === 1)).toBe(true);
    expect(await failedRowsNeedingChange(jobId)).toHaveLength(1);
  });

  it('fails a chunk as a whole for a non-retryable whole-request error, with 422 field errors on the right rows', async () => {
    const credits = await job('w402', 3, { 1: 'fail+402', 2: 'fail+402', 3: 'fail+402' });
    const invalid = await job('w422', 3, {
      1: 'fail+validation_error',
      2: 'fail+validation_error',
      3: 'fail+validation_error',
    });
    await startRunner();
    await waitForJob(credits.jobId);
    await waitForJob(invalid.jobId);

    const a = await storedRows(credits.jobId);
    expect([...a.values()].map((r) => [r.status, r.error_code])).toEqual(
      Array(3).fill(['failed', 'insufficient_credits']),
    );
    const b = await storedRows(invalid.jobId);
    for (const [i, r] of b) {
      expect(r).toMatchObject({ status: 'failed', error_code: 'validation_error' });
      // The 422 names messages.<i>.to.email; each row gets its own field, relative to its message.
      expect(r.error_fields).toEqual([expect.objectContaining({ field: 'to.email' })]);
      expect(r.error_message).toContain(`row-${i}+w422`);
    }
    const [chunk] = await queryRows<{ status: string; last_error_code: string; sends: number }>(
      db(),
      sql`SELECT status, last_error_code, sends FROM batch_chunks WHERE job_id = ${invalid.jobId}`,
    );
    expect(chunk).toEqual({ status: 'failed', last_error_code: 'validation_error', sends: 1 });
    expect((await attemptsOf(invalid.jobId)).map((x) => x.status)).toEqual([422]);
    expect(await outboxBySubject('w402')).toEqual(new Map());
  });

  it('pause stops claiming (a chunk in flight finishes), resume carries on to done', async () => {
    // Row 1 is slow so that chunk 0 is in flight when the pause lands; one worker sends one chunk at a time.
    const { jobId: id } = await job('pau', 400, { 1: 'slow+1500' });
    await startRunner(1);
    await waitForJob(id, (p) => p.chunks.sending === 1);
    expect((await pauseJob(id, user)).ok).toBe(true);
    expect(await pauseJob(id, user)).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    const paused = await waitForJob(id, (p) => p.chunks.sending === 0);
    expect(paused.job.status).toBe('paused');
    expect(paused.rows).toMatchObject({ queued: 100, pending: 300 });
    // Several poll rounds later nothing more has been claimed.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await getJobProgress(id))!.rows).toMatchObject({ queued: 100, pending: 300 });
    expect((await outboxBySubject('pau')).size).toBe(100);

    expect((await resumeJob(id, user)).ok).toBe(true);
    const done = await waitForJob(id);
    expect(done.job.status).toBe('done');
    expect(done.rows).toMatchObject({ queued: 400, failed: 0 });
    const outbox = await outboxBySubject('pau');
    expect(outbox.size).toBe(400);
    expect([...outbox.values()].every((e) => e.count === 1)).toBe(true);
  });

  it('cancel: pending chunks and rows are cancelled, the chunk in flight still records its queued rows', async () => {
    const { jobId: id } = await job('can', 350, { 1: 'slow+1500' });
    await startRunner(1);
    await waitForJob(id, (p) => p.chunks.sending === 1);
    const cancelled = await cancelJob(id, user);
    expect(cancelled).toMatchObject({ ok: true, data: { status: 'cancelled' } });
    const final = await waitForJob(id, (p) => p.chunks.sending === 0 && p.chunks.pending === 0);
    expect(final.job.status).toBe('cancelled');
    expect(final.rows).toMatchObject({ queued: 100, cancelled: 250, failed: 0, pending: 0 });
    expect(final.chunks).toMatchObject({ done: 1, cancelled: 3 });
    const rows = await storedRows(id);
    expect(rows.get(100)?.status).toBe('queued');
    expect(rows.get(101)?.status).toBe('cancelled');
    expect((await outboxBySubject('can')).size).toBe(100);
    expect(await resumeJob(id, user)).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(await retryFailedRows(id, user)).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
  });

  it('re-sends a chunk whose worker died under its SAME key: Sendmux replays, nothing is delivered twice', async () => {
    const { jobId: id } = await job('lease', 200);
    // A "dead" worker sent chunk 0 (Sendmux stored it) and died before recording the results.
    const [c0] = await queryRows<{ row_nos: number[] }>(
      db(),
      sql`SELECT row_nos FROM batch_chunks WHERE job_id = ${id} AND chunk_no = 0`,
    );
    const messages = fixtureRows('lease', 200)
      .slice(0, 100)
      .map((r) => r.message);
    expect(c0!.row_nos).toHaveLength(100);
    const first = await sendBatch(PROFILE, messages, {
      idempotencyKey: chunkIdempotencyKey(id, 0, 1),
      context: { source: 'batch', jobId: id, chunkNo: 0 },
    });
    expect(first.ok).toBe(true);
    await db()
      .execute(sql`UPDATE batch_chunks SET status = 'sending', lease_owner = 'dead:1:aaaaaa', sends = 1,
      lease_expires_at = now() - interval '1 minute' WHERE job_id = ${id} AND chunk_no = 0`);
    // Chunk 1 is held by a live worker elsewhere (only possible on PostgreSQL).
    await db()
      .execute(sql`UPDATE batch_chunks SET status = 'sending', lease_owner = 'alive:2:bbbbbb', sends = 1,
      lease_expires_at = now() + interval '1 hour' WHERE job_id = ${id} AND chunk_no = 1`);

    const r = await startRunner();
    if (testEngine() === 'postgres') {
      const p = await waitForJob(id, (x) => x.chunks.done === 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [held] = await queryRows<{ status: string; lease_owner: string }>(
        db(),
        sql`SELECT status, lease_owner FROM batch_chunks WHERE job_id = ${id} AND chunk_no = 1`,
      );
      // A live lease is never stolen.
      expect(held).toEqual({ status: 'sending', lease_owner: 'alive:2:bbbbbb' });
      expect(p.job.status).toBe('running');
      await db().execute(
        sql`UPDATE batch_chunks SET lease_expires_at = now() - interval '1 second' WHERE job_id = ${id} AND chunk_no = 1`,
      );
    }
    // On PGlite (one process per data dir) every lease left at start-up is reclaimed at once.
    const done = await waitForJob(id);
    expect(done.rows).toMatchObject({ queued: 200, failed: 0 });

    const chunks = await queryRows<{ chunk_no: number; sends: number; lease_owner: string }>(
      db(),
      sql`SELECT chunk_no, sends, lease_owner FROM batch_chunks WHERE job_id = ${id} ORDER BY chunk_no`,
    );
    expect(chunks).toEqual([
      { chunk_no: 0, sends: 2, lease_owner: r.workerId },
      { chunk_no: 1, sends: 2, lease_owner: r.workerId },
    ]);
    const rows = await storedRows(id);
    const outbox = await outboxBySubject('lease');
    expect(outbox.size).toBe(200);
    for (let i = 1; i <= 200; i++) expect(outbox.get(`lease row ${i}`)?.count).toBe(1);
    // The replay gave the runner the ids of the first send.
    const firstIds = first.ok ? first.data.results.map((x) => (x.ok ? x.messageId : null)) : [];
    expect(firstIds).toHaveLength(100);
    for (let i = 0; i < 100; i++) expect(rows.get(i + 1)?.message_id).toBe(firstIds[i]);
  });
});

describe(`manual batch (${testEngine()})`, () => {
  it('sends up to 100 messages in one request and answers per index; the same key replays', async () => {
    const messages = [
      fixtureMessage('man', 1),
      fixtureMessage('man', 2, 'fail+insufficient_credits+man@example.com'),
      fixtureMessage('man', 3),
    ];
    const first = await sendManualBatch({
      profile: PROFILE,
      user,
      messages,
      idempotencyKey: 'manual-test-1',
    });
    expect(first).toMatchObject({ ok: true, data: { summary: { total: 3, queued: 2, failed: 1 } } });
    if (!first.ok) return;
    expect(first.data.results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    expect(first.data.results[1]).toMatchObject({
      ok: false,
      error: { code: 'insufficient_credits', title: 'Not enough credits' },
    });
    const again = await sendManualBatch({
      profile: PROFILE,
      user,
      messages,
      idempotencyKey: 'manual-test-1',
    });
    expect(again.ok && again.data.results.map((r) => (r.ok ? r.messageId : null))).toEqual(
      first.data.results.map((r) => (r.ok ? r.messageId : null)),
    );
    expect([...(await outboxBySubject('man')).values()].map((e) => e.count)).toEqual([1, 1]);
    const [logged] = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM api_requests WHERE idempotency_key = 'manual-test-1' AND source = 'manual_batch'`,
    );
    expect(logged?.n).toBe(2);
  });

  it('puts a whole-request 422 onto the messages its field errors name', async () => {
    const messages = [1, 2].map((i) =>
      fixtureMessage('man422', i, `fail+validation_error+m${i}@example.com`),
    );
    const result = await sendManualBatch({
      profile: PROFILE,
      user,
      messages,
      idempotencyKey: 'manual-test-2',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_error', retryable: false } });
    expect(
      (result.ok ? [] : (result.results ?? [])).map((r) =>
        r.ok ? null : r.error.fields.map((f) => f.field),
      ),
    ).toEqual([['to.email'], ['to.email']]);
  });
});
