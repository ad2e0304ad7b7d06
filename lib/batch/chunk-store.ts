import 'server-only';
import { sql } from 'drizzle-orm';
import type { EmailSendRequest } from '@/lib/sendmux/wire';
import { queryRows, type Exec } from '@/lib/db';
import type { RowOutcome } from '@/lib/batch/outcome';

export type ClaimedChunk = {
  jobId: string;
  chunkNo: number;
  try: number;
  idempotencyKey: string;
  /** Row numbers in request order: results[i] belongs to rowNos[i]. */
  rowNos: number[];
  /** Times the chunk has been claimed to be sent, this claim included. */
  sends: number;
  profile: string;
  createdBy: string | null;
  createdByEmail: string | null;
  /** The stored messages in rowNos order: the same body on every send, so a re-send replays. */
  messages: EmailSendRequest[];
};

export type ChunkRef = Pick<ClaimedChunk, 'jobId' | 'chunkNo' | 'try'>;

type ClaimRecord = {
  job_id: string;
  chunk_no: number;
  try: number;
  idempotency_key: string;
  row_nos: number[] | string;
  sends: number;
  key_profile: string;
  created_by: string | null;
  created_by_email: string | null;
  messages: EmailSendRequest[] | string | null;
};

function intArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
}

/**
 * Claims one chunk of a running job in one statement, locked with SKIP LOCKED so two workers never
 * take the same one, leased to `owner` with sends += 1, its messages in rowNos order in the same
 * round trip. `pending`: a pending chunk whose not_before has passed, in claim-index order (due
 * retries, then new chunks in creation order) so no sort is needed. `expired`: a sending chunk
 * whose lease ran out because its worker died. A live lease is never taken.
 */
export async function claimChunk(
  exec: Exec,
  owner: string,
  leaseSeconds: number,
  skipProfiles: readonly string[],
  which: 'pending' | 'expired' = 'pending',
): Promise<ClaimedChunk | null> {
  const skip =
    skipProfiles.length > 0
      ? sql`AND j.key_profile NOT IN (${sql.join(
          skipProfiles.map((p) => sql`${p}`),
          sql`, `,
        )})`
      : sql``;
  const running = sql`EXISTS (SELECT 1 FROM batch_jobs j WHERE j.id = c.job_id AND j.status = 'running' ${skip})`;
  const next =
    which === 'pending'
      ? sql`SELECT c.job_id, c.chunk_no, c.try FROM batch_chunks c
            WHERE c.status = 'pending' AND (c.not_before IS NULL OR c.not_before <= now()) AND ${running}
            ORDER BY c.status, c.not_before
            LIMIT 1 FOR UPDATE OF c SKIP LOCKED`
      : sql`SELECT c.job_id, c.chunk_no, c.try FROM batch_chunks c
            WHERE c.status = 'sending' AND c.lease_expires_at < now() AND ${running}
            LIMIT 1 FOR UPDATE OF c SKIP LOCKED`;
  const [row] = await queryRows<ClaimRecord>(
    exec,
    sql`WITH next AS (${next}), claimed AS (
          UPDATE batch_chunks c SET status = 'sending', lease_owner = ${owner},
            lease_expires_at = now() + make_interval(secs => ${leaseSeconds}), sends = c.sends + 1
          FROM next WHERE c.job_id = next.job_id AND c.chunk_no = next.chunk_no AND c.try = next.try
          RETURNING c.job_id, c.chunk_no, c.try, c.idempotency_key, c.row_nos, c.sends
        )
        SELECT claimed.*, j.key_profile, j.created_by, j.created_by_email,
          (SELECT json_agg(r.message ORDER BY u.ord)
             FROM unnest(claimed.row_nos) WITH ORDINALITY AS u(row_no, ord)
             JOIN batch_rows r ON r.job_id = claimed.job_id AND r.row_no = u.row_no) AS messages
        FROM claimed JOIN batch_jobs j ON j.id = claimed.job_id`,
  );
  if (!row) return null;
  const rowNos = intArray(row.row_nos);
  const messages = (typeof row.messages === 'string' ? JSON.parse(row.messages) : row.messages) as
    EmailSendRequest[] | null;
  if (!messages || messages.length !== rowNos.length) {
    throw new Error(
      `Chunk ${row.idempotency_key}: ${messages?.length ?? 0} stored messages for ${rowNos.length} rows`,
    );
  }
  return {
    jobId: row.job_id,
    chunkNo: Number(row.chunk_no),
    try: Number(row.try),
    idempotencyKey: row.idempotency_key,
    rowNos,
    sends: Number(row.sends),
    profile: row.key_profile,
    createdBy: row.created_by,
    createdByEmail: row.created_by_email,
    messages,
  };
}

const pk = (c: ChunkRef) => sql`job_id = ${c.jobId} AND chunk_no = ${c.chunkNo} AND try = ${c.try}`;

