import { describe, expect, it } from 'vitest';
import {
  BUDGET_DEFAULTS,
  initialBudget,
  observe,
  remaining,
  reserveFor,
  takeSlot,
  type BudgetPolicy,
  type BudgetState,
  type SlotClass,
} from '@/lib/sendmux/rate-budget';

const T0 = 1_700_000_000_000;

function policy(over: Partial<BudgetPolicy> = {}): BudgetPolicy {
  return { ...BUDGET_DEFAULTS, reserve: (limit) => reserveFor(limit), ...over };
}

/** Takes until denied; returns how many were granted and the final result. */
function takeAll(state: BudgetState, now: number, cls: SlotClass, p: BudgetPolicy, max = 10_000) {
  let s = state;
  for (let n = 0; n < max; n++) {
    const r = takeSlot(s, now, cls, p);
    if (!r.granted) return { granted: n, denied: r, state: r.state };
    s = r.state;
  }
  return { granted: max, denied: undefined, state: s };
}

describe('reserveFor', () => {
  it('defaults to 5% of the limit, at least 10, at most half; a configured count or share stays below the limit', () => {
    expect(reserveFor(1800)).toBe(90);
    expect(reserveFor(30)).toBe(10);
    expect(reserveFor(10)).toBe(5);
    expect(reserveFor(1)).toBe(0);
    expect(reserveFor(30, { count: 4 })).toBe(4);
    expect(reserveFor(30, { count: 100 })).toBe(29);
    expect(reserveFor(1800, { percent: 10 })).toBe(180);
    expect(reserveFor(30, { percent: 0 })).toBe(0);
  });
});

describe('takeSlot', () => {
  it('lets batches burst up to the whole window when nobody sends interactively, then waits for the reset', () => {
    const p = policy();
    const s = { ...initialBudget(), limit: 30 };
    const { granted, denied } = takeAll(s, T0, 'batch', p);
    expect(granted).toBe(30);
    expect(denied).toMatchObject({ reason: 'window', retryAt: T0 + 60_000 });
    // The window turns over at its end: a whole new one.
    expect(takeAll(denied!.state, T0 + 60_000, 'batch', p).granted).toBe(30);
  });

  it('holds the interactive reserve back from batches while people send, and interactive sends get it', () => {
    const p = policy();
    let s: BudgetState = { ...initialBudget(), limit: 30 };
    const first = takeSlot(s, T0, 'interactive', p);
    expect(first.granted).toBe(true);
    s = first.state;
    const batch = takeAll(s, T0 + 10, 'batch', p);
    // 30 − 1 interactive − 10 reserve.
    expect(batch.granted).toBe(19);
    expect(batch.denied).toMatchObject({ reason: 'reserve', retryAt: T0 + 60_000 });
    const interactive = takeAll(batch.state, T0 + 20_000, 'interactive', p);
    expect(interactive.granted).toBe(10);
    expect(interactive.denied).toMatchObject({ reason: 'window', retryAt: T0 + 60_000 });
  });

  it('makes no batch start in the last second; an interactive one there counts in the next window too', () => {
    const p = policy();
    let s: BudgetState = { ...initialBudget(), limit: 30 };
    s = takeAll(s, T0, 'batch', p, 20).state;
    expect(takeSlot(s, T0 + 59_500, 'batch', p)).toMatchObject({
      granted: false,
      reason: 'guard',
      retryAt: T0 + 60_000,
    });
    const lastSecond = takeSlot(s, T0 + 59_500, 'interactive', p);
    expect(lastSecond.granted).toBe(true);
    // It may land in the upstream's next window (Reset is rounded up): 29 left there, not 30.
    expect(takeAll(lastSecond.state, T0 + 60_000, 'interactive', p).granted).toBe(29);
  });

  it('stops holding the reserve once interactive sends have been quiet for the idle time', () => {
    const p = policy();
    let s: BudgetState = { ...initialBudget(), limit: 30 };
    s = (takeSlot(s, T0, 'interactive', p) as { state: BudgetState }).state;
    const later = T0 + BUDGET_DEFAULTS.idleMs + 1;
    expect(takeAll(s, later, 'batch', p).granted).toBe(30);
  });

  it('BATCH_MAX_RATE spaces batch starts evenly and caps them per window; interactive sends are not capped', () => {
    const p = policy({ batchMaxRate: 6 });
    let s: BudgetState = { ...initialBudget(), limit: 1800 };
    const starts: number[] = [];
    for (let t = T0; t < T0 + 60_000; t += 100) {
      const r = takeSlot(s, t, 'batch', p);
      s = r.state;
      if (r.granted) starts.push(t - T0);
    }
    expect(starts).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(takeAll(s, T0 + 59_000, 'interactive', p).granted).toBeGreaterThan(100);
  });

  it('waits out a pause (Retry-After) whatever the class', () => {
    const p = policy();
    const s = { ...initialBudget(), pausedUntil: T0 + 5_000 };
    expect(takeSlot(s, T0, 'interactive', p)).toMatchObject({
      granted: false,
      reason: 'paused',
      retryAt: T0 + 5_000,
    });
    expect(takeSlot(s, T0 + 5_000, 'batch', p).granted).toBe(true);
  });
});

