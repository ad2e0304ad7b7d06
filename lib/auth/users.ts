import 'server-only';
import { and, asc, count, eq, isNull, or } from 'drizzle-orm';
import { getDb, tables, type Tx } from '@/lib/db';
import { randomId } from '@/lib/ids';
import { recordAudit } from '@/lib/auth/audit';
import { hashPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/schemas/roles';
import { deleteSessionsOf, type SessionUser } from '@/lib/auth/session';

export type UserRow = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  createdAt: Date;
};
export type UserError = { code: 'email_taken' | 'not_found' | 'last_admin' | 'self'; message: string };

export async function countUsers(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(tables.users);
  return row?.n ?? 0;
}

export async function findUserByEmail(email: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(tables.users)
    .where(eq(tables.users.email, email.toLowerCase()))
    .limit(1);
  return row ?? null;
}

export async function listUsers(): Promise<UserRow[]> {
  const db = await getDb();
  const rows = await db.select().from(tables.users).orderBy(asc(tables.users.email));
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: !!u.disabledAt,
    createdAt: u.createdAt,
  }));
}

export async function createUser(
  input: { email: string; name?: string | null; role: Role; password: string },
  actor: { id: string; email: string } | null,
  action: 'user.created' | 'user.bootstrap' | 'setup.admin_created' = 'user.created',
): Promise<{ ok: true; user: UserRow } | { ok: false; error: UserError }> {
  const email = input.email.trim().toLowerCase();
  if (await findUserByEmail(email))
    return { ok: false, error: { code: 'email_taken', message: `${email} already has an account` } };
  const db = await getDb();
  const id = randomId();
  const passwordHash = await hashPassword(input.password);
  const inserted = await db
    .insert(tables.users)
    .values({ id, email, name: input.name?.trim() || null, role: input.role, passwordHash })
    .onConflictDoNothing()
    .returning();
  const user = inserted[0];
  if (!user) return { ok: false, error: { code: 'email_taken', message: `${email} already has an account` } };
  await recordAudit({ action, actor, target: email, detail: { role: input.role } });
  return {
    ok: true,
    user: { id, email, name: user.name, role: user.role, disabled: false, createdAt: user.createdAt },
  };
}

type LockedUser = typeof tables.users.$inferSelect;

/**
 * Runs `decide` on the user and every active admin, all locked (in id order, so two of these never
 * wait on each other), and applies its change in the same transaction: two admins demoting or
 * disabling each other at once cannot both pass the "another admin remains" check.
 */
async function withAdminsLocked<T>(
  userId: string,
  decide: (
    user: LockedUser,
    otherActiveAdmins: number,
    tx: Tx,
  ) => Promise<{ ok: true; value: T } | { ok: false; error: UserError }>,
): Promise<{ ok: true; value: T } | { ok: false; error: UserError }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const u = tables.users;
    const rows = await tx
      .select()
      .from(u)
      .where(or(eq(u.id, userId), and(eq(u.role, 'admin'), isNull(u.disabledAt))))
      .orderBy(asc(u.id))
      .for('update');
    const user = rows.find((r) => r.id === userId);
    if (!user) return { ok: false, error: { code: 'not_found', message: 'That user no longer exists' } };
    const others = rows.filter((r) => r.id !== userId && r.role === 'admin' && !r.disabledAt).length;
    return decide(user, others, tx);
  });
}

export async function changeRole(
  userId: string,
  role: Role,
  actor: SessionUser,
): Promise<{ ok: true } | { ok: false; error: UserError }> {
  const result = await withAdminsLocked(userId, async (user, otherAdmins, tx) => {
    if (user.role === role) return { ok: true, value: null };
    if (user.role === 'admin' && !user.disabledAt && otherAdmins === 0)
      return {
        ok: false,
        error: {
          code: 'last_admin',
          message: `${user.email} is the only active admin; make someone else admin first`,
        },
      };
    await tx.update(tables.users).set({ role, updatedAt: new Date() }).where(eq(tables.users.id, userId));
    return { ok: true, value: { email: user.email, from: user.role } };
  });
  if (!result.ok) return result;
  if (result.value)
    await recordAudit({
      action: 'user.role_changed',
      actor,
      target: result.value.email,
      detail: { from: result.value.from, to: role },
    });
  return { ok: true };
}

export async function setUserDisabled(
  userId: string,
  disabled: boolean,
  actor: SessionUser,
): Promise<{ ok: true } | { ok: false; error: UserError }> {
  if (disabled && userId === actor.id)
    return { ok: false, error: { code: 'self', message: 'You cannot disable your own account' } };
  const result = await withAdminsLocked(userId, async (user, otherAdmins, tx) => {
    if (disabled && user.role === 'admin' && !user.disabledAt && otherAdmins === 0)
      return { ok: false, error: { code: 'last_admin', message: `${user.email} is the only active admin` } };
    await tx
      .update(tables.users)
      .set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() })
      .where(eq(tables.users.id, userId));
    return { ok: true, value: user.email };
  });
  if (!result.ok) return result;
  if (disabled) await deleteSessionsOf(userId);
  await recordAudit({ action: disabled ? 'user.disabled' : 'user.enabled', actor, target: result.value });
  return { ok: true };
}
