import 'server-only';
import { sql } from 'drizzle-orm';
import { getDbHandle } from '@/lib/db';
import { REQUEST_LOG } from '@/lib/db/partitions';
import { pruneTable } from '@/lib/db/prune-table';
import { pruneDeliveryEvents } from '@/lib/delivery/prune';
import { getEnv } from '@/lib/env';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Rows per DELETE: each statement is short, so writers and readers are never held up for long. */
const DEFAULT_BATCH = 5_000;

export type PruneOptions = { retentionDays?: number; now?: Date; batchSize?: number };

/** Removes request log rows older than the retention window (lib/db/prune-table.ts). Returns how many went. */
export async function pruneRequestLog(options: PruneOptions = {}): Promise<number> {
  const days = options.retentionDays ?? getEnv().requestLogRetentionDays;
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * DAY_MS);
  return pruneTable(await getDbHandle(), REQUEST_LOG, cutoff, {
    batch: options.batchSize ?? DEFAULT_BATCH,
    now: options.now,
  });
}

/**
 * PGlite runs no autovacuum: without this its planner has no statistics for the search queries
 * and deleted rows are never reclaimed. PostgreSQL does both by itself.
 */
async function maintainEmbedded(): Promise<void> {
  const handle = await getDbHandle();
  if (handle.kind !== 'pglite') return;
  await handle.db.execute(sql`VACUUM (ANALYZE) api_requests`);
  await handle.db.execute(sql`VACUUM (ANALYZE) delivery_events`);
}

const globalForPrune = globalThis as typeof globalThis & {
  __sendmuxPruneTimer?: ReturnType<typeof setInterval>;
};

/** One scheduled run: prune, then (PGlite only) vacuum and refresh the planner's statistics. */
export async function pruneAndMaintain(options: PruneOptions = {}): Promise<number> {
  const deleted = await pruneRequestLog(options);
  // Delivery events follow the request log's retention: they explain its entries.
  await pruneDeliveryEvents(options.retentionDays ?? getEnv().requestLogRetentionDays, options.now);
  await maintainEmbedded();
  return deleted;
}

async function runScheduledPrune(): Promise<void> {
  try {
    const deleted = await pruneAndMaintain();
    if (deleted > 0) {
      console.log(
        `[sendmux-console] Request log: pruned ${deleted} entr${deleted === 1 ? 'y' : 'ies'} older than ${getEnv().requestLogRetentionDays} days.`,
      );
    }
  } catch (err) {
    console.error('[sendmux-console] Request log pruning failed:', err instanceof Error ? err.message : err);
  }
}

/** Prunes shortly after start and then every hour, once per process however often it is called. */
export function startRequestLogPruning(intervalMs = HOUR_MS, firstRunMs = 10_000): void {
  if (globalForPrune.__sendmuxPruneTimer) return;
  const timer = setInterval(() => void runScheduledPrune(), intervalMs);
  timer.unref();
  globalForPrune.__sendmuxPruneTimer = timer;
  // Not during start-up itself, where it would compete with the first requests for the database.
  setTimeout(() => void runScheduledPrune(), firstRunMs).unref();
}

export function stopRequestLogPruning(): void {
  if (!globalForPrune.__sendmuxPruneTimer) return;
  clearInterval(globalForPrune.__sendmuxPruneTimer);
  globalForPrune.__sendmuxPruneTimer = undefined;
}
