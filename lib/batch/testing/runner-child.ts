// A console-like child process for the crash, two-process and throughput checks:
//   node --conditions=react-server --import tsx lib/batch/testing/runner-child.ts [--sandbox-port N] [--run-batch]
// Configuration comes from the console's own environment (DATA_DIR or DATABASE_URL, SENDMUX_KEYS,
// SENDMUX_API_URL, BATCH_LEASE_SECONDS, …). --sandbox-port serves the sandbox on that port;
// --run-batch runs the batch runner; --exit-when-done <jobId> stops it and closes the database
// cleanly once that job is done (so a parent may open the PGlite directory next). It prints one JSON object per line: {"ready":{port,worker,pid}}
// once started, then {"chunk":{…}} for every chunk it settles. With --run-batch, SIGTERM drains
// like the console does (lib/lifecycle/drain.ts) and exits 0.
import { sql } from 'drizzle-orm';
import { getDbHandle, queryRows } from '@/lib/db';
import { BatchRunner } from '@/lib/batch/runner';
import { serveSandbox } from '@/lib/batch/testing/sandbox-server';
import { exitOnSignals } from '@/lib/lifecycle/drain';

const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const argv = process.argv.slice(2);

async function main(): Promise<void> {
  const portArg = argv.indexOf('--sandbox-port');
  const port = portArg === -1 ? null : (await serveSandbox(Number(argv[portArg + 1] ?? 0))).port;
  const handle = await getDbHandle();
  let runner: BatchRunner | undefined;
  if (argv.includes('--run-batch')) {
    runner = new BatchRunner({ pollMs: 100, onChunk: (chunk) => say({ chunk }) });
    await runner.start();
    exitOnSignals({
      runner,
      boundMs: 40_000,
      close: () => handle.close(),
      log: (line) => say({ log: line }),
    });
  }
  say({ ready: { port, worker: runner?.workerId ?? null, pid: process.pid } });
  const doneArg = argv.indexOf('--exit-when-done');
  const jobId = doneArg === -1 ? undefined : argv[doneArg + 1];
  if (jobId) {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [job] = await queryRows<{ status: string }>(
        handle.db,
        sql`SELECT status FROM batch_jobs WHERE id = ${jobId}`,
      );
      if (job?.status === 'done') break;
    }
    await runner?.stop();
    await handle.close();
    say({ exiting: jobId });
    process.exit(0);
  }
  // Runs until killed; SIGINT exits normally so that --cpu-prof can write its profile.
  setInterval(() => {}, 1 << 30);
  if (!runner) process.once('SIGINT', () => process.exit(0));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
