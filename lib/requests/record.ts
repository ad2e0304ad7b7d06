import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, prepared, queryRows, rawPlaceholder, type Db } from '@/lib/db';
import { apiRequests } from '@/lib/db/schema';
import { SMTP_ENDPOINT } from '@/lib/format/request-log';
import { WriteCoalescer } from '@/lib/requests/coalesce';
import {
  countMessages,
  extractMessageIds,
  extractRecipients,
  redactRequestBody,
} from '@/lib/requests/redact';

export type RequestSource = (typeof apiRequests.source.enumValues)[number];

/** Who and what a Sendmux call is for; stored on every attempt row. */
export type RequestContext = {
  source: RequestSource;
  userId?: string | null;
  userEmail?: string | null;
  jobId?: string | null;
  chunkNo?: number | null;
};

export type AttemptStart = {
  /** Profile NAME; the key never reaches this module. */
  keyProfile: string;
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  /** The body as sent (JSON value or bytes); redacted here before it is stored. */
  body: unknown;
  context: RequestContext;
  idempotencyKey?: string;
  attempt: number;
  waitMs: number;
};

export type AttemptCompletion = {
  status: number | null;
  ok: boolean;
  errorCode?: string;
  errorMessage?: string;
  requestId?: string;
  durationMs: number;
  responseBody: unknown;
  rateLimit?: { limit?: number; remaining?: number; reset?: number; retryAfter?: number };
  /** The eml_ ids to search the entry by; read from a send's response when left out. */
  messageIds?: string[];
};

const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

// Prepared once per database (see prepared()): these two run around every Sendmux call. Every value
// is a raw placeholder, handed to the driver as given: jsonb as JSON text or null (json()), arrays
// as arrays, the timestamp as ISO text.
/** created_at to the microsecond, as text that reads back as the same timestamptz. */
const CREATED_EXACT = sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const insertAttempt = (db: Db) =>
  db
    .insert(apiRequests)
    .values({
      keyProfile: rawPlaceholder('keyProfile'),
      method: rawPlaceholder('method'),
      path: rawPlaceholder('path'),
      source: rawPlaceholder('source'),
      userId: rawPlaceholder('userId'),
      userEmail: rawPlaceholder('userEmail'),
      jobId: rawPlaceholder('jobId'),
      chunkNo: rawPlaceholder('chunkNo'),
      idempotencyKey: rawPlaceholder('idempotencyKey'),
      attempt: rawPlaceholder('attempt'),
      waitMs: rawPlaceholder('waitMs'),
      requestBody: rawPlaceholder('requestBody'),
      recipients: rawPlaceholder('recipients'),
      messageCount: rawPlaceholder('messageCount'),
    })
    .returning({ id: apiRequests.id, createdAt: CREATED_EXACT })
    .prepare('api_requests_start');

const updateAttempt = (db: Db, exact: boolean) =>
  db
    .update(apiRequests)
    .set({
      completedAt: rawPlaceholder('completedAt'),
      status: rawPlaceholder('status'),
      ok: rawPlaceholder('ok'),
      errorCode: rawPlaceholder('errorCode'),
      errorMessage: rawPlaceholder('errorMessage'),
      requestId: rawPlaceholder('requestId'),
      durationMs: rawPlaceholder('durationMs'),
      responseBody: rawPlaceholder('responseBody'),
      rateLimit: rawPlaceholder('rateLimit'),
      messageIds: rawPlaceholder('messageIds'),
    })
    .where(
      exact
        ? and(
            eq(apiRequests.id, sql.placeholder('id')),
            sql`created_at = ${sql.placeholder('createdAt')}::timestamptz`,
          )
        : eq(apiRequests.id, sql.placeholder('id')),
    )
    .prepare(exact ? 'api_requests_complete_exact' : 'api_requests_complete');

/**
 * When each attempt this process started was created: on PostgreSQL the log is partitioned by day
 * (lib/db/partitions.ts), and an UPDATE that names created_at touches one partition instead of
 * probing every day's primary key. An attempt completed by another process (none today) or after a
 * restart falls back to the id alone.
 */
const startedAt = new Map<number, string>();
const MAX_TRACKED = 10_000;

/** An attempt row's columns as the statements take them: jsonb as JSON text or null, arrays as arrays. */
type StartValues = {
  keyProfile: string;
  method: string;
  path: string;
  source: RequestSource;
  userId: string | null;
  userEmail: string | null;
  jobId: string | null;
  chunkNo: number | null;
  idempotencyKey: string | null;
  attempt: number;
  waitMs: number;
  requestBody: string | null;
  recipients: string[];
  messageCount: number;
};
type Started = { id: number; createdAt: string };

type CompleteValues = {
  id: number;
  createdAt: string | undefined;
  completedAt: string;
  status: number | null;
  ok: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  requestId: string | null;
  durationMs: number;
  responseBody: string | null;
  rateLimit: string | null;
  messageIds: string[];
};

