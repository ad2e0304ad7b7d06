import 'server-only';
import { sql } from 'drizzle-orm';
import { getDbHandle } from '@/lib/db';
import { DELIVERY_EVENTS } from '@/lib/db/partitions';
import { pruneTable } from '@/lib/db/prune-table';
import { deleteOlderThan } from '@/lib/db/delete-older-than';

const DAY_MS = 86_400_000;

/** Events (and the statuses they alone decide) older than the request log's retention go with it. */
export async function pruneDeliveryEvents(
  retentionDays: number,
  now = new Date(),
  batch = 5_000,
): Promise<number> {
  const handle = await getDbHandle();
  const { db } = handle;
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const total = await pruneTable(handle, DELIVERY_EVENTS, cutoff, { batch, now });
  // Ids of events gone are forgotten too: a retry of one after the retention is a new event.
  await deleteOlderThan(
    db,
    { table: 'delivery_event_ids', key: 'event_id', column: 'received_at' },
    cutoff,
    batch,
  );
  await db.execute(
    sql`DELETE FROM delivery_status s WHERE s.updated_at < ${cutoff.toISOString()}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM delivery_events e WHERE e.message_id = s.message_id)`,
  );
  return total;
}
