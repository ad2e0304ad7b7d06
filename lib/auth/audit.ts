import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { currentClientAddress } from '@/lib/auth/request-info';
import { getDb, getDbHandle, queryRows, tables, type Exec } from '@/lib/db';
import { deleteOlderThan } from '@/lib/db/delete-older-than';
import { decodeCursor, encodeCursor } from '@/lib/requests/search';
import type { AuditAction } from '@/lib/schemas/audit';

export type { AuditAction } from '@/lib/schemas/audit';

/**
 * One row in the audit log. `ip` left out means the address of the request being served, if any
 * (null from workers and start-up).
 */
export async function recordAudit(
  event: {
    action: AuditAction;
    actor?: { id: string; email: string } | null;
    target?: string | null;
    ip?: string | null;
    detail?: Record<string, unknown>;
  },
  /** The transaction of the change being audited, so the entry commits (or not) with it. */
  exec?: Exec,
): Promise<void> {
  const ip = event.ip !== undefined ? event.ip : await currentClientAddress();
  const db = exec ?? (await getDb());
  await db.insert(tables.auditEvents).values({
    action: event.action,
    actorId: event.actor?.id ?? null,
    actorEmail: event.actor?.email ?? null,
    target: event.target ?? null,
    ip,
    detail: event.detail ?? null,
  });
}

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilters = {
  actor?: string;
  action?: string;
  /** Inclusive lower bound on created_at. */
  from?: Date;
  /** Exclusive upper bound on created_at. */
  to?: Date;
  /** Cursor of the last row already shown. */
  before?: string;
  limit?: number;
};

export type AuditEntry = {
  id: number;
  /** ISO UTC with microseconds, as stored (the keyset cursor needs all of it). */
  createdAt: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
};

type AuditRow = {
  id: number | string;
  created_iso: string;
  actor_email: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
};

const NEWEST_FIRST = sql.raw('ORDER BY created_at DESC, id DESC');
const CREATED_ISO = sql.raw(`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

function conditions(f: AuditFilters): SQL[] {
  const conds: SQL[] = [];
  if (f.actor) conds.push(sql`actor_email = ${f.actor.toLowerCase()}`);
  if (f.action) conds.push(sql`action = ${f.action}`);
  if (f.from) conds.push(sql`created_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) conds.push(sql`created_at < ${f.to.toISOString()}::timestamptz`);
  const cursor = decodeCursor(f.before);
  // Keyset on (created_at, id): entries added while someone pages never shift the pages.
  if (cursor) conds.push(sql`(created_at, id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::bigint)`);
  return conds;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: Number(r.id),
  createdAt: r.created_iso,
  actorEmail: r.actor_email,
  action: r.action,
  target: r.target,
  ip: r.ip,
  detail: r.detail,
});

/** Newest first, a page at a time. */
export async function searchAudit(
  filters: AuditFilters,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const db = await getDb();
  const limit = Math.min(Math.max(filters.limit ?? AUDIT_PAGE_SIZE, 1), 1000);
  const conds = conditions(filters);
  const where = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const rows = await queryRows<AuditRow>(
    db,
    sql`SELECT id, ${CREATED_ISO} AS created_iso, actor_email, action, target, ip, detail
        FROM audit_events ${where} ${NEWEST_FIRST} LIMIT ${limit + 1}`,
  );
  const items = rows.slice(0, limit).map(toEntry);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** Every matching entry, newest first, read a page at a time (for the CSV export). */
export async function* exportAudit(filters: Omit<AuditFilters, 'before' | 'limit'>) {
  let before: string | undefined;
  for (;;) {
    const page = await searchAudit({ ...filters, before, limit: 1000 });
    yield* page.items;
    if (!page.nextCursor) return;
    before = page.nextCursor;
  }
}

/** Actions and actors the log holds, for the filter drop-downs. */
export async function auditFilterChoices(): Promise<{ actions: string[]; actors: string[] }> {
  const db = await getDb();
  const [actions, actors] = await Promise.all([
    queryRows<{ action: string }>(db, sql`SELECT DISTINCT action FROM audit_events ORDER BY action`),
    queryRows<{ email: string }>(
      db,
      sql`SELECT email FROM users UNION SELECT DISTINCT actor_email FROM audit_events WHERE actor_email IS NOT NULL ORDER BY 1`,
    ),
  ]);
  return { actions: actions.map((r) => r.action), actors: actors.map((r) => r.email) };
}

const DAY_MS = 86_400_000;
const PRUNE_BATCH = 5_000;

/** Deletes audit entries older than the retention window, a batch at a time. Returns how many went. */
export async function pruneAudit(retentionDays: number, now = new Date()): Promise<number> {
  const { db } = await getDbHandle();
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  return deleteOlderThan(db, { table: 'audit_events', key: 'id', column: 'created_at' }, cutoff, PRUNE_BATCH);
}
