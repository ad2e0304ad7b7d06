import 'server-only';
import { installPeerAddressHeader } from '@/lib/auth/client-address';
import { startHousekeeping } from '@/lib/auth/housekeeping';
import { ensureFirstAdmin } from '@/lib/auth/setup';
import { startBatchRunner } from '@/lib/batch/runner';
import { getDbHandle } from '@/lib/db';
import { startDeliveryCorrelation } from '@/lib/delivery/correlate';
import { DataDirLockedError } from '@/lib/db/data-dir-lock';
import { getEnv } from '@/lib/env';
import { extendRequestTimeout } from '@/lib/http/request-timeout';
import { exitOnSignals } from '@/lib/lifecycle/drain';
import { startRequestLogPruning } from '@/lib/requests/prune';
import { startSandboxSmtp } from '@/lib/sandbox/smtp-listener';
import { startWebhookDispatcher } from '@/lib/sandbox/webhooks';

const log = (line: string) => console.log(`[sendmux-console] ${line}`);

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

/** Runs once per server process, from instrumentation.ts, before the first request is served. */
export async function startServer(): Promise<void> {
  let env: ReturnType<typeof getEnv>;
  try {
    env = getEnv();
  } catch (err) {
    fail((err as Error).message);
  }
  installPeerAddressHeader(env.trustProxy);
  extendRequestTimeout();
  try {
    const db = await getDbHandle();
    log(
      db.kind === 'pglite'
        ? `Embedded database (PGlite) in ${env.dataDir}`
        : 'PostgreSQL database from DATABASE_URL',
    );
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message);
    fail(`Sendmux Console cannot open its database: ${(err as Error).message}`);
  }
  await ensureFirstAdmin(log);
  startRequestLogPruning();
  startHousekeeping();
  startDeliveryCorrelation();
  const runner = startBatchRunner();
  if (env.drainOnSignal) {
    exitOnSignals({
      runner,
      // A request in flight gets the client's own timeout, plus time to record its answer.
      boundMs: env.sendmuxTimeoutMs + 10_000,
      close: async () => (await getDbHandle()).close(),
      log,
    });
  } else {
    log('NEXT_MANUAL_SIG_HANDLE is not set: SIGTERM stops the server without draining (npm start sets it).');
  }
  await startSandboxSmtp(log);
  if (env.sandboxServed) startWebhookDispatcher();
  log(
    env.mode === 'sandbox'
      ? 'Sandbox mode: no Sendmux key is configured, so email goes to the built-in sandbox and nothing leaves this machine.'
      : `Live mode: ${env.keyProfiles.length} key profile(s) against ${env.sendmuxApiUrl}.`,
  );
  log(`Ready on ${env.appUrl}`);
}
