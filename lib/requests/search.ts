import 'server-only';
// Why one long file: the request log's read side — filters, keyset cursors and the queries that
// use them — shares one notion of a row and a cursor; recording and pruning live elsewhere.
import { sql, type SQL } from 'drizzle-orm';
import { getDb, queryRows, type Db } from '@/lib/db';
import { CURSOR_PATTERN, parseUtcInput, type Outcome } from '@/lib/schemas/request-log';
import { seesContent } from '@/lib/auth/privacy';
import type { RequestSource } from '@/lib/requests/record';
import { withoutContent } from '@/lib/requests/redact';
import type { Role } from '@/lib/schemas/roles';

export const PAGE_SIZE = 50;
/** Rows of the newest part of the log that the filter drop-downs are built from. */
const OPTIONS_SAMPLE = 10_000;
const MAX_ATTEMPTS_SHOWN = 200;

export type ClassifiedQuery =
  | { kind: 'none' }
  | { kind: 'request_id'; value: string }
  | { kind: 'message_id'; value: string }
  /** A delivery event (evt_…) or a provider message id: the requests of the message it is about. */
  | { kind: 'event'; value: string }
  | { kind: 'address'; value: string }
  | { kind: 'job'; jobId: string; chunkNo?: number; value: string }
  /** A bare value: an idempotency key, a batch job id, or a request_id without the req_ prefix. */
  | { kind: 'key'; value: string };

export type RequestFilters = {
  q?: string;
  outcome?: Outcome;
  errorCode?: string;
  path?: string;
  keyProfile?: string;
  userEmail?: string;
  /** Inclusive lower bound on created_at. */
  from?: Date;
  /** Exclusive upper bound on created_at. */
  to?: Date;
  /** Cursor of the last row already shown (`nextCursor` of the page before). */
  before?: string;
  limit?: number;
};

export type RequestListItem = {
  id: number;
  /** ISO UTC with microseconds, as the database holds it. */
  createdAt: string;
  method: string;
  path: string;
  source: RequestSource;
  keyProfile: string;
  userEmail: string | null;
  status: number | null;
  ok: boolean | null;
  errorCode: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  durationMs: number | null;
  attempt: number;
  waitMs: number;
  nextRetryAt: string | null;
  /** The first few recipients; `recipientCount` says how many there are. */
  recipients: string[];
  recipientCount: number;
  messageCount: number;
  jobId: string | null;
  chunkNo: number | null;
};

export type RequestSearchResult = {
  query: ClassifiedQuery;
  items: RequestListItem[];
  /** Pass as `before` to get the next (older) page; null when this is the last page. */
  nextCursor: string | null;
};

export type RequestDetail = RequestListItem & {
  /** http, or smtp for an SMTP test send. */
  transport: 'http' | 'smtp';
  /** An SMTP test send's redacted conversation; null for HTTP. */
  transcript: unknown;
  completedAt: string | null;
  userId: string | null;
  errorMessage: string | null;
  requestBody: unknown;
  responseBody: unknown;
  rateLimit: { limit?: number; remaining?: number; reset?: number; retryAfter?: number } | null;
  recipients: string[];
  messageIds: string[];
};

export type AttemptSummary = {
  id: number;
  createdAt: string;
  completedAt: string | null;
  attempt: number;
  waitMs: number;
  status: number | null;
  ok: boolean | null;
  errorCode: string | null;
  requestId: string | null;
  durationMs: number | null;
  nextRetryAt: string | null;
};

export type FilterOptions = { errorCodes: string[]; paths: string[]; keyProfiles: string[]; users: string[] };

// ---------------------------------------------------------------------------------------------
// The search box
// ---------------------------------------------------------------------------------------------

const JOB_REF = /^job:([^:\s]+)(?::chunk:(\d{1,9}))?$/;

/**
 * What the search box holds, by its shape. A bare value is looked up as an idempotency key, a
 * request_id and a batch job id at once (see exactMatches), which is one indexed round trip.
 */
