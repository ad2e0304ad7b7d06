import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { recordAudit, type AuditAction } from '@/lib/auth/audit';
import { getDb, tables } from '@/lib/db';
import { randomId } from '@/lib/ids';
import { explainError } from '@/lib/sendmux/error-catalog';
import { hasProfile } from '@/lib/sendmux/profiles';
import type { SendmuxFieldError } from '@/lib/sendmux/types';
import type { EmailSendRequest } from '@/lib/sendmux/wire';
import { chunkIdempotencyKey, chunkRows } from './chunking';
import { rowsOf, toDate, type Exec } from './db';
import { changeAdvice, NEEDS_CHANGE_CODES, needsChange, UNKNOWN_OUTCOME_CODES } from './outcome';
import { wakeBatchRunner } from './wake';

export const CHUNK_SIZE = 100;
export const MAX_JOB_ROWS = 200_000;
/** Rows per multi-row INSERT while creating a job: one JSON parameter each, far under any limit. */
const INSERT_SLICE = 2_000;
const RATE_WINDOW_SECONDS = 10;

export type JobStatus = (typeof tables.batchJobs.status.enumValues)[number];
export type RowStatus = (typeof tables.batchRows.status.enumValues)[number];
export type JobActor = { id: string; email: string };

export type NewJobRow = {
  csvLine: number;
  input: Record<string, string>;
  /** The merged message in wire format, exactly as it will be sent. */
  message: EmailSendRequest;
};

export type CreateJobInput = {
  name: string;
  profile: string;
  user: JobActor | null;
  columns: string[];
  rows: readonly NewJobRow[];
  spec: Record<string, unknown>;
};

export type JobSummary = {
  id: string;
  name: string;
  status: JobStatus;
  keyProfile: string;
  createdBy: string | null;
  createdByEmail: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  totalRows: number;
  currentTry: number;
};

export type JobCounts = {
  total: number;
  queued: number;
  failed: number;
  pending: number;
  sending: number;
  cancelled: number;
};
export type ChunkCounts = {
  total: number;
  pending: number;
  sending: number;
  done: number;
  failed: number;
  cancelled: number;
  retrying: number;
};

export type JobProgress = {
  job: JobSummary & { columns: string[]; spec: Record<string, unknown> };
  rows: JobCounts;
  chunks: ChunkCounts;
  /** Rows finished (queued or failed) per second over the last ~10 s. */
  ratePerSecond: number;
  /** Seconds until the pending rows are done at that rate; null when nothing moves or nothing is left. */
  etaSeconds: number | null;
};

export type JobRow = {
  rowNo: number;
  csvLine: number;
  toEmail: string;
  status: RowStatus;
  messageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorFields: SendmuxFieldError[] | null;
  requestId: string | null;
  idempotencyKey: string | null;
  chunkNo: number | null;
  try: number;
  updatedAt: Date;
};

export type ExportRow = JobRow & { input: Record<string, string> };

export type ControlResult<T = JobSummary> =
  { ok: true; data: T } | { ok: false; error: { code: 'not_found' | 'invalid_state'; message: string } };

// ---------------------------------------------------------------------------------------------
// Creating a job
// ---------------------------------------------------------------------------------------------

/**
 * Stores a job, every merged row and its chunks of ≤100 (try 1, keys job:<id>:chunk:<n>:try:1) in
 * one transaction; the runner picks the chunks up. Rows are numbered 1.. in the given order.
 * The caller has re-validated every row: nothing here checks messages.
 */
