import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type DbHandle } from '@/lib/db/connection';
import {
  DAYS_AHEAD,
  defaultPartition,
  DELIVERY_EVENTS,
  REQUEST_LOG,
  ensureDayPartitions,
  isPartitioned,
  listPartitions,
} from '@/lib/db/partitions';
import { pruneDeliveryEvents } from '@/lib/delivery/prune';
import { resetEnvForTests } from '@/lib/env';
import { pruneRequestLog } from '@/lib/requests/prune';
import { findByRequestId, getRequest, resetSearchCaches, searchRequests } from '@/lib/requests/search';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@/lib/testing/throwaway-database';
import { testEngine } from '@/lib/testing/test-db';

// PostgreSQL only: PGlite keeps the request log as one table (README, "Capacity").
const DAY = 86_400_000;
const globalForDb = globalThis as typeof globalThis & { __sendmuxDb?: Promise<DbHandle> };

async function rowCount(handle: DbHandle, table: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(handle.db, sql.raw(`SELECT count(*) AS n FROM ${table}`));
  return Number(row!.n);
}

const insertAt = (iso: string, requestId: string) =>
  sql`INSERT INTO api_requests (key_profile, method, path, source, request_id, created_at, recipients, message_ids)
      VALUES ('p', 'POST', '/emails/send', 'compose', ${requestId}, ${iso}::timestamptz, ARRAY['a@example.com'], ARRAY[${`eml_${requestId}`}])`;

