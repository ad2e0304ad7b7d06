import 'server-only';
import { and, eq } from 'drizzle-orm';
import { getDb, tables } from '@/lib/db';

export type AttemptStatus = {
  attempt: number;
  status: number | null;
  errorCode: string | null;
  pending: boolean;
  startedAt: string;
  nextRetryAt: string | null;
};

/** The attempts a send with this idempotency key has made so far, for the "retrying in 2 s" line. */
export async function attemptsForKey(idempotencyKey: string, userId: string): Promise<AttemptStatus[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(tables.apiRequests)
    .where(
      and(
        eq(tables.apiRequests.idempotencyKey, idempotencyKey),
        eq(tables.apiRequests.userId, userId),
        eq(tables.apiRequests.path, '/emails/send'),
      ),
    );
  // Sorted here, not in SQL: ORDER BY id LIMIT could walk every day partition's primary key on
  // PostgreSQL instead of the idempotency index (a key has a handful of attempts).
  return rows
    .sort((a, b) => a.id - b.id)
    .slice(0, 50)
    .map((r) => ({
      attempt: r.attempt,
      status: r.status,
      errorCode: r.errorCode,
      pending: r.completedAt === null,
      startedAt: r.createdAt.toISOString(),
      nextRetryAt: r.nextRetryAt?.toISOString() ?? null,
    }));
}
