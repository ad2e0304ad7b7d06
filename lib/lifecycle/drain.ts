import 'server-only';
import { metrics } from '@/lib/metrics/registry';
import { upstreamInFlight } from '@/lib/sendmux/in-flight';

// Draining: after SIGTERM the instance reports not-ready (so a load balancer stops sending it
// people), stops claiming batch chunks, lets requests already out to Sendmux finish and record
// their answers, gives back every chunk it holds, closes the database and exits 0. A second
// signal, or the bound, exits at once; a chunk still out then is re-sent under its same key by
// whichever instance claims it next.

type DrainState = { draining: boolean; since: number | null; done?: Promise<void> };
const globalForDrain = globalThis as typeof globalThis & { __sendmuxDrain?: DrainState };
const state = (): DrainState => (globalForDrain.__sendmuxDrain ??= { draining: false, since: null });

export function isDraining(): boolean {
  return state().draining;
}

export type Drainable = {
  /** Stops claiming and resolves once every chunk it held is recorded or given back. */
  stop(): Promise<void>;
};

export type DrainOptions = {
  runner?: Drainable;
  /** Upper bound for the whole drain (the client timeout plus a margin). */
  boundMs: number;
  close?: () => Promise<void>;
  log?: (line: string) => void;
};

const defaultLog = (line: string) => console.log(`[sendmux-console] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Drains once; later calls return the same promise. Resolves true when it finished within the bound. */
export function drain(options: DrainOptions): Promise<boolean> {
  const s = state();
  const log = options.log ?? defaultLog;
  if (!s.draining) {
    s.draining = true;
    s.since = Date.now();
    metrics().draining.set(1);
    log('Draining: not ready for new work; finishing the requests in flight');
    s.done = (async () => {
      await options.runner?.stop();
      // Interactive sends (Compose, manual batches) may still be on their way to Sendmux.
      while (upstreamInFlight() > 0) await sleep(50);
    })();
  }
  const bound = new Promise<false>((resolve) => setTimeout(() => resolve(false), options.boundMs).unref());
  return Promise.race([s.done!.then(() => true as const), bound]).then(async (finished) => {
    if (finished) await options.close?.().catch(() => undefined);
    return finished;
  });
}

/**
 * SIGTERM and SIGINT drain then exit 0 (1 when the bound ran out); a second signal exits 1 at
 * once. Next leaves these signals to us only with NEXT_MANUAL_SIG_HANDLE=true (npm start sets it).
 * A signal within a second of the first is the same one delivered twice (Ctrl-C reaches the whole
 * process group, so does systemd's stop: npm start's wrapper passes it on as well), not a second.
 */
export function exitOnSignals(options: DrainOptions): void {
  let first: number | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (first !== null && now - first < 1_000) return;
    if (first !== null) {
      console.error(`[sendmux-console] ${signal} again: exiting without waiting`);
      process.exit(1);
    }
    first = now;
    void drain(options).then((finished) => {
      if (!finished)
        console.error('[sendmux-console] Draining took too long: exiting with requests still out');
      else (options.log ?? defaultLog)('Drained: exiting');
      process.exit(finished ? 0 : 1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

export function resetDrainForTests(): void {
  globalForDrain.__sendmuxDrain = undefined;
  metrics().draining.set(0);
}
