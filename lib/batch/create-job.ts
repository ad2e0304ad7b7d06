import 'server-only';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { recordAudit } from '@/lib/auth/audit';
import { cancelPendingChunks } from '@/lib/batch/job-controls';
import { INSERT_SLICE } from '@/lib/batch/job-records';
import { MAX_JOB_ROWS, type CreateJobInput, type JobActor, type NewJobRow } from '@/lib/batch/job-types';
import { wakeBatchRunner } from '@/lib/batch/wake';
import { getDbHandle, queryRows, tables, type Exec } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { randomId } from '@/lib/ids';
import { chunkIdempotencyKey } from '@/lib/mail-merge/chunking';
import { MAX_BATCH } from '@/lib/schemas/limits';
import { hasProfile } from '@/lib/sendmux/profiles';

// A job is stored in three steps so that a big upload can start sending while the rest of it is
// still being read: open (the job, no rows, marked loading), append (rows and their chunks of ≤100,
// one transaction per batch; the runner may claim them at once), finish (loading cleared, audited).

/** How long a loading job waits for its next batch of rows before the runner may finish it. */
const LOADING_LEASE_SECONDS = 120;

export class JobCancelledError extends Error {
  constructor(readonly jobId: string) {
    super(`Batch job ${jobId} was cancelled while its rows were being stored`);
    this.name = 'JobCancelledError';
  }
}

export type OpenJob = {
  jobId: string;
  /** Rows stored so far; the next row is number stored + 1. */
  stored: number;
  chunks: number;
  analyzed: boolean;
};

export async function openJob(input: Omit<CreateJobInput, 'rows'> & { uploadId?: string }): Promise<OpenJob> {
  if (!hasProfile(input.profile)) throw new RangeError(`Unknown key profile "${input.profile}"`);
  // 12 random characters: keys stay unique across installs that share one Sendmux team.
  const jobId = randomId(12);
  const { db } = await getDbHandle();
  const inserted = await db
    .insert(tables.batchJobs)
    .values({
      id: jobId,
      name: input.name,
      status: 'running',
      keyProfile: input.profile,
      createdBy: input.user?.id ?? null,
      createdByEmail: input.user?.email ?? null,
      startedAt: new Date(),
      totalRows: 0,
      columns: input.columns,
      spec: input.spec,
      currentTry: 1,
      loadingUntil: new Date(Date.now() + LOADING_LEASE_SECONDS * 1000),
      uploadId: input.uploadId ?? null,
    })
    .onConflictDoNothing({ target: tables.batchJobs.uploadId })
    .returning({ id: tables.batchJobs.id });
  if (inserted.length === 0) {
    // Only upload_id can conflict (a new random id), and jobs are never deleted: the job is there.
    const earlier = await jobOfUpload(input.uploadId!);
    if (!earlier) throw new Error(`Upload ${input.uploadId} conflicted with no job`);
    throw new DuplicateUploadError(earlier);
  }
  return { jobId, stored: 0, chunks: 0, analyzed: false };
}

/** The job an upload already started, if any. */
export async function jobOfUpload(uploadId: string): Promise<{ id: string; name: string } | null> {
  const { db } = await getDbHandle();
  const [row] = await db
    .select({ id: tables.batchJobs.id, name: tables.batchJobs.name })
    .from(tables.batchJobs)
    .where(eq(tables.batchJobs.uploadId, uploadId));
  return row ?? null;
}

/** openJob found a job for the same upload: the upload was sent again, and starts nothing. */
export class DuplicateUploadError extends Error {
  constructor(readonly job: { id: string; name: string }) {
    super(`This upload already started job ${job.id}`);
  }
}

/**
 * How an upload stores its rows once its job is open. PostgreSQL: 5,000 rows a transaction (COPY;
 * the runner has connections of its own meanwhile). PGlite has one connection and the console one
 * thread: every statement the runner sends while the file is read waits for the batch being stored
 * (72 µs a row), so batches there are 1,000 rows, and after the first one the upload waits (up to
 * 1.5 s) for the first chunk's outcome, so that the first chunk does not queue behind the rest of
 * the file; from then on it shares the connection with the runner (shareWithRunner). (One process
 * by design: the chunk is this process's runner's.)
 */
export async function uploadStorePlan(): Promise<UploadStorePlan> {
  return (await getDbHandle()).pool
    ? { batchRows: 5_000, firstChunkWaitMs: 0, shareWithRunner: false }
    : { batchRows: 1_000, firstChunkWaitMs: 1_500, shareWithRunner: !getEnv().sandboxServed };
}

