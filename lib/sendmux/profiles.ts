import 'server-only';
import { getEnv, maskKey, type KeyProfile } from '@/lib/env';
import { getSandboxKey } from '@/lib/sandbox/key';

export const SANDBOX_PROFILE = 'sandbox';

export type KeyProfileSummary = { name: string; maskedKey: string };

function profiles(): KeyProfile[] {
  const env = getEnv();
  if (env.mode === 'sandbox') return [{ name: SANDBOX_PROFILE, key: getSandboxKey() }];
  return env.keyProfiles;
}

/** Profiles the user may pick from; the key is only ever shown masked. */
export function listKeyProfiles(): KeyProfileSummary[] {
  return profiles().map((p) => ({ name: p.name, maskedKey: maskKey(p.key) }));
}

export function hasProfile(name: string): boolean {
  return profiles().some((p) => p.name === name);
}

/** The first configured profile ("sandbox" in sandbox mode). */
export function defaultProfile(): string {
  const first = profiles()[0];
  if (!first) throw new Error('No Sendmux key profile is configured');
  return first.name;
}

/** For lib/sendmux/client.ts only: the one place a key leaves the configuration. */
export function resolveProfileKey(name: string): string | undefined {
  return profiles().find((p) => p.name === name)?.key;
}

export class UnknownProfileError extends Error {
  constructor(readonly profile: string) {
    super(`Unknown Sendmux key profile "${profile}"`);
    this.name = 'UnknownProfileError';
  }
}