export function classifyQuery(input: string | undefined): ClassifiedQuery {
  const q = (input ?? '').trim();
  if (q === '') return { kind: 'none' };
  if (/^req_\S+$/.test(q)) return { kind: 'request_id', value: q };
  if (/^eml_\S+$/.test(q)) return { kind: 'message_id', value: q };
  if (/^evt_\S+$/.test(q)) return { kind: 'event', value: q };
  if (q.includes('@')) return { kind: 'address', value: q.toLowerCase() };
  // job:<id> and job:<id>:chunk:<n> name a job (or one chunk of it); the full chunk key
  // job:<id>:chunk:<n>:try:<k> is an Idempotency-Key and is looked up as one.
  const job = JOB_REF.exec(q);
  if (job)
    return {
      kind: 'job',
      jobId: job[1]!,
      chunkNo: job[2] === undefined ? undefined : Number(job[2]),
      value: q,
    };
  return { kind: 'key', value: q };
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** Must match the index (created_at DESC NULLS LAST, id DESC NULLS LAST): plain DESC means NULLS FIRST and sorts the whole table. */
const NEWEST_FIRST = sql.raw('ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST');

/** created_at exactly as stored (microseconds): a millisecond Date would make the keyset skip rows. */
const CREATED_ISO = sql.raw(`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
const isoOf = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

const LIST_COLUMNS = sql`id, ${CREATED_ISO} AS created_iso, method, path, source, key_profile, user_email, status, ok, error_code,
  request_id, idempotency_key, duration_ms, attempt, wait_ms, ${isoOf('next_retry_at')} AS next_retry_iso,
  recipients[1:3] AS recipients_head, cardinality(recipients) AS recipient_count, message_count, job_id, chunk_no`;

type ListRow = {
  id: number | string;
  created_iso: string;
  method: string;
  path: string;
  source: RequestSource;
  key_profile: string;
  user_email: string | null;
  status: number | null;
  ok: boolean | null;
  error_code: string | null;
  request_id: string | null;
  idempotency_key: string | null;
  duration_ms: number | null;
  attempt: number;
  wait_ms: number;
  next_retry_iso: string | null;
  recipients_head: string[] | null;
  recipient_count: number | string | null;
  message_count: number;
  job_id: string | null;
  chunk_no: number | null;
};

function toListItem(r: ListRow): RequestListItem {
  return {
    id: Number(r.id),
    createdAt: r.created_iso,
    method: r.method,
    path: r.path,
    source: r.source,
    keyProfile: r.key_profile,
    userEmail: r.user_email,
    status: r.status,
    ok: r.ok,
    errorCode: r.error_code,
    requestId: r.request_id,
    idempotencyKey: r.idempotency_key,
    durationMs: r.duration_ms,
    attempt: r.attempt,
    waitMs: r.wait_ms,
    nextRetryAt: r.next_retry_iso,
    recipients: r.recipients_head ?? [],
    recipientCount: Number(r.recipient_count ?? 0),
    messageCount: r.message_count,
    jobId: r.job_id,
    chunkNo: r.chunk_no,
  };
}

export function encodeCursor(item: Pick<RequestListItem, 'createdAt' | 'id'>): string {
  return `${item.createdAt.replace(/[-:]/g, '')}_${item.id}`;
}

export function decodeCursor(cursor: string | undefined): { createdAt: string; id: number } | undefined {
  const m = cursor ? CURSOR_PATTERN.exec(cursor) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac = '', id] = m;
  return { createdAt: `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}Z`, id: Number(id) };
}

function filterConditions(f: RequestFilters): SQL[] {
  const conds: SQL[] = [];
  if (f.outcome === 'ok') conds.push(sql`ok = true`);
  else if (f.outcome === 'failed') conds.push(sql`ok = false`);
  else if (f.outcome === 'pending') conds.push(sql`ok IS NULL`);
  if (f.errorCode) conds.push(sql`error_code = ${f.errorCode}`);
  // A management call's path keeps its query string; the bare endpoint matches it too.
  if (f.path) conds.push(sql`(path = ${f.path} OR left(path, ${f.path.length + 1}) = ${`${f.path}?`})`);
  if (f.keyProfile) conds.push(sql`key_profile = ${f.keyProfile}`);
  if (f.userEmail) conds.push(sql`user_email = ${f.userEmail}`);
  if (f.from) conds.push(sql`created_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) conds.push(sql`created_at < ${f.to.toISOString()}::timestamptz`);
  const cursor = decodeCursor(f.before);
  // Row comparison on the (created_at desc, id desc) index: rows added since page 1 sort above the cursor, so pages never shift.
  if (cursor) conds.push(sql`(created_at, id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::bigint)`);
  return conds;
}