describe('observe', () => {
  const p = policy();

  it('takes the limit and window from the headers and raises the count to what the upstream counted, never lowers it', () => {
    let s: BudgetState = initialBudget();
    s = takeAll(s, T0, 'batch', p, 5).state;
    const reset = Math.ceil((T0 + 59_400) / 1000);
    s = observe(s, T0 + 50, { rateLimit: { limit: 30, remaining: 28, reset }, status: 200 }, p);
    expect(s).toMatchObject({ limit: 30, taken: 5, windowEndsAt: reset * 1000, upstreamRemaining: 28 });
    // Another client of the key used 10 more: the upstream's count wins.
    s = observe(s, T0 + 60, { rateLimit: { limit: 30, remaining: 15, reset }, status: 200 }, p);
    expect(s.taken).toBe(15);
    // A late answer with an older count does not give anything back.
    s = observe(s, T0 + 70, { rateLimit: { limit: 30, remaining: 27, reset }, status: 200 }, p);
    expect(s.taken).toBe(15);
    expect(remaining(s, T0 + 80, p)).toMatchObject({ total: 15, batch: 15 });
  });

  it("turns over when an answer comes from the upstream's next window before ours has ended", () => {
    // Ours ends at T0 + 60 s (a rounded-up Reset); the upstream's ended at T0 + 59.4 s, and an
    // interactive start at T0 + 59.6 s opened its next window, which ends at T0 + 119.6 s.
    let s: BudgetState = {
      ...takeAll(initialBudget(30), T0, 'batch', p, 30).state,
      windowEndsAt: T0 + 60_000,
    };
    s = (takeSlot({ ...s, taken: 29 }, T0 + 59_600, 'interactive', p) as { state: BudgetState }).state;
    s = observe(
      s,
      T0 + 59_700,
      { rateLimit: { limit: 30, remaining: 29, reset: (T0 + 120_000) / 1000 }, status: 200 },
      p,
    );
    // (A Reset more than a window ahead is cut to one window from now.)
    expect(s).toMatchObject({ windowEndsAt: T0 + 119_700, taken: 1, late: 0 });
    expect(takeAll(s, T0 + 59_800, 'interactive', p).granted).toBe(29);
  });

  it('ignores a Reset already past and never trusts one more than a window ahead', () => {
    let s: BudgetState = takeAll(initialBudget(30), T0, 'batch', p, 3).state;
    s = observe(
      s,
      T0 + 10,
      { rateLimit: { remaining: 0, reset: Math.floor(T0 / 1000) - 5 }, status: 200 },
      p,
    );
    expect(s.taken).toBe(3);
    s = observe(
      s,
      T0 + 10,
      { rateLimit: { remaining: 20, reset: Math.floor(T0 / 1000) + 3600 }, status: 200 },
      p,
    );
    expect(s.windowEndsAt).toBe(T0 + 10 + 60_000);
  });

  it('pauses everyone for a 429 rate_limit_exceeded or a 503 (Retry-After, at most a minute)', () => {
    let s: BudgetState = takeAll(initialBudget(30), T0, 'batch', p, 3).state;
    s = observe(
      s,
      T0 + 10,
      { rateLimit: {}, status: 429, code: 'rate_limit_exceeded', retryAfterMs: 7_000 },
      p,
    );
    expect(s.pausedUntil).toBe(T0 + 7_010);
    expect(takeSlot(s, T0 + 7_009, 'interactive', p).granted).toBe(false);
    expect(takeSlot(s, T0 + 7_010, 'interactive', p).granted).toBe(true);
    s = observe(
      s,
      T0 + 20,
      { rateLimit: {}, status: 503, code: 'service_unavailable', retryAfterMs: 3_600_000 },
      p,
    );
    expect(s.pausedUntil).toBe(T0 + 20 + 60_000);
  });

  it('does not pause the key for a daily cap or an idempotency conflict', () => {
    const s = initialBudget(30);
    expect(
      observe(s, T0, { rateLimit: {}, status: 429, code: 'daily_limit_exceeded', retryAfterMs: 9_000 }, p)
        .pausedUntil,
    ).toBeNull();
    expect(
      observe(s, T0, { rateLimit: {}, status: 409, code: 'idempotency_conflict', retryAfterMs: 1_000 }, p)
        .pausedUntil,
    ).toBeNull();
  });
});