/**
 * Several pending rows in one INSERT: their ids are drawn first (a materialised CTE, so each row's
 * id is known with its position n) and come back in the items' order, whatever order the INSERT
 * returns its rows in. jsonb values travel as JSON text inside the one JSON parameter, and are parsed
 * into jsonb there, as the one-row statement's JSON text parameter is.
 */
async function insertAttempts(db: Db, rows: StartValues[]): Promise<Started[]> {
  const doc = JSON.stringify(rows.map((row, n) => ({ ...row, n })));
  const inserted = await queryRows<{ id: string | number; created_at: string }>(
    db,
    sql`WITH x AS MATERIALIZED (
          SELECT r.*, nextval(pg_get_serial_sequence('api_requests', 'id')) AS id
          FROM jsonb_to_recordset(${doc}::jsonb) AS r(
            n int, "keyProfile" text, method text, path text, source text, "userId" text, "userEmail" text,
            "jobId" text, "chunkNo" int, "idempotencyKey" text, attempt int, "waitMs" int,
            "requestBody" text, recipients text[], "messageCount" int)
        ), ins AS (
          INSERT INTO api_requests (id, key_profile, method, path, source, user_id, user_email, job_id, chunk_no,
            idempotency_key, attempt, wait_ms, request_body, recipients, message_count)
          SELECT id, "keyProfile", method, path, source, "userId", "userEmail", "jobId", "chunkNo",
            "idempotencyKey", attempt, "waitMs", "requestBody"::jsonb, recipients, "messageCount"
          FROM x
          RETURNING id, ${CREATED_EXACT} AS created_at
        )
        SELECT ins.id, ins.created_at FROM x JOIN ins USING (id) ORDER BY x.n`,
  );
  return inserted.map((r) => ({ id: Number(r.id), createdAt: r.created_at }));
}

/**
 * Several completions in one UPDATE. The rows were all started by this process moments ago, so
 * the span of their created_at bounds the statement to the day partitions they are in (lib/db/
 * partitions.ts); each row is then matched by id and created_at.
 */
async function updateAttempts(db: Db, rows: (CompleteValues & { createdAt: string })[]): Promise<void> {
  const times = rows.map((r) => r.createdAt).sort();
  await db.execute(sql`
    UPDATE api_requests a SET completed_at = x."completedAt", status = x.status, ok = x.ok,
      error_code = x."errorCode", error_message = x."errorMessage", request_id = x."requestId",
      duration_ms = x."durationMs", response_body = x."responseBody"::jsonb, rate_limit = x."rateLimit"::jsonb,
      message_ids = x."messageIds"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
      id bigint, "createdAt" timestamptz, "completedAt" timestamptz, status int, ok boolean, "errorCode" text,
      "errorMessage" text, "requestId" text, "durationMs" int, "responseBody" text, "rateLimit" text,
      "messageIds" text[])
    WHERE a.id = x.id AND a.created_at = x."createdAt"
      AND a.created_at BETWEEN ${times[0]}::timestamptz AND ${times[times.length - 1]}::timestamptz`);
}

// Attempt rows are written one statement per call while the console is quiet; when calls start
// and finish together (a batch job's workers, several instances' worth of sends, a busy receiver)
// the rows that arrive while two writes are running go together in the next one. At a few calls a
// second nothing changes; at thousands this is what keeps the log's writes inside their budget
// (bench/request-log.ts, "Writing while searching").
const COALESCE = { max: 64, concurrency: 2 };
const coalescers = new WeakMap<
  Db,
  { start: WriteCoalescer<StartValues, Started>; complete: WriteCoalescer<CompleteValues, void> }
>();

const insertOne = async (db: Db, v: StartValues): Promise<Started> => {
  const [row] = await prepared(db, 'api_requests_start', insertAttempt).execute(v);
  if (!row) throw new Error('api_requests insert returned no row');
  return row;
};

const updateOne = async (db: Db, v: CompleteValues): Promise<void> => {
  const statement =
    v.createdAt === undefined
      ? prepared(db, 'api_requests_complete', (d) => updateAttempt(d, false))
      : prepared(db, 'api_requests_complete_exact', (d) => updateAttempt(d, true));
  await statement.execute(v);
};

/** Completions that arrived together: one UPDATE for those this process started, by id for the rest. */
async function updateMany(db: Db, rows: CompleteValues[]): Promise<void[]> {
  const exact = rows.filter((r): r is CompleteValues & { createdAt: string } => r.createdAt !== undefined);
  if (exact.length > 0) await updateAttempts(db, exact);
  for (const r of rows) if (r.createdAt === undefined) await updateOne(db, r);
  return rows.map(() => undefined);
}

