import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { sandboxNotServed } from './served';

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe('sandboxNotServed', () => {
  it('lets a sandbox control run on a console in sandbox mode', () => {
    vi.stubEnv('SENDMUX_API_KEY', '');
    vi.stubEnv('SENDMUX_KEYS', '');
    resetEnvForTests();
    expect(sandboxNotServed('it has no outbox')).toBeNull();
  });

  it('refuses with sandbox_not_served and says what is missing on a live console', () => {
    vi.stubEnv('SENDMUX_API_KEY', 'smx_mbx_live_key_for_the_test');
    resetEnvForTests();
    expect(sandboxNotServed('it has no outbox')).toEqual({
      ok: false,
      error: {
        code: 'sandbox_not_served',
        message: 'This console does not run the sandbox, so it has no outbox.',
      },
    });
  });
});
