import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '@/lib/db';
import { pruneDeliveryEvents } from '@/lib/delivery/prune';
import { resetEnvForTests } from '@/lib/env';
import { pruneAndMaintain } from '@/lib/requests/prune';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';

const handle = useTestDatabase();
const DAY = 86_400_000;
const NOW = new Date('2026-06-30T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-prune-events-'));
  vi.stubEnv('DATA_DIR', dataDir);
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await handle().db.execute(sql`DELETE FROM delivery_events`);
  await handle().db.execute(sql`DELETE FROM delivery_status`);
});

/** An event received `days` ago about `messageId`, and (once per message) its derived status. */
async function seed(
  rows: { id: string; messageId: string; days: number }[],
  statuses: Record<string, number>,
) {
  for (const r of rows)
    await handle().db.execute(
      sql`INSERT INTO delivery_events (event_id, type, occurred_at, received_at, sendmux_message_id, message_id, match, correlated_at, recipients, payload)
          VALUES (${r.id}, 'message.delivered', ${ago(r.days)}::timestamptz, ${ago(r.days)}::timestamptz, ${r.messageId},
            ${r.messageId}, 'id', ${ago(r.days)}::timestamptz, ARRAY['ada@example.com'], '{}'::jsonb)`,
    );
  for (const [messageId, days] of Object.entries(statuses))
    await handle().db.execute(
      sql`INSERT INTO delivery_status (message_id, status, detail, status_at, event_id, match, event_count, updated_at)
          VALUES (${messageId}, 'delivered', '', ${ago(days)}::timestamptz, 'evt_x', 'id', 1, ${ago(days)}::timestamptz)`,
    );
}

const eventIds = async () =>
  (
    await queryRows<{ event_id: string }>(
      handle().db,
      sql`SELECT event_id FROM delivery_events ORDER BY event_id`,
    )
  ).map((r) => r.event_id);
const statusIds = async () =>
  (
    await queryRows<{ message_id: string }>(
      handle().db,
      sql`SELECT message_id FROM delivery_status ORDER BY message_id`,
    )
  ).map((r) => r.message_id);

describe(`delivery events retention (${testEngine()})`, () => {
  it('deletes events received before the window, in batches, and the statuses only they decided', async () => {
    await seed(
      [
        // eml_old: every event outside 30 days.
        { id: 'evt_a_old_1', messageId: 'eml_old', days: 45 },
        { id: 'evt_a_old_2', messageId: 'eml_old', days: 31 },
        // eml_mixed: one event outside, one inside.
        { id: 'evt_b_mixed_old', messageId: 'eml_mixed', days: 40 },
        { id: 'evt_b_mixed_new', messageId: 'eml_mixed', days: 2 },
        { id: 'evt_c_new', messageId: 'eml_new', days: 29 },
      ],
      // eml_orphan: a status with no events, written recently (its events may still be arriving).
      { eml_old: 31, eml_mixed: 2, eml_new: 29, eml_orphan: 1 },
    );
    // A batch of 2 needs two rounds for the three old events.
    expect(await pruneDeliveryEvents(30, NOW, 2)).toBe(3);
    expect(await eventIds()).toEqual(['evt_b_mixed_new', 'evt_c_new']);
    expect(await statusIds()).toEqual(['eml_mixed', 'eml_new', 'eml_orphan']);
    // Nothing more to do: a second run deletes nothing.
    expect(await pruneDeliveryEvents(30, NOW, 2)).toBe(0);
  });

  it('follows REQUEST_LOG_RETENTION_DAYS when the scheduled prune runs', async () => {
    vi.stubEnv('REQUEST_LOG_RETENTION_DAYS', '7');
    resetEnvForTests();
    await seed(
      [
        { id: 'evt_8_days', messageId: 'eml_a', days: 8 },
        { id: 'evt_6_days', messageId: 'eml_b', days: 6 },
      ],
      { eml_a: 8, eml_b: 6 },
    );
    await pruneAndMaintain({ now: NOW });
    expect(await eventIds()).toEqual(['evt_6_days']);
    expect(await statusIds()).toEqual(['eml_b']);

    vi.stubEnv('REQUEST_LOG_RETENTION_DAYS', '5');
    resetEnvForTests();
    await pruneAndMaintain({ now: NOW });
    expect(await eventIds()).toEqual([]);
    expect(await statusIds()).toEqual([]);
  });
});