/** The stored columns the list shows and filters on: never the bodies. */
const ROW_COLUMNS = sql.raw(
  'id, created_at, method, path, source, key_profile, user_email, status, ok, error_code, request_id, idempotency_key, ' +
    'duration_ms, attempt, wait_ms, next_retry_at, recipients, message_count, job_id, chunk_no',
);

/**
 * The rows an exact search matches, each looked up on its own index and read once. MATERIALIZED
 * keeps the planner from trading the lookup for a walk down the time index, which it may do
 * without statistics, and on PostgreSQL's day partitions would do across every day (a merge of
 * each partition's time index, filtered, until the page is full). Every exact lookup here has
 * this shape.
 */
function exactMatches(query: ClassifiedQuery, eventMessages: string[]): SQL[] | null {
  const rows = (cond: SQL) => sql`SELECT ${ROW_COLUMNS} FROM api_requests WHERE ${cond}`;
  // The eml_ ids an event is about, as literal values: an ARRAY(subquery) is unknown when the plan
  // is made, and the planner then scans every day partition rather than trust the GIN index.
  const byEvent = rows(sql`message_ids && ${`{${eventMessages.join(',')}}`}::text[]`);
  switch (query.kind) {
    case 'request_id':
      return [rows(sql`request_id = ${query.value}`)];
    case 'message_id':
      return [rows(sql`message_ids @> ARRAY[${query.value}]::text[]`)];
    case 'event':
      return [eventMessages.length > 0 ? byEvent : rows(sql`false`)];
    case 'key':
      // Tried in this order until one matches: an idempotency key (what a bare value most often
      // is), a request_id without its prefix, a batch job id (every row a job sent carries it), a
      // provider message id. One at a time, because each is planned over every day partition on
      // PostgreSQL, and a UNION of all four cost 20 ms at 10,000,000 rows where one costs 6.
      return [
        rows(sql`idempotency_key = ${query.value}`),
        rows(sql`request_id = ${query.value}`),
        rows(sql`job_id = ${query.value}`),
        ...(eventMessages.length > 0 ? [byEvent] : []),
      ];
    case 'job':
      return [
        query.chunkNo === undefined
          ? rows(sql`job_id = ${query.jobId}`)
          : rows(sql`job_id = ${query.jobId} AND chunk_no = ${query.chunkNo}`),
      ];
    default:
      return null;
  }
}