export type UploadStorePlan = {
  batchRows: number;
  firstChunkWaitMs: number;
  /**
   * After each batch, while the runner has a lead of stored chunks to send and the key's window
   * has room, the upload pauses as long as the batch took to store: the one connection is shared
   * half and half instead of the file taking nine tenths of it. Not when this process serves the
   * sandbox the job sends to: there the sends cost this thread as much as the storing, the pace
   * measures nothing real, and the person in the wizard would only wait longer for the job page.
   */
  shareWithRunner: boolean;
};

/**
 * Stores the next rows of an open job and their chunks, numbered on from what is stored. Every
 * batch but the last must hold a multiple of MAX_BATCH rows: a chunk is never split across two.
 */
export async function appendJobRows(job: OpenJob, rows: readonly NewJobRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (job.stored % MAX_BATCH !== 0) throw new RangeError('Only the last batch of rows may end a chunk early');
  if (job.stored + rows.length > MAX_JOB_ROWS)
    throw new RangeError(`A batch job holds at most ${MAX_JOB_ROWS} rows (got ${job.stored + rows.length})`);
  const handle = await getDbHandle();
  const { db } = handle;
  const firstRow = job.stored + 1;
  const firstChunk = job.chunks;
  const chunkCount = Math.ceil(rows.length / MAX_BATCH);
  const chunks = Array.from({ length: chunkCount }, (_, i) => {
    const chunkNo = firstChunk + i;
    const from = firstRow + i * MAX_BATCH;
    const to = Math.min(firstRow + rows.length, from + MAX_BATCH);
    return {
      jobId: job.jobId,
      chunkNo,
      try: 1,
      idempotencyKey: chunkIdempotencyKey(job.jobId, chunkNo, 1),
      rowNos: Array.from({ length: to - from }, (_, k) => from + k),
      status: 'pending' as const,
    };
  });
  if (handle.pool) {
    await appendByCopy(handle.pool, job, rows, firstRow, chunks);
  } else {
    await db.transaction(async (tx) => {
      const [state] = await queryRows<{ status: string }>(
        tx,
        sql`UPDATE batch_jobs SET total_rows = ${job.stored + rows.length},
              loading_until = now() + make_interval(secs => ${LOADING_LEASE_SECONDS})
            WHERE id = ${job.jobId} RETURNING status`,
      );
      if (!state || state.status === 'cancelled') throw new JobCancelledError(job.jobId);
      await insertRows(tx, job.jobId, rows, firstRow, firstChunk);
      for (let start = 0; start < chunkCount; start += 500)
        await tx.insert(tables.batchChunks).values(chunks.slice(start, start + 500));
    });
  }
  job.stored += rows.length;
  job.chunks += chunkCount;
  // The runner is woken before the statistics are refreshed: the first chunk does not wait for ANALYZE.
  wakeBatchRunner();
  if (!job.analyzed) {
    // Fresh statistics keep the claim an ordered index scan (embedded PGlite never runs autovacuum).
    job.analyzed = true;
    await db.execute(sql`ANALYZE batch_chunks`);
  }
}

/** COPY text format: a backslash, tab, newline or carriage return inside a value is escaped. */
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyText = (value: string) => value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!);

/** Lines of COPY text, COPY_LINES at a time: one write per piece, not per row. */
function* copyLines<T>(items: readonly T[], line: (item: T, i: number) => string): Generator<string> {
  for (let start = 0; start < items.length; start += COPY_LINES) {
    let text = '';
    const end = Math.min(items.length, start + COPY_LINES);
    for (let i = start; i < end; i++) text += line(items[i]!, i) + '\n';
    yield text;
  }
}
const COPY_LINES = 500;

