import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { recordAudit, type AuditAction } from '@/lib/auth/audit';
import {
  getJob,
  INSERT_SLICE,
  JOB_COLUMNS,
  NEEDS_CHANGE_SQL,
  toSummary,
  UNKNOWN_OUTCOME_SQL,
  type JobRecord,
} from '@/lib/batch/job-records';
import { failedRowsNeedingChange } from '@/lib/batch/job-queries';
import type { ControlResult, JobActor, JobStatus, RetryFailedResult } from '@/lib/batch/job-types';
import { wakeBatchRunner } from '@/lib/batch/wake';
import { getDb, queryRows, tables, type Exec } from '@/lib/db';
import { chunkIdempotencyKey, chunkRows } from '@/lib/mail-merge/chunking';
import { MAX_BATCH } from '@/lib/schemas/limits';

const notFound = (jobId: string): ControlResult<never> => ({
  ok: false,
  error: { code: 'not_found', message: `No batch job ${jobId}` },
});
const invalidState = (message: string): ControlResult<never> => ({
  ok: false,
  error: { code: 'invalid_state', message },
});

async function transition(
  jobId: string,
  from: JobStatus[],
  set: SQL,
  audit: AuditAction,
  actor: JobActor | null,
  verb: string,
): Promise<ControlResult> {
  const db = await getDb();
  const allowed = sql.join(
    from.map((s) => sql`${s}`),
    sql`, `,
  );
  const [row] = await queryRows<JobRecord>(
    db,
    sql`UPDATE batch_jobs SET ${set} WHERE id = ${jobId} AND status IN (${allowed}) RETURNING ${JOB_COLUMNS}`,
  );
  if (!row) {
    const job = await getJob(jobId);
    return job
      ? invalidState(`The job is ${job.status}; only a ${from.join(' or ')} job can be ${verb}`)
      : notFound(jobId);
  }
  await recordAudit({ action: audit, actor, target: jobId });
  return { ok: true, data: toSummary(row) };
}

/** Stops claiming new chunks; chunks already being sent finish and record their results. */
export function pauseJob(jobId: string, actor: JobActor | null = null): Promise<ControlResult> {
  return transition(jobId, ['running'], sql`status = 'paused'`, 'batch.paused', actor, 'paused');
}

export async function resumeJob(jobId: string, actor: JobActor | null = null): Promise<ControlResult> {
  const result = await transition(
    jobId,
    ['paused'],
    sql`status = 'running'`,
    'batch.resumed',
    actor,
    'resumed',
  );
  if (result.ok) {
    await finishIdleJobs(await getDb(), jobId);
    wakeBatchRunner();
  }
  return result;
}

/**
 * Cancels what has not gone out: pending chunks and their rows. Rows already queued stay queued;
 * a chunk being sent right now finishes and records its results.
 */
export async function cancelJob(jobId: string, actor: JobActor | null = null): Promise<ControlResult> {
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const [row] = await queryRows<JobRecord>(
      tx,
      sql`UPDATE batch_jobs SET status = 'cancelled', finished_at = now()
          WHERE id = ${jobId} AND status IN ('running', 'paused') RETURNING ${JOB_COLUMNS}`,
    );
    if (row) await cancelPendingChunks(tx, jobId);
    return row;
  });
  if (!result) {
    const job = await getJob(jobId);
    return job ? invalidState(`The job is already ${job.status}`) : notFound(jobId);
  }
  await recordAudit({ action: 'batch.cancelled', actor, target: jobId });
  return { ok: true, data: toSummary(result) };
}

/**
 * Pending chunks → cancelled, their pending rows → cancelled. A chunk waiting to retry after a
 * timeout or dropped connection may have reached Sendmux, so its rows are marked failed with that
 * code instead of claiming they were never sent.
 */
export async function cancelPendingChunks(exec: Exec, jobId: string): Promise<void> {
  await exec.execute(sql`
    WITH c AS (
      UPDATE batch_chunks SET status = 'cancelled', completed_at = now(), lease_expires_at = NULL,
        failed_count = CASE WHEN sends > 0 AND last_error_code IN (${UNKNOWN_OUTCOME_SQL}) THEN cardinality(row_nos) ELSE 0 END
      WHERE job_id = ${jobId} AND status = 'pending'
      RETURNING chunk_no, try, sends, last_error_code, last_request_id
    )
    UPDATE batch_rows r SET
      status = CASE WHEN c.sends > 0 AND c.last_error_code IN (${UNKNOWN_OUTCOME_SQL}) THEN 'failed' ELSE 'cancelled' END,
      error_code = CASE WHEN c.sends > 0 AND c.last_error_code IN (${UNKNOWN_OUTCOME_SQL}) THEN c.last_error_code END,
      error_message = CASE WHEN c.sends > 0 AND c.last_error_code IN (${UNKNOWN_OUTCOME_SQL})
        THEN 'Cancelled while waiting to retry after ' || c.last_error_code || ': whether Sendmux received the earlier attempt is unknown' END,
      request_id = CASE WHEN c.sends > 0 AND c.last_error_code IN (${UNKNOWN_OUTCOME_SQL}) THEN c.last_request_id END,
      updated_at = now()
    FROM c
    WHERE r.job_id = ${jobId} AND r.chunk_no = c.chunk_no AND r.try = c.try AND r.status = 'pending'`);
}

/**
 * Marks running jobs (all of them, or one) done when none of their chunks is pending or sending
 * and no upload is still storing their rows.
 */