/** Extends the lease while the chunk is held; false when it is no longer ours. */
export async function renewLease(
  exec: Exec,
  chunk: ChunkRef,
  owner: string,
  leaseSeconds: number,
): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    exec,
    sql`UPDATE batch_chunks SET lease_expires_at = now() + make_interval(secs => ${leaseSeconds})
        WHERE ${pk(chunk)} AND status = 'sending' AND lease_owner = ${owner} RETURNING 1 AS one`,
  );
  return rows.length > 0;
}

/**
 * Records every row's outcome and closes the chunk ('done' after a batch answer, 'failed' after a
 * whole-request failure) in ONE statement, so a crash leaves all of it or none. Only the lease
 * owner may write; returns false when the lease was lost (the new owner records the same answer).
 */
export async function completeChunk(
  exec: Exec,
  chunk: ChunkRef,
  owner: string,
  status: 'done' | 'failed',
  outcomes: readonly RowOutcome[],
  last: { errorCode: string | null; requestId: string | null },
): Promise<boolean> {
  const queued = outcomes.filter((o) => o.status === 'queued').length;
  const values = outcomes.map((o) => ({
    row_no: o.rowNo,
    status: o.status,
    message_id: o.messageId,
    error_code: o.errorCode,
    error_message: o.errorMessage,
    error_fields: o.errorFields,
    request_id: o.requestId,
  }));
  const [row] = await queryRows<{ chunks: number }>(
    exec,
    sql`WITH c AS (
          UPDATE batch_chunks SET status = ${status}, lease_expires_at = NULL, not_before = NULL,
            queued_count = ${queued}, failed_count = ${outcomes.length - queued},
            last_error_code = ${last.errorCode}, last_request_id = ${last.requestId}, completed_at = now()
          WHERE ${pk(chunk)} AND status = 'sending' AND lease_owner = ${owner}
          RETURNING job_id, chunk_no, try
        ), u AS (
          UPDATE batch_rows r SET status = v.status, message_id = v.message_id, error_code = v.error_code,
            error_message = v.error_message, error_fields = v.error_fields, request_id = v.request_id, updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
            AS v(row_no int, status text, message_id text, error_code text, error_message text, error_fields jsonb, request_id text)
          WHERE r.job_id = ${chunk.jobId} AND r.row_no = v.row_no AND r.chunk_no = ${chunk.chunkNo} AND r.try = ${chunk.try}
            AND EXISTS (SELECT 1 FROM c)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM c)::int AS chunks, (SELECT count(*) FROM u)::int AS rows`,
  );
  return Number(row?.chunks ?? 0) > 0;
}

/**
 * Puts the chunk back to pending after a retryable whole-request failure: same key, not before
 * `delayMs` from now. Returns null when the lease was lost, else the job's status (the caller
 * settles a chunk whose job was cancelled meanwhile).
 */
export async function releaseForRetry(
  exec: Exec,
  chunk: ChunkRef,
  owner: string,
  delayMs: number,
  last: { errorCode: string; requestId: string | null },
): Promise<string | null> {
  const [row] = await queryRows<{ job_status: string }>(
    exec,
    sql`UPDATE batch_chunks c SET status = 'pending', lease_expires_at = NULL,
          not_before = now() + make_interval(secs => ${Math.max(0, delayMs) / 1000}),
          last_error_code = ${last.errorCode}, last_request_id = ${last.requestId}
        WHERE ${pk(chunk)} AND status = 'sending' AND lease_owner = ${owner}
        RETURNING (SELECT j.status FROM batch_jobs j WHERE j.id = c.job_id) AS job_status`,
  );
  return row ? row.job_status : null;
}

/** Gives a chunk back untouched (the worker is stopping before it was sent). */
export async function releaseUnsent(exec: Exec, chunk: ChunkRef, owner: string): Promise<void> {
  await exec.execute(
    sql`UPDATE batch_chunks SET status = 'pending', lease_expires_at = NULL, sends = greatest(sends - 1, 0)
        WHERE ${pk(chunk)} AND status = 'sending' AND lease_owner = ${owner}`,
  );
}

/**
 * Embedded PGlite serves one process, so every chunk still marked sending at start-up belongs to a
 * run that died: it goes back to pending at once (and is re-sent under its same key).
 */
export async function reclaimAllLeases(exec: Exec): Promise<number> {
  const rows = await queryRows<{ one: number }>(
    exec,
    sql`UPDATE batch_chunks SET status = 'pending', lease_expires_at = NULL WHERE status = 'sending' RETURNING 1 AS one`,
  );
  return rows.length;
}

/** Jobs cancelled while one of their chunks was being sent and then put back to pending. */
export async function cancelledJobsWithPendingChunks(exec: Exec): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    exec,
    sql`SELECT j.id FROM batch_jobs j WHERE j.status = 'cancelled'
          AND EXISTS (SELECT 1 FROM batch_chunks c WHERE c.job_id = j.id AND c.status = 'pending')`,
  );
  return rows.map((r) => r.id);
}