async function copyInto(client: pg.PoolClient, statement: string, lines: Iterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(lines), client.query(copyFrom(statement)));
  } catch (err) {
    // The driver's detail and context quote the offending line (addresses, bodies): only the reason goes on.
    throw new Error(
      `${statement.split(' (')[0]} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/**
 * PostgreSQL: the same transaction as the insert path (job row locked and checked, rows, chunks),
 * with the rows and chunks sent as COPY FROM STDIN: no JSON parameter parsed into a record set,
 * no statement per slice.
 */
async function appendByCopy(
  pool: pg.Pool,
  job: OpenJob,
  rows: readonly NewJobRow[],
  firstRow: number,
  chunks: readonly { chunkNo: number; idempotencyKey: string; rowNos: number[] }[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const state = await client.query<{ status: string }>(
        `UPDATE batch_jobs SET total_rows = $1, loading_until = now() + make_interval(secs => $2)
         WHERE id = $3 RETURNING status`,
        [job.stored + rows.length, LOADING_LEASE_SECONDS, job.jobId],
      );
      if (state.rows[0]?.status === undefined || state.rows[0].status === 'cancelled')
        throw new JobCancelledError(job.jobId);
      const jobId = copyText(job.jobId);
      await copyInto(
        client,
        'COPY batch_rows (job_id, row_no, csv_line, input, message, to_email, status, idempotency_key, chunk_no, try) FROM STDIN',
        copyLines(rows, (row, i) => {
          const chunk = chunks[Math.floor(i / MAX_BATCH)]!;
          return `${jobId}\t${firstRow + i}\t${row.csvLine}\t${copyText(JSON.stringify(row.input))}\t${copyText(
            JSON.stringify(row.message),
          )}\t${copyText(row.message.to.email)}\tpending\t${copyText(chunk.idempotencyKey)}\t${chunk.chunkNo}\t1`;
        }),
      );
      await copyInto(
        client,
        'COPY batch_chunks (job_id, chunk_no, try, idempotency_key, row_nos, status) FROM STDIN',
        copyLines(
          chunks,
          (c) => `${jobId}\t${c.chunkNo}\t1\t${copyText(c.idempotencyKey)}\t{${c.rowNos.join(',')}}\tpending`,
        ),
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}

/** Multi-row INSERTs of INSERT_SLICE rows, each one JSON parameter. */
async function insertRows(
  tx: Exec,
  jobId: string,
  rows: readonly NewJobRow[],
  firstRow: number,
  firstChunk: number,
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_SLICE) {
    const slice = rows.slice(start, start + INSERT_SLICE).map((row, i) => {
      const chunkNo = firstChunk + Math.floor((start + i) / MAX_BATCH);
      return {
        row_no: firstRow + start + i,
        csv_line: row.csvLine,
        input: row.input,
        message: row.message,
        to_email: row.message.to.email,
        chunk_no: chunkNo,
        key: chunkIdempotencyKey(jobId, chunkNo, 1),
      };
    });
    await tx.execute(sql`
      INSERT INTO batch_rows (job_id, row_no, csv_line, input, message, to_email, status, idempotency_key, chunk_no, try)
      SELECT ${jobId}, x.row_no, x.csv_line, x.input, x.message, x.to_email, 'pending', x.key, x.chunk_no, 1
      FROM jsonb_to_recordset(${JSON.stringify(slice)}::jsonb)
        AS x(row_no int, csv_line int, input jsonb, message jsonb, to_email text, chunk_no int, key text)`);
  }
}

/** Every row is stored: the job may finish once its chunks are sent. */
export async function finishJob(job: OpenJob, actor: JobActor | null, profile: string): Promise<void> {
  const { db } = await getDbHandle();
  await db.execute(sql`UPDATE batch_jobs SET loading_until = NULL WHERE id = ${job.jobId}`);
  await db.execute(sql`ANALYZE batch_chunks`);
  await recordAudit({
    action: 'batch.started',
    actor,
    target: job.jobId,
    detail: { rows: job.stored, profile },
  });
  wakeBatchRunner();
}

/**
 * The upload broke off or failed the server's check after sending began: what has not gone out
 * is cancelled (as Cancel does), what went out stays recorded.
 */
export async function abortJob(job: OpenJob, actor: JobActor | null, reason: string): Promise<void> {
  const { db } = await getDbHandle();
  await db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE batch_jobs SET loading_until = NULL,
        status = CASE WHEN status = 'done' THEN status ELSE 'cancelled' END,
        finished_at = coalesce(finished_at, now())
      WHERE id = ${job.jobId}`);
    await cancelPendingChunks(tx, job.jobId);
  });
  await recordAudit({
    action: 'batch.cancelled',
    actor,
    target: job.jobId,
    detail: { rows: job.stored, reason },
  });
}

/**
 * Stores a job and every merged row at once (tests, benchmarks and callers that hold the rows);
 * an upload streams through openJob/appendJobRows/finishJob instead. Rows are numbered 1.. in
 * the given order. The caller has re-validated every row: nothing here checks messages.
 */
export async function createJob(
  input: CreateJobInput,
): Promise<{ jobId: string; totalRows: number; chunkCount: number }> {
  const { rows } = input;
  if (rows.length === 0) throw new RangeError('A batch job needs at least one row');
  if (rows.length > MAX_JOB_ROWS)
    throw new RangeError(`A batch job holds at most ${MAX_JOB_ROWS} rows (got ${rows.length})`);
  const job = await openJob(input);
  const step = INSERT_SLICE * 10;
  for (let start = 0; start < rows.length; start += step)
    await appendJobRows(job, rows.slice(start, start + step));
  await finishJob(job, input.user, input.profile);
  return { jobId: job.jobId, totalRows: job.stored, chunkCount: job.chunks };
}
