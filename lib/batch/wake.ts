import 'server-only';

// Lets job changes in this process (a new job, resume, retry) wake idle workers at once instead of
// at their next poll. Other processes sharing PostgreSQL notice at their own poll.
const globalForWake = globalThis as typeof globalThis & { __sendmuxBatchWake?: Set<() => void> };

function listeners(): Set<() => void> {
  globalForWake.__sendmuxBatchWake ??= new Set();
  return globalForWake.__sendmuxBatchWake;
}

export function wakeBatchRunner(): void {
  for (const listener of [...listeners()]) listener();
}

export function onBatchWake(listener: () => void): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

// A chunk's outcome recorded by a runner in this process, by job: an upload on the embedded
// database waits for its job's first one (lib/batch/start-batch.ts).
const globalForSettled = globalThis as typeof globalThis & {
  __sendmuxChunkSettled?: Map<string, Set<() => void>>;
  __sendmuxSettledCounts?: Map<string, number>;
};

export function noteChunkSettled(jobId: string): void {
  const counts = globalForSettled.__sendmuxSettledCounts;
  const counted = counts?.get(jobId);
  if (counted !== undefined) counts!.set(jobId, counted + 1);
  const waiting = globalForSettled.__sendmuxChunkSettled?.get(jobId);
  if (waiting) for (const resolve of [...waiting]) resolve();
}

/**
 * Counts the job's chunks that a runner in this process records from now on, until stop(): an
 * upload on the embedded database knows how far its runner is behind what it has stored.
 */
export function countSettledChunks(jobId: string): { settled: () => number; stop: () => void } {
  const counts = (globalForSettled.__sendmuxSettledCounts ??= new Map());
  counts.set(jobId, counts.get(jobId) ?? 0);
  return { settled: () => counts.get(jobId) ?? 0, stop: () => counts.delete(jobId) };
}

/** Resolves true when a runner in this process records a chunk of the job, false after timeoutMs. */
export function chunkSettled(jobId: string, timeoutMs: number): Promise<boolean> {
  const all = (globalForSettled.__sendmuxChunkSettled ??= new Map());
  return new Promise<boolean>((resolve) => {
    const waiting = all.get(jobId) ?? new Set<() => void>();
    all.set(jobId, waiting);
    const done = (settled: boolean) => {
      clearTimeout(timer);
      waiting.delete(onSettled);
      if (waiting.size === 0) all.delete(jobId);
      resolve(settled);
    };
    const onSettled = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref?.();
    waiting.add(onSettled);
  });
}
