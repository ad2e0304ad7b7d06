import 'server-only';
import { eq, lt } from 'drizzle-orm';
import { getDbHandle, type Db } from '@/lib/db';
import { sandboxIdempotency } from '@/lib/db/schema';
import { IDEMPOTENCY_TTL_MS } from '@/lib/sandbox/limits';
import { sandboxState } from '@/lib/sandbox/state';

export type { Db } from '@/lib/db';
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

const SWEEP_EVERY_MS = 10 * 60_000;

/** The database, prepared for the sandbox once per process (and per database, for tests). */
export async function sandboxDb(): Promise<Db> {
  const handle = await getDbHandle();
  const state = sandboxState();
  let ready = state.prepared.get(handle);
  if (!ready) {
    ready = prepare(handle.db, handle.kind);
    state.prepared.set(handle, ready);
    ready.catch(() => state.prepared.delete(handle));
  }
  await ready;
  const now = Date.now();
  if (now - state.lastSweepAt > SWEEP_EVERY_MS) {
    state.lastSweepAt = now;
    sweepExpiredKeys(handle.db).catch((err: unknown) =>
      console.error('sandbox: sweeping idempotency keys failed', err),
    );
  }
  return handle.db;
}

async function prepare(db: Db, kind: 'pglite' | 'postgres'): Promise<void> {
  // Embedded PGlite serves one process, so an in_flight key found at start-up was left by a process that died.
  if (kind === 'pglite') await db.delete(sandboxIdempotency).where(eq(sandboxIdempotency.state, 'in_flight'));
  await sweepExpiredKeys(db);
  sandboxState().lastSweepAt = Date.now();
}

async function sweepExpiredKeys(db: Db): Promise<void> {
  await db
    .delete(sandboxIdempotency)
    .where(lt(sandboxIdempotency.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS)));
}