export async function createJob(
  input: CreateJobInput,
): Promise<{ jobId: string; totalRows: number; chunkCount: number }> {
  const { rows } = input;
  if (rows.length === 0) throw new RangeError('A batch job needs at least one row');
  if (rows.length > MAX_JOB_ROWS)
    throw new RangeError(`A batch job holds at most ${MAX_JOB_ROWS} rows (got ${rows.length})`);
  if (!hasProfile(input.profile)) throw new RangeError(`Unknown key profile "${input.profile}"`);

  // 12 random characters: keys stay unique across installs that share one Sendmux team.
  const jobId = randomId(12);
  const chunks = chunkRows(
    rows.map((_, i) => i + 1),
    CHUNK_SIZE,
  );
  const chunkOf = new Int32Array(rows.length + 1);
  chunks.forEach((rowNos, chunkNo) => rowNos.forEach((rowNo) => (chunkOf[rowNo] = chunkNo)));

  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.insert(tables.batchJobs).values({
      id: jobId,
      name: input.name,
      status: 'running',
      keyProfile: input.profile,
      createdBy: input.user?.id ?? null,
      createdByEmail: input.user?.email ?? null,
      startedAt: new Date(),
      totalRows: rows.length,
      columns: input.columns,
      spec: input.spec,
      currentTry: 1,
    });
    for (let start = 0; start < rows.length; start += INSERT_SLICE) {
      const slice = rows.slice(start, start + INSERT_SLICE).map((row, i) => {
        const rowNo = start + i + 1;
        const chunkNo = chunkOf[rowNo]!;
        return {
          row_no: rowNo,
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
    for (let start = 0; start < chunks.length; start += 500) {
      await tx.insert(tables.batchChunks).values(
        chunks.slice(start, start + 500).map((rowNos, i) => ({
          jobId,
          chunkNo: start + i,
          try: 1,
          idempotencyKey: chunkIdempotencyKey(jobId, start + i, 1),
          rowNos,
          status: 'pending' as const,
        })),
      );
    }
  });
  // Fresh statistics keep the claim an ordered index scan (embedded PGlite never runs autovacuum).
  await db.execute(sql`ANALYZE batch_chunks`);
  await recordAudit({
    action: 'batch.started',
    actor: input.user,
    target: jobId,
    detail: { rows: rows.length, profile: input.profile },
  });
  wakeBatchRunner();
  return { jobId, totalRows: rows.length, chunkCount: chunks.length };
}

// ---------------------------------------------------------------------------------------------
// Reading jobs
// ---------------------------------------------------------------------------------------------

type JobRecord = {
  id: string;
  name: string;
  status: JobStatus;
  key_profile: string;
  created_by: string | null;
  created_by_email: string | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  total_rows: number;
  current_try: number;
  columns?: string[];
  spec?: Record<string, unknown>;
};

const JOB_COLUMNS = sql`id, name, status, key_profile, created_by, created_by_email, created_at, started_at, finished_at, total_rows, current_try`;

function toSummary(r: JobRecord): JobSummary {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    keyProfile: r.key_profile,
    createdBy: r.created_by,
    createdByEmail: r.created_by_email,
    createdAt: toDate(r.created_at)!,
    startedAt: toDate(r.started_at),
    finishedAt: toDate(r.finished_at),
    totalRows: Number(r.total_rows),
    currentTry: Number(r.current_try),
  };
}

export async function getJob(
  jobId: string,
): Promise<(JobSummary & { columns: string[]; spec: Record<string, unknown> }) | null> {
  const db = await getDb();
  const [row] = await rowsOf<JobRecord>(
    db,
    sql`SELECT ${JOB_COLUMNS}, columns, spec FROM batch_jobs WHERE id = ${jobId}`,
  );
  return row ? { ...toSummary(row), columns: row.columns ?? [], spec: row.spec ?? {} } : null;
}

type ChunkAggregate = {
  job_id: string;
  status: 'pending' | 'sending' | 'done' | 'failed' | 'cancelled';
  chunks: number;
  rows: number;
  queued: number;
  failed: number;
  retrying: number;
  recent: number;
};

/**
 * Row counts from the chunks (≈1 row per 100 rows), exact because a row is queued at most once,
 * rows of pending/sending chunks are pending, and cancelled chunks' rows are cancelled unless
 * counted failed there; the rest of the rows have failed.
 */
function countsFrom(
  total: number,
  aggregates: ChunkAggregate[],
): { rows: JobCounts; chunks: ChunkCounts; recent: number } {
  const chunks: ChunkCounts = {
    total: 0,
    pending: 0,
    sending: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
    retrying: 0,
  };
  let queued = 0;
  let pending = 0;
  let sending = 0;
  let cancelled = 0;
  let recent = 0;
  for (const a of aggregates) {
    const n = Number(a.chunks);
    chunks.total += n;
    chunks[a.status] += n;
    chunks.retrying += Number(a.retrying);
    queued += Number(a.queued);
    recent += Number(a.recent);
    if (a.status === 'pending') pending += Number(a.rows);
    if (a.status === 'sending') sending += Number(a.rows);
    if (a.status === 'cancelled') cancelled += Number(a.rows) - Number(a.failed);
  }
  const failed = Math.max(0, total - queued - pending - sending - cancelled);
  return { rows: { total, queued, failed, pending, sending, cancelled }, chunks, recent };
}

function chunkAggregates(db: Exec, jobIds: SQL): Promise<ChunkAggregate[]> {
  return rowsOf<ChunkAggregate>(
    db,
    sql`SELECT job_id, status, count(*)::int AS chunks,
          coalesce(sum(cardinality(row_nos)), 0)::int AS rows,
          coalesce(sum(queued_count), 0)::int AS queued,
          coalesce(sum(failed_count), 0)::int AS failed,
          (count(*) FILTER (WHERE status = 'pending' AND sends > 0))::int AS retrying,
          coalesce(sum(queued_count + failed_count) FILTER (WHERE completed_at > now() - make_interval(secs => ${RATE_WINDOW_SECONDS})), 0)::int AS recent
        FROM batch_chunks WHERE job_id IN (${jobIds}) GROUP BY job_id, status`,
  );
}

export async function getJobProgress(jobId: string): Promise<JobProgress | null> {
  const db = await getDb();
  const [job] = await rowsOf<JobRecord & { running_for: number | null }>(
    db,
    sql`SELECT ${JOB_COLUMNS}, columns, spec, extract(epoch FROM now() - started_at)::float8 AS running_for FROM batch_jobs WHERE id = ${jobId}`,
  );
  if (!job) return null;
  const { rows, chunks, recent } = countsFrom(
    Number(job.total_rows),
    await chunkAggregates(db, sql`${jobId}`),
  );
  const window = Math.min(RATE_WINDOW_SECONDS, Math.max(1, Number(job.running_for ?? RATE_WINDOW_SECONDS)));
  const ratePerSecond = job.status === 'running' || recent > 0 ? recent / window : 0;
  const left = rows.pending + rows.sending;
  return {
    job: { ...toSummary(job), columns: job.columns ?? [], spec: job.spec ?? {} },
    rows,
    chunks,
    ratePerSecond,
    etaSeconds: left > 0 && ratePerSecond > 0 ? Math.ceil(left / ratePerSecond) : null,
  };
}

export type JobListItem = JobSummary & { rows: JobCounts };

/** Newest first; `before` is the id of the last job of the previous page. */
export async function listJobs(options: { limit?: number; before?: string } = {}): Promise<JobListItem[]> {
  const db = await getDb();
  const limit = Math.max(1, Math.min(options.limit ?? 50, 200));
  const after = options.before
    ? sql`WHERE (created_at, id) < (SELECT created_at, id FROM batch_jobs WHERE id = ${options.before})`
    : sql``;
  const jobs = await rowsOf<JobRecord>(
    db,
    sql`SELECT ${JOB_COLUMNS} FROM batch_jobs ${after} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
  );
  if (jobs.length === 0) return [];
  const aggregates = await chunkAggregates(
    db,
    sql.join(
      jobs.map((j) => sql`${j.id}`),
      sql`, `,
    ),
  );
  return jobs.map((j) => ({
    ...toSummary(j),
    rows: countsFrom(
      Number(j.total_rows),
      aggregates.filter((a) => a.job_id === j.id),
    ).rows,
  }));
}

type RowRecord = {
  row_no: number;
  csv_line: number;
  to_email: string;
  status: RowStatus;
  message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  error_fields: SendmuxFieldError[] | null;
  request_id: string | null;
  idempotency_key: string | null;
  chunk_no: number | null;
  try: number;
  updated_at: Date | string;
  input?: Record<string, string>;
};

const ROW_COLUMNS = sql`row_no, csv_line, to_email, status, message_id, error_code, error_message, error_fields, request_id, idempotency_key, chunk_no, try, updated_at`;

function toJobRow(r: RowRecord): JobRow {
  return {
    rowNo: Number(r.row_no),
    csvLine: Number(r.csv_line),
    toEmail: r.to_email,
    status: r.status,
    messageId: r.message_id,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    errorFields: r.error_fields,
    requestId: r.request_id,
    idempotencyKey: r.idempotency_key,
    chunkNo: r.chunk_no === null ? null : Number(r.chunk_no),
    try: Number(r.try),
    updatedAt: toDate(r.updated_at)!,
  };
}

export type RowFilter = { status?: RowStatus; errorCode?: string; q?: string };

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rowFilter(jobId: string, f: RowFilter): SQL {
  const parts: SQL[] = [sql`job_id = ${jobId}`];
  if (f.status) parts.push(sql`status = ${f.status}`);
  if (f.errorCode) parts.push(sql`error_code = ${f.errorCode}`);
  const q = f.q?.trim();
  if (q) parts.push(sql`to_email ILIKE ${likePattern(q)}`);
  return sql.join(parts, sql` AND `);
}

/** One page of a job's rows in row order, for the virtualised results table (keyset on rowNo). */
export async function listJobRows(
  jobId: string,
  options: RowFilter & { cursor?: number; limit?: number } = {},
): Promise<{ rows: JobRow[]; nextCursor: number | null }> {
  const db = await getDb();
  const limit = Math.max(1, Math.min(options.limit ?? 200, 1000));
  const records = await rowsOf<RowRecord>(
    db,
    sql`SELECT ${ROW_COLUMNS} FROM batch_rows
        WHERE ${rowFilter(jobId, options)} AND row_no > ${options.cursor ?? 0}
        ORDER BY row_no LIMIT ${limit + 1}`,
  );
  const rows = records.slice(0, limit).map(toJobRow);
  return { rows, nextCursor: records.length > limit ? (rows.at(-1)?.rowNo ?? null) : null };
}

/** How many rows match a filter (the table's height). */
export async function countJobRows(jobId: string, filter: RowFilter = {}): Promise<number> {
  const db = await getDb();
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM batch_rows WHERE ${rowFilter(jobId, filter)}`,
  );
  return Number(row?.n ?? 0);
}

export type ErrorCodeCount = { code: string; count: number; title: string; needsChange: boolean };

/** Error codes of the job's failed rows, most frequent first (the table's error filter). */
export async function jobErrorCodes(jobId: string): Promise<ErrorCodeCount[]> {
  const db = await getDb();
  const rows = await rowsOf<{ code: string; n: number }>(
    db,
    sql`SELECT error_code AS code, count(*)::int AS n FROM batch_rows
        WHERE job_id = ${jobId} AND status = 'failed' AND error_code IS NOT NULL
        GROUP BY error_code ORDER BY count(*) DESC, error_code`,
  );
  return rows.map((r) => ({
    code: r.code,
    count: Number(r.n),
    title: explainError(r.code).title,
    needsChange: needsChange(r.code),
  }));
}

/** Every row with its input columns, in row order, a page at a time (for the results CSV). */
export async function* exportRows(jobId: string, pageSize = 2_000): AsyncGenerator<ExportRow> {
  const db = await getDb();
  let cursor = 0;
  for (;;) {
    const page = await rowsOf<RowRecord>(
      db,
      sql`SELECT ${ROW_COLUMNS}, input FROM batch_rows WHERE job_id = ${jobId} AND row_no > ${cursor} ORDER BY row_no LIMIT ${pageSize}`,
    );
    for (const r of page) yield { ...toJobRow(r), input: r.input ?? {} };
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    cursor = Number(last.row_no);
  }
}

export type NeedsChangeGroup = {
  code: string;
  title: string;
  /** What to change before these rows can be sent (the catalog's action text). */
  action: string;
  count: number;
  rows: Pick<JobRow, 'rowNo' | 'csvLine' | 'toEmail' | 'errorMessage' | 'errorFields'>[];
};

const NEEDS_CHANGE_SQL = sql.join(
  NEEDS_CHANGE_CODES.map((c) => sql`${c}`),
  sql`, `,
);

/** Failed rows a re-send cannot fix, grouped by code with what to change (at most `rowsPerCode` rows listed each). */
export async function failedRowsNeedingChange(jobId: string, rowsPerCode = 100): Promise<NeedsChangeGroup[]> {
  const db = await getDb();
  const rows = await rowsOf<RowRecord & { n: number }>(
    db,
    sql`SELECT * FROM (
          SELECT ${ROW_COLUMNS},
            count(*) OVER (PARTITION BY error_code)::int AS n,
            row_number() OVER (PARTITION BY error_code ORDER BY row_no) AS k
          FROM batch_rows WHERE job_id = ${jobId} AND status = 'failed' AND error_code IN (${NEEDS_CHANGE_SQL})
        ) t WHERE k <= ${rowsPerCode} ORDER BY error_code, row_no`,
  );
  const groups = new Map<string, NeedsChangeGroup>();
  for (const r of rows) {
    const code = r.error_code ?? '';
    let group = groups.get(code);
    if (!group) {
      group = { code, ...changeAdvice(code), count: Number(r.n), rows: [] };
      groups.set(code, group);
    }
    const row = toJobRow(r);
    group.rows.push({
      rowNo: row.rowNo,
      csvLine: row.csvLine,
      toEmail: row.toEmail,
      errorMessage: row.errorMessage,
      errorFields: row.errorFields,
    });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

// ---------------------------------------------------------------------------------------------
// Controls
// ---------------------------------------------------------------------------------------------

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
  const [row] = await rowsOf<JobRecord>(
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
    const [row] = await rowsOf<JobRecord>(
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

const UNKNOWN_OUTCOME_SQL = sql.join(
  UNKNOWN_OUTCOME_CODES.map((c) => sql`${c}`),
  sql`, `,
);

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

/** Marks running jobs (all of them, or one) done when none of their chunks is pending or sending. */
export async function finishIdleJobs(exec: Exec, jobId?: string): Promise<string[]> {
  const only = jobId === undefined ? sql`` : sql`AND j.id = ${jobId}`;
  const rows = await rowsOf<{ id: string }>(
    exec,
    sql`UPDATE batch_jobs j SET status = 'done', finished_at = now()
        WHERE j.status = 'running' ${only}
          AND NOT EXISTS (SELECT 1 FROM batch_chunks c WHERE c.job_id = j.id AND c.status IN ('pending', 'sending'))
        RETURNING j.id`,
  );
  return rows.map((r) => r.id);
}

export type RetryFailedResult = {
  /** The try the new chunks were created under (unchanged when nothing was re-chunked). */
  try: number;
  /** Rows put into new chunks with keys …:try:<try>. */
  retriedRows: number;
  chunks: number;
  /** Chunks that failed without an answer (timeout, dropped connection), re-opened under their SAME key. */
  reopenedChunks: number;
  reopenedRows: number;
  /** Failed rows left alone: a re-send fails the same way until something is changed. */
  needsChange: NeedsChangeGroup[];
};

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
    const [job] = await rowsOf<JobRecord>(
      tx,
      sql`SELECT ${JOB_COLUMNS} FROM batch_jobs WHERE id = ${jobId} FOR UPDATE`,
    );
    if (!job) return notFound(jobId);
    if (job.status === 'cancelled')
      return invalidState('The job was cancelled; its failed rows can no longer be retried here');

    const reopened = await rowsOf<{ chunk_no: number; try: number; n: number }>(
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

    const failed = await rowsOf<{ row_no: number }>(
      tx,
      sql`SELECT row_no FROM batch_rows
          WHERE job_id = ${jobId} AND status = 'failed' AND (error_code IS NULL OR error_code NOT IN (${NEEDS_CHANGE_SQL}))
          ORDER BY row_no`,
    );
    let tryNo = Number(job.current_try);
    const chunks = chunkRows(
      failed.map((r) => Number(r.row_no)),
      CHUNK_SIZE,
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
