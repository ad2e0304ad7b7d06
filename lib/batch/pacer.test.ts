import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT, Pacer, type PacerClock } from '@/lib/batch/pacer';

/** Virtual time: sleeps resolve in time order when run() advances the clock, nothing really waits. */
function virtualClock(start = 1_000_000) {
  let t = start;
  const timers: { at: number; resolve: () => void }[] = [];
  const clock: PacerClock = {
    now: () => t,
    sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: t + Math.max(0, ms), resolve })),
  };
  async function run(): Promise<void> {
    for (;;) {
      // Let every pending continuation run (and register its next sleep) before moving time on.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      if (timers.length === 0) return;
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift()!;
      t = Math.max(t, next.at);
      next.resolve();
    }
  }
  return { clock, run, advance: (ms: number) => void (t += ms), now: () => t };
}

async function startTimes(pacer: Pacer, v: ReturnType<typeof virtualClock>, n: number): Promise<number[]> {
  const starts: number[] = [];
  const all = Array.from({ length: n }, () => pacer.acquire().then(() => starts.push(v.now())));
  await v.run();
  await Promise.all(all);
  return starts.sort((a, b) => a - b);
}

describe('Pacer', () => {
  it('spaces concurrent starts evenly at the default 1,800 per minute (one every 33.3 ms), not in a burst', async () => {
    const v = virtualClock();
    const pacer = new Pacer(v.clock);
    const starts = await startTimes(pacer, v, 10);
    const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
    expect(starts[0]).toBe(1_000_000);
    for (const gap of gaps) expect(gap).toBeCloseTo(60_000 / DEFAULT_RATE_LIMIT, 5);
  });

  it('takes the limit from X-RateLimit-Limit once a response carries it', async () => {
    const v = virtualClock();
    const pacer = new Pacer(v.clock);
    pacer.observe({ limit: 600, remaining: 599, reset: Math.ceil((v.now() + 60_000) / 1000) });
    const starts = await startTimes(pacer, v, 4);
    expect(starts[3]! - starts[0]!).toBeCloseTo(3 * 100, 5);
  });

  it('waits until Reset when Remaining reaches 0, including slots reserved before it knew', async () => {
    const v = virtualClock(5_000_000);
    const pacer = new Pacer(v.clock);
    const starts: number[] = [];
    const first = pacer.acquire().then(() => starts.push(v.now()));
    const second = pacer.acquire().then(() => starts.push(v.now()));
    await Promise.resolve();
    pacer.observe({ limit: 1800, remaining: 0, reset: 5_020 });
    await v.run();
    await Promise.all([first, second]);
    expect(starts[0]).toBe(5_000_000);
    expect(starts[1]).toBeGreaterThanOrEqual(5_020_000);
    expect(pacer.blockedUntil()).toBe(0);
  });

  it('pauses the profile for Retry-After and reports it as blocked meanwhile', async () => {
    const v = virtualClock();
    const pacer = new Pacer(v.clock);
    pacer.observe({}, 2_000);
    expect(pacer.blockedUntil()).toBe(v.now() + 2_000);
    const starts = await startTimes(pacer, v, 2);
    expect(starts[0]).toBe(1_002_000);
  });

  it('stretches the spacing when Remaining runs low, so the rest lasts until Reset', async () => {
    const v = virtualClock(10_000_000);
    const pacer = new Pacer(v.clock);
    pacer.observe({ limit: 1800, remaining: 10, reset: 10_010 });
    const starts = await startTimes(pacer, v, 3);
    expect(starts[2]! - starts[1]!).toBeCloseTo(1_000, 5);
  });

  it('lets a late caller take one missed slot, never more', async () => {
    const v = virtualClock();
    const pacer = new Pacer(v.clock);
    await startTimes(pacer, v, 1);
    v.advance(10_000);
    const starts = await startTimes(pacer, v, 4);
    expect(starts[0]).toBe(starts[1]);
    expect(starts[2]! - starts[1]!).toBeCloseTo(33.333, 2);
  });
});
