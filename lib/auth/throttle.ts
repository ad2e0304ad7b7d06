import 'server-only';
import { eq, inArray, lt, sql } from 'drizzle-orm';
import { getDb, tables } from '@/lib/db';

// Sign-in throttling (OWASP Authentication Cheat Sheet): a growing delay after the first few
// attempts and a cap per hour, per account and per client address, and device cookies (OWASP "Slow
// Down Online Guessing Attacks with Device Cookies") so that an attacker hammering an account cannot
// lock its owner out of a browser that has signed in before.
//
// Every attempt is counted BEFORE the password is checked, under a row lock, and a success gives
// its count back. Counting afterwards would let parallel guesses all pass a check that saw none of
// the others.

export const WINDOW_MS = 3_600_000;

export type ThrottlePolicy = {
  /** Attempts in the window that go without delay. */
  free: number;
  /** Attempts in the window after which the key is blocked until the window ends. */
  maxPerWindow: number;
  /** Cap on the delay that doubles with every attempt past `free`. */
  maxDelaySeconds: number;
};

export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, maxPerWindow: 100, maxDelaySeconds: 60 };
/** Looser than per account: an office behind one NAT address signs in together. */
export const ADDRESS_POLICY: ThrottlePolicy = { free: 20, maxPerWindow: 300, maxDelaySeconds: 60 };
/** A browser with a device cookie for the account skips the account and address counts, ten times an hour. */
export const DEVICE_POLICY: ThrottlePolicy = { free: 10, maxPerWindow: 10, maxDelaySeconds: 0 };

export type ThrottleCounter = { windowStart: number; attempts: number; lastAttemptAt: number };

export type ThrottleDecision =
  { allowed: true; next: ThrottleCounter } | { allowed: false; retryAfterSeconds: number };

/** Whether one more attempt may go ahead on a key, and the key's count if it does. */
export function throttleDecision(
  counter: ThrottleCounter | null,
  now: number,
  policy: ThrottlePolicy,
): ThrottleDecision {
  const c =
    counter && now - counter.windowStart < WINDOW_MS
      ? counter
      : { windowStart: now, attempts: 0, lastAttemptAt: 0 };
  if (c.attempts >= policy.maxPerWindow)
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((c.windowStart + WINDOW_MS - now) / 1000)),
    };
  if (c.attempts >= policy.free) {
    const delayMs = Math.min(policy.maxDelaySeconds, 2 ** (c.attempts - policy.free)) * 1000;
    const wait = c.lastAttemptAt + delayMs - now;
    if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) };
  }
  return {
    allowed: true,
    next: { windowStart: c.windowStart, attempts: c.attempts + 1, lastAttemptAt: now },
  };
}

export type ThrottleKey = { key: string; policy: ThrottlePolicy };

export const accountKey = (email: string): ThrottleKey => ({
  key: `account:${email}`,
  policy: ACCOUNT_POLICY,
});
export const addressKey = (ip: string): ThrottleKey => ({ key: `address:${ip}`, policy: ADDRESS_POLICY });
export const deviceKey = (id: string): ThrottleKey => ({ key: `device:${id}`, policy: DEVICE_POLICY });

/**
 * Counts one attempt on every key, or on none: if any key is blocked nothing is counted and the
 * longest wait comes back. The rows are created if missing and locked in key order, so concurrent
 * attempts (in this process or another instance) queue up and each sees the others' counts.
 */
export async function reserveAttempt(
  keys: ThrottleKey[],
  now = Date.now(),
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  if (keys.length === 0) return { allowed: true };
  const sorted = [...keys].sort((a, b) => a.key.localeCompare(b.key));
  const t = tables.signInThrottle;
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx
      .insert(t)
      .values(
        sorted.map(({ key }) => ({
          key,
          windowStart: new Date(now),
          attempts: 0,
          lastAttemptAt: new Date(0),
        })),
      )
      .onConflictDoNothing();
    const rows = await tx
      .select()
      .from(t)
      .where(
        inArray(
          t.key,
          sorted.map((k) => k.key),
        ),
      )
      .orderBy(t.key)
      .for('update');
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const decisions = sorted.map(({ key, policy }) => {
      const row = byKey.get(key);
      const counter = row
        ? {
            windowStart: row.windowStart.getTime(),
            attempts: row.attempts,
            lastAttemptAt: row.lastAttemptAt.getTime(),
          }
        : null;
      return { key, decision: throttleDecision(counter, now, policy) };
    });
    const waits = decisions.flatMap(({ decision }) => (decision.allowed ? [] : [decision.retryAfterSeconds]));
    if (waits.length > 0) return { allowed: false as const, retryAfterSeconds: Math.max(...waits) };
    for (const { key, decision } of decisions) {
      if (!decision.allowed) continue;
      await tx
        .update(t)
        .set({
          windowStart: new Date(decision.next.windowStart),
          attempts: decision.next.attempts,
          lastAttemptAt: new Date(decision.next.lastAttemptAt),
        })
        .where(eq(t.key, key));
    }
    return { allowed: true as const };
  });
}

/** After a success: the account (or device) starts afresh, and the address gets its attempt back. */
export async function settleSuccess(reset: ThrottleKey[], refund: ThrottleKey[]): Promise<void> {
  const db = await getDb();
  const t = tables.signInThrottle;
  if (reset.length > 0)
    await db.delete(t).where(
      inArray(
        t.key,
        reset.map((k) => k.key),
      ),
    );
  // Relative, so that attempts counted meanwhile by others stay counted.
  if (refund.length > 0)
    await db
      .update(t)
      .set({ attempts: sql`greatest(${t.attempts} - 1, 0)` })
      .where(
        inArray(
          t.key,
          refund.map((k) => k.key),
        ),
      );
}

/** Rows whose window ended more than an hour ago hold nothing a decision would read. */
export async function pruneSignInThrottle(now = Date.now()): Promise<number> {
  const db = await getDb();
  const gone = await db
    .delete(tables.signInThrottle)
    .where(lt(tables.signInThrottle.windowStart, new Date(now - 2 * WINDOW_MS)))
    .returning({ key: tables.signInThrottle.key });
  return gone.length;
}
