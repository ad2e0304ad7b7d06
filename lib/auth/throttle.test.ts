import { describe, expect, it } from 'vitest';
import { MAX_DELAY_SECONDS, throttleDecision } from '@/lib/auth/throttle';

const now = 10_000_000_000;
const failuresEvery = (n: number, gapMs: number) =>
  Array.from({ length: n }, (_, i) => now - (n - i) * gapMs);

describe('sign-in throttle', () => {
  it('lets the first five failures through without delay', () => {
    expect(
      throttleDecision({
        now,
        untrustedFailures: failuresEvery(4, 10),
        deviceTrusted: false,
        deviceFailures: 0,
      }),
    ).toEqual({ allowed: true, trusted: false });
  });

  it('makes the client wait, doubling per failure, capped', () => {
    const justFailed = [...failuresEvery(5, 10_000).slice(0, 4), now - 100];
    const d = throttleDecision({
      now,
      untrustedFailures: justFailed,
      deviceTrusted: false,
      deviceFailures: 0,
    });
    expect(d).toEqual({ allowed: false, retryAfterSeconds: 1 });
    const many = [...failuresEvery(20, 100_000).slice(0, 19), now - 1000];
    const capped = throttleDecision({
      now,
      untrustedFailures: many,
      deviceTrusted: false,
      deviceFailures: 0,
    });
    expect(capped).toEqual({ allowed: false, retryAfterSeconds: MAX_DELAY_SECONDS - 1 });
    // After the delay has passed the next attempt is allowed.
    expect(
      throttleDecision({
        now: now + 61_000,
        untrustedFailures: many,
        deviceTrusted: false,
        deviceFailures: 0,
      }).allowed,
    ).toBe(true);
  });

  it('stops at 100 failures per hour until the oldest leaves the window', () => {
    const hundred = failuresEvery(100, 30_000); // the oldest is 50 minutes ago
    const d = throttleDecision({ now, untrustedFailures: hundred, deviceTrusted: false, deviceFailures: 0 });
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.retryAfterSeconds).toBe(600);
  });

  it('lets a browser that signed in before through while the account is under attack', () => {
    const attack = failuresEvery(100, 1000);
    expect(
      throttleDecision({ now, untrustedFailures: attack, deviceTrusted: true, deviceFailures: 0 }),
    ).toEqual({ allowed: true, trusted: true });
  });

  it('stops trusting a device cookie that keeps failing', () => {
    const attack = failuresEvery(100, 1000);
    expect(
      throttleDecision({ now, untrustedFailures: attack, deviceTrusted: true, deviceFailures: 10 }).allowed,
    ).toBe(false);
  });
});
