import 'server-only';
import { sql } from 'drizzle-orm';
import { recordAudit } from '@/lib/auth/audit';
import { cancelPendingChunks } from '@/lib/batch/job-controls';
import { INSERT_SLICE } from '@/lib/batch/job-records';
import { MAX_JOB_ROWS, type CreateJobInput, type JobActor, type NewJobRow } from '@/lib/batch/job-types';
import { wakeBatchRunner } from '@/lib/batch/wake';
import { getDbHandle, queryRows, tables, type Exec } from '@/lib/db';
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

export async function openJob(input: Omit<CreateJobInput, 'rows'>): Promise<OpenJob> {
  if (!hasProfile(input.profile)) throw new RangeError(`Unknown key profile "${input.profile}"`);
  // 12 random characters: keys stay unique across installs that share one Sendmux team.
  const jobId = randomId(12);
  const { db } = await getDbHandle();
  await db.insert(tables.batchJobs).values({
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
  });
  return { jobId, stored: 0, chunks: 0, analyzed: false };
}

/**
 * Stores the next rows of an open job and their chunks, numbered on from what is stored. Every
 * batch but the last must hold a multiple of MAX_BATCH rows: a chunk is never split across two.
 */
export async function appendJobRows(job: OpenJob, rows: readonly NewJobRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (job.stored % MAX_BATCH !== 0) throw new RangeError('Only the last batch of rows may end a chunk early');
  if (job.stored + rows.length > MAX_JOB_ROWS)
    throw new RangeError(`A batch job holds at most ${MAX_JOB_ROWS} rows (got ${job.stored + rows.length})`);
  const { db } = await getDbHandle();
  const firstRow = job.stored + 1;
  const firstChunk = job.chunks;
  const chunkCount = Math.ceil(rows.length / MAX_BATCH);
  await db.transaction(async (tx) => {
    const [state] = await queryRows<{ status: string }>(
      tx,
      sql`UPDATE batch_jobs SET total_rows = ${job.stored + rows.length},
            loading_until = now() + make_interval(secs => ${LOADING_LEASE_SECONDS})
          WHERE id = ${job.jobId} RETURNING status`,
    );
    if (!state || state.status === 'cancelled') throw new JobCancelledError(job.jobId);
    await insertRows(tx, job.jobId, rows, firstRow, firstChunk);
    for (let start = 0; start < chunkCount; start += 500) {
      await tx.insert(tables.batchChunks).values(
        Array.from({ length: Math.min(500, chunkCount - start) }, (_, i) => {
          const chunkNo = firstChunk + start + i;
          const from = firstRow + (start + i) * MAX_BATCH;
          const to = Math.min(firstRow + rows.length, from + MAX_BATCH);
          return {
            jobId: job.jobId,
            chunkNo,
            try: 1,
            idempotencyKey: chunkIdempotencyKey(job.jobId, chunkNo, 1),
            rowNos: Array.from({ length: to - from }, (_, k) => from + k),
            status: 'pending' as const,
          };
        }),
      );
    }
  });
  job.stored += rows.length;
  job.chunks += chunkCount;
  if (!job.analyzed) {
    // Fresh statistics keep the claim an ordered index scan (embedded PGlite never runs autovacuum).
    job.analyzed = true;
    await db.execute(sql`ANALYZE batch_chunks`);
  }
  wakeBatchRunner();
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
