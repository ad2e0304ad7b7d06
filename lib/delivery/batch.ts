import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { getDb, queryRows } from '@/lib/db';
import { DELIVERY_OUTCOMES, type DeliveryOutcome } from '@/lib/delivery-status/status';

/** A batch_rows condition: the row's message has this delivery outcome (none: queued, no event yet). */
export function deliveryCondition(outcome: DeliveryOutcome): SQL {
  if (outcome === 'none')
    return sql`status = 'queued' AND NOT EXISTS (SELECT 1 FROM delivery_status s WHERE s.message_id = batch_rows.message_id)`;
  return sql`EXISTS (SELECT 1 FROM delivery_status s WHERE s.message_id = batch_rows.message_id AND s.status = ${outcome})`;
}

export type DeliveryCounts = Record<DeliveryOutcome, number>;

/** Delivery outcomes of the job's queued rows (the only rows Sendmux reports on). */
export async function jobDeliveryCounts(jobId: string): Promise<DeliveryCounts> {
  const rows = await queryRows<{ outcome: DeliveryOutcome; n: number }>(
    await getDb(),
    sql`SELECT coalesce(s.status, 'none') AS outcome, count(*)::int AS n
        FROM batch_rows r LEFT JOIN delivery_status s ON s.message_id = r.message_id
        WHERE r.job_id = ${jobId} AND r.status = 'queued'
        GROUP BY 1`,
  );
  const counts = Object.fromEntries(DELIVERY_OUTCOMES.map((o) => [o, 0])) as DeliveryCounts;
  for (const r of rows) counts[r.outcome] = Number(r.n);
  return counts;
}
