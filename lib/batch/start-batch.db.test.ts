import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/lib/db';
import { resetEnvForTests } from '@/lib/env';
import { resetSandboxRateLimit } from '@/lib/sandbox/rate-limit';
import { TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { BatchRunner } from '@/lib/batch/runner';
import { DuplicateUploadError, openJob } from '@/lib/batch/create-job';
import { randomId } from '@/lib/ids';
import { startBatchFromStream, type StartBatchOptions } from '@/lib/batch/start-batch';
import { waitForJob } from '@/lib/batch/testing/harness';
import { serveSandbox, type SandboxServer } from '@/lib/batch/testing/sandbox-server';
import type { StartBatchRequest } from '@/lib/schemas/batch';

// A CSV upload read as a stream (what POST /api/batches hands lib/batch/start-batch.ts): every row
// stored, sending started while the rest is read, and refusals before anything is stored.

const getDatabase = useTestDatabase();
const ENV = ['SANDBOX_API_KEY', 'SENDMUX_KEYS', 'SENDMUX_API_URL', 'SANDBOX_RATE_LIMIT'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
const PROFILE = 'batch';
const user = { id: 'usr_test', email: 'operator@example.com' };
let sandbox: SandboxServer;
let runner: BatchRunner | undefined;

beforeAll(async () => {
  sandbox = await serveSandbox();
  process.env.SANDBOX_API_KEY = TEST_SANDBOX_KEY;
  process.env.SENDMUX_KEYS = `${PROFILE}=${TEST_SANDBOX_KEY}`;
  process.env.SENDMUX_API_URL = sandbox.apiUrl;
  process.env.SANDBOX_RATE_LIMIT = '600000';
  resetEnvForTests();
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  await resetSandboxRateLimit();
});

afterAll(async () => {
  await sandbox.close();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvForTests();
});

const db = () => getDatabase().db;

function request(name: string, excludedLines: number[] = []): StartBatchRequest & { user: typeof user } {
  return {
    name,
    profile: PROFILE,
    delimiter: ',',
    encoding: 'utf-8',
    user,
    spec: {
      fields: {
        toEmail: { kind: 'column', column: 'email' },
        fromEmail: { kind: 'fixed', value: 'sandbox@sendmux.test' },
      },
      headers: [],
      subject: '{{tag}} row {{n}}',
      htmlBody: '<p>Hello {{name}}</p>',
      textBody: '',
      attachments: [],
      excludedLines,
    },
  };
}

/** Row i (1-based) of a generated file; its CSV line is i + 1. A few names are not ASCII. */
const line = (tag: string, i: number, email = `row-${i}+${tag}@example.com`) =>
  `${email},Zoë ${i},${tag},${i}\n`;

/**
 * The file as a stream of byte pieces of an odd size (pieces end inside multi-byte characters
 * and inside lines), made as it is read; `pause` runs before the piece holding row `pauseAt`.
 */
async function* csvBytes(
  tag: string,
  rows: number,
  opts: { bad?: Record<number, string>; pauseAt?: number; pause?: () => Promise<void> } = {},
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const PIECE = 65_537;
  let buffered = encoder.encode('email,name,tag,n\n');
  let paused = false;
  for (let i = 1; i <= rows; i++) {
    const text = line(tag, i, opts.bad?.[i]);
    const bytes = encoder.encode(text);
    const joined = new Uint8Array(buffered.length + bytes.length);
    joined.set(buffered);
    joined.set(bytes, buffered.length);
    buffered = joined;
    if (!paused && opts.pauseAt !== undefined && i >= opts.pauseAt) {
      paused = true;
      yield buffered;
      buffered = new Uint8Array(0);
      await opts.pause?.();
    }
    while (buffered.length >= PIECE) {
      yield buffered.subarray(0, PIECE);
      buffered = buffered.slice(PIECE);
    }
  }
  if (buffered.length) yield buffered;
}

async function jobsNamed(name: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db(),
    sql`SELECT count(*)::int AS n FROM batch_jobs WHERE name = ${name}`,
  );
  return Number(row!.n);
}

async function rowsOf(jobId: string) {
  return queryRows<{ row_no: number; csv_line: number; to_email: string; chunk_no: number; name: string }>(
    db(),
    sql`SELECT row_no, csv_line, to_email, chunk_no, input->>'name' AS name FROM batch_rows
        WHERE job_id = ${jobId} ORDER BY row_no`,
  );
}

describe(`streamed CSV upload (${testEngine()})`, () => {
  it('stores every row of a large file in order, in chunks of 100, while the runner sends the first ones', async () => {
    const tag = 'big';
    const ROWS = 20_000;
    const excluded = [5, 1_001, 19_999];
    runner = new BatchRunner({ workers: 4, leaseSeconds: 5, pollMs: 50 });
    await runner.start();
    let sentWhileLoading = 0;
    let jobDuringPause: { status: string; loading: boolean } | undefined;
    const options: StartBatchOptions = { holdRows: 2_000, batchRows: 2_000 };
    const result = await startBatchFromStream(
      request('stream big', excluded),
      csvBytes(tag, ROWS, {
        pauseAt: 8_000,
        // Halfway through the file, wait until what is stored has gone out: the job must not be
        // finished while its upload is still being read.
        pause: async () => {
          const deadline = Date.now() + 30_000;
          for (;;) {
            const [state] = await queryRows<{ status: string; loading: boolean; open: number; sent: number }>(
              db(),
              sql`SELECT j.status, j.loading_until IS NOT NULL AS loading,
                    (SELECT count(*)::int FROM batch_chunks c WHERE c.job_id = j.id AND c.status IN ('pending', 'sending')) AS open,
                    (SELECT count(*)::int FROM batch_rows r WHERE r.job_id = j.id AND r.status = 'queued') AS sent
                  FROM batch_jobs j WHERE j.name = 'stream big'`,
            );
            if (state && Number(state.open) === 0 && Number(state.sent) > 0) {
              sentWhileLoading = Number(state.sent);
              await new Promise((r) => setTimeout(r, 300));
              const [again] = await queryRows<{ status: string; loading: boolean }>(
                db(),
                sql`SELECT status, loading_until IS NOT NULL AS loading FROM batch_jobs WHERE name = 'stream big'`,
              );
              jobDuringPause = again;
              return;
            }
            if (Date.now() > deadline)
              throw new Error(`nothing was sent while loading: ${JSON.stringify(state)}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
      }),
      options,
    );
    expect(result).toMatchObject({ ok: true, data: { rows: ROWS - excluded.length } });
    if (!result.ok) return;
    expect(sentWhileLoading).toBeGreaterThan(0);
    expect(jobDuringPause).toEqual({ status: 'running', loading: true });

    const rows = await rowsOf(result.data.jobId);
    expect(rows).toHaveLength(ROWS - excluded.length);
    const expectedRows = Array.from({ length: ROWS }, (_, k) => k + 1).filter(
      (i) => !excluded.includes(i + 1),
    );
    rows.forEach((r, k) => {
      const i = expectedRows[k]!;
      expect(Number(r.row_no)).toBe(k + 1);
      expect(Number(r.csv_line)).toBe(i + 1);
      expect(r.to_email).toBe(`row-${i}+${tag}@example.com`);
      expect(r.name).toBe(`Zoë ${i}`);
      expect(Number(r.chunk_no)).toBe(Math.floor(k / 100));
    });
    const [chunks] = await queryRows<{ n: number; rows: number }>(
      db(),
      sql`SELECT count(*)::int AS n, sum(cardinality(row_nos))::int AS rows FROM batch_chunks WHERE job_id = ${result.data.jobId}`,
    );
    expect(chunks).toEqual({ n: Math.ceil((ROWS - excluded.length) / 100), rows: ROWS - excluded.length });

    const progress = await waitForJob(result.data.jobId, undefined, 120_000);
    expect(progress.job).toMatchObject({ status: 'done', totalRows: ROWS - excluded.length });
    expect(progress.rows).toMatchObject({ queued: ROWS - excluded.length, failed: 0, pending: 0 });
  }, 240_000);

  it('after its first batch, the upload waits for the first chunk to go out before it stores more', async () => {
    let stored = 0;
    const events: string[] = [];
    runner = new BatchRunner({
      workers: 2,
      leaseSeconds: 5,
      pollMs: 50,
      onChunk: (e) => {
        if ((e.outcome === 'done' || e.outcome === 'failed') && !events.some((x) => x.startsWith('chunk')))
          events.push(`chunk ${e.chunkNo} ${e.outcome} at ${stored}`);
      },
    });
    await runner.start();
    const result = await startBatchFromStream(request('first chunk first', []), csvBytes('first', 6_000), {
      holdRows: 3_000,
      batchRows: 1_000,
      // Long enough never to time out on a busy machine: the order is what is tested here.
      firstChunkWaitMs: 60_000,
      onStored: (n) => {
        stored = n;
        events.push(`stored ${n}`);
      },
    });
    expect(result).toMatchObject({ ok: true, data: { rows: 6_000 } });
    // The first batch (1,000 rows, 10 chunks) was stored, one of its chunks went out, then the rest.
    expect(events.slice(0, 3)).toEqual([
      'stored 1000',
      expect.stringMatching(/^chunk \d done at 1000$/),
      'stored 2000',
    ]);
  }, 120_000);

  it('shares the database with its runner: pauses after a batch only while the runner has a lead to send and room to send it', async () => {
    // No runner here, so nothing is sent: the lead is every chunk stored.
    const upload = async (name: string, options: StartBatchOptions) => {
      const pauses: number[] = [];
      const result = await startBatchFromStream(request(name), csvBytes(name, 8_000), {
        batchRows: 1_000,
        firstChunkWaitMs: 0,
        ...options,
        pause: async (ms) => void pauses.push(ms),
      });
      expect(result).toMatchObject({ ok: true, data: { rows: 8_000 } });
      return pauses;
    };
    // Batches of 1,000 rows are 10 chunks: from the third batch on the lead is SHARE_LEAD_CHUNKS
    // (30), and each of the six batches left is followed by a pause as long as it took to store.
    const shared = await upload('shared', { shareWithRunner: true });
    expect(shared).toHaveLength(6);
    for (const ms of shared) expect(ms).toBeGreaterThan(0);
    // PostgreSQL's plan: the runner has connections of its own.
    expect(await upload('unshared', { shareWithRunner: false })).toEqual([]);
    // The key's window is spent: the runner could not send the lead anyway.
    const blocked = globalThis as { __sendmuxBatchBlocked?: Map<string, number> };
    (blocked.__sendmuxBatchBlocked ??= new Map()).set(PROFILE, Date.now() + 60_000);
    try {
      expect(await upload('spent', { shareWithRunner: true })).toEqual([]);
    } finally {
      blocked.__sendmuxBatchBlocked.delete(PROFILE);
    }
  }, 120_000);

  it('refuses a file over the row cap with a clear message before anything is stored', async () => {
    const result = await startBatchFromStream(request('over rows'), csvBytes('cap', 1_001), {
      maxRows: 1_000,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'too_many_rows',
        message:
          'The file has more than 1,000 rows; a batch job holds at most 1,000. Split the file into parts and send each as its own job',
      },
    });
    expect(result.ok || result.jobId).toBeFalsy();
    expect(await jobsNamed('over rows')).toBe(0);
  });

  it('a file found over the row cap after sending began is refused with the cap, and the rest is cancelled', async () => {
    // Bigger than what is held before the job opens: the cap is met while the first chunks go out.
    const result = await startBatchFromStream(request('over rows late'), csvBytes('caplate', 3_001), {
      maxRows: 3_000,
      holdRows: 1_000,
      batchRows: 1_000,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'too_many_rows' }, jobId: expect.any(String) });
    if (result.ok) return;
    expect(result.error.message).toMatch(
      /^The file has more than 3,000 rows; a batch job holds at most 3,000\..*it was stopped after [\d,]+ stored rows/,
    );
    const [job] = await queryRows<{ status: string; loading: boolean; pending: number; stored: number }>(
      db(),
      sql`SELECT status, loading_until IS NOT NULL AS loading,
            (SELECT count(*)::int FROM batch_rows r WHERE r.job_id = j.id AND r.status = 'pending') AS pending,
            (SELECT count(*)::int FROM batch_rows r WHERE r.job_id = j.id) AS stored
          FROM batch_jobs j WHERE id = ${result.jobId!}`,
    );
    expect(job).toMatchObject({ status: 'cancelled', loading: false, pending: 0 });
    expect(job!.stored).toBeLessThanOrEqual(3_000);
  });

  it('refuses a file over the size cap as it arrives, before anything is stored', async () => {
    const result = await startBatchFromStream(request('over bytes'), csvBytes('bytes', 5_000), {
      maxBytes: 100_000,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'payload_too_large',
        message: 'Files up to 0.1 MB are accepted; split a bigger file into parts',
      },
    });
    expect(await jobsNamed('over bytes')).toBe(0);
  });

  it('refuses a file with a row the server finds invalid, naming its line; nothing is stored', async () => {
    const result = await startBatchFromStream(
      request('invalid small'),
      csvBytes('inv', 500, { bad: { 250: 'not-an-address' } }),
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'preflight_failed',
        message: "The server's check found 1 row that cannot be sent; exclude or fix it, then send again.",
      },
      problems: [{ line: 251, message: expect.stringContaining('to.email') }],
    });
    expect(await jobsNamed('invalid small')).toBe(0);
  });

  it('stops a job that started sending when a later row fails the check: the rest is cancelled', async () => {
    const result = await startBatchFromStream(
      request('invalid late'),
      csvBytes('late', 8_000, { bad: { 7_500: 'nope' } }),
      { holdRows: 1_000, batchRows: 1_000 },
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'preflight_failed' },
      jobId: expect.any(String),
    });
    if (result.ok) return;
    expect(result.error.message).toMatch(
      /1 row that cannot be sent.*it was stopped after [\d,]+ stored rows/,
    );
    const [job] = await queryRows<{ status: string; loading: boolean; pending: number }>(
      db(),
      sql`SELECT status, loading_until IS NOT NULL AS loading,
            (SELECT count(*)::int FROM batch_rows r WHERE r.job_id = j.id AND r.status = 'pending') AS pending
          FROM batch_jobs j WHERE id = ${result.jobId!}`,
    );
    expect(job).toEqual({ status: 'cancelled', loading: false, pending: 0 });
  });

  describe('an upload sent again with its uploadId (a browser resends a POST whose connection broke)', () => {
    const uploadId = () => randomId(24);
    const opts = { holdRows: 1_000, batchRows: 1_000 };

    it('after the first broke off mid-file: starts nothing, names the first job, which keeps its rows', async () => {
      const id = uploadId();
      async function* brokenOff() {
        let pieces = 0;
        for await (const piece of csvBytes('cut', 8_000)) {
          if (++pieces === 3) throw new Error('aborted');
          yield piece;
        }
      }
      await expect(
        startBatchFromStream({ ...request('sent twice'), uploadId: id }, brokenOff(), opts),
      ).rejects.toThrow('aborted');
      const [first] = await queryRows<{ id: string; status: string; rows: number }>(
        db(),
        sql`SELECT id, status, (SELECT count(*)::int FROM batch_rows r WHERE r.job_id = j.id) AS rows
            FROM batch_jobs j WHERE upload_id = ${id}`,
      );
      expect(first).toMatchObject({ status: 'cancelled' });
      expect(first!.rows).toBeGreaterThan(0);

      let read = false;
      async function* again() {
        read = true;
        yield* csvBytes('cut', 8_000);
      }
      const result = await startBatchFromStream({ ...request('sent twice'), uploadId: id }, again(), opts);
      expect(result).toMatchObject({ ok: false, error: { code: 'duplicate_upload' }, jobId: first!.id });
      if (!result.ok) expect(result.error.message).toContain('had already started the job “sent twice”');
      expect(read, 'refused before its body is read').toBe(false);
      expect(await jobsNamed('sent twice')).toBe(1);
      expect(await rowsOf(first!.id)).toHaveLength(first!.rows);
    });

    it('while the first is still being read: refused at once, and the first goes on to store every row', async () => {
      const id = uploadId();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reachedPause!: () => void;
      const atPause = new Promise<void>((resolve) => (reachedPause = resolve));
      const first = startBatchFromStream(
        { ...request('resent while read'), uploadId: id },
        csvBytes('read', 6_000, {
          pauseAt: 3_000,
          pause: async () => {
            reachedPause();
            await released;
          },
        }),
        { ...opts, holdMs: 0 },
      );
      await atPause;
      // The job opens once rows are checked: wait for it.
      for (let i = 0; i < 100 && (await jobsNamed('resent while read')) === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await startBatchFromStream(
        { ...request('resent while read'), uploadId: id },
        csvBytes('read', 6_000),
        opts,
      );
      expect(second).toMatchObject({ ok: false, error: { code: 'duplicate_upload' } });
      release();
      const done = await first;
      expect(done).toMatchObject({ ok: true, data: { rows: 6_000 } });
      if (done.ok && !second.ok) expect(second.jobId).toBe(done.data.jobId);
      expect(await jobsNamed('resent while read')).toBe(1);
    });

    it('two that both got past the first look: the database lets only one job open', async () => {
      const id = uploadId();
      const input = { name: 'raced', profile: PROFILE, user, columns: ['email'], spec: {}, uploadId: id };
      const opened = await openJob(input);
      const err = await openJob(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DuplicateUploadError);
      expect((err as DuplicateUploadError).job).toEqual({ id: opened.jobId, name: 'raced' });
      // Uploads without an id (API clients that send none) are never taken for one another.
      const { uploadId: _, ...noId } = input;
      await openJob(noId);
      await openJob(noId);
      expect(await jobsNamed('raced')).toBe(3);
    });
  });
});
