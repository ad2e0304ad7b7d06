import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  decideRetry,
  parseRetryAfter,
  type AttemptOutcome,
  type RetryInput,
} from '@/lib/sendmux/retry-policy';

const T0 = Date.parse('2026-10-01T12:00:00Z');
const http = (
  status: number,
  extra: Partial<Extract<AttemptOutcome, { kind: 'response' }>> = {},
): AttemptOutcome => ({ kind: 'response', status, ...extra });
const decide = (over: Partial<RetryInput> & Pick<RetryInput, 'outcome'>) =>
  decideRetry({ attempt: 1, hasIdempotencyKey: true, now: T0, startedAt: T0, random: () => 0.5, ...over });

describe('decideRetry: what is retried', () => {
  it.each<[string, AttemptOutcome]>([
    ['429', http(429, { code: 'rate_limit_exceeded' })],
    ['500', http(500, { code: 'internal_error' })],
    ['502 without a code', http(502)],
    ['503', http(503, { code: 'service_unavailable' })],
    ['a network error', { kind: 'network' }],
    ['a timeout', { kind: 'timeout' }],
  ])('retries %s', (_name, outcome) => {
    expect(decide({ outcome })).toMatchObject({ retry: true, basis: 'backoff' });
  });

  it.each([400, 401, 402, 403, 404, 409, 413, 422])('never retries HTTP %i', (status) => {
    expect(decide({ outcome: http(status) })).toEqual({ retry: false, reason: 'not_retryable' });
  });

  it('retries a 4xx that says retryable: true, but never a 409', () => {
    expect(decide({ outcome: http(400, { code: 'invalid_parameter', retryable: true }) }).retry).toBe(true);
    expect(decide({ outcome: http(409, { code: 'idempotency_conflict', retryable: true }) }).retry).toBe(
      false,
    );
  });

  it('honours an explicit retryable: false on a 5xx', () => {
    expect(decide({ outcome: http(500, { retryable: false }) })).toEqual({
      retry: false,
      reason: 'not_retryable',
    });
  });

  it('does not repeat errors that cannot clear within the deadline', () => {
    expect(decide({ outcome: http(429, { code: 'daily_limit_exceeded' }) })).toMatchObject({
      retry: false,
      reason: 'futile',
    });
    expect(decide({ outcome: http(503, { code: 'no_active_providers' }) })).toMatchObject({
      retry: false,
      reason: 'futile',
    });
  });

  it('never retries without an Idempotency-Key', () => {
    expect(decide({ outcome: http(503), hasIdempotencyKey: false })).toEqual({
      retry: false,
      reason: 'no_idempotency_key',
    });
    expect(decide({ outcome: { kind: 'network' }, hasIdempotencyKey: false })).toEqual({
      retry: false,
      reason: 'no_idempotency_key',
    });
  });

  it('stops at the attempt limit (default 3, overridable)', () => {
    expect(decide({ outcome: http(503), attempt: 2 }).retry).toBe(true);
    expect(decide({ outcome: http(503), attempt: 3 })).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
    expect(decide({ outcome: http(503), attempt: 3, maxAttempts: 5 }).retry).toBe(true);
    expect(decide({ outcome: http(503), attempt: 1, maxAttempts: 1 })).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });
});