/** The eml_ ids a delivery event id or a provider message id is about (eml_ ids hold no commas or braces). */
async function eventMessageIds(db: Db, value: string): Promise<string[]> {
  const rows = await queryRows<{ message_id: string }>(
    db,
    sql`SELECT DISTINCT message_id FROM delivery_events
        WHERE (event_id = ${value} OR provider_message_id = ${value}) AND message_id IS NOT NULL LIMIT 100`,
  );
  return rows.map((r) => r.message_id).filter((id) => /^[^\s,{}"\\]+$/.test(id));
}

/** Provider message ids can look like addresses (ME3P…@example.com): one indexed look-up tells. */
async function isProviderMessageId(db: Db, value: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`SELECT 1 AS one FROM delivery_events WHERE provider_message_id = ${value} LIMIT 1`,
  );
  return rows.length > 0;
}

// Whether the planner has statistics for api_requests.recipients. Without them it guesses an
// address is common and walks the whole time index for a rare one (12 s on a million rows in
// PGlite, which has no autovacuum), so the search then takes the GIN index in every case.
let recipientStats = new WeakMap<Db, { known: boolean; checkedAt: number }>();

async function hasRecipientStats(db: Db): Promise<boolean> {
  const cached = recipientStats.get(db);
  if (cached && (cached.known || Date.now() - cached.checkedAt < 60_000)) return cached.known;
  const [row] = await queryRows<{ known: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'api_requests' AND attname = 'recipients') AS known`,
  );
  recipientStats.set(db, { known: !!row?.known, checkedAt: Date.now() });
  return !!row?.known;
}

/** For tests and the benchmark, which drop or add statistics (and rows) under a running process. */
export function resetSearchCaches(): void {
  recipientStats = new WeakMap();
  filterOptionsCache = new WeakMap();
}

const where = (conds: SQL[]) => (conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``);

/** Newest first, one page at a time; `before` continues after the last row of the page before. */
export async function searchRequests(filters: RequestFilters): Promise<RequestSearchResult> {
  const db = await getDb();
  let query = classifyQuery(filters.q);
  const raw = filters.q?.trim() ?? '';
  if (query.kind === 'address' && (await isProviderMessageId(db, raw))) query = { kind: 'event', value: raw };
  const limit = Math.min(Math.max(filters.limit ?? PAGE_SIZE, 1), 500);
  const conds = filterConditions(filters);
  const eventMessages =
    query.kind === 'event' || query.kind === 'key' ? await eventMessageIds(db, query.value) : [];
  const exact = exactMatches(query, eventMessages);
  let rows: RequestListItem[] = [];
  if (exact) {
    for (const alternative of exact) {
      rows = (
        await queryRows<ListRow>(
          db,
          sql`WITH m AS MATERIALIZED (${alternative})
            SELECT ${LIST_COLUMNS} FROM m ${where(conds)} ${NEWEST_FIRST} LIMIT ${limit + 1}`,
        )
      ).map(toListItem);
      if (rows.length > 0) break;
    }
  } else {
    let statement: SQL;
    if (query.kind === 'address' && !(await hasRecipientStats(db))) {
      // created_at comes with the bitmap heap scan, so only the page's rows are fetched twice.
      statement = sql`WITH m AS MATERIALIZED (SELECT id, created_at FROM api_requests ${where([sql`recipients @> ARRAY[${query.value}]::text[]`, ...conds])}),
          page AS (SELECT id FROM m ${NEWEST_FIRST} LIMIT ${limit + 1})
        SELECT ${LIST_COLUMNS} FROM api_requests WHERE id IN (SELECT id FROM page) ${NEWEST_FIRST}`;
    } else {
      // An address may be in a handful of rows or in most of them; the GIN index and the time
      // index each win one case, and the planner's array statistics tell which.
      if (query.kind === 'address') conds.unshift(sql`recipients @> ARRAY[${query.value}]::text[]`);
      statement = sql`SELECT ${LIST_COLUMNS} FROM api_requests ${where(conds)} ${NEWEST_FIRST} LIMIT ${limit + 1}`;
    }
    rows = (await queryRows<ListRow>(db, statement)).map(toListItem);
  }
  const items = rows.slice(0, limit);
  if (query.kind === 'key') {
    const value = query.value;
    if (items.length > 0 && items.every((i) => i.jobId === value))
      query = { kind: 'job', jobId: value, value };
  }
  const last = items.at(-1);
  return { query, items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** The page's filters from its zod-parsed search params. */
export function filtersFromParams(p: {
  q?: string;
  outcome?: Outcome;
  code?: string;
  endpoint?: string;
  profile?: string;
  user?: string;
  from?: string;
  to?: string;
  before?: string;
}): RequestFilters {
  return {
    q: p.q,
    outcome: p.outcome,
    errorCode: p.code,
    path: p.endpoint,
    keyProfile: p.profile,
    userEmail: p.user,
    from: parseUtcInput(p.from),
    to: parseUtcInput(p.to, true),
    before: p.before,
  };
}

type DetailRow = ListRow & {
  transport: 'http' | 'smtp';
  transcript: unknown;
  completed_iso: string | null;
  user_id: string | null;
  error_message: string | null;
  request_body: unknown;
  response_body: unknown;
  rate_limit: RequestDetail['rateLimit'];
  recipients_all: string[] | null;
  message_ids: string[] | null;
};

/** One entry as `viewer` may see it: without message content for support when SUPPORT_SEES_BODIES is off. */
export async function getRequest(id: number, viewer: { role: Role }): Promise<RequestDetail | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const db = await getDb();
  const [row] = await queryRows<DetailRow>(
    db,
    sql`SELECT ${LIST_COLUMNS}, ${isoOf('completed_at')} AS completed_iso, user_id, error_message, request_body, response_body,
          rate_limit, recipients AS recipients_all, message_ids, transport, transcript
        FROM api_requests WHERE id = ${id}`,
  );
  if (!row) return null;
  return {
    ...toListItem(row),
    transport: row.transport,
    transcript: row.transcript,
    completedAt: row.completed_iso,
    userId: row.user_id,
    errorMessage: row.error_message,
    requestBody: seesContent(viewer.role) ? row.request_body : withoutContent(row.request_body),
    responseBody: row.response_body,
    rateLimit: row.rate_limit,
    recipients: row.recipients_all ?? [],
    messageIds: row.message_ids ?? [],
  };
}

/** Row ids holding a request_id, newest first (a replayed request can hold the same one twice). */
export async function findByRequestId(requestId: string): Promise<number[]> {
  const db = await getDb();
  const rows = await queryRows<{ id: number | string }>(
    db,
    sql`WITH m AS MATERIALIZED (SELECT id, created_at FROM api_requests WHERE request_id = ${requestId})
        SELECT id FROM m ${NEWEST_FIRST} LIMIT 20`,
  );
  return rows.map((r) => Number(r.id));
}

/** Every attempt made under one Idempotency-Key on one endpoint, oldest first, for the timeline. */
export async function getAttempts(idempotencyKey: string, path: string): Promise<AttemptSummary[]> {
  const db = await getDb();
  const rows = await queryRows<{
    id: number | string;
    created_iso: string;
    completed_iso: string | null;
    attempt: number;
    wait_ms: number;
    status: number | null;
    ok: boolean | null;
    error_code: string | null;
    request_id: string | null;
    duration_ms: number | null;
    next_retry_iso: string | null;
  }>(
    db,
    sql`WITH m AS MATERIALIZED (SELECT * FROM api_requests WHERE idempotency_key = ${idempotencyKey} AND path = ${path})
        SELECT id, ${CREATED_ISO} AS created_iso, ${isoOf('completed_at')} AS completed_iso, attempt, wait_ms, status, ok, error_code,
          request_id, duration_ms, ${isoOf('next_retry_at')} AS next_retry_iso
        FROM m ORDER BY created_at, id LIMIT ${MAX_ATTEMPTS_SHOWN}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    createdAt: r.created_iso,
    completedAt: r.completed_iso,
    attempt: r.attempt,
    waitMs: r.wait_ms,
    status: r.status,
    ok: r.ok,
    errorCode: r.error_code,
    requestId: r.request_id,
    durationMs: r.duration_ms,
    nextRetryAt: r.next_retry_iso,
  }));
}

