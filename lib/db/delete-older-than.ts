import 'server-only';
import { sql } from 'drizzle-orm';
import { queryRows, type Exec } from '@/lib/db/connection';

/**
 * Deletes the rows of `table` whose `column` is before `cutoff`, `batch` at a time, and returns how
 * many went. Each statement is short, so writers and readers are never held up for long; SKIP
 * LOCKED lets several console instances prune one PostgreSQL database at once.
 */
export async function deleteOlderThan(
  exec: Exec,
  target: { table: string; key: string; column: string },
  cutoff: Date,
  batch = 5_000,
): Promise<number> {
  const table = sql.identifier(target.table);
  const key = sql.identifier(target.key);
  const column = sql.identifier(target.column);
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ n: number | string }>(
      exec,
      sql`WITH gone AS (
            DELETE FROM ${table} WHERE ${key} IN (
              SELECT ${key} FROM ${table} WHERE ${column} < ${cutoff.toISOString()}::timestamptz
              LIMIT ${batch} FOR UPDATE SKIP LOCKED
            ) RETURNING 1
          ) SELECT count(*) AS n FROM gone`,
    );
    const n = Number(rows[0]?.n ?? 0);
    total += n;
    if (n < batch) return total;
  }
}
