import 'server-only';
// Sign-in throttling (OWASP Authentication Cheat Sheet): at most 100 failed attempts per account
// per hour, with a growing delay after the first few, and device cookies (OWASP "Slow Down Online
// Guessing Attacks with Device Cookies") so that an attacker hammering an account cannot lock its
// owner out of a browser that has signed in before.

export const MAX_FAILURES_PER_HOUR = 100;
export const FREE_FAILURES = 5;
export const MAX_DELAY_SECONDS = 60;
export const MAX_TRUSTED_DEVICE_FAILURES = 10;

export type ThrottleInput = {
  now: number;
  /** Failed attempts for the account from untrusted clients since the later of one hour ago and the last success, oldest first. */
  untrustedFailures: number[];
  /** Whether the attempt carries a valid device cookie for this account. */
  deviceTrusted: boolean;
  /** Failed attempts in the last hour from this device cookie. */
  deviceFailures: number;
};

export type ThrottleDecision =
  { allowed: true; trusted: boolean } | { allowed: false; retryAfterSeconds: number };

export function throttleDecision(input: ThrottleInput): ThrottleDecision {
  if (input.deviceTrusted && input.deviceFailures < MAX_TRUSTED_DEVICE_FAILURES)
    return { allowed: true, trusted: true };

  const failures = input.untrustedFailures;
  const count = failures.length;
  if (count >= MAX_FAILURES_PER_HOUR) {
    // Blocked until the oldest counted failure leaves the one-hour window.
    const oldest = failures[count - MAX_FAILURES_PER_HOUR]!;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + 3_600_000 - input.now) / 1000)),
    };
  }
  if (count >= FREE_FAILURES) {
    const delay = Math.min(MAX_DELAY_SECONDS, 2 ** (count - FREE_FAILURES)) * 1000;
    const last = failures[count - 1]!;
    const wait = last + delay - input.now;
    if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) };
  }
  return { allowed: true, trusted: false };
}