/**
 * Virtual time against an upstream like Sendmux's (and the sandbox's): a fixed window per key that
 * opens at the first request after the last one ended, Reset rounded up to whole seconds.
 */
function simulate(options: {
  limit: number;
  requests: number;
  workers: number;
  latencyMs: (n: number) => number;
  interactiveEveryMs?: number;
  policy: BudgetPolicy;
}) {
  const { limit } = options;
  let state = initialBudget();
  const upstream = { start: -Infinity, count: 0 };
  const events: { at: number; seq: number; run: () => void }[] = [];
  let seq = 0;
  const at = (time: number, run: () => void) => events.push({ at: time, seq: seq++, run });
  let now = T0 - 10_000;
  let sent = 0;
  let done = 0;
  let finishedAt = 0;
  let rejected = 0;
  const waits: number[] = [];

  const arrive = (time: number) => {
    if (time >= upstream.start + 60_000) Object.assign(upstream, { start: time, count: 0 });
    const reset = Math.ceil((upstream.start + 60_000) / 1000);
    if (upstream.count >= limit) {
      rejected++;
      return {
        ok: false,
        remaining: 0,
        reset,
        retryAfterMs: Math.ceil((upstream.start + 60_000 - time) / 1000) * 1000,
      };
    }
    upstream.count++;
    return { ok: true, remaining: limit - upstream.count, reset };
  };

  const send = (n: number, cls: SlotClass, onDone: () => void) => {
    const latency = options.latencyMs(n);
    const answer = arrive(now + latency / 2);
    at(now + latency, () => {
      state = observe(
        state,
        now,
        {
          rateLimit: { limit, remaining: answer.remaining, reset: answer.reset },
          status: answer.ok ? 200 : 429,
          code: answer.ok ? undefined : 'rate_limit_exceeded',
          retryAfterMs: answer.retryAfterMs,
        },
        options.policy,
      );
      if (cls === 'batch' && !answer.ok) sent--;
      onDone();
    });
  };

  const worker = () => {
    if (sent >= options.requests) return;
    const r = takeSlot(state, now, 'batch', options.policy);
    state = r.state;
    if (!r.granted) return at(r.retryAt, worker);
    const n = sent++;
    send(n, 'batch', () => {
      done++;
      if (done === options.requests) finishedAt = now;
      worker();
    });
  };

  const interactive = (askedAt: number) => () => {
    const r = takeSlot(state, now, 'interactive', options.policy);
    state = r.state;
    if (!r.granted) return at(r.retryAt, interactive(askedAt));
    waits.push(now - askedAt);
    send(-1, 'interactive', () => undefined);
  };

  if (options.interactiveEveryMs)
    for (let t = T0 - 2_000; t < T0 + 300_000; t += options.interactiveEveryMs) at(t, interactive(t));
  for (let w = 0; w < options.workers; w++) at(T0, worker);
  while (events.length > 0 && (done < options.requests || now < T0 + 300_000)) {
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const e = events.shift()!;
    now = Math.max(now, e.at);
    e.run();
  }
  return { seconds: (finishedAt - T0) / 1000, rejected, waits };
}

describe('the budget against a fixed-window upstream (virtual time)', () => {
  it('sends 60 requests at 30 a minute from 8 workers in about the window floor (60 s), without a 429', () => {
    for (const latency of [40, 150, 700]) {
      // 30 at once, 30 more when the window turns over (the Reset is whole seconds), in rounds of 8.
      const bound = 61 + 4 * ((latency + 6 * 13) / 1000) + 0.5;
      const r = simulate({
        limit: 30,
        requests: 60,
        workers: 8,
        latencyMs: (n) => latency + (n % 7) * 13,
        policy: policy(),
      });
      expect(r.rejected, `latency ${latency}`).toBe(0);
      expect(r.seconds, `latency ${latency}`).toBeGreaterThanOrEqual(60);
      expect(r.seconds, `latency ${latency}`).toBeLessThan(bound);
    }
  });

  it('keeps interactive sends waiting at most about a second during a full-speed job, without a 429', () => {
    // Several phases, so that some sends land in a window's last second and open the upstream's next one.
    for (const every of [7_000, 6_900, 6_500, 5_900]) {
      const r = simulate({
        limit: 30,
        requests: 58,
        workers: 8,
        latencyMs: (n) => 120 + (n % 5) * 20,
        interactiveEveryMs: every,
        policy: policy(),
      });
      expect(r.rejected, `every ${every} ms`).toBe(0);
      expect(r.waits.length).toBeGreaterThan(30);
      expect(Math.max(...r.waits), `every ${every} ms`).toBeLessThanOrEqual(1_000);
      // The job gets the rest: 20 a window (30 less the reserve of 10; 19 in the first, where a
      // send came before it) → 58 requests are done in the third window.
      expect(r.seconds, `every ${every} ms`).toBeLessThan(125);
    }
  });
});
