import fs from 'node:fs';
import path from 'node:path';
import { PGlite, types, type QueryOptions } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { PgPreparedQuery, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { acquireDataDirLock } from '@/lib/db/data-dir-lock';
import { preparePartitions } from '@/lib/db/partitions';
import * as schema from '@/lib/db/schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = 'pglite' | 'postgres';
export type DbHandle = {
  db: Db;
  kind: DbKind;
  close: () => Promise<void>;
  /** PostgreSQL only: the driver's pool, for what Drizzle cannot do (COPY FROM STDIN). */
  pool?: pg.Pool;
};
export type DbTarget =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize?: number };

/** Any fixed number works; it only has to be the same in every console process. */
const MIGRATION_LOCK_ID = 726_354_001;
const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle');

/**
 * A failed query as the log (and Next's error output) sees it: the SQL and the database's reason,
 * never the parameter values, which hold addresses, subjects and bodies. Drizzle's own error puts
 * them in its message ("params: …"), and the driver's `detail` can repeat a value ("Key (email)=…").
 */
export class DatabaseQueryError extends Error {
  readonly query: string;
  constructor(query: string, params: unknown[], original: unknown) {
    const source = original instanceof Error && original.cause !== undefined ? original.cause : original;
    // The server's reason may quote a value back ('invalid input syntax for type integer: "…"').
    let reason = source instanceof Error ? (source.message.split('\n')[0] ?? '') : String(source);
    for (const p of params)
      if (typeof p === 'string' && p.length >= 3) reason = reason.split(p).join('<parameter>');
    super(`Failed query: ${query}\n${reason}`);
    this.name = 'DatabaseQueryError';
    this.query = query;
    if (source instanceof Error) {
      const { code, constraint, table, column, severity } = source as Error & Record<string, unknown>;
      const cause = new Error(reason);
      cause.name = source.name;
      Object.assign(cause, { code, constraint, table, column, severity });
      this.cause = cause;
    }
  }
}

const preparedQueryProto = PgPreparedQuery.prototype as unknown as {
  queryWithCache: (query: string, params: unknown[], run: () => Promise<unknown>) => Promise<unknown>;
  __sendmuxRedacted?: boolean;
};
// Every query of both drivers runs through this (internal) method, which wraps failures in
// drizzle's DrizzleQueryError; the wrapper here swaps that for one without the parameters.
if (!preparedQueryProto.__sendmuxRedacted) {
  const queryWithCache = preparedQueryProto.queryWithCache;
  preparedQueryProto.queryWithCache = async function (query, params, run) {
    try {
      return await queryWithCache.call(this, query, params, run);
    } catch (err) {
      throw new DatabaseQueryError(query, params, err);
    }
  };
  preparedQueryProto.__sendmuxRedacted = true;
}

const PGLITE_CONF = 'shared_buffers = 32MB\n';

export async function openDatabase(target: DbTarget): Promise<DbHandle> {
  if (target.kind === 'pglite') {
    const release = acquireDataDirLock(target.dataDir);
    const dir = path.join(target.dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
    try {
      // shared_buffers at PostgreSQL's 128 MB default is resident in this process for good once a
      // big job has been read through it; the files stay in the OS page cache either way.
      const client = installDrizzleParsers(await PGlite.create(dir, { postgresqlconf: PGLITE_CONF }));
      const db = drizzlePglite({ client, schema });
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      try {
        await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
      }
      return {
        db: db as unknown as Db,
        kind: 'pglite',
        close: async () => {
          await client.close();
          release();
        },
      };
    } catch (err) {
      release();
      throw err;
    }
  }

  // jit off: the console's queries are short lookups, but an array search over a month of day
  // partitions is estimated costly enough for PostgreSQL to compile it first, 100–300 ms each time
  // (bench/request-log: an eml_ id lookup at 10,000,000 rows took 346 ms with JIT, 9 ms without).
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    options: '-c jit=off',
  });
  // An idle connection that the server closes (restart, failover, pg_terminate_backend) is emitted
  // here; without a listener it would take the whole console down. The pool replaces it on next use.
  pool.on('error', (err) =>
    console.error(`database: an idle PostgreSQL connection was closed: ${err.message}`),
  );
  const client = await pool.connect();
  try {
    // Session-level lock: several console processes may start at once against one database.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migratePg(drizzlePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      // PostgreSQL only: the request log and delivery events by day (lib/db/partitions.ts).
      await preparePartitions(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
  return {
    db: drizzlePg({ client: pool, schema }) as unknown as Db,
    kind: 'postgres',
    close: () => pool.end(),
    pool,
  };
}

/**
 * Drizzle reads dates, timestamps and intervals (and their arrays) as raw text and converts them
 * itself. It asks PGlite for that with the same parser overrides on every query, and PGlite honours
 * a per-query override by copying its whole parser table (an entry for every array type in the
 * catalog): about 0.17 ms a query, a third of a small query's cost. So the overrides are installed
 * once on the instance, and a query whose overrides are exactly those goes without the copy.
 * Rows come out the same (the db tests read every column type back through drizzle).
 */
const DRIZZLE_RAW_TYPES = new Set<number>([
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
]);

function withoutInstalledParsers(options: QueryOptions | undefined): QueryOptions | undefined {
  const overrides = options?.parsers;
  if (!overrides) return options;
  for (const oid of Object.keys(overrides)) if (!DRIZZLE_RAW_TYPES.has(Number(oid))) return options;
  return { ...options, parsers: undefined };
}

function installDrizzleParsers(client: PGlite): PGlite {
  for (const oid of DRIZZLE_RAW_TYPES) client.parsers[oid] = (value: string) => value;
  const query = client.query.bind(client);
  client.query = (text, params, options) => query(text, params, withoutInstalledParsers(options));
  const transaction = client.transaction.bind(client);
  client.transaction = (callback) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = (text, params, options) => txQuery(text, params, withoutInstalledParsers(options));
      return callback(tx);
    });
  return client;
}

const preparedByDb = new WeakMap<Db, Map<string, unknown>>();

/**
 * A drizzle prepared statement on this database, built on first use. Drizzle takes about 0.2 ms to
 * build a small query's SQL, so the statements on every send (session check, request-log rows) are
 * built once per process; on PostgreSQL the name also lets each connection parse them once.
 * For a column value, use `rawPlaceholder` and encode the value yourself: drizzle runs a
 * `sql.placeholder` value through the column's encoder, null included (a jsonb null would be stored
 * as JSON `null`, a timestamp null would throw), and its update types take no placeholders.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let statements = preparedByDb.get(db);
  if (!statements) preparedByDb.set(db, (statements = new Map()));
  let statement = statements.get(name) as T | undefined;
  if (statement === undefined) statements.set(name, (statement = build(db)));
  return statement;
}

/** A placeholder whose value reaches the driver as given: JSON text or null for jsonb, an array for an array column. */
export const rawPlaceholder = (name: string): SQL => sql`${sql.placeholder(name)}`;

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A database or an open transaction on it: raw queries run on either. */
export type Exec = Db | Tx;

/** Runs raw SQL and returns its rows on either driver, inside or outside a transaction (PGlite and node-postgres both answer `{ rows }`). */
export async function queryRows<T>(exec: Exec, query: SQL): Promise<T[]> {
  const result = (await exec.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Timestamps come back as Date from both drivers in drizzle, but raw SQL may hand back strings. */
export function toDate(value: Date | string | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value);
}

export { sql };
