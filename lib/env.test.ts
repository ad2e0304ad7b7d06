import { describe, expect, it } from 'vitest';
import { formatEnvErrors, maskKey, parseEnv } from '@/lib/env';

const ok = (src: Record<string, string | undefined>) => {
  const r = parseEnv(src, '/srv/console');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};
const errors = (src: Record<string, string | undefined>) => {
  const r = parseEnv(src, '/srv/console');
  if (r.ok) throw new Error('expected the configuration to be refused');
  return r.errors.join('\n');
};

describe('configuration', () => {
  it('runs with no configuration at all: sandbox mode, PGlite in ./data, port 3000', () => {
    const c = ok({});
    expect(c).toMatchObject({
      port: 3000,
      dataDir: '/srv/console/data',
      db: 'pglite',
      databaseUrl: undefined,
      mode: 'sandbox',
      sandboxServed: true,
      keyProfiles: [],
      sendmuxApiUrl: 'http://127.0.0.1:3000/sandbox/api/v1',
      sandboxRateLimit: 1800,
      appUrl: 'http://localhost:3000',
      requestLogRetentionDays: 30,
    });
  });

  it('treats empty strings as unset', () => {
    expect(ok({ PORT: '', DATABASE_URL: '', SENDMUX_API_KEY: ' ' }).mode).toBe('sandbox');
  });

  it('reads PORT, DATA_DIR and DATABASE_URL', () => {
    const c = ok({ PORT: '8080', DATA_DIR: '/var/lib/smx', DATABASE_URL: 'postgres://u:p@db:5432/smx' });
    expect(c).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/smx',
      db: 'postgres',
      databaseUrl: 'postgres://u:p@db:5432/smx',
      appUrl: 'http://localhost:8080',
    });
    expect(ok({ DATABASE_URL: 'postgresql://db/smx' }).db).toBe('postgres');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number from 1 to 65535 \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://db/x' }, /DATABASE_URL must be a PostgreSQL URL/],
    [{ SENDMUX_API_URL: 'ftp://example.com' }, /SENDMUX_API_URL must be an http\(s\) URL/],
    [{ SENDMUX_API_URL: 'not a url' }, /SENDMUX_API_URL must be an http\(s\) URL/],
    [{ SANDBOX_RATE_LIMIT: '0' }, /SANDBOX_RATE_LIMIT must be a whole number from 1/],
    [{ ADMIN_EMAIL: 'admin@example.com' }, /ADMIN_EMAIL and ADMIN_PASSWORD go together/],
    [{ ADMIN_PASSWORD: 'long-enough-password' }, /ADMIN_EMAIL and ADMIN_PASSWORD go together/],
    [
      { ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long-enough-password' },
      /ADMIN_EMAIL must be an email address/,
    ],
    [
      { ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'short' },
      /ADMIN_PASSWORD must be 12 to 128 characters/,
    ],
    [{ SESSION_SECRET: 'too-short' }, /SESSION_SECRET must be at least 32 characters/],
    [{ SANDBOX_API_KEY: 'short' }, /SANDBOX_API_KEY must be at least 16 characters/],
    [{ REQUEST_LOG_RETENTION_DAYS: '0' }, /REQUEST_LOG_RETENTION_DAYS must be a whole number/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
  ])('refuses %o with a message naming the variable', (src, message) => {
    expect(errors(src)).toMatch(message);
  });

  it('collects every problem, not just the first', () => {
    const text = errors({ PORT: 'x', DATABASE_URL: 'mysql://x', SENDMUX_KEYS: 'oops' });
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/DATABASE_URL/);
    expect(text).toMatch(/SENDMUX_KEYS/);
    expect(formatEnvErrors(['PORT: bad'])).toMatch(
      /^Sendmux Console cannot start: the configuration is invalid\.\n {2}- PORT: bad\n/,
    );
  });

  describe('key profiles', () => {
    it('SENDMUX_API_KEY is the profile "default" and switches to live mode', () => {
      const c = ok({ SENDMUX_API_KEY: 'smx_mbx_abc123' });
      expect(c.mode).toBe('live');
      expect(c.sandboxServed).toBe(false);
      expect(c.keyProfiles).toEqual([{ name: 'default', key: 'smx_mbx_abc123' }]);
      expect(c.sendmuxApiUrl).toBe('https://smtp.sendmux.ai/api/v1');
    });

    it('SENDMUX_KEYS holds several named profiles, alongside SENDMUX_API_KEY', () => {
      const c = ok({
        SENDMUX_API_KEY: 'smx_mbx_one',
        SENDMUX_KEYS: ' transactional=smx_mbx_two , marketing=smx_agent_three,',
      });
      expect(c.keyProfiles.map((p) => p.name)).toEqual(['default', 'transactional', 'marketing']);
      expect(c.keyProfiles[2]!.key).toBe('smx_agent_three');
    });

    it.each([
      [{ SENDMUX_KEYS: 'transactional' }, /SENDMUX_KEYS: entry 1 is not name=key/],
      [{ SENDMUX_KEYS: 'Bad Name=smx_mbx_x' }, /entry 1 is not name=key/],
      [{ SENDMUX_KEYS: 'a=smx_mbx_x,a=smx_mbx_y' }, /profile "a" is defined twice/],
      [
        { SENDMUX_API_KEY: 'smx_mbx_x', SENDMUX_KEYS: 'default=smx_mbx_y' },
        /"default" is defined twice \(SENDMUX_API_KEY already defines "default"\)/,
      ],
      [{ SENDMUX_KEYS: 'ops=' }, /key for profile "ops" is empty/],
      [{ SENDMUX_API_KEY: 'smx_root_secretvalue1234' }, /root key \(smx_root_…1234\)/],
    ])('refuses %o', (src, message) => {
      expect(errors(src)).toMatch(message);
    });

    it('never prints a key in an error message', () => {
      const text = errors({ SENDMUX_KEYS: 'ops=smx_root_TOPSECRET_value9999' });
      expect(text).not.toContain('TOPSECRET');
    });

    it('serves the sandbox in live mode only when SENDMUX_API_URL points at this console', () => {
      expect(
        ok({
          PORT: '3917',
          SENDMUX_API_KEY: 'smx_mbx_x',
          SENDMUX_API_URL: 'http://127.0.0.1:3917/sandbox/api/v1',
        }).sandboxServed,
      ).toBe(true);
      expect(
        ok({
          PORT: '3917',
          SENDMUX_API_KEY: 'smx_mbx_x',
          SENDMUX_API_URL: 'http://127.0.0.1:4000/sandbox/api/v1',
        }).sandboxServed,
      ).toBe(false);
      expect(
        ok({ SENDMUX_API_KEY: 'smx_mbx_x', SENDMUX_API_URL: 'https://smtp.sendmux.ai/api/v1/' })
          .sendmuxApiUrl,
      ).toBe('https://smtp.sendmux.ai/api/v1');
    });
  });

  it('reads the rate budget, metrics and drain settings', () => {
    expect(ok({})).toMatchObject({
      batchMaxRate: undefined,
      interactiveReserve: {},
      metricsToken: undefined,
      drainOnSignal: false,
    });
    expect(
      ok({
        BATCH_MAX_RATE: '600',
        INTERACTIVE_RESERVE: '12',
        METRICS_TOKEN: 'a-token-of-24-characters',
        NEXT_MANUAL_SIG_HANDLE: 'true',
      }),
    ).toMatchObject({
      batchMaxRate: 600,
      interactiveReserve: { count: 12 },
      metricsToken: 'a-token-of-24-characters',
      drainOnSignal: true,
    });
    expect(ok({ INTERACTIVE_RESERVE: '5%' }).interactiveReserve).toEqual({ percent: 5 });
    expect(errors({ INTERACTIVE_RESERVE: 'lots' })).toContain('INTERACTIVE_RESERVE must be a number');
    expect(errors({ INTERACTIVE_RESERVE: '150%' })).toContain('INTERACTIVE_RESERVE');
    expect(errors({ BATCH_MAX_RATE: '0' })).toContain('BATCH_MAX_RATE must be a whole number from 1');
    expect(errors({ METRICS_TOKEN: 'short' })).toContain('METRICS_TOKEN must be at least 16');
  });

  it('masks keys as prefix + last four', () => {
    expect(maskKey('smx_mbx_abcdefgh1234')).toBe('smx_mbx_…1234');
    expect(maskKey('smx_agent_zzzzzzzz9876')).toBe('smx_agent_…9876');
    expect(maskKey('short')).toBe('…');
  });
});
