import 'server-only';
import { getEnv } from '@/lib/env';
import { openDatabase, type Db, type DbHandle } from '@/lib/db/connection';

export type { Db, DbHandle, Exec, Tx } from '@/lib/db/connection';
export { prepared, queryRows, rawPlaceholder, toDate } from '@/lib/db/connection';
export * as tables from '@/lib/db/schema';

// One database per process, shared by every module instance Next creates (instrumentation,
// route bundles): a second PGlite on the same directory would lose writes.
const globalForDb = globalThis as typeof globalThis & { __sendmuxDb?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.__sendmuxDb) {
    const env = getEnv();
    globalForDb.__sendmuxDb = openDatabase(
      env.databaseUrl ? { kind: 'postgres', url: env.databaseUrl } : { kind: 'pglite', dataDir: env.dataDir },
    );
    globalForDb.__sendmuxDb.catch(() => {
      globalForDb.__sendmuxDb = undefined;
    });
  }
  return globalForDb.__sendmuxDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}
