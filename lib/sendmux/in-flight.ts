import 'server-only';

// Requests to Sendmux under way in this process, for draining to wait on.
const globalForInFlight = globalThis as typeof globalThis & { __sendmuxInFlight?: { n: number } };
const counter = () => (globalForInFlight.__sendmuxInFlight ??= { n: 0 });

export function upstreamInFlight(): number {
  return counter().n;
}

export async function trackInFlight<T>(work: () => Promise<T>): Promise<T> {
  counter().n++;
  try {
    return await work();
  } finally {
    counter().n--;
  }
}
