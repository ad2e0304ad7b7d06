import 'server-only';
import { getEnv } from '@/lib/env';
import { RATE_WINDOW_MS } from '@/lib/sandbox/limits';
import { sandboxState } from '@/lib/sandbox/state';

export type RateLimitState = {
  limit: number;
  remaining: number;
  /** Epoch seconds when the current window ends. */
  reset: number;
  allowed: boolean;
  retryAfterSeconds: number;
};

function windowFor(scope: string, now: number) {
  const windows = sandboxState().rateWindows;
  let w = windows.get(scope);
  if (!w || now - w.start >= RATE_WINDOW_MS) {
    w = { start: now, count: 0 };
    windows.set(scope, w);
  }
  return w;
}

function describe(w: { start: number; count: number }, now: number, allowed: boolean): RateLimitState {
  const limit = getEnv().sandboxRateLimit;
  const end = w.start + RATE_WINDOW_MS;
  return {
    limit,
    remaining: Math.max(0, limit - w.count),
    reset: Math.ceil(end / 1000),
    allowed,
    retryAfterSeconds: Math.max(1, Math.ceil((end - now) / 1000)),
  };
}

/** Counts one request against the key's fixed 60-second window (a batch is one request). */
export function takeRateLimit(scope: string, now = Date.now()): RateLimitState {
  const w = windowFor(scope, now);
  const allowed = w.count < getEnv().sandboxRateLimit;
  if (allowed) w.count++;
  return describe(w, now, allowed);
}

/** The key's current window without counting a request. */
export function peekRateLimit(scope: string, now = Date.now()): RateLimitState {
  return describe(windowFor(scope, now), now, true);
}

export function resetSandboxRateLimit(): void {
  sandboxState().rateWindows.clear();
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.reset),
  };
}
