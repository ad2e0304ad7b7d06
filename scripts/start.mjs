#!/usr/bin/env node
// `npm start`: builds the app when there is no build or the sources changed since the last one,
// then runs `next start`. A fresh clone needs nothing but `npm install && npm start`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { consoleNodeFlags } from './node-flags.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const stampFile = path.join(root, '.next', 'console-source-hash');

const SOURCES = [
  'app',
  'components',
  'lib',
  'public',
  'drizzle',
  'next.config.ts',
  'instrumentation.ts',
  'proxy.ts',
  'tsconfig.json',
  'postcss.config.mjs',
  'package-lock.json',
];

function sourceHash() {
  const hash = createHash('sha256');
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!/\.test\.tsx?$/.test(name)) walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p));
      hash.update(fs.readFileSync(p));
    }
  };
  for (const s of SOURCES) walk(path.join(root, s));
  return hash.digest('hex');
}

const wanted = sourceHash();
const built =
  fs.existsSync(path.join(root, '.next', 'BUILD_ID')) &&
  fs.existsSync(stampFile) &&
  fs.readFileSync(stampFile, 'utf8') === wanted;
if (!built || process.argv.includes('--rebuild')) {
  console.log('[sendmux-console] Building the console (first start, or the sources changed)…');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stampFile, wanted);
}

const args = [...consoleNodeFlags(env.NODE_OPTIONS), nextBin, 'start'];
if (env.PORT) args.push('-p', env.PORT);
if (env.HOST) args.push('-H', env.HOST);
// The console drains on SIGTERM itself (finishes what is in flight, gives back its batch chunks,
// exits 0); Next leaves the signal to it only with NEXT_MANUAL_SIG_HANDLE set. Signals sent to
// this wrapper are passed on, a second one too (the console then exits at once), and the
// console's exit code becomes ours.
const child = spawn(process.execPath, args, {
  cwd: root,
  env: { ...env, NEXT_MANUAL_SIG_HANDLE: 'true' },
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) =>
  process.exit(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 0)),
);
