import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
      auditRetentionDays: 365,
      trustProxy: 0,
      secure: false,
    });
  });

  it('marks an https APP_URL secure and believes forwarded headers only when told to', () => {
    expect(ok({ APP_URL: 'https://console.example.com/' })).toMatchObject({
      appUrl: 'https://console.example.com',
      secure: true,
      trustProxy: 0,
    });
    expect(ok({ TRUST_PROXY: '1', AUDIT_RETENTION_DAYS: '90' })).toMatchObject({
      trustProxy: 1,
      auditRetentionDays: 90,
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
    [{ AUDIT_RETENTION_DAYS: '0' }, /AUDIT_RETENTION_DAYS must be a whole number from 1 to 3650/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY must be a whole number from 0 to 10/],
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
      [{ SENDMUX_KEYS: 'management=smx_mbx_x' }, /"management" is reserved for the delivery-logs key/],
      [{ SENDMUX_API_KEY: 'smx_root_secretvalue1234' }, /root key \(smx_root_…1234\)/],
    ])('refuses %o', (src, message) => {
      expect(errors(src)).toMatch(message);
    });

    it('reads webhook secrets (comma-separated, for rotation) and the management key, masked in errors', () => {
      const c = ok({
        SENDMUX_WEBHOOK_SECRETS: ' whsec_old_0123456789ab , whsec_new_0123456789ab ',
        SENDMUX_MANAGEMENT_KEY: 'smx_root_logsreader_1234',
      });
      expect(c.webhookSecrets).toEqual(['whsec_old_0123456789ab', 'whsec_new_0123456789ab']);
      expect(c.managementKey).toBe('smx_root_logsreader_1234');
      expect(c.managementApiUrl).toBe('https://app.sendmux.ai/api/v1');
      expect(ok({}).webhookSecrets).toEqual([]);
      expect(errors({ SENDMUX_WEBHOOK_SECRETS: 'short' })).toMatch(/SENDMUX_WEBHOOK_SECRETS: secret 1/);
      const notRoot = errors({ SENDMUX_MANAGEMENT_KEY: 'smx_mbx_SENDINGSECRET_9999' });
      expect(notRoot).toMatch(/SENDMUX_MANAGEMENT_KEY must be a management key \(smx_root_…\)/);
      expect(notRoot).not.toContain('SENDINGSECRET');
      // A root key is refused as a sending profile whatever else is configured.
      const asProfile = errors({
        SENDMUX_MANAGEMENT_KEY: 'smx_root_TOPSECRET_value9999',
        SENDMUX_KEYS: 'logs=smx_root_TOPSECRET_value9999',
      });
      expect(asProfile).toMatch(/root key/);
      expect(asProfile).not.toContain('TOPSECRET');
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

  describe('SMTP', () => {
    it('sandbox mode: the built-in listener on 127.0.0.1:2525, its CA trusted', () => {
      expect(ok({}).smtp).toEqual({
        url: 'smtp://127.0.0.1:2525',
        host: '127.0.0.1',
        port: 2525,
        implicitTls: false,
        trustSandboxCa: true,
        caFile: undefined,
      });
      expect(ok({}).sandboxSmtp).toEqual({ port: 2525, bindHost: '127.0.0.1' });
    });

    it('SANDBOX_SMTP_PORT moves the listener; HOST names the interface it binds unless it means all', () => {
      expect(ok({ SANDBOX_SMTP_PORT: '14317' }).smtp.url).toBe('smtp://127.0.0.1:14317');
      expect(ok({ HOST: '0.0.0.0' }).sandboxSmtp.bindHost).toBe('127.0.0.1');
      expect(ok({ HOST: '::' }).sandboxSmtp.bindHost).toBe('127.0.0.1');
      const v6 = ok({ HOST: '::1', SANDBOX_SMTP_PORT: '2600' });
      expect(v6.sandboxSmtp.bindHost).toBe('::1');
      expect(v6.smtp).toMatchObject({ url: 'smtp://[::1]:2600', host: '::1', trustSandboxCa: true });
    });

    it('live mode: smtp.sendmux.ai:587 by default, SENDMUX_SMTP_URL otherwise, nothing trusted extra', () => {
      expect(ok({ SENDMUX_API_KEY: 'smx_mbx_x' }).smtp).toEqual({
        url: 'smtp://smtp.sendmux.ai:587',
        host: 'smtp.sendmux.ai',
        port: 587,
        implicitTls: false,
        trustSandboxCa: false,
        caFile: undefined,
      });
      expect(
        ok({ SENDMUX_API_KEY: 'smx_mbx_x', SENDMUX_SMTP_URL: 'smtp://relay.example.com:2525' }).smtp,
      ).toMatchObject({ host: 'relay.example.com', port: 2525, implicitTls: false });
      expect(
        ok({ SENDMUX_API_KEY: 'smx_mbx_x', SENDMUX_SMTP_URL: 'smtps://relay.example.com' }).smtp,
      ).toMatchObject({ url: 'smtps://relay.example.com:465', port: 465, implicitTls: true });
    });

    it('trusts the sandbox CA in live mode only when the URL is this console’s own listener', () => {
      const own = {
        PORT: '3917',
        SENDMUX_API_KEY: 'smx_mbx_x',
        SENDMUX_API_URL: 'http://127.0.0.1:3917/sandbox/api/v1',
        SANDBOX_SMTP_PORT: '13917',
      };
      expect(ok({ ...own, SENDMUX_SMTP_URL: 'smtp://127.0.0.1:13917' }).smtp.trustSandboxCa).toBe(true);
      expect(ok({ ...own, SENDMUX_SMTP_URL: 'smtp://localhost:13917' }).smtp.trustSandboxCa).toBe(true);
      expect(ok({ ...own, SENDMUX_SMTP_URL: 'smtp://127.0.0.1:2525' }).smtp.trustSandboxCa).toBe(false);
      expect(ok({ ...own, SENDMUX_SMTP_URL: 'smtp://mail.example.com:13917' }).smtp.trustSandboxCa).toBe(
        false,
      );
      // Without the sandbox served there is no listener to trust.
      expect(
        ok({ SENDMUX_API_KEY: 'smx_mbx_x', SENDMUX_SMTP_URL: 'smtp://127.0.0.1:2525' }).smtp.trustSandboxCa,
      ).toBe(false);
    });

    it.each([
      [{ SENDMUX_SMTP_URL: 'https://smtp.sendmux.ai' }, /SENDMUX_SMTP_URL must be smtp:\/\/host:port/],
      [{ SENDMUX_SMTP_URL: 'smtp.sendmux.ai:587' }, /SENDMUX_SMTP_URL must be smtp:\/\/host:port/],
      [{ SENDMUX_SMTP_URL: 'smtp://smtp.sendmux.ai:587/x' }, /SENDMUX_SMTP_URL must be smtp:\/\/host:port/],
      [
        { SENDMUX_SMTP_URL: 'smtp://user:smx_mbx_secret@smtp.sendmux.ai:587' },
        /SENDMUX_SMTP_URL must not hold a username or password/,
      ],
      [{ SANDBOX_SMTP_PORT: '0' }, /SANDBOX_SMTP_PORT must be a whole number from 1 to 65535/],
      [{ SANDBOX_SMTP_PORT: 'smtp' }, /SANDBOX_SMTP_PORT must be a whole number/],
      [
        { SENDMUX_SMTP_CA_FILE: 'no-such-ca.pem' },
        /SENDMUX_SMTP_CA_FILE: cannot read \/srv\/console\/no-such-ca\.pem \(ENOENT\)/,
      ],
    ])('refuses %o', (src, message) => {
      expect(errors(src)).toMatch(message);
    });

    it('never repeats a password written into SENDMUX_SMTP_URL', () => {
      expect(errors({ SENDMUX_SMTP_URL: 'smtp://u:smx_mbx_TOPSECRET@h:587' })).not.toContain('TOPSECRET');
    });

    it('SENDMUX_SMTP_CA_FILE must hold a PEM certificate', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-env-'));
      try {
        const good = path.join(dir, 'ca.pem');
        fs.writeFileSync(good, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
        const bad = path.join(dir, 'key.pem');
        fs.writeFileSync(bad, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
        expect(ok({ SENDMUX_SMTP_CA_FILE: good }).smtp.caFile).toBe(good);
        expect(errors({ SENDMUX_SMTP_CA_FILE: bad })).toMatch(/key\.pem holds no PEM certificate/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
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