describe('decideRetry: how long to wait', () => {
  it('waits Retry-After given in seconds', () => {
    expect(decide({ outcome: http(429, { retryAfter: '2' }) })).toEqual({
      retry: true,
      waitMs: 2000,
      basis: 'retry_after',
    });
    expect(decide({ outcome: http(503, { retryAfter: '0' }) })).toEqual({
      retry: true,
      waitMs: 0,
      basis: 'retry_after',
    });
  });

  it('waits Retry-After given as an HTTP date, measured on the injected clock', () => {
    const at = new Date(T0 + 7000).toUTCString();
    expect(decide({ outcome: http(503, { retryAfter: at }) })).toEqual({
      retry: true,
      waitMs: 7000,
      basis: 'retry_after',
    });
    expect(decide({ outcome: http(503, { retryAfter: at }), now: T0 + 3000 })).toMatchObject({
      waitMs: 4000,
    });
  });

  it('does not wait out a Retry-After beyond the cap, and hands it to the caller', () => {
    expect(decide({ outcome: http(429, { retryAfter: '30' }) })).toMatchObject({
      retry: true,
      waitMs: 30_000,
    });
    expect(decide({ outcome: http(429, { retryAfter: '31' }) })).toEqual({
      retry: false,
      reason: 'retry_after_too_long',
      retryAfterMs: 31_000,
    });
    expect(decide({ outcome: http(429, { retryAfter: '31' }), retryAfterCapMs: 60_000 })).toMatchObject({
      retry: true,
      waitMs: 31_000,
    });
  });

  it('reports Retry-After on a final failure', () => {
    expect(decide({ outcome: http(429, { retryAfter: '5' }), attempt: 3 })).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
      retryAfterMs: 5000,
    });
  });

  it('falls back to backoff when Retry-After is unreadable', () => {
    expect(decide({ outcome: http(503, { retryAfter: 'soon' }) })).toMatchObject({
      retry: true,
      basis: 'backoff',
    });
  });

  it('uses full jitter: 0 waits nothing, 0.999 just under the ceiling of that attempt', () => {
    expect(decide({ outcome: http(503), random: () => 0 })).toMatchObject({ waitMs: 0 });
    expect(decide({ outcome: http(503), random: () => 0.999 })).toMatchObject({ waitMs: 249 });
    expect(decide({ outcome: http(503), random: () => 0.999, attempt: 2 })).toMatchObject({ waitMs: 499 });
    expect(backoffMs(3, () => 0.999)).toBe(999);
    expect(backoffMs(6, () => 0.999)).toBe(4995);
    expect(backoffMs(20, () => 0.999)).toBe(4995);
    expect(backoffMs(1, () => 0.5)).toBe(125);
  });

  it('does not start a wait that would end past the deadline', () => {
    const startedAt = T0;
    expect(decide({ outcome: http(503, { retryAfter: '10' }), startedAt, now: T0 + 50_000 })).toMatchObject({
      retry: true,
      waitMs: 10_000,
    });
    expect(decide({ outcome: http(503, { retryAfter: '10' }), startedAt, now: T0 + 50_001 })).toEqual({
      retry: false,
      reason: 'deadline',
      retryAfterMs: 10_000,
    });
    expect(
      decide({
        outcome: { kind: 'timeout' },
        startedAt,
        now: T0 + 5000,
        deadlineMs: 5000,
        random: () => 0.5,
      }),
    ).toEqual({ retry: false, reason: 'deadline' });
    expect(
      decide({ outcome: { kind: 'timeout' }, startedAt, now: T0 + 5000, deadlineMs: 5000, random: () => 0 }),
    ).toMatchObject({ retry: true, waitMs: 0 });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('1', T0)).toBe(1000);
    expect(parseRetryAfter(' 120 ', T0)).toBe(120_000);
    expect(parseRetryAfter('1.5', T0)).toBe(1500);
  });

  it('reads an HTTP date, and a past date as 0', () => {
    expect(parseRetryAfter('Thu, 01 Oct 2026 12:00:30 GMT', T0)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Oct 2026 11:59:00 GMT', T0)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(undefined, T0)).toBeUndefined();
    expect(parseRetryAfter(null, T0)).toBeUndefined();
    expect(parseRetryAfter('', T0)).toBeUndefined();
    expect(parseRetryAfter('-1', T0)).toBeUndefined();
    expect(parseRetryAfter('2026', T0)).toBe(2_026_000);
    expect(parseRetryAfter('later', T0)).toBeUndefined();
  });
});
