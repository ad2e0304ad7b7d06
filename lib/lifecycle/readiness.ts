import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { getDbHandle, queryRows } from '@/lib/db';
import { isDraining } from '@/lib/lifecycle/drain';

export type Readiness = {
  ready: boolean;
  draining: boolean;
  db: 'ok' | 'unreachable';
  migrations: 'applied' | 'pending' | 'unknown';
};

let lastMigration: number | undefined;

/** The newest migration this build ships (drizzle/meta/_journal.json, read once). */
function shippedMigration(): number {
  if (lastMigration === undefined) {
    const journal = JSON.parse(
      fs.readFileSync(path.join(process.cwd(), 'drizzle', 'meta', '_journal.json'), 'utf8'),
    ) as { entries: { when: number }[] };
    lastMigration = Math.max(...journal.entries.map((e) => e.when));
  }
  return lastMigration;
}

/** Ready for traffic: not draining, the database answers, and it holds this build's migrations. */
export async function checkReadiness(): Promise<Readiness> {
  const draining = isDraining();
  try {
    const handle = await getDbHandle();
    const [row] = await queryRows<{ last: string | number | null }>(
      handle.db,
      sql`SELECT max(created_at) AS last FROM drizzle.__drizzle_migrations`,
    );
    const applied = row?.last != null && Number(row.last) >= shippedMigration();
    return {
      ready: !draining && applied,
      draining,
      db: 'ok',
      migrations: applied ? 'applied' : 'pending',
    };
  } catch {
    return { ready: false, draining, db: 'unreachable', migrations: 'unknown' };
  }
}
