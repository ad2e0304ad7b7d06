import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, queryRows } from '@/lib/db';
import { isDraining } from '@/lib/lifecycle/drain';
import { metrics } from '@/lib/metrics/registry';
import { budgetViews } from '@/lib/sendmux/budget';

/** Reads the gauges that live in the database, then renders every metric in Prometheus text format. */
export async function scrapeMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const db = await getDb();
  const [budgets, rows, jobs] = await Promise.all([
    budgetViews(db),
    // Running and paused jobs only: the backlog, from the (job_id, status) index, not every row ever sent.
    queryRows<{ status: string; n: number }>(
      db,
      sql`SELECT r.status, count(*)::int AS n FROM batch_rows r
          WHERE r.job_id IN (SELECT id FROM batch_jobs WHERE status IN ('running', 'paused'))
          GROUP BY r.status`,
    ),
    queryRows<{ status: string; n: number }>(
      db,
      sql`SELECT status, count(*)::int AS n FROM batch_jobs GROUP BY status`,
    ),
  ]);
  const now = Date.now();
  m.budgetRemaining.reset();
  m.budgetLimit.reset();
  m.budgetPaused.reset();
  for (const b of budgets) {
    m.budgetRemaining.set({ profile: b.profile }, b.remaining);
    m.budgetLimit.set({ profile: b.profile }, b.limit);
    m.budgetPaused.set({ profile: b.profile }, b.pausedUntil ? Math.max(0, (b.pausedUntil - now) / 1000) : 0);
  }
  m.jobRows.reset();
  for (const status of ['pending', 'sending', 'queued', 'failed', 'cancelled']) m.jobRows.set({ status }, 0);
  for (const r of rows) m.jobRows.set({ status: r.status }, Number(r.n));
  m.jobs.reset();
  for (const status of ['running', 'paused', 'cancelled', 'done']) m.jobs.set({ status }, 0);
  for (const j of jobs) m.jobs.set({ status: j.status }, Number(j.n));
  m.draining.set(isDraining() ? 1 : 0);
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
