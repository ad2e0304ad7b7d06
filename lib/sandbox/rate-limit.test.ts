import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import {
  peekRateLimit,
  rateLimitHeaders,
  resetSandboxRateLimit,
  takeRateLimit,
} from '@/lib/sandbox/rate-limit';

describe('sandbox rate limit', () => {
  beforeEach(() => {
    vi.stubEnv('SANDBOX_RATE_LIMIT', '3');
    resetEnvForTests();
    resetSandboxRateLimit();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
    resetSandboxRateLimit();
  });

  it('allows SANDBOX_RATE_LIMIT requests per 60-second window, then says when to come back', () => {
    const t0 = 1_700_000_000_000;
    expect([0, 1, 2].map((i) => takeRateLimit('k', t0 + i).remaining)).toEqual([2, 1, 0]);
    const over = takeRateLimit('k', t0 + 20_000);
    expect(over.allowed).toBe(false);
    expect(over.retryAfterSeconds).toBe(40);
    expect(over.reset).toBe(Math.ceil((t0 + 60_000) / 1000));
    expect(rateLimitHeaders(over)).toEqual({
      'X-RateLimit-Limit': '3',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(over.reset),
    });
    expect(takeRateLimit('k', t0 + 60_000).allowed).toBe(true);
  });

  it('counts per key, peeks without counting, and resets', () => {
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 3; i++) takeRateLimit('a', t0);
    expect(takeRateLimit('a', t0).allowed).toBe(false);
    expect(takeRateLimit('b', t0).allowed).toBe(true);
    expect(peekRateLimit('b', t0).remaining).toBe(2);
    expect(peekRateLimit('b', t0).remaining).toBe(2);
    resetSandboxRateLimit();
    expect(takeRateLimit('a', t0).allowed).toBe(true);
  });
});
