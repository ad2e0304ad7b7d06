import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from '@/lib/requests/coalesce';

/** A write that finishes when the test says so, recording what each call got. */
function controlledWrites() {
  const calls: { kind: 'one' | 'many'; items: number[]; finish: () => void; fail: (e: Error) => void }[] = [];
  const call = (kind: 'one' | 'many', items: number[]) =>
    new Promise<void>((resolve, reject) => calls.push({ kind, items, finish: resolve, fail: reject }));
  return {
    calls,
    one: async (item: number) => {
      await call('one', [item]);
      if (item < 0) throw new Error(`bad item ${item}`);
      return item * 10;
    },
    many: async (items: number[]) => {
      await call('many', items);
      return items.map((i) => i * 10);
    },
  };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteCoalescer', () => {
  it('writes a lone item at once, alone', async () => {
    const w = controlledWrites();
    const c = new WriteCoalescer(w, { max: 10, concurrency: 2 });
    const result = c.add(7);
    await tick();
    expect(w.calls.map((x) => [x.kind, x.items])).toEqual([['one', [7]]]);
    w.calls[0]!.finish();
    await expect(result).resolves.toBe(70);
    expect(c.stats).toEqual({ writes: 1, items: 1, coalescedWrites: 0 });
  });

  it('sends what arrives while the writes run as one write, in order, at most max items', async () => {
    const w = controlledWrites();
    const c = new WriteCoalescer(w, { max: 3, concurrency: 2 });
    const results = [1, 2, 3, 4, 5, 6, 7].map((i) => c.add(i));
    await tick();
    // Two writes run (one item each); the other five wait.
    expect(w.calls.map((x) => x.items)).toEqual([[1], [2]]);
    expect(c.waiting).toBe(5);
    w.calls[0]!.finish();
    await tick();
    expect(w.calls[2]).toMatchObject({ kind: 'many', items: [3, 4, 5] });
    w.calls[1]!.finish();
    await tick();
    expect(w.calls[3]).toMatchObject({ kind: 'many', items: [6, 7] });
    w.calls[2]!.finish();
    w.calls[3]!.finish();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(c.stats).toEqual({ writes: 4, items: 7, coalescedWrites: 2 });
  });

  it('when a combined write fails, writes each item alone: only the bad one fails', async () => {
    const w = controlledWrites();
    const c = new WriteCoalescer(w, { max: 10, concurrency: 1 });
    const first = c.add(1);
    const rest = [2, -3, 4].map((i) => c.add(i));
    await tick();
    w.calls[0]!.finish();
    await tick();
    expect(w.calls[1]).toMatchObject({ kind: 'many', items: [2, -3, 4] });
    w.calls[1]!.fail(new Error('invalid input syntax for type json'));
    await tick();
    expect(w.calls.slice(2).map((x) => [x.kind, x.items])).toEqual([
      ['one', [2]],
      ['one', [-3]],
      ['one', [4]],
    ]);
    for (const x of w.calls.slice(2)) x.finish();
    await expect(first).resolves.toBe(10);
    const settled = await Promise.allSettled(rest);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[1]).toMatchObject({ reason: new Error('bad item -3') });
  });

  it('a combined write that returns the wrong number of results is written again item by item', async () => {
    let manyCalls = 0;
    const c = new WriteCoalescer(
      {
        one: async (i: number) => i + 100,
        many: async (items: number[]) => {
          manyCalls++;
          return items.slice(1).map((i) => i + 100);
        },
      },
      { max: 10, concurrency: 1 },
    );
    await expect(Promise.all([1, 2, 3].map((i) => c.add(i)))).resolves.toEqual([101, 102, 103]);
    expect(manyCalls).toBe(1);
  });
});