describe.runIf(testEngine() === 'postgres')('request log partitioned by day (PostgreSQL)', () => {
  let database: ThrowawayDatabase;
  let handle: DbHandle;

  beforeAll(async () => {
    database = await createThrowawayDatabase(process.env.TEST_DATABASE_URL!);
    // An install from before partitioning: the migrations alone, and a log with rows in it.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await migrate(drizzle({ client }), { migrationsFolder: path.join(process.cwd(), 'drizzle') });
    await client.query(
      `INSERT INTO api_requests (key_profile, method, path, source, request_id, created_at, message_ids)
       SELECT 'p', 'POST', '/emails/send', 'compose', 'req_old_' || g, now() - g * interval '1 hour', ARRAY['eml_old_' || g]
       FROM generate_series(1, 100) g`,
    );
    expect(await isPartitioned(client, REQUEST_LOG)).toBe(false);
    await client.end();
    handle = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 3 });
    globalForDb.__sendmuxDb = Promise.resolve(handle);
    resetEnvForTests();
    resetSearchCaches();
  }, 120_000);

  async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await handle.pool!.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  afterAll(async () => {
    globalForDb.__sendmuxDb = undefined;
    await handle?.close();
    await database?.drop();
  });

  it('an existing log becomes the partition before today, kept whole; days are made ahead', async () => {
    const client = await handle.pool!.connect();
    try {
      expect(await isPartitioned(client, REQUEST_LOG)).toBe(true);
      const parts = await listPartitions(client, REQUEST_LOG);
      const before = parts.filter((p) => p.kind === 'before');
      expect(before).toHaveLength(1);
      expect(await rowCount(handle, before[0]!.name)).toBe(100);
      expect(parts.some((p) => p.name === defaultPartition(REQUEST_LOG))).toBe(true);
      // Days after the old table's bound, up to DAYS_AHEAD after today.
      const days = parts.filter((p) => p.kind === 'day');
      const lastDay = days.at(-1)!.from!.getTime();
      const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
      expect(lastDay).toBe(today + DAYS_AHEAD * DAY);
      expect(days[0]!.from!.getTime()).toBe(before[0]!.to!.getTime());
      // Opening again changes nothing.
      const again = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 1 });
      await again.close();
      expect((await listPartitions(client, REQUEST_LOG)).map((p) => p.name)).toEqual(
        parts.map((p) => p.name),
      );
    } finally {
      client.release();
    }
  });

  it('old and new rows are found by every exact lookup, and ids go on from the old sequence', async () => {
    const [{ id: before } = { id: '0' }] = await queryRows<{ id: string }>(
      handle.db,
      sql`SELECT max(id) AS id FROM api_requests`,
    );
    // Today still belongs to the old table's range; the day after tomorrow to a day partition.
    await handle.db.execute(insertAt(new Date().toISOString(), 'req_new_0'));
    await handle.db.execute(insertAt(new Date(Date.now() + 2 * DAY).toISOString(), 'req_new_1'));
    const rows = await queryRows<{ id: string; part: string }>(
      handle.db,
      sql`SELECT id, tableoid::regclass::text AS part FROM api_requests WHERE request_id LIKE 'req_new_%' ORDER BY request_id`,
    );
    expect(Number(rows[0]!.id)).toBeGreaterThan(Number(before));
    expect(rows.map((r) => r.part)).toEqual([
      expect.stringMatching(/^api_requests_p_before_\d{8}$/),
      expect.stringMatching(/^api_requests_p\d{8}$/),
    ]);
    for (const q of ['req_old_7', 'req_new_1', 'eml_old_7', 'eml_req_new_1']) {
      const result = await searchRequests({ q });
      expect(result.items, q).toHaveLength(1);
    }
    const ids = await findByRequestId('req_old_7');
    expect(ids).toHaveLength(1);
    expect((await getRequest(ids[0]!, { role: 'admin' }))?.requestId).toBe('req_old_7');
  });

  it('a row after every day lands in the default partition and moves when its day is made', async () => {
    await handle.db.execute(insertAt('2040-01-01T10:00:00Z', 'req_stray'));
    expect(await rowCount(handle, defaultPartition(REQUEST_LOG))).toBe(1);
    const made = await withClient((c) =>
      ensureDayPartitions(c, REQUEST_LOG, {
        from: new Date('2040-01-01T00:00:00Z'),
        now: new Date('2040-01-01T12:00:00Z'),
      }),
    );
    expect(made).toContain('api_requests_p20400101');
    expect(await rowCount(handle, defaultPartition(REQUEST_LOG))).toBe(0);
    expect(await rowCount(handle, 'api_requests_p20400101')).toBe(1);
    expect((await searchRequests({ q: 'req_stray' })).items).toHaveLength(1);
  });

  it('retention drops whole days past the window and deletes old rows elsewhere', async () => {
    await handle.db.execute(sql`DELETE FROM api_requests`);
    const now = new Date('2031-03-15T12:00:00Z');
    await withClient((c) =>
      ensureDayPartitions(c, REQUEST_LOG, { from: new Date(now.getTime() - 40 * DAY), now }),
    );
    // One row an hour for 40 days, plus two rows in the default partition (a day never made).
    await handle.db.execute(sql`INSERT INTO api_requests (key_profile, method, path, source, created_at)
      SELECT 'p', 'POST', '/emails/send', 'compose', ${now.toISOString()}::timestamptz - (g || ' hours')::interval FROM generate_series(1, 24 * 40) g`);
    await handle.db.execute(insertAt('2030-01-01T00:00:00Z', 'req_default_old'));
    await handle.db.execute(insertAt('2032-01-01T00:00:00Z', 'req_default_future'));
    // Cutoff 2031-02-13T12:00Z: days up to 02-12 end before it and go whole; 02-13 stays with its
    // morning rows (kept up to a day longer, never shorter); the default loses its old row only.
    const cutoff = new Date(now.getTime() - 30 * DAY);
    const [expected] = await queryRows<{ n: string }>(
      handle.db,
      sql`SELECT count(*) AS n FROM api_requests WHERE created_at < ${'2031-02-13T00:00:00Z'}::timestamptz`,
    );
    const deleted = await pruneRequestLog({ retentionDays: 30, now });
    expect(deleted).toBe(Number(expected!.n));
    const [left] = await queryRows<{ oldest: string; n: string }>(
      handle.db,
      sql`SELECT min(created_at) AS oldest, count(*) AS n FROM api_requests WHERE created_at < '2031-12-31'`,
    );
    expect(new Date(left!.oldest).toISOString()).toBe('2031-02-13T00:00:00.000Z');
    expect(new Date(left!.oldest).getTime()).toBeLessThan(cutoff.getTime());
    const names = (await withClient((c) => listPartitions(c, REQUEST_LOG))).map((p) => p.name);
    expect(names).not.toContain('api_requests_p20310212');
    expect(names).toContain('api_requests_p20310213');
    expect((await searchRequests({ q: 'req_default_old' })).items).toHaveLength(0);
    expect((await searchRequests({ q: 'req_default_future' })).items).toHaveLength(1);
    expect(await pruneRequestLog({ retentionDays: 30, now })).toBe(0);
  });

  it('delivery events are partitioned by received_at; their ids, kept apart, follow the retention', async () => {
    expect(await withClient((c) => isPartitioned(c, DELIVERY_EVENTS))).toBe(true);
    const now = new Date('2031-03-15T12:00:00Z');
    await withClient((c) =>
      ensureDayPartitions(c, DELIVERY_EVENTS, { from: new Date(now.getTime() - 40 * DAY), now }),
    );
    for (const [id, daysAgo] of [
      ['evt_old', 35],
      ['evt_new', 2],
    ] as const) {
      const at = new Date(now.getTime() - daysAgo * DAY).toISOString();
      await handle.db.execute(
        sql`INSERT INTO delivery_event_ids (event_id, received_at) VALUES (${id}, ${at}::timestamptz)`,
      );
      await handle.db
        .execute(sql`INSERT INTO delivery_events (event_id, type, occurred_at, received_at, payload)
        VALUES (${id}, 'message.delivered', ${at}::timestamptz, ${at}::timestamptz, '{}'::jsonb)`);
    }
    const [part] = await queryRows<{ part: string }>(
      handle.db,
      sql`SELECT tableoid::regclass::text AS part FROM delivery_events WHERE event_id = 'evt_new'`,
    );
    expect(part!.part).toBe('delivery_events_p20310313');
    expect(await pruneDeliveryEvents(30, now)).toBe(1);
    const ids = await queryRows<{ event_id: string }>(
      handle.db,
      sql`SELECT event_id FROM delivery_event_ids ORDER BY 1`,
    );
    expect(ids.map((r) => r.event_id)).toEqual(['evt_new']);
    const names = (await withClient((c) => listPartitions(c, DELIVERY_EVENTS))).map((p) => p.name);
    expect(names).not.toContain('delivery_events_p20310208');
  });
});
