import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, queryRows, toDate } from '@/lib/db';
import { NEEDS_CHANGE_CODES, UNKNOWN_OUTCOME_CODES } from '@/lib/batch/outcome';
import type { JobRow, JobStatus, JobSummary, RowStatus } from '@/lib/batch/job-types';
import type { SendmuxFieldError } from '@/lib/sendmux/types';

// Raw rows of batch_jobs / batch_rows and their mapping to the job types, shared by the queries and controls.

/** Rows per multi-row INSERT while creating a job: one JSON parameter each, far under any limit. */
export const INSERT_SLICE = 2_000;

export type JobRecord = {
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

export const JOB_COLUMNS = sql`id, name, status, key_profile, created_by, created_by_email, created_at, started_at, finished_at, total_rows, current_try`;

export function toSummary(r: JobRecord): JobSummary {
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
  const [row] = await queryRows<JobRecord>(
    db,
    sql`SELECT ${JOB_COLUMNS}, columns, spec FROM batch_jobs WHERE id = ${jobId}`,
  );
  return row ? { ...toSummary(row), columns: row.columns ?? [], spec: row.spec ?? {} } : null;
}

export type RowRecord = {
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

export const ROW_COLUMNS = sql`row_no, csv_line, to_email, status, message_id, error_code, error_message, error_fields, request_id, idempotency_key, chunk_no, try, updated_at`;

export function toJobRow(r: RowRecord): JobRow {
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

export const NEEDS_CHANGE_SQL = sql.join(
  NEEDS_CHANGE_CODES.map((c) => sql`${c}`),
  sql`, `,
);

export const UNKNOWN_OUTCOME_SQL = sql.join(
  UNKNOWN_OUTCOME_CODES.map((c) => sql`${c}`),
  sql`, `,
);

/** The merged message one row sends (wire format), with its job's name and key profile. */
export async function getJobRowMessage(
  jobId: string,
  rowNo: number,
): Promise<{
  message: Record<string, unknown>;
  jobName: string;
  keyProfile: string;
  csvLine: number;
} | null> {
  const db = await getDb();
  const [row] = await queryRows<{
    message: Record<string, unknown>;
    name: string;
    key_profile: string;
    csv_line: number;
  }>(
    db,
    sql`SELECT r.message, j.name, j.key_profile, r.csv_line FROM batch_rows r JOIN batch_jobs j ON j.id = r.job_id
        WHERE r.job_id = ${jobId} AND r.row_no = ${rowNo}`,
  );
  return row
    ? { message: row.message, jobName: row.name, keyProfile: row.key_profile, csvLine: Number(row.csv_line) }
    : null;
}