export async function finishIdleJobs(exec: Exec, jobId?: string): Promise<string[]> {
  const only = jobId === undefined ? sql`` : sql`AND j.id = ${jobId}`;
  const rows = await queryRows<{ id: string }>(
    exec,
    sql`UPDATE batch_jobs j SET status = 'done', finished_at = now()
        WHERE j.status = 'running' ${only}
          AND (j.loading_until IS NULL OR j.loading_until < now())
          AND NOT EXISTS (SELECT 1 FROM batch_chunks c WHERE c.job_id = j.id AND c.status IN ('pending', 'sending'))
        RETURNING j.id`,
  );
  return rows.map((r) => r.id);
}
/**
 * Re-sends only failed rows whose error a re-send can fix, in new chunks under new keys
 * (…:try:<k+1>); queued rows are never touched. A chunk that failed as a whole without any answer
 * may have been delivered, so it is re-opened under its original key instead: Sendmux replays it
 * if it did arrive.
 */
export async function retryFailedRows(
  jobId: string,
  actor: JobActor | null = null,
): Promise<ControlResult<RetryFailedResult>> {
  const db = await getDb();
  const outcome = await db.transaction(async (tx) => {
    const [job] = await queryRows<JobRecord>(
      tx,
      sql`SELECT ${JOB_COLUMNS} FROM batch_jobs WHERE id = ${jobId} FOR UPDATE`,
    );
    if (!job) return notFound(jobId);
    if (job.status === 'cancelled')
      return invalidState('The job was cancelled; its failed rows can no longer be retried here');

    const reopened = await queryRows<{ chunk_no: number; try: number; n: number }>(
      tx,
      sql`UPDATE batch_chunks c SET status = 'pending', sends = 0, not_before = NULL, completed_at = NULL,
            failed_count = 0, lease_expires_at = NULL
          WHERE c.job_id = ${jobId} AND c.status = 'failed' AND c.queued_count = 0
            AND c.last_error_code IN (${UNKNOWN_OUTCOME_SQL})
            AND NOT EXISTS (
              SELECT 1 FROM batch_rows r WHERE r.job_id = c.job_id AND r.row_no = ANY (c.row_nos)
                AND NOT (r.status = 'failed' AND r.chunk_no = c.chunk_no AND r.try = c.try))
          RETURNING c.chunk_no, c.try, cardinality(c.row_nos) AS n`,
    );
    for (const c of reopened) {
      await tx.execute(sql`
        UPDATE batch_rows SET status = 'pending', error_code = NULL, error_message = NULL, error_fields = NULL,
          request_id = NULL, updated_at = now()
        WHERE job_id = ${jobId} AND chunk_no = ${c.chunk_no} AND try = ${c.try} AND status = 'failed'`);
    }

    const failed = await queryRows<{ row_no: number }>(
      tx,
      sql`SELECT row_no FROM batch_rows
          WHERE job_id = ${jobId} AND status = 'failed' AND (error_code IS NULL OR error_code NOT IN (${NEEDS_CHANGE_SQL}))
          ORDER BY row_no`,
    );
    let tryNo = Number(job.current_try);
    const chunks = chunkRows(
      failed.map((r) => Number(r.row_no)),
      MAX_BATCH,
    );
    if (chunks.length > 0) {
      tryNo += 1;
      const assignments = chunks.flatMap((rowNos, chunkNo) =>
        rowNos.map((rowNo) => ({
          row_no: rowNo,
          chunk_no: chunkNo,
          key: chunkIdempotencyKey(jobId, chunkNo, tryNo),
        })),
      );
      for (let start = 0; start < chunks.length; start += 500) {
        await tx.insert(tables.batchChunks).values(
          chunks.slice(start, start + 500).map((rowNos, i) => ({
            jobId,
            chunkNo: start + i,
            try: tryNo,
            idempotencyKey: chunkIdempotencyKey(jobId, start + i, tryNo),
            rowNos,
            status: 'pending' as const,
          })),
        );
      }
      for (let start = 0; start < assignments.length; start += INSERT_SLICE) {
        await tx.execute(sql`
          UPDATE batch_rows r SET status = 'pending', chunk_no = x.chunk_no, try = ${tryNo}, idempotency_key = x.key,
            message_id = NULL, error_code = NULL, error_message = NULL, error_fields = NULL, request_id = NULL, updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(assignments.slice(start, start + INSERT_SLICE))}::jsonb)
            AS x(row_no int, chunk_no int, key text)
          WHERE r.job_id = ${jobId} AND r.row_no = x.row_no AND r.status = 'failed'`);
      }
    }
    if (chunks.length > 0 || reopened.length > 0) {
      await tx.execute(sql`
        UPDATE batch_jobs SET current_try = ${tryNo}, finished_at = NULL,
          status = CASE WHEN status = 'paused' THEN 'paused' ELSE 'running' END
        WHERE id = ${jobId}`);
    }
    return {
      ok: true as const,
      data: {
        try: tryNo,
        retriedRows: failed.length,
        chunks: chunks.length,
        reopenedChunks: reopened.length,
        reopenedRows: reopened.reduce((n, c) => n + Number(c.n), 0),
      },
    };
  });
  if (!outcome.ok) return outcome;
  const { data } = outcome;
  if (data.chunks > 0 || data.reopenedChunks > 0) {
    await recordAudit({
      action: 'batch.retry_failed',
      actor,
      target: jobId,
      detail: { try: data.try, rows: data.retriedRows, reopenedChunks: data.reopenedChunks },
    });
    wakeBatchRunner();
  }
  return { ok: true, data: { ...data, needsChange: await failedRowsNeedingChange(jobId) } };
}
