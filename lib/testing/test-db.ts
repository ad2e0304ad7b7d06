import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type DbHandle } from '@/lib/db/connection';
import { createThrowawayDatabase } from '@/lib/testing/throwaway-database';

/** The engine the db test project runs on: `TEST_DB=postgres` with `TEST_DATABASE_URL`, else PGlite. */
export function testEngine(): 'pglite' | 'postgres' {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export type TestDatabase = DbHandle & { url?: string; dataDir?: string };

/** A fresh, migrated database of the engine under test; close() throws it away. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testEngine() === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-test-'));
    const handle = await openDatabase({ kind: 'pglite', dataDir });
    return {
      ...handle,
      dataDir,
      close: async () => {
        await handle.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl)
    throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (a role allowed to CREATE DATABASE)');
  const database = await createThrowawayDatabase(adminUrl);
  const handle = await openDatabase({ kind: 'postgres', url: database.url });
  return {
    ...handle,
    url: database.url,
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

const globalForDb = globalThis as typeof globalThis & { __sendmuxDb?: Promise<DbHandle> };

/**
 * Vitest hooks: a fresh database for this test file, installed as the process database so that
 * code calling getDb() uses it. Returns a getter for the handle.
 */
export function useTestDatabase(): () => TestDatabase {
  let db: TestDatabase | undefined;
  // Opening and migrating a PGlite database is CPU-bound WASM: minutes, not seconds, on a busy machine.
  beforeAll(async () => {
    db = await createTestDatabase();
    globalForDb.__sendmuxDb = Promise.resolve(db);
  }, 180_000);
  afterAll(async () => {
    globalForDb.__sendmuxDb = undefined;
    await db?.close();
  });
  return () => {
    if (!db) throw new Error('useTestDatabase(): the database is opened in beforeAll');
    return db;
  };
}
