import 'server-only';
import type { RateLimitInfo } from '@/lib/sendmux/types';

// The arithmetic of one key's rate budget: pure functions of the stored state and a clock, so that
// every instance computes the same thing from the same row (lib/sendmux/budget.ts keeps the row).
//
// Model: the upstream counts requests per key in windows (Sendmux: 1,800 per 60 s) and says how
// many are left and when the window resets. A window opens at the first start after the last one
// ended. Any sender may start while the window has room; batch jobs leave the interactive reserve
// alone while people have been sending recently, and stop one second before the reset, whose
// header is rounded up to whole seconds, so a batch start never lands in the next upstream window.

/** Sendmux's documented limit, assumed until a response says otherwise. */
export const DEFAULT_RATE_LIMIT = 1800;

export type SlotClass = 'interactive' | 'batch';

export type BudgetState = {
  limit: number;
  /** Epoch ms when the current window ends; null before the first start. */
  windowEndsAt: number | null;
  taken: number;
  batchTaken: number;
  late: number;
  nextBatchAt: number | null;
  pausedUntil: number | null;
  lastInteractiveAt: number | null;
  upstreamRemaining: number | null;
};

export type BudgetPolicy = {
  windowMs: number;
  /** Requests per window kept for interactive sends; a function of the announced limit. */
  reserve: (limit: number) => number;
  /** BATCH_MAX_RATE: batch starts per window, spaced evenly. Undefined: no cap but the window. */
  batchMaxRate?: number;
  /** The reserve is held while an interactive send started within this long. */
  idleMs: number;
  /** No batch start this close to the window's end (the Reset header is whole seconds). */
  guardMs: number;
  /** Longest pause a Retry-After may impose. */
  maxPauseMs: number;
};

export const BUDGET_DEFAULTS = {
  windowMs: 60_000,
  idleMs: 10 * 60_000,
  guardMs: 1_000,
  maxPauseMs: 60_000,
} as const;

/**
 * The default reserve: 5% of the limit, at least 10 requests a window, at most half of it
 * (1,800 → 90; 30 → 10; 10 → 5). A configured number is kept below the limit.
 */
export function reserveFor(limit: number, configured?: { count?: number; percent?: number }): number {
  if (configured?.count !== undefined) return Math.max(0, Math.min(configured.count, limit - 1));
  if (configured?.percent !== undefined)
    return Math.max(0, Math.min(Math.ceil((limit * configured.percent) / 100), limit - 1));
  return Math.min(Math.max(10, Math.ceil(limit * 0.05)), Math.floor(limit / 2));
}

export function initialBudget(limit = DEFAULT_RATE_LIMIT): BudgetState {
  return {
    limit,
    windowEndsAt: null,
    taken: 0,
    batchTaken: 0,
    late: 0,
    nextBatchAt: null,
    pausedUntil: null,
    lastInteractiveAt: null,
    upstreamRemaining: null,
  };
}

/** Opens a new window when none is open: starts made in the last one's final second count in it. */
export function rollover(state: BudgetState, now: number, policy: BudgetPolicy): BudgetState {
  if (state.windowEndsAt !== null && now < state.windowEndsAt) return state;
  return { ...state, windowEndsAt: now + policy.windowMs, taken: state.late, batchTaken: 0, late: 0 };
}

export type DenyReason = 'paused' | 'window' | 'reserve' | 'guard' | 'max_rate';

export type TakeResult =
  | { granted: true; state: BudgetState }
  | { granted: false; state: BudgetState; retryAt: number; reason: DenyReason };

/** Whether the interactive reserve is kept from batches right now: someone sent recently. */
export function reserveHeld(state: BudgetState, now: number, policy: BudgetPolicy): boolean {
  return state.lastInteractiveAt !== null && now - state.lastInteractiveAt < policy.idleMs;
}

