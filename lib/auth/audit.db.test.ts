import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportAudit, recordAudit, searchAudit } from '@/lib/auth/audit';
import { runHousekeeping } from '@/lib/auth/housekeeping';
import { queryRows, tables } from '@/lib/db';
import { resetEnvForTests } from '@/lib/env';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';

const getDatabase = useTestDatabase();
const DAY = 86_400_000;
const NOW = new Date(Date.UTC(2026, 5, 1, 12, 0, 0));

beforeAll(async () => {
  vi.stubEnv('SESSION_IDLE_MINUTES', '120');
  resetEnvForTests();
  const db = getDatabase().db;
  // 130 entries in one microsecond-identical instant (the keyset must break ties by id), then older ones.
  const same = new Date(NOW.getTime() - 60_000);
  await db.insert(tables.auditEvents).values(
    Array.from({ length: 130 }, (_, i) => ({
      createdAt: same,
      action: i % 2 ? 'sign_in.success' : 'compose.send',
      actorEmail: i % 3 ? 'ada@example.com' : 'bob@example.com',
      target: `t${i}`,
    })),
  );
  await db.insert(tables.auditEvents).values([
    { createdAt: new Date(NOW.getTime() - 10 * DAY), action: 'user.created', actorEmail: 'bob@example.com' },
    { createdAt: new Date(NOW.getTime() - 400 * DAY), action: 'user.created', actorEmail: 'bob@example.com' },
  ]);
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe(`audit log (${testEngine()})`, () => {
  it('pages newest first without skipping or repeating an entry, ties included', async () => {
    const seen: number[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await searchAudit({ before, limit: 50 });
      seen.push(...page.items.map((e) => e.id));
      before = page.nextCursor ?? undefined;
      pages++;
    } while (before);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(132);
    expect(new Set(seen).size).toBe(132);
    // Same instant: newest id first. Then the two older entries, by time (their ids are higher).
    expect(seen.slice(0, 130)).toEqual([...seen.slice(0, 130)].sort((a, b) => b - a));
    expect(seen[130]!).toBeLessThan(seen[131]!);
    // A row added while someone pages lands on page one, never in the middle.
    const first = await searchAudit({ limit: 50 });
    await recordAudit({ action: 'sign_out', actor: { id: 'u', email: 'ada@example.com' } });
    const second = await searchAudit({ before: first.nextCursor!, limit: 50 });
    expect(second.items[0]!.id).toBe(first.items.at(-1)!.id - 1);
  });

  it('filters by actor, action and time', async () => {
    const bob = await searchAudit({ actor: 'Bob@Example.com', action: 'user.created', limit: 10 });
    expect(bob.items.map((e) => e.action)).toEqual(['user.created', 'user.created']);
    const recent = await searchAudit({ action: 'user.created', from: new Date(NOW.getTime() - 30 * DAY) });
    expect(recent.items).toHaveLength(1);
    const until = await searchAudit({ to: new Date(NOW.getTime() - 100 * DAY) });
    expect(until.items).toHaveLength(1);
    const all: string[] = [];
    for await (const e of exportAudit({ actor: 'ada@example.com', action: 'compose.send' }))
      all.push(e.target!);
    expect(all.length).toBe(43);
  });

  it('records the address only of a request being served', async () => {
    await recordAudit({ action: 'sign_out', target: 'no-request' });
    await recordAudit({ action: 'sign_out', target: 'given', ip: '192.0.2.1' });
    const rows = await queryRows<{ target: string; ip: string | null }>(
      getDatabase().db,
      sql`SELECT target, ip FROM audit_events WHERE target IN ('no-request', 'given') ORDER BY target`,
    );
    expect(rows).toEqual([
      { target: 'given', ip: '192.0.2.1' },
      { target: 'no-request', ip: null },
    ]);
  });

  it('housekeeping prunes old audit entries, expired sessions and spent sign-in counters', async () => {
    const db = getDatabase().db;
    await db
      .insert(tables.users)
      .values({ id: 'usr_h', email: 'h@example.com', role: 'sender', passwordHash: 'x' });
    await db.insert(tables.sessions).values([
      { id: 'live', userId: 'usr_h', expiresAt: new Date(NOW.getTime() + DAY), lastSeenAt: NOW },
      { id: 'ended', userId: 'usr_h', expiresAt: new Date(NOW.getTime() - 1000), lastSeenAt: NOW },
      {
        id: 'idle',
        userId: 'usr_h',
        expiresAt: new Date(NOW.getTime() + DAY),
        lastSeenAt: new Date(NOW.getTime() - 3 * 3_600_000),
      },
    ]);
    await db.insert(tables.signInThrottle).values([
      {
        key: 'account:old@example.com',
        windowStart: new Date(NOW.getTime() - 3 * 3_600_000),
        attempts: 9,
        lastAttemptAt: NOW,
      },
      { key: 'account:new@example.com', windowStart: NOW, attempts: 1, lastAttemptAt: NOW },
    ]);
    expect(await runHousekeeping({ now: NOW, auditRetentionDays: 365 })).toEqual({
      sessions: 2,
      auditEntries: 1,
      throttleKeys: 1,
    });
    expect((await db.select().from(tables.sessions)).map((s) => s.id)).toEqual(['live']);
    expect((await db.select().from(tables.signInThrottle)).map((s) => s.key)).toEqual([
      'account:new@example.com',
    ]);
    expect(await runHousekeeping({ now: NOW, auditRetentionDays: 5 })).toMatchObject({ auditEntries: 1 });
  });
});
