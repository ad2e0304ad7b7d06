import 'server-only';
import type { DbHandle } from '@/lib/db/connection';
import { deleteOlderThan } from '@/lib/db/delete-older-than';
import {
  dropExpiredPartitions,
  ensureDayPartitions,
  listPartitions,
  type PartitionedTable,
} from '@/lib/db/partitions';

/**
 * Removes a table's rows older than `cutoff` and returns how many went. PGlite: DELETEs, a batch
 * at a time. PostgreSQL (by day, lib/db/partitions.ts): makes the days ahead, drops each day whose
 * last row is past the cutoff, and deletes the old rows of the default and pre-partitioning
 * partitions a batch at a time.
 */
export async function pruneTable(
  handle: DbHandle,
  t: PartitionedTable,
  cutoff: Date,
  options: { batch: number; now?: Date },
): Promise<number> {
  const { db, pool } = handle;
  const target = (table: string) => ({ table, key: t.key, column: t.column });
  if (!pool) return deleteOlderThan(db, target(t.table), cutoff, options.batch);
  const client = await pool.connect();
  try {
    await ensureDayPartitions(client, t, { now: options.now });
    let deleted = (await dropExpiredPartitions(client, t, cutoff)).rowsDropped;
    for (const p of await listPartitions(client, t))
      if (p.kind !== 'day') deleted += await deleteOlderThan(db, target(p.name), cutoff, options.batch);
    return deleted;
  } finally {
    client.release();
  }
}
