import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '@/lib/db';
import { resetEnvForTests } from '@/lib/env';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { budgetScope, budgetViews, observeRateLimit, takeSlot } from '@/lib/sendmux/budget';

// The shared budget under concurrency: however many takers ask at once, from one process or two
// (PostgreSQL: this one and lib/sendmux/testing/budget-taker.ts on its own pool), no window hands
// out more starts than the key's limit.

const engine = testEngine();
const getDb = useTestDatabase();
const KEY = 'smx_mbx_budget_test_key_0123456789abcdef';
const PROFILE = 'budget';

beforeAll(() => {
  vi.stubEnv('SENDMUX_KEYS', `${PROFILE}=${KEY},alias=${KEY},other=smx_mbx_budget_test_other_key_000000`);
  vi.stubEnv('SENDMUX_API_URL', 'http://127.0.0.1:9/api/v1');
  resetEnvForTests();
});

afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

beforeEach(async () => {
  await getDb().db.execute(sql`DELETE FROM rate_budgets`);
});

/** What a response with these headers tells the budget: `limit` a window, all of it left, reset in 50 s. */
async function announce(profile: string, limit: number, remaining = limit): Promise<void> {
  const [row] = await queryRows<{ now: string }>(
    getDb().db,
    sql`SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS now`,
  );
  await observeRateLimit(profile, {
    rateLimit: { limit, remaining, reset: Math.ceil((Number(row!.now) + 50_000) / 1000) },
    status: 200,
  });
}

const noWait = (profile: string, n: number, cls?: 'batch' | 'interactive') =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      takeSlot(profile, cls ?? (i % 2 === 0 ? 'batch' : 'interactive'), { maxWaitMs: 0 }),
    ),
  ).then((slots) => slots.filter((s) => s.granted).length);

describe(`rate budget (${engine})`, () => {
  it('60 concurrent takers get exactly the 20 starts the window has, not one more', async () => {
    await announce(PROFILE, 20);
    expect(await noWait(PROFILE, 60)).toBe(20);
    expect(await noWait(PROFILE, 5)).toBe(0);
    const [view] = await budgetViews();
    expect(view).toMatchObject({ profile: PROFILE, limit: 20, remaining: 0 });
  });

  it('counts what the upstream already counted: Remaining 5 of 20 leaves 5', async () => {
    await announce(PROFILE, 20, 5);
    expect(await noWait(PROFILE, 30)).toBe(5);
  });

  it('one budget per key, not per profile name; the key itself is never stored', async () => {
    await announce(PROFILE, 10);
    expect(budgetScope('alias')).toBe(budgetScope(PROFILE));
    expect(budgetScope('other')).not.toBe(budgetScope(PROFILE));
    expect((await noWait(PROFILE, 6, 'interactive')) + (await noWait('alias', 6, 'interactive'))).toBe(10);
    const dump = JSON.stringify(await queryRows(getDb().db, sql`SELECT * FROM rate_budgets`));
    expect(dump).not.toContain(KEY);
    expect(dump).not.toContain(KEY.slice(-12));
  });

  it('holds the interactive reserve back from batch takers once someone has sent', async () => {
    vi.stubEnv('INTERACTIVE_RESERVE', '4');
    resetEnvForTests();
    try {
      await announce(PROFILE, 20);
      expect(await noWait(PROFILE, 1, 'interactive')).toBe(1);
      expect(await noWait(PROFILE, 30, 'batch')).toBe(15);
      expect(await noWait(PROFILE, 30, 'interactive')).toBe(4);
    } finally {
      vi.stubEnv('INTERACTIVE_RESERVE', undefined);
      resetEnvForTests();
    }
  });

  it('a 429 with Retry-After pauses every taker of the key until it has passed', async () => {
    await announce(PROFILE, 20);
    await observeRateLimit(PROFILE, {
      rateLimit: {},
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterMs: 1_200,
    });
    expect(await noWait(PROFILE, 3)).toBe(0);
    const t0 = Date.now();
    const slot = await takeSlot(PROFILE, 'interactive', { maxWaitMs: 5_000 });
    expect(slot.granted).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(slot.waitedMs).toBeGreaterThanOrEqual(900);
    await expect(noWait('other', 2)).resolves.toBe(2);
  });

  it.skipIf(engine === 'pglite')(
    'two processes on their own pools, 40 takers each at the same moment, share the 25 starts of the window',
    { timeout: 60_000 },
    async () => {
      await announce(PROFILE, 25);
      const child = spawn(
        process.execPath,
        [
          '--conditions=react-server',
          '--import',
          'tsx',
          'lib/sendmux/testing/budget-taker.ts',
          PROFILE,
          '40',
        ],
        {
          env: { ...process.env, DATABASE_URL: getDb().url, SENDMUX_KEYS: process.env.SENDMUX_KEYS },
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      let ready!: () => void;
      const isReady = new Promise<void>((resolve) => (ready = resolve));
      const childGranted = new Promise<number>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).on('line', (line) => {
          const msg = JSON.parse(line) as { ready?: boolean; granted?: number };
          if (msg.ready) ready();
          if (msg.granted !== undefined) resolve(msg.granted);
        });
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`taker exited ${code}`))));
      });
      await isReady;
      const startAt = Date.now() + 300;
      child.stdin!.write(`${startAt}\n`);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
      const mine = await noWait(PROFILE, 40);
      const theirs = await childGranted;
      expect(mine + theirs).toBe(25);
      expect(theirs).toBeGreaterThan(0);
      expect(mine).toBeGreaterThan(0);
    },
  );
});