/** One start of class `cls` at `now`: granted with the new state, or when to ask again. */
export function takeSlot(state: BudgetState, now: number, cls: SlotClass, policy: BudgetPolicy): TakeResult {
  const s = rollover(state, now, policy);
  const deny = (reason: DenyReason, retryAt: number): TakeResult => ({
    granted: false,
    state: s,
    retryAt: Math.max(retryAt, now + 1),
    reason,
  });
  if (s.pausedUntil !== null && s.pausedUntil > now) return deny('paused', s.pausedUntil);
  const end = s.windowEndsAt!;
  const left = s.limit - s.taken;

  if (cls === 'interactive') {
    if (left <= 0) return deny('window', end);
    return {
      granted: true,
      state: {
        ...s,
        taken: s.taken + 1,
        late: s.late + (now >= end - policy.guardMs ? 1 : 0),
        lastInteractiveAt: now,
      },
    };
  }

  if (now >= end - policy.guardMs) return deny('guard', end);
  const max = policy.batchMaxRate;
  if (max !== undefined) {
    if (s.batchTaken >= max) return deny('max_rate', end);
    if (s.nextBatchAt !== null && s.nextBatchAt > now) return deny('max_rate', s.nextBatchAt);
  }
  const held = reserveHeld(s, now, policy) ? policy.reserve(s.limit) : 0;
  if (left - held <= 0) return deny(left > 0 ? 'reserve' : 'window', end);
  return {
    granted: true,
    state: {
      ...s,
      taken: s.taken + 1,
      batchTaken: s.batchTaken + 1,
      nextBatchAt: max === undefined ? null : Math.max(now, s.nextBatchAt ?? now) + policy.windowMs / max,
    },
  };
}

export type Observation = {
  rateLimit: RateLimitInfo;
  status: number | null;
  /** Upstream error code, when the answer was a failure. */
  code?: string;
  retryAfterMs?: number;
};

/** Rate limits worth pausing everyone for; a daily cap or an idempotency conflict is not one. */
const PAUSING_CODES = new Set(['rate_limit_exceeded', 'service_unavailable']);

/**
 * Feeds back what a response said. The upstream is the authority on its window: its Reset moves
 * ours, and its count (Limit − Remaining) raises ours (never lowers it: answers arrive out of
 * order, and starts still in flight are not in its count yet). A 429 or 503 with Retry-After
 * pauses every sender of the key for that long.
 */
export function observe(state: BudgetState, now: number, o: Observation, policy: BudgetPolicy): BudgetState {
  let s = { ...state };
  const info = o.rateLimit;
  if (info.limit !== undefined && Number.isFinite(info.limit) && info.limit > 0)
    s.limit = Math.floor(info.limit);
  if (info.remaining !== undefined && Number.isFinite(info.remaining))
    s.upstreamRemaining = Math.max(0, Math.floor(info.remaining));
  if (info.remaining !== undefined && info.reset !== undefined && Number.isFinite(info.reset)) {
    // Epoch seconds on the upstream's clock: never trusted for more than one window ahead.
    const resetAt = Math.min(info.reset * 1000, now + policy.windowMs);
    if (resetAt > now) {
      s = rollover(s, now, policy);
      // An answer from the upstream's NEXT window (a start in our window's last second opened it,
      // its Reset rounded up): the upstream has turned over, so do we, rather than stretch ours.
      if (resetAt > s.windowEndsAt! + policy.windowMs / 2)
        s = { ...s, taken: s.late, batchTaken: 0, late: 0, nextBatchAt: null };
      s.windowEndsAt = resetAt;
      s.taken = Math.max(s.taken, s.limit - Math.max(0, info.remaining));
    }
  }
  const wait = o.retryAfterMs ?? (info.retryAfter !== undefined ? info.retryAfter * 1000 : undefined);
  const pausing = (o.status === 429 || o.status === 503) && PAUSING_CODES.has(o.code ?? '');
  if (pausing && wait !== undefined && wait > 0) {
    const until = now + Math.min(wait, policy.maxPauseMs);
    if (until > (s.pausedUntil ?? 0)) s.pausedUntil = until;
  }
  return s;
}

/** What is left for the next start of each class right now (for metrics and the budget view). */
export function remaining(state: BudgetState, now: number, policy: BudgetPolicy) {
  const s = rollover(state, now, policy);
  const left = Math.max(0, s.limit - s.taken);
  const held = reserveHeld(s, now, policy) ? policy.reserve(s.limit) : 0;
  return { total: left, batch: Math.max(0, left - held), windowEndsAt: s.windowEndsAt! };
}
