import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { getEnv } from '@/lib/env';

/**
 * Reads a secret kept in DATA_DIR, creating it on first use. The file is written exclusively,
 * so two processes starting together end up with the same value. Mode 0600: secrets only.
 */
export function readOrCreateSecretFile(name: string, generate: () => string): string {
  const dir = getEnv().dataDir;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  try {
    fs.writeFileSync(file, generate(), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
