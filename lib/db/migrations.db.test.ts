import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '@/lib/testing/test-db';
import { openDatabase, queryRows } from '@/lib/db/connection';

const run = promisify(execFile);
const migrateScript = (env: Record<string, string>) =>
  run(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/migrate.ts'], {
    env: { ...process.env, ...env },
    cwd: process.cwd(),
  });

async function schemaFingerprint(db: Awaited<ReturnType<typeof createTestDatabase>>['db']) {
  return queryRows<{ table_name: string; column_name: string }>(
    db,
    sql`select table_name, column_name from information_schema.columns where table_schema = 'public' order by 1, 2`,
  );
}

describe(`migrations (${testEngine()})`, () => {
  it('applies every table, and a second run changes nothing', async () => {
    const first = await createTestDatabase();
    try {
      const before = await schemaFingerprint(first.db);
      const tables = new Set(before.map((r) => r.table_name));
      for (const t of [
        'users',
        'sessions',
        'audit_events',
        'api_requests',
        'batch_jobs',
        'batch_rows',
        'batch_chunks',
      ])
        expect(tables).toContain(t);
      const applied = await queryRows<{ n: number }>(
        first.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      // Re-run migrations on the same database.
      if (first.kind === 'postgres') {
        const again = await openDatabase({ kind: 'postgres', url: first.url! });
        await again.close();
      } else {
        await first.close();
        const again = await openDatabase({ kind: 'pglite', dataDir: first.dataDir! });
        expect(await schemaFingerprint(again.db)).toEqual(before);
        expect(
          await queryRows<{ n: number }>(
            again.db,
            sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
          ),
        ).toEqual(applied);
        await again.close();
        fs.rmSync(first.dataDir!, { recursive: true, force: true });
        return;
      }
      expect(await schemaFingerprint(first.db)).toEqual(before);
      expect(
        await queryRows<{ n: number }>(
          first.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        ),
      ).toEqual(applied);
    } finally {
      if (first.kind === 'postgres') await first.close();
    }
  }, 180_000); // PGlite initialises two data directories on disk: slow on a loaded 2-core machine.

  it.runIf(testEngine() === 'postgres')(
    'four processes migrating one fresh PostgreSQL database at once all succeed',
    async () => {
      const target = await createTestDatabase();
      // createTestDatabase migrated already; drop everything so the four start from nothing.
      await target.db.execute(
        sql`drop schema public cascade; create schema public; drop schema if exists drizzle cascade`,
      );
      try {
        const results = await Promise.allSettled(
          Array.from({ length: 4 }, () => migrateScript({ DATABASE_URL: target.url! })),
        );
        for (const r of results) {
          expect(r.status, r.status === 'rejected' ? String(r.reason) : '').toBe('fulfilled');
        }
        const applied = await queryRows<{ n: number }>(
          target.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        const files = fs.readdirSync(path.join(process.cwd(), 'drizzle')).filter((f) => f.endsWith('.sql'));
        expect(applied[0]!.n).toBe(files.length);
      } finally {
        await target.close();
      }
    },
  );

  it.runIf(testEngine() === 'pglite')(
    'a second process on the same PGlite directory is refused with a clear message',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-lock-'));
      const holder = await openDatabase({ kind: 'pglite', dataDir });
      try {
        const second = await migrateScript({ DATA_DIR: dataDir, DATABASE_URL: '' }).then(
          () => ({ code: 0, stderr: '' }),
          (err: { code: number; stderr: string }) => err,
        );
        expect(second.code).not.toBe(0);
        expect(second.stderr).toMatch(/Another Sendmux Console process \(pid \d+/);
        expect(second.stderr).toMatch(/DATABASE_URL/);
        // The holder still works.
        expect(await queryRows(holder.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
      } finally {
        await holder.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe.runIf(testEngine() === 'postgres')('PostgreSQL connection pool', () => {
  it('survives the server closing its idle connections and reconnects on the next query', async () => {
    const target = await createTestDatabase();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
    try {
      // Two connections in the pool: one runs the kill, the other sits idle and gets closed.
      await Promise.all([
        queryRows(target.db, sql`select pg_sleep(0.05)`),
        queryRows(target.db, sql`select pg_sleep(0.05)`),
      ]);
      await queryRows(
        target.db,
        sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(String(errors[0])).toMatch(/idle PostgreSQL connection was closed/);
      await queryRows(target.db, sql`select pg_terminate_backend(pg_backend_pid())`).catch(() => undefined);
      expect(await queryRows(target.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      console.error = original;
      await target.close();
    }
  });
});
