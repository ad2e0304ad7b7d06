import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_POLICY,
  DEVICE_POLICY,
  throttleDecision,
  WINDOW_MS,
  type ThrottleCounter,
} from '@/lib/auth/throttle';

const now = 10_000_000_000;

/** The counter after `n` attempts allowed back to back, the last one at `now - ago`. */
const after = (n: number, ago = 0): ThrottleCounter => ({
  windowStart: now - 60_000,
  attempts: n,
  lastAttemptAt: now - ago,
});

describe('sign-in throttle decision', () => {
  it('lets the first attempts through without delay and counts each', () => {
    expect(throttleDecision(null, now, ACCOUNT_POLICY)).toEqual({
      allowed: true,
      next: { windowStart: now, attempts: 1, lastAttemptAt: now },
    });
    expect(throttleDecision(after(4), now, ACCOUNT_POLICY)).toMatchObject({
      allowed: true,
      next: { attempts: 5 },
    });
  });

  it('then makes each attempt wait, doubling, up to a minute', () => {
    expect(throttleDecision(after(5, 100), now, ACCOUNT_POLICY)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    expect(throttleDecision(after(7, 1000), now, ACCOUNT_POLICY)).toEqual({
      allowed: false,
      retryAfterSeconds: 3,
    });
    expect(throttleDecision(after(40, 1000), now, ACCOUNT_POLICY)).toEqual({
      allowed: false,
      retryAfterSeconds: ACCOUNT_POLICY.maxDelaySeconds - 1,
    });
    expect(throttleDecision(after(40, 60_000), now, ACCOUNT_POLICY).allowed).toBe(true);
  });

  it('stops at the hourly cap until the hour that began with the first attempt is over', () => {
    const full = {
      windowStart: now - 50 * 60_000,
      attempts: ACCOUNT_POLICY.maxPerWindow,
      lastAttemptAt: now - 120_000,
    };
    expect(throttleDecision(full, now, ACCOUNT_POLICY)).toEqual({ allowed: false, retryAfterSeconds: 600 });
    expect(throttleDecision(full, full.windowStart + WINDOW_MS, ACCOUNT_POLICY)).toEqual({
      allowed: true,
      next: {
        windowStart: full.windowStart + WINDOW_MS,
        attempts: 1,
        lastAttemptAt: full.windowStart + WINDOW_MS,
      },
    });
  });

  it('gives a device cookie ten attempts an hour and no delays', () => {
    expect(throttleDecision(after(9), now, DEVICE_POLICY).allowed).toBe(true);
    expect(throttleDecision(after(10), now, DEVICE_POLICY).allowed).toBe(false);
  });
});
