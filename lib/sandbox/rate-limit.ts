import 'server-only';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { RATE_WINDOW_MS } from '@/lib/sandbox/limits';
import { sandboxDb } from '@/lib/sandbox/store';

export type RateLimitState = {
  limit: number;
  remaining: number;
  /** Epoch seconds when the current window ends (rounded up, as a client must assume). */
  reset: number;
  allowed: boolean;
  retryAfterSeconds: number;
};

type WindowRow = { window_start: string | number; count: number; allowed: boolean; now: string | number };

const NOW_MS = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** The fixed window's figures; `now` and `start` in epoch ms. */
export function describeWindow(
  limit: number,
  start: number,
  count: number,
  now: number,
  allowed: boolean,
): RateLimitState {
  const end = start + RATE_WINDOW_MS;
  return {
    limit,
    remaining: Math.max(0, limit - count),
    reset: Math.ceil(end / 1000),
    allowed,
    retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)),
  };
}

/**
 * Counts one request against the key's fixed 60-second window (a batch is one request), in the
 * database: every console instance serving the sandbox shares one window per key, as Sendmux has
 * one per key. The window opens at the first request after the last one ended; past the limit a
 * request is refused and not counted. One statement, so concurrent requests never both get the last slot.
 */
export async function takeRateLimit(scope: string): Promise<RateLimitState> {
  const limit = getEnv().sandboxRateLimit;
  const db = await sandboxDb();
  const [row] = await queryRows<WindowRow>(
    db,
    sql`WITH t AS (SELECT ${NOW_MS} AS now)
        INSERT INTO sandbox_rate_windows AS w (scope, window_start, count, allowed)
        SELECT ${scope}, t.now, 1, true FROM t
        ON CONFLICT (scope) DO UPDATE SET
          window_start = CASE WHEN w.window_start + ${RATE_WINDOW_MS} <= (SELECT now FROM t) THEN (SELECT now FROM t) ELSE w.window_start END,
          count = CASE WHEN w.window_start + ${RATE_WINDOW_MS} <= (SELECT now FROM t) THEN 1
                       WHEN w.count < ${limit} THEN w.count + 1 ELSE w.count END,
          allowed = w.window_start + ${RATE_WINDOW_MS} <= (SELECT now FROM t) OR w.count < ${limit}
        RETURNING w.window_start, w.count, w.allowed, (SELECT now FROM t) AS now`,
  );
  if (!row) throw new Error('sandbox rate window: no row');
  return describeWindow(limit, Number(row.window_start), Number(row.count), Number(row.now), row.allowed);
}

/** The key's current window without counting a request. */
export async function peekRateLimit(scope: string): Promise<RateLimitState> {
  const limit = getEnv().sandboxRateLimit;
  const db = await sandboxDb();
  const [row] = await queryRows<WindowRow>(
    db,
    sql`SELECT window_start, count, allowed, ${NOW_MS} AS now FROM sandbox_rate_windows WHERE scope = ${scope}`,
  );
  const now = row ? Number(row.now) : Date.now();
  if (!row || Number(row.window_start) + RATE_WINDOW_MS <= now)
    return describeWindow(limit, now, 0, now, true);
  return describeWindow(limit, Number(row.window_start), Number(row.count), now, true);
}

/** Headers for an answer that did not get as far as the rate limit (no key, say). */
export function freshWindow(now = Date.now()): RateLimitState {
  return describeWindow(getEnv().sandboxRateLimit, now, 0, now, true);
}

export async function resetSandboxRateLimit(): Promise<void> {
  const db = await sandboxDb();
  await db.execute(sql`DELETE FROM sandbox_rate_windows`);
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.reset),
  };
}
