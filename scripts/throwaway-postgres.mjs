// Starts a throwaway PostgreSQL cluster for the test run (trust auth, 127.0.0.1 only, temp dir)
// from the machine's own binaries, e.g. Debian's `postgresql` package. Returns its URL and a stop().
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function findBinDir() {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return path.dirname(fs.realpathSync(fromPath));
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

export function startThrowawayPostgres() {
  const bin = findBinDir();
  if (!bin)
    return {
      error:
        'no PostgreSQL server binaries found (install Debian package `postgresql`, or set TEST_DATABASE_URL)',
    };
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root; Debian's package creates the `postgres` user.
  const run = (cmd, args) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-pg-'));
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const port = 55000 + Math.floor(Math.random() * 5000);
  const data = path.join(dir, 'data');
  try {
    run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    run(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-o',
      `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=200`,
      'start',
    ]);
  } catch (err) {
    return { error: `could not start PostgreSQL from ${bin}: ${err.stderr?.toString() || err.message}` };
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
