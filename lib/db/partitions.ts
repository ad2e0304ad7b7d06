// The request log and the delivery events partitioned by day, on PostgreSQL only (PGlite keeps one
// table each: see README, "Capacity"). At the key's full rate api_requests gains ~2.6 million rows
// a day, and delivery_events one or more per message sent; a month of them is kept by creating each
// day's partition ahead of time and dropping a whole day when it leaves the retention window,
// instead of DELETEs that leave a month of dead rows for vacuum.
//
// Layout, made once per table by partitionTable() under the migration lock (api_requests shown;
// delivery_events is the same by received_at, keyed (event_id, received_at), with its duplicate
// check in the unpartitioned delivery_event_ids, since a partitioned table's unique keys must
// hold the day):
//   api_requests                    PARTITION BY RANGE (created_at), primary key (id, created_at)
//   api_requests_p20261207          one per UTC day, from yesterday to DAYS_AHEAD days ahead
//   api_requests_p_before_20261208  the rows of an install from before partitioning, if any: a
//                                   range partition up to the day after the conversion, pruned by
//                                   DELETE and dropped when its last day leaves the window
//   api_requests_p_default          whatever falls outside every day (a clock far off, a test's
//                                   2020 row): never an insert that fails for want of a partition
// Drizzle's schema still describes one table: every statement the console runs works on both.
import type pg from 'pg';

/** One connection (the functions here run transactions on it): a pg.PoolClient or pg.Client. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** A table partitioned by day on `column`; `key` is its primary key without the day. */
export type PartitionedTable = { table: string; column: string; key: string };
export const REQUEST_LOG: PartitionedTable = { table: 'api_requests', column: 'created_at', key: 'id' };
export const DELIVERY_EVENTS: PartitionedTable = {
  table: 'delivery_events',
  column: 'received_at',
  key: 'event_id',
};
export const PARTITIONED_TABLES = [REQUEST_LOG, DELIVERY_EVENTS];
/** Days created ahead: the hourly housekeeping can miss a week before an insert meets the default. */
export const DAYS_AHEAD = 7;
const DAY_MS = 86_400_000;
/** A drop or a creation waits at most this long for the table lock, then tries again next hour. */
const LOCK_TIMEOUT = '3s';

export const defaultPartition = (t: PartitionedTable) => `${t.table}_p_default`;

const utcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const fromYmd = (s: string) => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`);
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export type PartitionInfo = {
  name: string;
  kind: 'day' | 'before' | 'default';
  /** Inclusive start of a day partition (UTC midnight). */
  from?: Date;
  /** Exclusive end: the next midnight for a day, the conversion's day bound for 'before'. */
  to?: Date;
};

export async function isPartitioned(db: Queryable, t: PartitionedTable): Promise<boolean> {
  const { rows } = await db.query<{ relkind: string }>(
    `SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = $1`,
    [t.table],
  );
  return rows[0]?.relkind === 'p';
}

/** The partitions of a table, oldest day first, with the bounds their names carry. */
export async function listPartitions(db: Queryable, t: PartitionedTable): Promise<PartitionInfo[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass($1) ORDER BY c.relname`,
    [t.table],
  );
  const daily = new RegExp(`^${t.table}_p(\\d{8})$`);
  const beforeName = new RegExp(`^${t.table}_p_before_(\\d{8})$`);
  return rows.flatMap(({ name }): PartitionInfo[] => {
    const day = daily.exec(name);
    if (day) {
      const from = fromYmd(day[1]!);
      return [{ name, kind: 'day', from, to: new Date(from.getTime() + DAY_MS) }];
    }
    const before = beforeName.exec(name);
    if (before) return [{ name, kind: 'before', to: fromYmd(before[1]!) }];
    if (name === defaultPartition(t)) return [{ name, kind: 'default' }];
    return [];
  });
}

/**
 * Turns a plain table into the partitioned layout, once. Runs inside the caller's migration lock.
 * An empty table is simply replaced; a table with rows is kept whole as the 'before' partition
 * (renamed, never copied), so an upgrade takes the time of one index build.
 */
