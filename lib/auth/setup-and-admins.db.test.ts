import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import type { SessionUser } from '@/lib/auth/session';
import { completeSetup, ensureFirstAdmin, isSetupTokenValid, SETUP_TOKEN_TTL_MS } from '@/lib/auth/setup';
import { changeRole, setUserDisabled } from '@/lib/auth/users';
import { tables } from '@/lib/db';
import { resetEnvForTests } from '@/lib/env';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';

const getDatabase = useTestDatabase();
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

beforeAll(() => {
  vi.stubEnv('ADMIN_EMAIL', '');
  vi.stubEnv('ADMIN_PASSWORD', '');
  vi.stubEnv('APP_URL', 'https://console.example.com');
  resetEnvForTests();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

/** One console instance starting: what it printed, and the token if it printed a link. */
async function start(options: { now?: number; rotate?: boolean } = {}) {
  const lines: string[] = [];
  await ensureFirstAdmin((l) => lines.push(l), { rotate: false, now: NOW, ...options });
  const token = /setup\?token=([\w-]+)/.exec(lines.join('\n'))?.[1] ?? null;
  return { lines, token };
}

describe(`first-run setup token (${testEngine()})`, () => {
  it('is made and printed by one of several instances starting at once, and shared by all', async () => {
    const starts = await Promise.all([start(), start(), start()]);
    const printed = starts.filter((s) => s.token);
    expect(printed).toHaveLength(1);
    const token = printed[0]!.token!;
    for (const other of starts.filter((s) => !s.token))
      expect(other.lines.join('\n')).toMatch(/Another console instance printed the one-time setup link/);
    expect(await isSetupTokenValid(token, NOW)).toBe(true);
    // An instance starting later keeps it.
    expect((await start({ now: NOW + 3_600_000 })).token).toBeNull();
    expect(await isSetupTokenValid(token, NOW + 3_600_000)).toBe(true);
  });

  it('expires after 24 hours, and the next start makes a new one', async () => {
    const [old] = await getDatabase().db.select().from(tables.appSettings);
    expect(old).toBeDefined();
    const later = NOW + SETUP_TOKEN_TTL_MS + 1;
    const expired = await start({ now: later - 2 });
    expect(expired.token).toBeNull();
    const starts = await Promise.all([start({ now: later }), start({ now: later })]);
    const fresh = starts.filter((s) => s.token);
    expect(fresh).toHaveLength(1);
    const token = fresh[0]!.token!;
    expect(await isSetupTokenValid(token, later + SETUP_TOKEN_TTL_MS - 1)).toBe(true);
    expect(await isSetupTokenValid(token, later + SETUP_TOKEN_TTL_MS)).toBe(false);
    const input = { token, email: 'first@example.com', password: 'a long enough password' };
    expect(await completeSetup(input, later + SETUP_TOKEN_TTL_MS)).toMatchObject({
      ok: false,
      error: { code: 'invalid_token' },
    });
    // Used twice at once: one admin.
    const both = await Promise.all([
      completeSetup(input, later + 1),
      completeSetup({ ...input, email: 'second@example.com' }, later + 1),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(await getDatabase().db.select().from(tables.users)).toHaveLength(1);
    expect((await start({ now: later + 2 })).lines).toEqual([]);
  });

  it('on the embedded database, each start replaces the link', async () => {
    await getDatabase().db.delete(tables.users);
    const first = await start({ rotate: true });
    const second = await start({ rotate: true });
    expect(first.token && second.token).toBeTruthy();
    expect(await isSetupTokenValid(first.token!, NOW)).toBe(false);
    expect(await isSetupTokenValid(second.token!, NOW)).toBe(true);
  });
});

describe(`the last active admin (${testEngine()})`, () => {
  const admin = (id: string): SessionUser => ({ id, email: `${id}@example.com`, name: null, role: 'admin' });
  const activeAdmins = async () =>
    (await getDatabase().db.select().from(tables.users).where(eq(tables.users.role, 'admin'))).filter(
      (u) => !u.disabledAt,
    );

  async function twoAdmins() {
    const db = getDatabase().db;
    await db.delete(tables.users);
    const passwordHash = await hashPassword('not used here', { N: 1024, r: 8, p: 1 });
    await db.insert(tables.users).values(
      ['adm_a', 'adm_b'].map((id) => ({
        id,
        email: `${id}@example.com`,
        role: 'admin' as const,
        passwordHash,
      })),
    );
  }

  it.each([
    [
      'demote each other',
      () =>
        Promise.all([
          changeRole('adm_a', 'sender', admin('adm_b')),
          changeRole('adm_b', 'sender', admin('adm_a')),
        ]),
    ],
    [
      'disable each other',
      () =>
        Promise.all([
          setUserDisabled('adm_a', true, admin('adm_b')),
          setUserDisabled('adm_b', true, admin('adm_a')),
        ]),
    ],
    [
      'one demotes, the other disables',
      () =>
        Promise.all([
          changeRole('adm_a', 'support', admin('adm_b')),
          setUserDisabled('adm_b', true, admin('adm_a')),
        ]),
    ],
  ])('cannot be lost when two admins %s at the same time', async (_what, race) => {
    for (let round = 0; round < 5; round++) {
      await twoAdmins();
      const results = await race();
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'last_admin' } });
      expect(await activeAdmins()).toHaveLength(1);
    }
  });
});
