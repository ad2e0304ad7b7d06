import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, queryRows } from '@/lib/db';

const DAY_MS = 86_400_000;

/** Events (and the statuses they alone decide) older than the request log's retention go with it. */
export async function pruneDeliveryEvents(
  retentionDays: number,
  now = new Date(),
  batch = 5_000,
): Promise<number> {
  const db = await getDb();
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ n: number | string }>(
      db,
      sql`WITH gone AS (
            DELETE FROM delivery_events WHERE event_id IN (
              SELECT event_id FROM delivery_events WHERE received_at < ${cutoff}::timestamptz LIMIT ${batch} FOR UPDATE SKIP LOCKED
            ) RETURNING 1
          ) SELECT count(*) AS n FROM gone`,
    );
    const n = Number(rows[0]?.n ?? 0);
    total += n;
    if (n < batch) break;
  }
  await db.execute(
    sql`DELETE FROM delivery_status s WHERE s.updated_at < ${cutoff}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM delivery_events e WHERE e.message_id = s.message_id)`,
  );
  return total;
}
