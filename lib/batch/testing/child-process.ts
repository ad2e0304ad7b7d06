import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';
import type { ChunkEvent } from '@/lib/batch/runner';

/** Used by tests and bench/: runner-child.ts in its own process, and what it reports. */
export type ConsoleChild = {
  process: ChildProcess;
  pid: number;
  worker: string | null;
  chunks: ChunkEvent[];
  /** Resolves on the n-th settled (done or failed) chunk this child reports. */
  settled: (n: number) => Promise<void>;
  exited: Promise<number | null>;
};

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function startConsoleChild(
  env: NodeJS.ProcessEnv,
  options: { sandboxPort?: number; runBatch?: boolean; exitWhenDone?: string; nodeArgs?: string[] } = {},
): Promise<ConsoleChild> {
  const args = [
    ...(options.nodeArgs ?? []),
    '--conditions=react-server',
    '--import',
    'tsx',
    'lib/batch/testing/runner-child.ts',
  ];
  if (options.sandboxPort !== undefined) args.push('--sandbox-port', String(options.sandboxPort));
  if (options.runBatch) args.push('--run-batch');
  if (options.exitWhenDone) args.push('--exit-when-done', options.exitWhenDone);
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: ChunkEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    void exited.then((code) => reject(new Error(`console child exited (${code}) before it was ready`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: { ready?: { worker: string | null; pid: number }; chunk?: ChunkEvent };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return;
      }
      if (msg.chunk) {
        chunks.push(msg.chunk);
        const settled = chunks.filter((c) => c.outcome === 'done' || c.outcome === 'failed').length;
        for (const w of waiters.filter((x) => x.n <= settled)) w.resolve();
      }
      if (msg.ready) {
        resolve({
          process: child,
          pid: msg.ready.pid,
          worker: msg.ready.worker,
          chunks,
          exited,
          settled: (n) => new Promise<void>((done) => waiters.push({ n, resolve: done })),
        });
      }
    });
  });
}
