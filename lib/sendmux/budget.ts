import 'server-only';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getDbHandle, queryRows, type Exec } from '@/lib/db';
import { getEnv, type Config } from '@/lib/env';
import { recordBudgetWait } from '@/lib/metrics/registry';
import { resolveProfileKey, UnknownProfileError } from '@/lib/sendmux/profiles';
import {
  BUDGET_DEFAULTS,
  DEFAULT_RATE_LIMIT,
  observe,
  remaining,
  reserveFor,
  takeSlot as takeFromState,
  type BudgetPolicy,
  type BudgetState,
  type Observation,
  type SlotClass,
} from '@/lib/sendmux/rate-budget';

// One rate budget per key in the database, shared by every console instance and every sender:
// batch workers, Compose, manual batches, SMTP test sends. Each take or observation is one short
// transaction holding the key's row (SELECT … FOR UPDATE), computed by lib/sendmux/rate-budget.ts
// on the database's clock, so two instances never hand out the same slot.

export type { SlotClass } from '@/lib/sendmux/rate-budget';

/** An interactive sender waits at most this long, then goes ahead and lets Sendmux decide. */
export const INTERACTIVE_MAX_WAIT_MS = 15_000;
/** Longest single sleep between asks: other instances may learn something meanwhile. */
const MAX_POLL_MS = 2_000;

type Row = {
  limit: number;
  window_ends_at: string | number | null;
  taken: number;
  batch_taken: number;
  late: number;
  next_batch_at: string | number | null;
  paused_until: string | number | null;
  last_interactive_at: string | number | null;
  upstream_remaining: number | null;
  now: string | number;
};

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

function toState(row: Row): BudgetState {
  return {
    limit: Number(row.limit),
    windowEndsAt: num(row.window_ends_at),
    taken: Number(row.taken),
    batchTaken: Number(row.batch_taken),
    late: Number(row.late),
    nextBatchAt: num(row.next_batch_at),
    pausedUntil: num(row.paused_until),
    lastInteractiveAt: num(row.last_interactive_at),
    upstreamRemaining: row.upstream_remaining === null ? null : Number(row.upstream_remaining),
  };
}

let policyCache: { config: Config; policy: BudgetPolicy } | undefined;

export function budgetPolicy(): BudgetPolicy {
  const config = getEnv();
  if (policyCache?.config !== config) {
    policyCache = {
      config,
      policy: {
        ...BUDGET_DEFAULTS,
        reserve: (limit) => reserveFor(limit, config.interactiveReserve),
        batchMaxRate: config.batchMaxRate,
      },
    };
  }
  return policyCache.policy;
}

/**
 * The budget's id: a fingerprint of the key, so profiles (or instances) naming the same key
 * differently share one budget, and the key itself is never stored.
 */
export function budgetScope(profile: string): string {
  const key = resolveProfileKey(profile);
  if (!key) throw new UnknownProfileError(profile);
  let scope = scopes.get(key);
  if (scope === undefined) {
    scope = createHash('sha256').update(`sendmux-console rate budget\n${key}`).digest('hex').slice(0, 32);
    scopes.set(key, scope);
  }
  return scope;
}
const scopes = new Map<string, string>();

const NOW_MS = sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** Runs `step` on the key's row under its lock and stores what it returns. */
async function withBudget<T>(
  profile: string,
  step: (state: BudgetState, now: number) => { state: BudgetState; result: T },
): Promise<T> {
  const scope = budgetScope(profile);
  const { db } = await getDbHandle();
  return db.transaction(async (tx) => {
    let [row] = await selectForUpdate(tx, scope);
    if (!row) {
      await tx.execute(
        sql`INSERT INTO rate_budgets (scope, profile, "limit", updated_at)
            VALUES (${scope}, ${profile}, ${DEFAULT_RATE_LIMIT}, ${NOW_MS}) ON CONFLICT (scope) DO NOTHING`,
      );
      [row] = await selectForUpdate(tx, scope);
      if (!row) throw new Error('rate budget row vanished');
    }
    const now = Number(row.now);
    const { state: s, result } = step(toState(row), now);
    await tx.execute(
      sql`UPDATE rate_budgets SET profile = ${profile}, "limit" = ${s.limit}, window_ends_at = ${s.windowEndsAt},
            taken = ${s.taken}, batch_taken = ${s.batchTaken}, late = ${s.late}, next_batch_at = ${s.nextBatchAt},
            paused_until = ${s.pausedUntil}, last_interactive_at = ${s.lastInteractiveAt},
            upstream_remaining = ${s.upstreamRemaining}, updated_at = ${now}
          WHERE scope = ${scope}`,
    );
    return result;
  });
}

function selectForUpdate(exec: Exec, scope: string): Promise<Row[]> {
  return queryRows<Row>(
    exec,
    sql`SELECT "limit", window_ends_at, taken, batch_taken, late, next_batch_at, paused_until,
          last_interactive_at, upstream_remaining, ${NOW_MS} AS now
        FROM rate_budgets WHERE scope = ${scope} FOR UPDATE`,
  );
}

// Profiles whose batch budget is spent until a known time, so idle workers do not claim their
// chunks only to sit on them (another profile's job may be waiting). Per process; a hint only.
const globalForBudget = globalThis as typeof globalThis & { __sendmuxBatchBlocked?: Map<string, number> };
const blocked = () => (globalForBudget.__sendmuxBatchBlocked ??= new Map());

/** Profiles batch workers should not claim for now, and the earliest time one frees up. */
export function batchBlockedProfiles(now = Date.now()): { profiles: string[]; until: number | null } {
  const profiles: string[] = [];
  let until: number | null = null;
  for (const [profile, at] of blocked()) {
    if (at <= now) blocked().delete(profile);
    else {
      profiles.push(profile);
      until = until === null ? at : Math.min(until, at);
    }
  }
  return { profiles, until };
}

