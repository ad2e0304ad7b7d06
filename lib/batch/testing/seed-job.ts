import { sql } from 'drizzle-orm';
import type { Exec } from '@/lib/db/connection';
import { batchJobs } from '@/lib/db/schema';

export type SeededJob = {
  id: string;
  rows: number;
  queued: number;
  failed: number;
  validationFailed: number;
};

/**
 * A finished job as the runner leaves one, written with a few set-based statements so that the
 * e2e tests and benches can have 100,000 rows in seconds instead of a run through the sandbox.
 * Chunks are the runner's 100 rows each. Every tenth chunk failed whole (insufficient_credits,
 * including the last one); in the other chunks one row (row 50 of the chunk) failed with a
 * validation_error on to.email and the rest were queued. Row i sends to `row-<i>@bulk.example.com`.
 */
export async function seedFinishedJob(
  db: Exec,
  options: { id: string; name: string; rows: number; profile?: string; createdByEmail?: string },
): Promise<SeededJob> {
  const { id, rows } = options;
  if (rows % 100 !== 0) throw new RangeError('Seeded jobs have whole chunks of 100 rows');
  const chunks = rows / 100;
  const chunkFailed = (c: number) => c % 10 === 9;
  const failedChunks = Array.from({ length: chunks }, (_, c) => c).filter(chunkFailed).length;
  const validationFailed = chunks - failedChunks;
  const failed = failedChunks * 100 + validationFailed;

  await db.insert(batchJobs).values({
    id,
    name: options.name,
    status: 'done',
    keyProfile: options.profile ?? 'sandbox',
    createdByEmail: options.createdByEmail ?? null,
    startedAt: new Date(Date.now() - 3_600_000),
    finishedAt: new Date(Date.now() - 60_000),
    totalRows: rows,
    columns: ['email', 'name'],
    spec: {},
  });
  await db.execute(sql`
    INSERT INTO batch_rows (job_id, row_no, csv_line, input, message, to_email, status, message_id,
                            error_code, error_message, error_fields, request_id, idempotency_key, chunk_no, try)
    SELECT ${id}, i, i + 1,
      jsonb_build_object('email', s.to_email, 'name', 'Row ' || i),
      jsonb_build_object(
        'from', jsonb_build_object('email', 'news@shop.test', 'name', 'Shop'),
        'to', jsonb_build_object('email', s.to_email, 'name', 'Row ' || i),
        'subject', 'Spring sale, row ' || i,
        'html_body', '<p>Hello Row ' || i || ', the spring sale starts today.</p>',
        'text_body', 'Hello Row ' || i || ', the spring sale starts today.'),
      s.to_email,
      CASE WHEN s.outcome = 'queued' THEN 'queued' ELSE 'failed' END,
      CASE WHEN s.outcome = 'queued' THEN 'eml_seed' || lpad(i::text, 18, '0') END,
      CASE s.outcome WHEN 'chunk' THEN 'insufficient_credits' WHEN 'row' THEN 'validation_error' END,
      CASE s.outcome WHEN 'chunk' THEN 'The team balance is too low for this request.'
                     WHEN 'row' THEN 'The request failed validation.' END,
      CASE WHEN s.outcome = 'row' THEN jsonb_build_array(jsonb_build_object(
        'field', 'to.email', 'code', 'invalid', 'message', 'Not a deliverable address')) END,
      'req_seed' || lpad(s.chunk::text, 18, '0'),
      'job:' || ${id} || ':chunk:' || s.chunk || ':try:1',
      s.chunk, 1
    FROM generate_series(1, ${rows}::int) AS i,
      LATERAL (SELECT 'row-' || i || '@bulk.example.com' AS to_email, (i - 1) / 100 AS chunk,
        CASE WHEN (i - 1) / 100 % 10 = 9 THEN 'chunk' WHEN i % 100 = 50 THEN 'row' ELSE 'queued' END AS outcome) AS s`);
  await db.execute(sql`
    INSERT INTO batch_chunks (job_id, chunk_no, try, idempotency_key, row_nos, status, sends,
                              queued_count, failed_count, last_error_code, last_request_id, completed_at)
    SELECT ${id}, c, 1, 'job:' || ${id} || ':chunk:' || c || ':try:1',
      ARRAY(SELECT generate_series(c * 100 + 1, c * 100 + 100)),
      CASE WHEN c % 10 = 9 THEN 'failed' ELSE 'done' END, 1,
      CASE WHEN c % 10 = 9 THEN 0 ELSE 99 END,
      CASE WHEN c % 10 = 9 THEN 100 ELSE 1 END,
      CASE WHEN c % 10 = 9 THEN 'insufficient_credits' END,
      'req_seed' || lpad(c::text, 18, '0'),
      now() - interval '2 minutes'
    FROM generate_series(0, ${chunks - 1}::int) AS c`);
  await db.execute(sql`ANALYZE batch_rows`);
  await db.execute(sql`ANALYZE batch_chunks`);
  return { id, rows, queued: rows - failed, failed, validationFailed };
}
