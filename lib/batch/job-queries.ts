import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import {
  JOB_COLUMNS,
  NEEDS_CHANGE_SQL,
  ROW_COLUMNS,
  toJobRow,
  toSummary,
  type JobRecord,
  type RowRecord,
} from '@/lib/batch/job-records';
import type {
  ChunkCounts,
  ErrorCodeCount,
  ExportRow,
  JobCounts,
  JobListItem,
  JobProgress,
  JobRow,
  NeedsChangeGroup,
  RowFilter,
} from '@/lib/batch/job-types';
import { changeAdvice, needsChange } from '@/lib/batch/outcome';
import { getDb, queryRows, type Exec } from '@/lib/db';
import { deliveryCondition } from '@/lib/delivery/batch';
import { explainError } from '@/lib/errors/catalog';

export { getJob } from '@/lib/batch/job-records';

const RATE_WINDOW_SECONDS = 10;

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
  return queryRows<ChunkAggregate>(
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
  const [job] = await queryRows<JobRecord & { running_for: number | null }>(
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

/** Newest first; `before` is the id of the last job of the previous page. */
export async function listJobs(options: { limit?: number; before?: string } = {}): Promise<JobListItem[]> {
  const db = await getDb();
  const limit = Math.max(1, Math.min(options.limit ?? 50, 200));
  const after = options.before
    ? sql`WHERE (created_at, id) < (SELECT created_at, id FROM batch_jobs WHERE id = ${options.before})`
    : sql``;
  const jobs = await queryRows<JobRecord>(
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

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rowFilter(jobId: string, f: RowFilter): SQL {
  const parts: SQL[] = [sql`job_id = ${jobId}`];
  if (f.status) parts.push(sql`status = ${f.status}`);
  if (f.errorCode) parts.push(sql`error_code = ${f.errorCode}`);
  const q = f.q?.trim();
  if (q) parts.push(sql`to_email ILIKE ${likePattern(q)}`);
  if (f.delivery) parts.push(deliveryCondition(f.delivery));
  return sql.join(parts, sql` AND `);
}

/** One page of a job's rows in row order, for the virtualised results table (keyset on rowNo). */
export async function listJobRows(
  jobId: string,
  options: RowFilter & { cursor?: number; limit?: number } = {},
): Promise<{ rows: JobRow[]; nextCursor: number | null }> {
  const db = await getDb();
  const limit = Math.max(1, Math.min(options.limit ?? 200, 1000));
  const records = await queryRows<RowRecord>(
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
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM batch_rows WHERE ${rowFilter(jobId, filter)}`,
  );
  return Number(row?.n ?? 0);
}

/** Error codes of the job's failed rows, most frequent first (the table's error filter). */
export async function jobErrorCodes(jobId: string): Promise<ErrorCodeCount[]> {
  const db = await getDb();
  const rows = await queryRows<{ code: string; n: number }>(
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
    const page = await queryRows<RowRecord>(
      db,
      sql`SELECT ${ROW_COLUMNS}, input FROM batch_rows WHERE job_id = ${jobId} AND row_no > ${cursor} ORDER BY row_no LIMIT ${pageSize}`,
    );
    for (const r of page) yield { ...toJobRow(r), input: r.input ?? {} };
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    cursor = Number(last.row_no);
  }
}

/** Failed rows a re-send cannot fix, grouped by code with what to change (at most `rowsPerCode` rows listed each). */
export async function failedRowsNeedingChange(jobId: string, rowsPerCode = 100): Promise<NeedsChangeGroup[]> {
  const db = await getDb();
  const rows = await queryRows<RowRecord & { n: number }>(
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
