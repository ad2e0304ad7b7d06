import { inspect } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { DatabaseQueryError, queryRows } from '@/lib/db/connection';
import * as tables from '@/lib/db/schema';

// PGlite gets drizzle's parser overrides installed once instead of per query (see connection.ts).
// These read the affected types back on both engines: the rows must not change.
describe(`connection (${testEngine()})`, () => {
  const handle = useTestDatabase();

  const typed = sql`select timestamptz '2026-03-04 05:06:07.089+00' as tz,
    timestamp '2026-03-04 05:06:07' as ts,
    date '2026-03-04' as d,
    interval '1 day 02:00:00' as i,
    array[date '2026-03-04', date '2026-03-05'] as da,
    array[1.5, 2.25]::numeric[] as na,
    42::int4 as n,
    array[1, 2]::int4[] as ia`;

  it('reads dates, timestamps, intervals and their arrays as drizzle expects, inside and outside a transaction', async () => {
    const { db } = handle();
    const [row] = await queryRows<Record<string, unknown>>(db, typed);
    // Drizzle maps these itself, so both drivers hand it the text as sent by the server.
    expect(typeof row!.tz).toBe('string');
    expect(new Date(String(row!.tz)).toISOString()).toBe('2026-03-04T05:06:07.089Z');
    expect(row!.ts).toBe('2026-03-04 05:06:07');
    expect(row!.d).toBe('2026-03-04');
    expect(row!.i).toBe('1 day 02:00:00');
    expect(row!.da).toBe('{2026-03-04,2026-03-05}');
    expect(row!.na).toBe('{1.5,2.25}');
    // Types drizzle leaves to the driver are still parsed by it.
    expect(row!.n).toBe(42);
    expect(row!.ia).toEqual([1, 2]);
    const [inTx] = await db.transaction((tx) => queryRows<Record<string, unknown>>(tx as never, typed));
    expect(inTx).toEqual(row);
  });

  it('round-trips timestamp columns through the schema as Date values', async () => {
    const { db } = handle();
    const expiresAt = new Date('2027-01-02T03:04:05.678Z');
    await db
      .insert(tables.users)
      .values({ id: 'usr_conn_test', email: 'conn@example.com', role: 'support', passwordHash: 'x' });
    await db.insert(tables.sessions).values({ id: 'ses_conn_test', userId: 'usr_conn_test', expiresAt });
    const [row] = await db
      .select({ expiresAt: tables.sessions.expiresAt })
      .from(tables.sessions)
      .where(eq(tables.sessions.id, 'ses_conn_test'));
    expect(row!.expiresAt).toBeInstanceOf(Date);
    expect(row!.expiresAt.toISOString()).toBe(expiresAt.toISOString());
  });

  it.runIf(testEngine() === 'pglite')(
    'still honours a per-query parser override that asks for something else',
    async () => {
      const { db } = handle();
      const client = (
        db as unknown as {
          $client: { query: (q: string, p: unknown[], o: object) => Promise<{ rows: { n: unknown }[] }> };
        }
      ).$client;
      const result = await client.query('select 42::int4 as n', [], {
        parsers: { 23: (v: string) => `int:${v}` },
      });
      expect(result.rows[0]!.n).toBe('int:42');
    },
  );

  it('reports a failed query without its parameter values, in the message and anywhere in the error', async () => {
    const { db } = handle();
    const secret = 'private-recipient-4711@example.com';
    const user = { id: 'usr_dup', email: secret, role: 'admin' as const, passwordHash: 'x' };
    await db.insert(tables.users).values(user);
    const failures: unknown[] = [];
    await db
      .insert(tables.users)
      .values({ ...user, id: 'usr_dup2' })
      .catch((e: unknown) => failures.push(e));
    await queryRows(db, sql`SELECT ${secret}::int`).catch((e: unknown) => failures.push(e));
    await db
      .transaction((tx) => tx.insert(tables.users).values({ ...user, id: 'usr_dup3' }))
      .catch((e: unknown) => failures.push(e));
    expect(failures).toHaveLength(3);
    const [duplicate] = failures;
    expect(duplicate).toBeInstanceOf(DatabaseQueryError);
    expect((duplicate as Error).message).toMatch(/^Failed query: insert into "users"/);
    expect((duplicate as Error).message).toMatch(
      /duplicate key value violates unique constraint "users_email_key"/,
    );
    expect(((duplicate as Error).cause as { code?: string }).code).toBe('23505');
    for (const err of failures) {
      expect(inspect(err, { depth: 10 })).not.toContain('private-recipient-4711');
      expect(String(err)).not.toContain('private-recipient-4711');
    }
    await db.delete(tables.users).where(eq(tables.users.id, 'usr_dup'));
  });
});