function coalescersFor(db: Db) {
  let c = coalescers.get(db);
  if (!c) {
    c = {
      start: new WriteCoalescer(
        { one: (v) => insertOne(db, v), many: (rows) => insertAttempts(db, rows) },
        COALESCE,
      ),
      complete: new WriteCoalescer(
        { one: (v) => updateOne(db, v), many: (rows) => updateMany(db, rows) },
        COALESCE,
      ),
    };
    coalescers.set(db, c);
  }
  return c;
}

/** How the attempt rows were written in this process: statements run and rows written by each. */
export async function attemptWriteStats(): Promise<{
  starts: WriteCoalescer<StartValues, Started>['stats'];
  completions: WriteCoalescer<CompleteValues, void>['stats'];
}> {
  const c = coalescersFor(await getDb());
  return { starts: { ...c.start.stats }, completions: { ...c.complete.stats } };
}

/** Inserts the pending row before the call goes out, so a crash mid-call still leaves evidence. */
export async function startAttempt(a: AttemptStart): Promise<number> {
  const db = await getDb();
  const row = await coalescersFor(db).start.add({
    keyProfile: a.keyProfile,
    method: a.method,
    path: a.path,
    source: a.context.source,
    userId: a.context.userId ?? null,
    userEmail: a.context.userEmail ?? null,
    jobId: a.context.jobId ?? null,
    chunkNo: a.context.chunkNo ?? null,
    idempotencyKey: a.idempotencyKey ?? null,
    attempt: a.attempt,
    waitMs: Math.max(0, Math.round(a.waitMs)),
    requestBody: json(redactRequestBody(a.path, a.body, a.query)),
    recipients: extractRecipients(a.path, a.body),
    messageCount: countMessages(a.path, a.body),
  });
  if (startedAt.size >= MAX_TRACKED) startedAt.delete(startedAt.keys().next().value!);
  startedAt.set(row.id, row.createdAt);
  return row.id;
}

export async function completeAttempt(id: number, c: AttemptCompletion): Promise<void> {
  const db = await getDb();
  const createdAt = startedAt.get(id);
  startedAt.delete(id);
  await coalescersFor(db).complete.add({
    id,
    createdAt,
    completedAt: new Date().toISOString(),
    status: c.status,
    ok: c.ok,
    errorCode: c.errorCode ?? null,
    errorMessage: c.errorMessage ?? null,
    requestId: c.requestId ?? null,
    durationMs: Math.max(0, Math.round(c.durationMs)),
    responseBody: json(c.responseBody),
    rateLimit: json(c.rateLimit && Object.keys(c.rateLimit).length > 0 ? c.rateLimit : null),
    messageIds: c.messageIds ?? extractMessageIds(c.responseBody),
  });
}

/** Marks a failed attempt as about to be repeated at `nextRetryAt` (null clears it when the retry is abandoned). */
export async function scheduleRetry(id: number, nextRetryAt: Date | null): Promise<void> {
  const db = await getDb();
  await db.update(apiRequests).set({ nextRetryAt }).where(eq(apiRequests.id, id));
}

/** An SMTP test send: the row says what was sent (never the key, never attachment content). */
export type SmtpAttemptStart = {
  keyProfile: string;
  context: RequestContext;
  /** The envelope and message as logged: server, username, addresses, subject, bodies, attachment names and sizes. */
  body: Record<string, unknown>;
  recipients: string[];
};

export type SmtpAttemptCompletion = {
  ok: boolean;
  /** The last reply code, e.g. 250 or 535; null when no reply came. */
  replyCode: number | null;
  errorCode?: string;
  errorMessage?: string;
  durationMs: number;
  /** The final reply (or the refusing one) and the queued id. */
  response: Record<string, unknown>;
  transcript: { at: number; kind: string; text: string; note?: string }[];
  queuedId: string | null;
};

/** The pending row, written before the connection opens, like an HTTP attempt's. */
export async function startSmtpAttempt(a: SmtpAttemptStart): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .insert(apiRequests)
    .values({
      keyProfile: a.keyProfile,
      method: SMTP_ENDPOINT,
      path: SMTP_ENDPOINT,
      transport: 'smtp',
      source: a.context.source,
      userId: a.context.userId ?? null,
      userEmail: a.context.userEmail ?? null,
      requestBody: a.body,
      recipients: [...new Set(a.recipients.map((r) => r.trim().toLowerCase()))],
      messageCount: 1,
    })
    .returning({ id: apiRequests.id });
  if (!row) throw new Error('api_requests insert returned no row');
  return row.id;
}

export async function completeSmtpAttempt(id: number, c: SmtpAttemptCompletion): Promise<void> {
  const db = await getDb();
  await db
    .update(apiRequests)
    .set({
      completedAt: new Date(),
      status: c.replyCode,
      ok: c.ok,
      errorCode: c.errorCode ?? null,
      errorMessage: c.errorMessage ?? null,
      durationMs: Math.max(0, Math.round(c.durationMs)),
      responseBody: c.response,
      transcript: c.transcript,
      messageIds: c.queuedId ? [c.queuedId] : [],
    })
    .where(eq(apiRequests.id, id));
}