export type SlotOptions = {
  /** Stop waiting (returns granted: false). */
  signal?: AbortSignal;
  /** Give up waiting after this long (returns granted: false). */
  maxWaitMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export type Slot = { granted: boolean; waitedMs: number };

/** Resolves after `ms`, or at once when `signal` aborts; `unref`: the wait alone does not keep the process alive. */
export const abortableSleep = (ms: number, signal?: AbortSignal, unref = false) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (unref) timer.unref?.();
    signal?.addEventListener('abort', done, { once: true });
  });

/** Waits for one request start of `cls` on the profile's key; every sender goes through here. */
export async function takeSlot(profile: string, cls: SlotClass, options: SlotOptions = {}): Promise<Slot> {
  const policy = budgetPolicy();
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => abortableSleep(ms, signal, true));
  const t0 = performance.now();
  const waited = () => performance.now() - t0;
  // Waiting starts with the first "not yet": a slot granted at once cost a query, not a wait.
  let denied = false;
  const finish = (granted: boolean): Slot => {
    const slot = { granted, waitedMs: denied ? waited() : 0 };
    recordBudgetWait(profile, cls, slot.waitedMs);
    return slot;
  };
  for (;;) {
    if (options.signal?.aborted) return finish(false);
    if (cls === 'interactive' && !denied && (await takeInteractiveFast(profile, policy))) return finish(true);
    const r = await withBudget(profile, (state, now) => {
      const taken = takeFromState(state, now, cls, policy);
      return { state: taken.state, result: { ...taken, now } };
    });
    if (r.granted) {
      if (cls === 'batch') blocked().delete(profile);
      return finish(true);
    }
    denied = true;
    const waitMs = r.retryAt - r.now;
    if (cls === 'batch') blocked().set(profile, Date.now() + waitMs);
    if (options.maxWaitMs !== undefined && waited() + waitMs > options.maxWaitMs) return finish(false);
    // A little jitter so that waiters of several instances do not all ask in the same millisecond.
    await sleep(Math.min(waitMs, MAX_POLL_MS) + Math.random() * 20, options.signal);
  }
}

/**
 * An interactive start in one statement when the key's window is open, has room and no pause
 * holds it: exactly what takeSlot() in rate-budget.ts grants an interactive taker then (one more
 * taken, counted late in the last second, the time noted for the reserve). Anything else (a
 * window to open, a pause, a full window) goes through the full transaction. A person waiting
 * for Send pays one round trip instead of four.
 */
async function takeInteractiveFast(profile: string, policy: BudgetPolicy): Promise<boolean> {
  const { db } = await getDbHandle();
  const rows = await queryRows<{ ok: number }>(
    db,
    sql`WITH t AS (SELECT ${NOW_MS} AS now)
        UPDATE rate_budgets b SET taken = b.taken + 1, last_interactive_at = t.now, updated_at = t.now,
          late = b.late + CASE WHEN t.now >= b.window_ends_at - ${policy.guardMs} THEN 1 ELSE 0 END
        FROM t
        WHERE b.scope = ${budgetScope(profile)} AND b.window_ends_at > t.now AND b.taken < b."limit"
          AND (b.paused_until IS NULL OR b.paused_until <= t.now)
        RETURNING 1 AS ok`,
  );
  return rows.length > 0;
}

/** For Compose, manual batches, SMTP test sends and other things a person is waiting for. */
export function takeInteractiveSlot(profile: string, options: Omit<SlotOptions, 'maxWaitMs'> = {}) {
  return takeSlot(profile, 'interactive', { maxWaitMs: INTERACTIVE_MAX_WAIT_MS, ...options });
}

/** For batch workers: waits as long as it takes, or until `signal` (returns granted: false). */
export function takeBatchSlot(profile: string, signal?: AbortSignal) {
  return takeSlot(profile, 'batch', { signal });
}

/** Feeds a response's X-RateLimit-* / Retry-After back into the key's budget. */
export async function observeRateLimit(profile: string, o: Observation): Promise<void> {
  const info = o.rateLimit;
  const says =
    info.limit !== undefined || info.remaining !== undefined || o.status === 429 || o.status === 503;
  if (!says) return;
  const policy = budgetPolicy();
  await withBudget(profile, (state, now) => ({ state: observe(state, now, o, policy), result: undefined }));
}

export type BudgetView = {
  profile: string;
  limit: number;
  remaining: number;
  remainingForBatches: number;
  upstreamRemaining: number | null;
  pausedUntil: number | null;
};

/** Every key's budget as the database holds it now, for /api/metrics. */
export async function budgetViews(exec?: Exec): Promise<BudgetView[]> {
  const policy = budgetPolicy();
  const db = exec ?? (await getDbHandle()).db;
  const rows = await queryRows<Row & { profile: string }>(
    db,
    sql`SELECT profile, "limit", window_ends_at, taken, batch_taken, late, next_batch_at, paused_until,
          last_interactive_at, upstream_remaining, ${NOW_MS} AS now FROM rate_budgets ORDER BY profile`,
  );
  return rows.map((row) => {
    const state = toState(row);
    const now = Number(row.now);
    const left = remaining(state, now, policy);
    return {
      profile: row.profile,
      limit: state.limit,
      remaining: left.total,
      remainingForBatches: left.batch,
      upstreamRemaining: state.upstreamRemaining,
      pausedUntil: state.pausedUntil !== null && state.pausedUntil > now ? state.pausedUntil : null,
    };
  });
}
