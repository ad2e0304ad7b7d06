import { sql } from 'drizzle-orm';
import { getDb, queryRows } from '@/lib/db';
import { getJobProgress } from '@/lib/batch/job-queries';
import type { JobProgress } from '@/lib/batch/job-types';

/** Used by tests: waits (polling) until a job leaves running/paused, or throws after `timeoutMs`. */
export async function waitForJob(
  jobId: string,
  until: (p: JobProgress) => boolean = (p) => p.job.status === 'done' || p.job.status === 'cancelled',
  timeoutMs = 45_000,
): Promise<JobProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await getJobProgress(jobId);
    if (!progress) throw new Error(`job ${jobId} does not exist`);
    if (until(progress)) return progress;
    if (Date.now() > deadline)
      throw new Error(
        `job ${jobId} did not get there in ${timeoutMs} ms: ${JSON.stringify(progress.rows)} ${progress.job.status}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type StoredRow = {
  row_no: number;
  status: string;
  to_email: string;
  message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  error_fields: { field: string; code: string; message: string }[] | null;
  request_id: string | null;
  idempotency_key: string | null;
  chunk_no: number | null;
  try: number;
};

export async function storedRows(jobId: string): Promise<Map<number, StoredRow>> {
  const rows = await queryRows<StoredRow>(
    await getDb(),
    sql`SELECT row_no, status, to_email, message_id, error_code, error_message, error_fields, request_id, idempotency_key, chunk_no, try
        FROM batch_rows WHERE job_id = ${jobId} ORDER BY row_no`,
  );
  return new Map(rows.map((r) => [Number(r.row_no), r]));
}

/** How many times the sandbox outbox holds each subject of the tag (each row's subject is unique). */
export async function outboxBySubject(
  tag: string,
): Promise<Map<string, { count: number; ids: string[]; keys: string[] }>> {
  const rows = await queryRows<{ subject: string; id: string; idempotency_key: string | null }>(
    await getDb(),
    sql`SELECT subject, id, idempotency_key FROM sandbox_messages WHERE subject LIKE ${`${tag} row %`}`,
  );
  const out = new Map<string, { count: number; ids: string[]; keys: string[] }>();
  for (const r of rows) {
    const entry = out.get(r.subject) ?? { count: 0, ids: [], keys: [] };
    entry.count++;
    entry.ids.push(r.id);
    entry.keys.push(r.idempotency_key ?? '');
    out.set(r.subject, entry);
  }
  return out;
}

export type Attempt = {
  idempotency_key: string;
  status: number | null;
  ok: boolean | null;
  error_code: string | null;
  request_id: string | null;
  message_count: number;
  recipients: string[];
};

export async function attemptsOf(jobId: string): Promise<Attempt[]> {
  return queryRows<Attempt>(
    await getDb(),
    sql`SELECT idempotency_key, status, ok, error_code, request_id, message_count, recipients FROM api_requests WHERE job_id = ${jobId} ORDER BY id`,
  );
}
