import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import { hmac } from '@/lib/auth/secret';
import { checkCredentials, type CredentialCheck } from '@/lib/auth/sign-in';
import { ACCOUNT_POLICY, ADDRESS_POLICY, DEVICE_POLICY } from '@/lib/auth/throttle';
import { tables } from '@/lib/db';
import { resetEnvForTests } from '@/lib/env';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';

const getDatabase = useTestDatabase();
const PASSWORD = 'the right password';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
let userIds: Record<string, string> = {};

beforeAll(async () => {
  vi.stubEnv('SESSION_SECRET', 's'.repeat(40));
  resetEnvForTests();
  // Cheap scrypt parameters: the hash carries them, and the throttle is what is under test.
  const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  const emails = [
    'seq@example.com',
    'par@example.com',
    'ok@example.com',
    'dev@example.com',
    ...Array.from({ length: 30 }, (_, i) => `spray${i}@example.com`),
  ];
  const rows = emails.map((email, i) => ({ id: `usr_${i}`, email, role: 'sender' as const, passwordHash }));
  await getDatabase().db.insert(tables.users).values(rows);
  userIds = Object.fromEntries(rows.map((r) => [r.email, r.id]));
});

afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

const codes = (results: CredentialCheck[]) =>
  results.reduce<Record<string, number>>((acc, r) => {
    const code = r.ok ? 'ok' : r.error.code;
    acc[code] = (acc[code] ?? 0) + 1;
    return acc;
  }, {});

const attempt = (email: string, password: string, ip: string | null, now = NOW, deviceCookie?: string) =>
  checkCredentials({ email, password, ip, now, deviceCookie });

describe(`sign-in throttle (${testEngine()})`, () => {
  it('holds 50 parallel wrong passwords to exactly what 50 sequential ones get', async () => {
    const sequential: CredentialCheck[] = [];
    for (let i = 0; i < 50; i++) sequential.push(await attempt('seq@example.com', 'wrong', '198.51.100.1'));
    const parallel = await Promise.all(
      Array.from({ length: 50 }, () => attempt('par@example.com', 'wrong', '198.51.100.2')),
    );
    const expected = { invalid_credentials: ACCOUNT_POLICY.free, throttled: 50 - ACCOUNT_POLICY.free };
    expect(codes(sequential)).toEqual(expected);
    expect(codes(parallel)).toEqual(expected);

    const t = tables.signInThrottle;
    const [row] = await getDatabase().db.select().from(t).where(eq(t.key, 'account:par@example.com'));
    expect(row?.attempts).toBe(ACCOUNT_POLICY.free);
    const failures = await getDatabase()
      .db.select()
      .from(tables.auditEvents)
      .where(eq(tables.auditEvents.target, 'par@example.com'));
    expect(failures).toHaveLength(50);
    expect(failures.every((f) => f.action === 'sign_in.failure' && f.ip === '198.51.100.2')).toBe(true);
  });

  it('makes the next attempt wait, doubling, and refuses even the right password meanwhile', async () => {
    // seq@ has used its free attempts: the next one waits 1 s after the last, the one after 2 s.
    expect(await attempt('seq@example.com', PASSWORD, '198.51.100.1', NOW + 500)).toMatchObject({
      ok: false,
      error: { code: 'throttled', retryAfterSeconds: 1 },
    });
    expect(await attempt('seq@example.com', 'wrong', '198.51.100.1', NOW + 1000)).toMatchObject({
      ok: false,
      error: { code: 'invalid_credentials' },
    });
    expect(await attempt('seq@example.com', 'wrong', '198.51.100.1', NOW + 2500)).toMatchObject({
      ok: false,
      error: { code: 'throttled', retryAfterSeconds: 1 },
    });
    const signedIn = await attempt('seq@example.com', PASSWORD, '198.51.100.1', NOW + 3000);
    expect(signedIn.ok).toBe(true);
    // A success starts the account afresh.
    expect(
      codes(await Promise.all([1, 2, 3].map(() => attempt('seq@example.com', 'wrong', null, NOW + 3001)))),
    ).toEqual({
      invalid_credentials: 3,
    });
  });

  it('limits one address across many accounts, and a success gives its own attempt back', async () => {
    const ip = '203.0.113.50';
    const spray = await Promise.all(
      Array.from({ length: ADDRESS_POLICY.free + 10 }, (_, i) => attempt(`spray${i}@example.com`, 'x', ip)),
    );
    expect(codes(spray)).toEqual({ invalid_credentials: ADDRESS_POLICY.free, throttled: 10 });
    // Another address is not affected; this one is, for every account.
    expect((await attempt('ok@example.com', PASSWORD, '203.0.113.51')).ok).toBe(true);
    expect(await attempt('ok@example.com', PASSWORD, ip)).toMatchObject({ error: { code: 'throttled' } });
    const later = NOW + 2000;
    expect((await attempt('ok@example.com', PASSWORD, ip, later)).ok).toBe(true);
    const t = tables.signInThrottle;
    const [row] = await getDatabase()
      .db.select()
      .from(t)
      .where(eq(t.key, `address:${ip}`));
    expect(row?.attempts).toBe(ADDRESS_POLICY.free);
  });

  it('lets a browser that signed in before through while the account is under attack', async () => {
    const nonce = 'devicenonce1';
    const id = userIds['dev@example.com']!;
    const cookie = `${id}.${nonce}.${hmac(`${id}.${nonce}`)}`;
    const attack = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt('dev@example.com', 'guess', `192.0.2.${i}`)),
    );
    expect(codes(attack).throttled).toBe(30 - ACCOUNT_POLICY.free);
    const owner = await attempt('dev@example.com', PASSWORD, '192.0.2.200', NOW, cookie);
    expect(owner).toMatchObject({ ok: true, deviceId: nonce });
    // A forged or foreign cookie counts for nothing.
    const forged = `${id}.${nonce}.${hmac('someone-else.x')}`;
    expect(await attempt('dev@example.com', PASSWORD, '192.0.2.201', NOW, forged)).toMatchObject({
      error: { code: 'throttled' },
    });
    // A device cookie that keeps failing loses its pass.
    const guesses = await Promise.all(
      Array.from({ length: DEVICE_POLICY.maxPerWindow + 1 }, () =>
        attempt('dev@example.com', 'guess', '192.0.2.202', NOW, cookie),
      ),
    );
    expect(codes(guesses)).toEqual({ invalid_credentials: DEVICE_POLICY.maxPerWindow, throttled: 1 });
  });
});
