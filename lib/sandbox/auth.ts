import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { getSandboxKey } from '@/lib/sandbox/key';
import { sandboxState } from '@/lib/sandbox/state';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

function expectedKeyHash(): Buffer {
  const state = sandboxState();
  const config = getEnv();
  if (state.key?.config !== config) {
    const key = getSandboxKey();
    state.key = { config, key, hash: sha256(key) };
  }
  return state.key.hash;
}

/**
 * The credential's scope (hash of the key) when `given` is the sandbox key, compared in constant
 * time. HTTP (Bearer) and SMTP (AUTH password) share it, so both count against one rate window.
 */
export function scopeOfKey(given: string): string | undefined {
  const hash = sha256(given);
  return timingSafeEqual(hash, expectedKeyHash()) ? hash.toString('hex') : undefined;
}
