import 'server-only';
import { IDEMPOTENCY_TTL_MS } from '@/lib/sandbox/limits';
import { sandboxState, type FaultPath, type QueuedFault } from '@/lib/sandbox/state';

export { FAULT_PATHS } from '@/lib/sandbox/state';
export type { FaultPath, QueuedFault } from '@/lib/sandbox/state';

export function queueFault(fault: QueuedFault): void {
  sandboxState().faults.push({ ...fault });
}

export function listFaults(): QueuedFault[] {
  return sandboxState().faults.map((f) => ({ ...f }));
}

/** Clears queued faults and the flaky/drop attempt counters. Returns how many faults were queued. */
export function clearFaults(): number {
  const state = sandboxState();
  const n = state.faults.length;
  state.faults = [];
  state.attempts.clear();
  return n;
}

/** Takes the next queued fault for this path, if any. */
export function takeFault(path: FaultPath): Omit<QueuedFault, 'remaining'> | undefined {
  const state = sandboxState();
  const i = state.faults.findIndex((f) => f.path === path);
  const fault = state.faults[i];
  if (!fault) return undefined;
  fault.remaining--;
  if (fault.remaining <= 0) state.faults.splice(i, 1);
  return { path: fault.path, code: fault.code, delayMs: fault.delayMs };
}

/** Counts an attempt and returns its number (1 for the first). Old counters are forgotten after a day. */
export function countAttempt(key: string, now = Date.now()): number {
  const attempts = sandboxState().attempts;
  if (attempts.size > 10_000) {
    for (const [k, v] of attempts) if (now - v.at > IDEMPOTENCY_TTL_MS) attempts.delete(k);
  }
  const entry = attempts.get(key) ?? { count: 0, at: now };
  entry.count++;
  attempts.set(key, entry);
  return entry.count;
}
