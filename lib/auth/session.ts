import 'server-only';
import { randomBytes } from 'node:crypto';
import { eq, lt, or, sql } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { getDb, prepared, tables, type Db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import type { Role } from '@/lib/schemas/roles';
import { cookieName, cookieOptions } from '@/lib/auth/cookies';
import { hmac } from '@/lib/auth/secret';
import { requestInfo } from '@/lib/auth/request-info';

const TOUCH_EVERY_MS = 60_000;

export type SessionUser = { id: string; email: string; name: string | null; role: Role };

export async function createSession(userId: string): Promise<void> {
  const env = getEnv();
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + env.sessionMaxHours * 3_600_000);
  const info = await requestInfo();
  const db = await getDb();
  await db
    .insert(tables.sessions)
    .values({ id: hmac(token), userId, expiresAt, userAgent: info.userAgent, ip: info.ip });
  (await cookies()).set(cookieName('smx_session'), token, { ...cookieOptions(), expires: expiresAt });
}

// Runs on every page and server action: prepared once per database (see prepared()).
const lookupSession = (db: Db) =>
  db
    .select({
      lastSeenAt: tables.sessions.lastSeenAt,
      expiresAt: tables.sessions.expiresAt,
      user: {
        id: tables.users.id,
        email: tables.users.email,
        name: tables.users.name,
        role: tables.users.role,
        disabledAt: tables.users.disabledAt,
      },
    })
    .from(tables.sessions)
    .innerJoin(tables.users, eq(tables.users.id, tables.sessions.userId))
    .where(eq(tables.sessions.id, sql.placeholder('id')))
    .limit(1)
    .prepare('session_lookup');

/** The signed-in user for this request, or null. Expired or idle sessions are removed. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(cookieName('smx_session'))?.value;
  if (!token) return null;
  const env = getEnv();
  const db = await getDb();
  const id = hmac(token);
  const [row] = await prepared(db, 'session_lookup', lookupSession).execute({ id });
  if (!row) return null;
  const now = Date.now();
  const idleLimit = row.lastSeenAt.getTime() + env.sessionIdleMinutes * 60_000;
  if (row.user.disabledAt || row.expiresAt.getTime() <= now || idleLimit <= now) {
    await db.delete(tables.sessions).where(eq(tables.sessions.id, id));
    return null;
  }
  if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(tables.sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(tables.sessions.id, id));
  }
  const { disabledAt: _disabled, ...user } = row.user;
  return user;
});

export async function destroySession(): Promise<void> {
  const jar = await cookies();
  const name = cookieName('smx_session');
  const token = jar.get(name)?.value;
  if (token) {
    const db = await getDb();
    await db.delete(tables.sessions).where(eq(tables.sessions.id, hmac(token)));
  }
  // A __Host- cookie is only replaced (here: expired) by one set with the same attributes.
  jar.set(name, '', { ...cookieOptions(), maxAge: 0 });
}

export async function deleteSessionsOf(userId: string): Promise<void> {
  const db = await getDb();
  await db.delete(tables.sessions).where(eq(tables.sessions.userId, userId));
}

/** Deletes sessions past their end or idle limit (each is refused on use anyway). Returns how many went. */
export async function pruneExpiredSessions(now = new Date()): Promise<number> {
  const env = getEnv();
  const db = await getDb();
  const gone = await db
    .delete(tables.sessions)
    .where(
      or(
        lt(tables.sessions.expiresAt, now),
        lt(tables.sessions.lastSeenAt, new Date(now.getTime() - env.sessionIdleMinutes * 60_000)),
      ),
    )
    .returning({ id: tables.sessions.id });
  return gone.length;
}
