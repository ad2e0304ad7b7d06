import { describe, expect, it } from 'vitest';
import { chunkSettled, countSettledChunks, noteChunkSettled } from '@/lib/batch/wake';

describe('chunkSettled', () => {
  it('resolves true when a chunk of that job is recorded, and not for another job', async () => {
    const waiting = chunkSettled('job_a', 5_000);
    let settled: boolean | undefined;
    void waiting.then((v) => (settled = v));
    noteChunkSettled('job_b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBeUndefined();
    noteChunkSettled('job_a');
    await expect(waiting).resolves.toBe(true);
  });

  it('resolves false after the timeout when nothing is recorded, and forgets its listener', async () => {
    const started = performance.now();
    await expect(chunkSettled('job_c', 50)).resolves.toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    const map = (globalThis as { __sendmuxChunkSettled?: Map<string, unknown> }).__sendmuxChunkSettled;
    expect(map?.has('job_c')).toBe(false);
  });

  it('every upload waiting on the job hears the same chunk', async () => {
    const a = chunkSettled('job_d', 5_000);
    const b = chunkSettled('job_d', 5_000);
    noteChunkSettled('job_d');
    await expect(Promise.all([a, b])).resolves.toEqual([true, true]);
  });
});

describe('countSettledChunks', () => {
  it("counts the job's chunks recorded while it is counting, not other jobs' nor after stop()", () => {
    noteChunkSettled('job_e'); // before counting: not counted
    const counter = countSettledChunks('job_e');
    noteChunkSettled('job_e');
    noteChunkSettled('job_f');
    noteChunkSettled('job_e');
    expect(counter.settled()).toBe(2);
    counter.stop();
    noteChunkSettled('job_e');
    const map = (globalThis as { __sendmuxSettledCounts?: Map<string, number> }).__sendmuxSettledCounts;
    expect(map?.has('job_e')).toBe(false);
    expect(map?.has('job_f')).toBe(false);
  });
});
