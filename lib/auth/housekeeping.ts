import 'server-only';
import { pruneAudit } from '@/lib/auth/audit';
import { pruneExpiredSessions } from '@/lib/auth/session';
import { pruneSignInThrottle } from '@/lib/auth/throttle';
import { getEnv } from '@/lib/env';

const HOUR_MS = 3_600_000;

export type HousekeepingReport = { sessions: number; auditEntries: number; throttleKeys: number };

/** Expired sessions, audit entries past AUDIT_RETENTION_DAYS and spent sign-in counters go. */
export async function runHousekeeping(
  options: { now?: Date; auditRetentionDays?: number } = {},
): Promise<HousekeepingReport> {
  const now = options.now ?? new Date();
  return {
    sessions: await pruneExpiredSessions(now),
    auditEntries: await pruneAudit(options.auditRetentionDays ?? getEnv().auditRetentionDays, now),
    throttleKeys: await pruneSignInThrottle(now.getTime()),
  };
}

async function scheduledRun(): Promise<void> {
  try {
    const r = await runHousekeeping();
    if (r.auditEntries > 0)
      console.log(
        `[sendmux-console] Audit log: pruned ${r.auditEntries} entr${r.auditEntries === 1 ? 'y' : 'ies'} older than ${getEnv().auditRetentionDays} days.`,
      );
  } catch (err) {
    console.error('[sendmux-console] Housekeeping failed:', err instanceof Error ? err.message : err);
  }
}

const globalForHousekeeping = globalThis as typeof globalThis & {
  __sendmuxHousekeeping?: ReturnType<typeof setInterval>;
};

/** Runs shortly after start and then every hour, once per process however often it is called. */
export function startHousekeeping(intervalMs = HOUR_MS, firstRunMs = 15_000): void {
  if (globalForHousekeeping.__sendmuxHousekeeping) return;
  const timer = setInterval(() => void scheduledRun(), intervalMs);
  timer.unref();
  globalForHousekeeping.__sendmuxHousekeeping = timer;
  setTimeout(() => void scheduledRun(), firstRunMs).unref();
}
