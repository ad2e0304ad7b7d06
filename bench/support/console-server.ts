// The production console as the benches run it: `next start` on a build (NEXT_DIST_DIR, default
// .next), with the Node flags `npm start` gives it (scripts/node-flags.mjs), and signing in
// through the real server action.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error -- a plain ES module (no types) shared with scripts/start.mjs
import { consoleNodeFlags as nodeFlags } from '../../scripts/node-flags.mjs';

/** Flags to put before the script on the console's `node` command line, as `npm start` does. */
export const consoleNodeFlags = nodeFlags as (nodeOptions?: string) => string[];

export const root = path.resolve(import.meta.dirname, '../..');
export const distDir = process.env.NEXT_DIST_DIR || '.next';

/** One `next start` process: `process.pid` is the server's own node process (no wrapper). */
export type Console = {
  url: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  log: () => string;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The id of a server action in the build's manifest, to call it as the browser does. */
export function actionId(name: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(root, distDir, 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === name)?.[0];
  if (!id) throw new Error(`No server action named ${name} in ${distDir}: build first`);
  return id;
}

/**
 * Starts `next start -p <port> -H 127.0.0.1` with the console's Node flags and `env` over this
 * process's environment (undefined: unset); resolves once /api/health/ready answers.
 */
export async function startConsole(port: number, env: Record<string, string | undefined>): Promise<Console> {
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID')))
    throw new Error(`No build in ${distDir}: run \`npx next build\` (with the same NEXT_DIST_DIR) first`);
  const merged: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_MANUAL_SIG_HANDLE: 'true',
    PORT: String(port),
  };
  const child = spawn(
    process.execPath,
    [
      ...consoleNodeFlags(merged.NODE_OPTIONS),
      // BENCH_CONSOLE_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/x") profiles the console.
      ...(process.env.BENCH_CONSOLE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      path.join(root, 'node_modules/next/dist/bin/next'),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    { cwd: root, env: merged, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`console on ${port} exited:\n${output}`);
    if (i > 480) throw new Error(`console on ${port} did not start:\n${output}`);
    if (output.includes('Ready on')) {
      const res = await fetch(`${url}/api/health/ready`).catch(() => null);
      if (res?.ok) break;
    }
    await sleep(250);
  }
  return { url, process: child, exited, log: () => output };
}

/** Signs in through signInAction as the sign-in form does; the session cookie header to send. */
export async function signIn(c: Console, admin: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${c.url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Next-Action': actionId('signInAction'),
      'Content-Type': 'text/plain;charset=UTF-8',
      Origin: c.url,
      Accept: 'text/x-component',
    },
    body: JSON.stringify([admin]),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((x) => x.split(';')[0])
    .join('; ');
  if (!cookie.includes('smx_session=')) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookie;
}
