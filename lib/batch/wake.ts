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