// The drop-downs are a convenience: options up to half a minute old save a scan on every page view.
const FILTER_OPTIONS_TTL_MS = 30_000;
let filterOptionsCache = new WeakMap<Db, { at: number; options: FilterOptions }>();

/**
 * Values for the filter drop-downs: what the newest part of the log holds, plus every console
 * user. A full DISTINCT over a million rows has no index to use; the newest rows are what people
 * filter for, and the URL accepts any value anyway.
 */
export async function listFilterOptions(): Promise<FilterOptions> {
  const db = await getDb();
  const cached = filterOptionsCache.get(db);
  if (cached && Date.now() - cached.at < FILTER_OPTIONS_TTL_MS) return cached.options;
  const [row] = await queryRows<{
    codes: string[] | null;
    paths: string[] | null;
    profiles: string[] | null;
    users: string[] | null;
  }>(
    db,
    sql`WITH recent AS (SELECT error_code, path, key_profile, user_email FROM api_requests ${NEWEST_FIRST} LIMIT ${OPTIONS_SAMPLE})
        SELECT
          (SELECT array_agg(DISTINCT error_code) FROM recent WHERE error_code IS NOT NULL) AS codes,
          (SELECT array_agg(DISTINCT split_part(path, '?', 1)) FROM recent) AS paths,
          (SELECT array_agg(DISTINCT key_profile) FROM recent) AS profiles,
          (SELECT array_agg(DISTINCT e) FROM (SELECT user_email AS e FROM recent WHERE user_email IS NOT NULL UNION SELECT email FROM users) u) AS users`,
  );
  const sorted = (v: string[] | null | undefined) => [...(v ?? [])].sort((a, b) => a.localeCompare(b));
  const options = {
    errorCodes: sorted(row?.codes),
    paths: sorted(row?.paths),
    keyProfiles: sorted(row?.profiles),
    users: sorted(row?.users),
  };
  filterOptionsCache.set(db, { at: Date.now(), options });
  return options;
}
