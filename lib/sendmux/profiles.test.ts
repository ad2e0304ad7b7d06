import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { defaultProfile, hasProfile, listKeyProfiles, resolveProfileKey } from '@/lib/sendmux/profiles';

const VARS = ['SENDMUX_API_KEY', 'SENDMUX_KEYS', 'SANDBOX_API_KEY', 'SENDMUX_API_URL'] as const;

function setEnv(values: Partial<Record<(typeof VARS)[number], string>>) {
  for (const v of VARS) vi.stubEnv(v, values[v]);
  resetEnvForTests();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe('key profiles', () => {
  it('lists configured profiles with masked keys only', () => {
    setEnv({ SENDMUX_KEYS: 'transactional=smx_mbx_secretsecret1234,marketing=smx_mbx_othersecret9876' });
    const list = listKeyProfiles();
    expect(list).toEqual([
      { name: 'transactional', maskedKey: 'smx_mbx_…1234' },
      { name: 'marketing', maskedKey: 'smx_mbx_…9876' },
    ]);
    expect(JSON.stringify(list)).not.toContain('secretsecret');
    expect(defaultProfile()).toBe('transactional');
    expect(hasProfile('marketing')).toBe(true);
    expect(hasProfile('nope')).toBe(false);
    expect(resolveProfileKey('marketing')).toBe('smx_mbx_othersecret9876');
    expect(resolveProfileKey('nope')).toBeUndefined();
  });

  it('has exactly one "sandbox" profile in sandbox mode, using the sandbox key', () => {
    setEnv({ SANDBOX_API_KEY: 'smx_mbx_sbxtestkey000011112222' });
    expect(listKeyProfiles()).toEqual([{ name: 'sandbox', maskedKey: 'smx_mbx_…2222' }]);
    expect(defaultProfile()).toBe('sandbox');
    expect(resolveProfileKey('sandbox')).toBe('smx_mbx_sbxtestkey000011112222');
  });
});
