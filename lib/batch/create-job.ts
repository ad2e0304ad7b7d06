import 'server-only';
import { sql } from 'drizzle-orm';
import { recordAudit } from '@/lib/auth/audit';
import { INSERT_SLICE } from '@/lib/batch/job-records';
import { MAX_JOB_ROWS, type CreateJobInput } from '@/lib/batch/job-types';
import { wakeBatchRunner } from '@/lib/batch/wake';
import { getDb, tables } from '@/lib/db';
import { randomId } from '@/lib/ids';
import { chunkIdempotencyKey, chunkRows } from '@/lib/mail-merge/chunking';
import { MAX_BATCH } from '@/lib/schemas/limits';
import { hasProfile } from '@/lib/sendmux/profiles';

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
    MAX_BATCH,
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
