import 'server-only';
import type { SQL } from 'drizzle-orm';
import type { Db } from '@/lib/db';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Exec = Db | Tx;

/** Raw SQL rows on either driver, inside or outside a transaction (PGlite and node-postgres both answer `{ rows }`). */
export async function rowsOf<T>(exec: Exec, query: SQL): Promise<T[]> {
  const result = (await exec.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Timestamps come back as Date from both drivers in drizzle, but raw SQL may hand back strings. */
export function toDate(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}
