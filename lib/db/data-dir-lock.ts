import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type LockInfo = { pid: number; host: string; startedAt: string; procStart?: string };

export class DataDirLockedError extends Error {
  constructor(dir: string, holder: LockInfo) {
    super(
      `Another Sendmux Console process (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}) is using the embedded database in ${dir}. ` +
        'Two processes on one PGlite directory silently lose writes, so this one will not start. ' +
        'Stop the other process, give this one its own DATA_DIR, or set DATABASE_URL so both share PostgreSQL.',
    );
    this.name = 'DataDirLockedError';
  }
}

/** Field 22 of /proc/<pid>/stat: the process start time, which tells a live holder from a recycled pid. */
function procStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(info: LockInfo): boolean {
  if (info.host !== os.hostname()) return true; // cannot check another machine: assume it is alive
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const now = procStart(info.pid);
  return !info.procStart || !now || now === info.procStart;
}

/**
 * Takes an exclusive lock on a data directory for this process, or throws DataDirLockedError.
 * A lock left by a process that died (kill -9) is taken over.
 */
export function acquireDataDirLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'console.lock');
  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    procStart: procStart(process.pid),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      const release = () => {
        try {
          const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (current.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        holder = undefined; // half-written or unreadable: treat as stale
      }
      if (holder && isAlive(holder)) throw new DataDirLockedError(dir, holder);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock file ${file}`);
}
