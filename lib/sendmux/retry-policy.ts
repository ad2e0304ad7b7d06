import 'server-only';

export const RETRY_DEFAULTS = {
  maxAttempts: 3,
  deadlineMs: 60_000,
  /** Backoff after attempt n: random() × min(maxBackoffMs, baseBackoffMs × 2^(n−1)), as the vendor SDK does. */
  baseBackoffMs: 250,
  maxBackoffMs: 5_000,
  /** A longer Retry-After is not waited out here: the caller gets retryAfterMs and can reschedule. */
  retryAfterCapMs: 30_000,
} as const;

export type AttemptOutcome =
  | { kind: 'network' }
  | { kind: 'timeout' }
  | {
      kind: 'response';
      status: number;
      code?: string;
      /** `error.retryable` exactly as the server sent it; undefined when absent. */
      retryable?: boolean;
      retryAfter?: string | null;
    };

export type NoRetryReason =
  | 'not_retryable'
  | 'futile'
  | 'no_idempotency_key'
  | 'attempts_exhausted'
  | 'retry_after_too_long'
  | 'deadline';

export type RetryDecision =
  | { retry: false; reason: NoRetryReason; retryAfterMs?: number }
  | { retry: true; waitMs: number; basis: 'retry_after' | 'backoff' };

export type RetryInput = {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  outcome: AttemptOutcome;
  hasIdempotencyKey: boolean;
  now: number;
  startedAt: number;
  maxAttempts?: number;
  deadlineMs?: number;
  retryAfterCapMs?: number;
  random?: () => number;
};

// Retryable on paper, but repeating within a minute cannot help: the cap resets tomorrow, and
// a key without an active sending account stays so until someone activates one.
const FUTILE_CODES = new Set(['daily_limit_exceeded', 'no_active_providers']);

export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Date.parse accepts bare numbers like "-1" as years; a real HTTP-date always has a day or month name.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(
    RETRY_DEFAULTS.maxBackoffMs,
    RETRY_DEFAULTS.baseBackoffMs * 2 ** Math.max(0, attempt - 1),
  );
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

function isRetryableOutcome(outcome: AttemptOutcome): { ok: true } | { ok: false; reason: NoRetryReason } {
  if (outcome.kind !== 'response') return { ok: true };
  // 409 is never repeated blindly: a changed body needs a new key, and an in-flight one is the caller's call.
  if (outcome.status === 409) return { ok: false, reason: 'not_retryable' };
  if (outcome.code && FUTILE_CODES.has(outcome.code)) return { ok: false, reason: 'futile' };
  if (outcome.retryable === false) return { ok: false, reason: 'not_retryable' };
  if (outcome.status === 429 || outcome.status >= 500 || outcome.retryable === true) return { ok: true };
  return { ok: false, reason: 'not_retryable' };
}

export function decideRetry(input: RetryInput): RetryDecision {
  const {
    attempt,
    outcome,
    hasIdempotencyKey,
    now,
    startedAt,
    maxAttempts = RETRY_DEFAULTS.maxAttempts,
    deadlineMs = RETRY_DEFAULTS.deadlineMs,
    retryAfterCapMs = RETRY_DEFAULTS.retryAfterCapMs,
    random = Math.random,
  } = input;
  const retryAfterMs = outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  const no = (reason: NoRetryReason): RetryDecision =>
    retryAfterMs === undefined ? { retry: false, reason } : { retry: false, reason, retryAfterMs };

  const retryable = isRetryableOutcome(outcome);
  if (!retryable.ok) return no(retryable.reason);
  // Without a key a repeated POST could send the email twice.
  if (!hasIdempotencyKey) return no('no_idempotency_key');
  if (attempt >= maxAttempts) return no('attempts_exhausted');

  let waitMs: number;
  let basis: 'retry_after' | 'backoff';
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > retryAfterCapMs) return no('retry_after_too_long');
    waitMs = retryAfterMs;
    basis = 'retry_after';
  } else {
    waitMs = backoffMs(attempt, random);
    basis = 'backoff';
  }
  if (now + waitMs > startedAt + deadlineMs) return no('deadline');
  return { retry: true, waitMs, basis };
}