export async function partitionTable(db: Queryable, t: PartitionedTable, now = new Date()): Promise<boolean> {
  if (await isPartitioned(db, t)) return false;
  const { table, column, key } = t;
  const { rows: indexes } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = $1 AND indexname <> $2`,
    [table, `${table}_pkey`],
  );
  const { rows: any } = await db.query(`SELECT 1 FROM ${table} LIMIT 1`);
  const { rows: serial } = await db.query<{ seq: string | null }>(
    `SELECT pg_get_serial_sequence($1, $2) AS seq`,
    [table, key],
  );
  const bound = new Date(utcDay(now).getTime() + DAY_MS);
  const old = `${table}_p_before_${ymd(bound)}`;
  await db.query('BEGIN');
  try {
    await db.query(`ALTER TABLE ${table} RENAME TO ${old}`);
    await db.query(`ALTER TABLE ${old} RENAME CONSTRAINT ${table}_pkey TO ${old}_pkey`);
    for (const i of indexes)
      await db.query(
        `ALTER INDEX ${quote(i.indexname)} RENAME TO ${quote(`${old}_${i.indexname.slice(table.length + 1)}`)}`,
      );
    await db.query(`CREATE TABLE ${table} (LIKE ${old} INCLUDING DEFAULTS) PARTITION BY RANGE (${column})`);
    // A serial id's sequence moves with the column, or dropping the old table would take it along.
    if (serial[0]?.seq) await db.query(`ALTER SEQUENCE ${serial[0].seq} OWNED BY ${table}.${key}`);
    await db.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (${key}, ${column})`);
    // The same definitions, now on the parent: each partition gets its own copy.
    for (const i of indexes) await db.query(i.indexdef);
    if (any.length === 0) await db.query(`DROP TABLE ${old}`);
    else {
      // Its primary key gives way to the parent's, which holds the day, built on it by ATTACH.
      await db.query(`ALTER TABLE ${old} DROP CONSTRAINT ${old}_pkey`);
      await db.query(
        `ALTER TABLE ${table} ATTACH PARTITION ${old} FOR VALUES FROM (MINVALUE) TO ('${bound.toISOString()}')`,
      );
    }
    await db.query(`CREATE TABLE ${defaultPartition(t)} PARTITION OF ${table} DEFAULT`);
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
  await ensureDayPartitions(db, t, { now });
  return true;
}

/** Every partitioned table in its layout, with its days made ahead: at start, under the migration lock. */
export async function preparePartitions(db: Queryable): Promise<void> {
  for (const t of PARTITIONED_TABLES) if (!(await partitionTable(db, t))) await ensureDayPartitions(db, t);
}

/**
 * Creates the day partitions from `from` (default: yesterday) to DAYS_AHEAD days after `now`,
 * skipping days that exist or that the 'before' partition covers. Rows the default partition
 * holds for a new day are moved into it first, in the same transaction.
 */
export async function ensureDayPartitions(
  db: Queryable,
  t: PartitionedTable,
  options: { now?: Date; from?: Date } = {},
): Promise<string[]> {
  const today = utcDay(options.now ?? new Date());
  const first = utcDay(options.from ?? new Date(today.getTime() - DAY_MS));
  const last = new Date(today.getTime() + DAYS_AHEAD * DAY_MS);
  const existing = await listPartitions(db, t);
  const have = new Set(existing.filter((p) => p.kind === 'day').map((p) => p.from!.getTime()));
  const coveredUntil = Math.max(
    0,
    ...existing.filter((p) => p.kind === 'before').map((p) => p.to!.getTime()),
  );
  const created: string[] = [];
  for (let day = first; day <= last; day = new Date(day.getTime() + DAY_MS)) {
    if (have.has(day.getTime()) || day.getTime() < coveredUntil) continue;
    created.push(await createDayPartition(db, t, day));
  }
  return created;
}

async function createDayPartition(db: Queryable, t: PartitionedTable, day: Date): Promise<string> {
  const name = `${t.table}_p${ymd(day)}`;
  const from = day.toISOString();
  const to = new Date(day.getTime() + DAY_MS).toISOString();
  await db.query('BEGIN');
  try {
    await db.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    // Attaching checks the default partition for rows of the new day (it is small: only strays).
    // Any it holds move over first; a plain CREATE … PARTITION OF would refuse them.
    await db.query(`CREATE TABLE ${name} (LIKE ${t.table} INCLUDING DEFAULTS)`);
    await db.query(
      `WITH moved AS (DELETE FROM ${defaultPartition(t)} WHERE ${t.column} >= $1 AND ${t.column} < $2 RETURNING *)
       INSERT INTO ${name} SELECT * FROM moved`,
      [from, to],
    );
    await db.query(
      `ALTER TABLE ${t.table} ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
  return name;
}

export type PartitionPrune = { droppedDays: string[]; rowsDropped: number; dropMs: number[] };

/**
 * Drops every day partition whose whole day is older than `cutoff` (a day is kept until its last
 * row is past the window, so rows live up to a day longer than the retention, never shorter), and
 * the 'before' partition once its last day is. The default and 'before' partitions are pruned
 * row by row by the caller.
 */
export async function dropExpiredPartitions(
  db: Queryable,
  t: PartitionedTable,
  cutoff: Date,
): Promise<PartitionPrune> {
  const result: PartitionPrune = { droppedDays: [], rowsDropped: 0, dropMs: [] };
  for (const p of await listPartitions(db, t)) {
    if (p.kind === 'default' || !p.to || p.to.getTime() > cutoff.getTime()) continue;
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${p.name}`);
    const started = performance.now();
    await db.query('BEGIN');
    try {
      await db.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await db.query(`DROP TABLE ${p.name}`);
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK');
      throw err;
    }
    result.dropMs.push(performance.now() - started);
    result.droppedDays.push(p.name);
    result.rowsDropped += Number(rows[0]?.n ?? 0);
  }
  return result;
}
