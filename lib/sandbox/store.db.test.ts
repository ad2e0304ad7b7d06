import { describe, expect, it } from 'vitest';
import { sandboxIdempotency } from '@/lib/db/schema';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { sandboxDb } from '@/lib/sandbox/store';

const getDatabase = useTestDatabase();

describe(`sandbox store start-up (${testEngine()})`, () => {
  it('forgets in_flight keys on embedded PGlite (one process: their owner died), keeps them on PostgreSQL', async () => {
    const db = getDatabase().db;
    const row = { scope: 's', endpoint: '/emails/send', bodyHash: 'h', createdAt: new Date() };
    await db.insert(sandboxIdempotency).values([
      { ...row, key: 'in-flight', state: 'in_flight', lockedUntil: new Date(Date.now() + 60_000) },
      { ...row, key: 'done', state: 'done', status: 200, responseBody: { ok: true } },
      {
        ...row,
        key: 'expired',
        state: 'done',
        status: 200,
        responseBody: {},
        createdAt: new Date(Date.now() - 25 * 3600_000),
      },
    ]);
    await sandboxDb();
    const keys = (await db.select({ key: sandboxIdempotency.key }).from(sandboxIdempotency))
      .map((r) => r.key)
      .sort();
    expect(keys).toEqual(getDatabase().kind === 'pglite' ? ['done'] : ['done', 'in-flight']);
    // Once per database: a key reserved after start-up is not swept by later calls.
    await db
      .insert(sandboxIdempotency)
      .values({ ...row, key: 'later', state: 'in_flight', lockedUntil: new Date(Date.now() + 60_000) });
    await sandboxDb();
    expect((await db.select().from(sandboxIdempotency)).map((r) => r.key)).toContain('later');
  });
});
