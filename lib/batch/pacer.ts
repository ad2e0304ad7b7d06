import 'server-only';
import type { RateLimitInfo } from '@/lib/sendmux/types';

/** Sendmux's documented limit: 1,800 requests per 60 s per key (a batch counts as one). */
export const DEFAULT_RATE_LIMIT = 1800;
export const RATE_WINDOW_MS = 60_000;

export type PacerClock = {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
};

export type PacerState = {
  limit: number;
  intervalMs: number;
  /** Epoch ms before which no request may start (Retry-After, or Remaining hit 0 until Reset). */
  pausedUntil: number;
  /** Earliest start of the next request. */
  nextSlot: number;
};

const realClock: PacerClock = {
  now: Date.now,
  sleep: (ms) =>
    new Promise((resolve) => {
      // Unref'd: a pacer wait must never keep a finished process alive.
      setTimeout(resolve, ms).unref?.();
    }),
};

/**
 * Spaces request STARTS of one key profile evenly (limit per 60 s → one start every 60 s/limit)
 * instead of letting them burst, and follows what the responses say: X-RateLimit-Limit replaces
 * the assumed limit, Remaining 0 pauses until Reset, low Remaining stretches the spacing so the
 * rest lasts until Reset, and Retry-After pauses the profile. Any number of requests may be in
 * flight; only their starts are paced.
 */
export class Pacer {
  private limit = DEFAULT_RATE_LIMIT;
  /** -Infinity until the first start: there is no missed slot to catch up on then. */
  private nextSlot = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  /** A stretched spacing (low Remaining) that holds until the window resets. */
  private stretch: { intervalMs: number; until: number } | undefined;

  constructor(private readonly clock: PacerClock = realClock) {}

  get intervalMs(): number {
    const base = RATE_WINDOW_MS / this.limit;
    const s = this.stretch;
    return s && s.until > this.clock.now() ? Math.max(base, s.intervalMs) : base;
  }

  /** Epoch ms until which this profile is paused (0 when it is not). */
  blockedUntil(): number {
    return this.pausedUntil > this.clock.now() ? this.pausedUntil : 0;
  }

  state(): PacerState {
    return {
      limit: this.limit,
      intervalMs: this.intervalMs,
      pausedUntil: this.pausedUntil,
      nextSlot: this.nextSlot,
    };
  }

  /**
   * Resolves when this request may start. Slots are reserved in call order; a late caller may take
   * one missed slot (a burst of two at most), so a brief stall does not lose throughput for good.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;
      const now = this.clock.now();
      const interval = this.intervalMs;
      const earliest = Number.isFinite(this.nextSlot) ? now - interval : now;
      const slot = Math.max(this.nextSlot, earliest, this.pausedUntil);
      this.nextSlot = slot + interval;
      if (slot > now) await this.clock.sleep(slot - now);
      // A pause learned while waiting (Retry-After, Remaining 0) applies to reserved slots too.
      if (this.pausedUntil <= this.clock.now()) return;
    }
  }

  /** Feeds back a response's rate-limit headers and, for 429/503, how long Sendmux asked to wait. */
  observe(info: RateLimitInfo | undefined, retryAfterMs?: number): void {
    const now = this.clock.now();
    if (info?.limit !== undefined && Number.isFinite(info.limit) && info.limit > 0) this.limit = info.limit;
    if (info?.remaining !== undefined && info.reset !== undefined && Number.isFinite(info.reset)) {
      // Reset is epoch seconds on the server's clock; never trust it for more than one window.
      const resetAt = Math.min(info.reset * 1000, now + RATE_WINDOW_MS);
      if (resetAt > now) {
        if (info.remaining <= 0) this.pauseUntil(resetAt);
        else if (info.remaining < Math.max(10, this.limit / 10)) {
          // Another console (or script) shares the key: spread what is left over the window.
          this.stretch = { intervalMs: (resetAt - now) / info.remaining, until: resetAt };
        }
      }
    }
    const wait = retryAfterMs ?? (info?.retryAfter !== undefined ? info.retryAfter * 1000 : undefined);
    if (wait !== undefined && wait > 0) this.pauseUntil(now + Math.min(wait, 10 * RATE_WINDOW_MS));
  }

  private pauseUntil(at: number): void {
    if (at > this.pausedUntil) this.pausedUntil = at;
  }
}

const globalForPacers = globalThis as typeof globalThis & { __sendmuxPacers?: Map<string, Pacer> };

/** The one pacer per key profile in this process, shared by every job and the manual batch. */
export function pacerFor(profile: string): Pacer {
  globalForPacers.__sendmuxPacers ??= new Map();
  let pacer = globalForPacers.__sendmuxPacers.get(profile);
  if (!pacer) {
    pacer = new Pacer();
    globalForPacers.__sendmuxPacers.set(profile, pacer);
  }
  return pacer;
}

/** Profiles paused right now, for the claim query to skip (their chunks would only sit waiting). */
export function blockedProfiles(now = Date.now()): string[] {
  const out: string[] = [];
  for (const [name, pacer] of globalForPacers.__sendmuxPacers ?? [])
    if (pacer.blockedUntil() > now) out.push(name);
  return out;
}

export function resetPacersForTests(): void {
  globalForPacers.__sendmuxPacers?.clear();
}
