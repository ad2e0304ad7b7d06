import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { getDb, tables } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { countUsers, createUser } from '@/lib/auth/users';

const SETUP_KEY = 'setup_token_hash';
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

/**
 * First run: with ADMIN_EMAIL/ADMIN_PASSWORD the admin is created; otherwise a one-time setup
 * link is printed to the server log. There is no default password.
 */
export async function ensureFirstAdmin(log: (line: string) => void): Promise<void> {
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
  const token = randomBytes(24).toString('base64url');
  const db = await getDb();
  await db
    .insert(tables.appSettings)
    .values({ key: SETUP_KEY, value: sha256(token) })
    .onConflictDoUpdate({
      target: tables.appSettings.key,
      set: { value: sha256(token), updatedAt: new Date() },
    });
  log('No users yet. Open this one-time link to create the first admin:');
  log(`  Setup link: ${env.appUrl}/setup?token=${token}`);
}

export async function isSetupTokenValid(token: string): Promise<boolean> {
  if (!token) return false;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(tables.appSettings)
    .where(eq(tables.appSettings.key, SETUP_KEY))
    .limit(1);
  if (!row) return false;
  const a = Buffer.from(row.value);
  const b = Buffer.from(sha256(token));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Consumes the token (once, atomically) and creates the first admin. */
export async function completeSetup(input: {
  token: string;
  email: string;
  name?: string;
  password: string;
}) {
  if (!(await isSetupTokenValid(input.token)) || (await countUsers()) > 0)
    return {
      ok: false as const,
      error: {
        code: 'invalid_token',
        message: 'This setup link is no longer valid. Sign in, or restart the server for a new link.',
      },
    };
  const db = await getDb();
  const consumed = await db
    .delete(tables.appSettings)
    .where(and(eq(tables.appSettings.key, SETUP_KEY), eq(tables.appSettings.value, sha256(input.token))))
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
