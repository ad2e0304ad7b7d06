import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { getDb, getDbHandle, tables } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { countUsers, createUser } from '@/lib/auth/users';

const SETUP_KEY = 'setup_token';
export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

/** What app_settings holds for the token: its hash and when it stops working, never the token. */
type StoredToken = { hash: string; expiresAt: number };
const encode = (t: StoredToken) => JSON.stringify(t);
function decode(value: string): StoredToken | null {
  try {
    const v = JSON.parse(value) as Partial<StoredToken>;
    return typeof v.hash === 'string' && typeof v.expiresAt === 'number'
      ? { hash: v.hash, expiresAt: v.expiresAt }
      : null;
  } catch {
    return null;
  }
}

async function readToken() {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(tables.appSettings)
    .where(eq(tables.appSettings.key, SETUP_KEY))
    .limit(1);
  return row ? { raw: row.value, token: decode(row.value) } : null;
}

export type FirstAdminOptions = {
  now?: number;
  /**
   * Replace a token that is still valid. Right for the embedded database, which one process owns:
   * each start prints a fresh link. On PostgreSQL another instance may have printed the live one.
   */
  rotate?: boolean;
};

/**
 * First run: with ADMIN_EMAIL/ADMIN_PASSWORD the admin is created; otherwise a one-time setup
 * link, valid for 24 hours, is printed to the server log by the instance that makes it. Instances
 * starting together on one database share that token. There is no default password.
 */
export async function ensureFirstAdmin(
  log: (line: string) => void,
  options: FirstAdminOptions = {},
): Promise<void> {
  if ((await countUsers()) > 0) return;
  const env = getEnv();
  if (env.adminEmail && env.adminPassword) {
    const result = await createUser(
      { email: env.adminEmail, role: 'admin', password: env.adminPassword },
      null,
      'user.bootstrap',
    );
    if (result.ok) log(`Created the first admin, ${env.adminEmail}, from ADMIN_EMAIL/ADMIN_PASSWORD.`);
    return;
  }
  const now = options.now ?? Date.now();
  const rotate = options.rotate ?? (await getDbHandle()).kind === 'pglite';
  const token = randomBytes(24).toString('base64url');
  const value = encode({ hash: sha256(token), expiresAt: now + SETUP_TOKEN_TTL_MS });
  const db = await getDb();
  const s = tables.appSettings;
  let made =
    (await db.insert(s).values({ key: SETUP_KEY, value }).onConflictDoNothing().returning()).length > 0;
  if (!made) {
    const current = await readToken();
    const live = current?.token && current.token.expiresAt > now;
    if (current && (!live || rotate)) {
      // Conditional on the value read, so of two instances replacing an expired token one wins.
      const replaced = await db
        .update(s)
        .set({ value, updatedAt: new Date(now) })
        .where(and(eq(s.key, SETUP_KEY), eq(s.value, current.raw)))
        .returning();
      made = replaced.length > 0;
    }
    if (!made) {
      const other = (await readToken())?.token;
      const until = other ? new Date(other.expiresAt).toISOString() : 'its expiry';
      log('No users yet. Another console instance printed the one-time setup link in its log');
      log(`  (look for "Setup link:"); it works until ${until}. Restart after that for a new one.`);
      return;
    }
  }
  log('No users yet. Open this one-time link (valid for 24 hours) to create the first admin:');
  log(`  Setup link: ${env.appUrl}/setup?token=${token}`);
}

function matches(stored: StoredToken | null | undefined, token: string, now: number): boolean {
  if (!token || !stored || stored.expiresAt <= now) return false;
  const a = Buffer.from(stored.hash);
  const b = Buffer.from(sha256(token));
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function isSetupTokenValid(token: string, now = Date.now()): Promise<boolean> {
  return matches((await readToken())?.token, token, now);
}

const invalidToken = {
  ok: false as const,
  error: {
    code: 'invalid_token',
    message:
      'This setup link is no longer valid: it was used, it expired (links work for 24 hours), or a newer one replaced it. Sign in, or restart the server for a new link.',
  },
};

/** Consumes the token (once, atomically) and creates the first admin. */
export async function completeSetup(
  input: { token: string; email: string; name?: string; password: string },
  now = Date.now(),
) {
  const current = await readToken();
  if (!current || !matches(current.token, input.token, now) || (await countUsers()) > 0) return invalidToken;
  const db = await getDb();
  const consumed = await db
    .delete(tables.appSettings)
    .where(and(eq(tables.appSettings.key, SETUP_KEY), eq(tables.appSettings.value, current.raw)))
    .returning();
  if (consumed.length === 0)
    return {
      ok: false as const,
      error: { code: 'invalid_token', message: 'This setup link has just been used.' },
    };
  return createUser(
    { email: input.email, name: input.name, role: 'admin', password: input.password },
    null,
    'setup.admin_created',
  );
}
