import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { smtpPortFor } from './constants';

const root = path.resolve(import.meta.dirname, '../..');

export type ConsoleServer = {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed so far. */
  log: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

const STOP_GRACE_MS = 45_000;

/**
 * Starts another console process from the production build (e.g. a first-run server with no
 * users, or one configured with a canary key). `waitForReady: false` returns as soon as it is
 * spawned, for tests that expect it to refuse to start.
 */
export async function startConsole(options: {
  port: number;
  env?: Record<string, string>;
  dataDir?: string;
  waitForReady?: boolean;
}): Promise<ConsoleServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smx-e2e-'));
  let output = '';
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/next/dist/bin/next'),
      'start',
      '-p',
      String(options.port),
      '-H',
      '127.0.0.1',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(options.port),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        SENDMUX_API_KEY: '',
        SENDMUX_KEYS: '',
        ADMIN_EMAIL: '',
        ADMIN_PASSWORD: '',
        SANDBOX_API_KEY: '',
        SANDBOX_RATE_LIMIT: '100000',
        SANDBOX_SMTP_PORT: String(smtpPortFor(options.port)),
        SENDMUX_SMTP_URL: '',
        SENDMUX_SMTP_CA_FILE: '',
        ...options.env,
      },
    },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;
  const server: ConsoleServer = {
    url,
    port: options.port,
    dataDir,
    process: child,
    log: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // A drain is bounded at SENDMUX_TIMEOUT_MS + 10 s (40 s by default): past that the console is
      // stuck, so it is killed (its exit code is then null, which a test of the drain sees) and
      // its last output is printed, rather than the hook timing out with nothing to read.
      const stuck = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_GRACE_MS).unref()),
      ]);
      if (stuck) {
        console.warn(
          `console on port ${options.port} had not exited ${STOP_GRACE_MS / 1000} s after ${signal}; killing it. Its last output:\n${output.slice(-3000)}`,
        );
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  if (options.waitForReady === false) return server;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`console on port ${options.port} exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok && output.includes('Ready on')) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`console on port ${options.port} did not become ready:\n${output}`);
}
