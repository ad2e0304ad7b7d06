// Why one long file: it is the data model, table by table, and drizzle-kit generates migrations from
// this one file; splitting it would spread one schema over several.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// ---------------------------------------------------------------------------------------------
// Console: people, sessions, audit
// ---------------------------------------------------------------------------------------------

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    role: text('role', { enum: ['admin', 'sender', 'support'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    disabledAt: tstz('disabled_at'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** Keyed hash of the cookie token; the token itself is never stored. */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: createdAt(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    /** What the event is about, e.g. the account a sign-in attempt named. */
    target: text('target'),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_events_action_target_idx').on(t.action, t.target, t.createdAt),
    // Read backwards for newest-first pages (keyset on created_at, id) and for pruning.
    index('audit_events_time_idx').on(t.createdAt, t.id),
    index('audit_events_actor_idx').on(t.actorEmail, t.createdAt, t.id),
  ],
);

/**
 * Sign-in attempts per account, client address and device cookie, counted before the password is
 * checked (lib/auth/throttle.ts). One row per key, updated under a row lock, so parallel guesses
 * and several console instances all see the same count.
 */
export const signInThrottle = pgTable('sign_in_throttle', {
  /** `account:<email>`, `address:<ip>` or `device:<id>`. */
  key: text('key').primaryKey(),
  windowStart: tstz('window_start').notNull(),
  attempts: integer('attempts').notNull(),
  lastAttemptAt: tstz('last_attempt_at').notNull(),
});

/** Small key/value store for instance-wide state (first-run setup token hash, etc.). */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

// ---------------------------------------------------------------------------------------------
// The request log: one row per upstream HTTP attempt
// ---------------------------------------------------------------------------------------------

export const apiRequests = pgTable(
  'api_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: createdAt(),
    completedAt: tstz('completed_at'),
    userId: text('user_id'),
    userEmail: text('user_email'),
    /** Name of the key profile; the key itself is never stored. */
    keyProfile: text('key_profile').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    source: text('source', {
      enum: ['compose', 'batch', 'manual_batch', 'settings', 'upload', 'smtp_test', 'delivery_logs', 'other'],
    }).notNull(),
    /** http: a call to the Sending API; smtp: an SMTP test send (method and path 'SMTP'). */
    transport: text('transport', { enum: ['http', 'smtp'] })
      .notNull()
      .default('http'),
    idempotencyKey: text('idempotency_key'),
    attempt: integer('attempt').notNull().default(1),
    /** Time the client waited before this attempt (backoff or Retry-After), for the attempt timeline. */
    waitMs: integer('wait_ms').notNull().default(0),
    /** Set on a failed attempt the client will repeat: when the next attempt starts. */
    nextRetryAt: tstz('next_retry_at'),
    status: integer('status'),
    ok: boolean('ok'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    requestId: text('request_id'),
    durationMs: integer('duration_ms'),
    /** Request body with attachment content replaced by { filename, size_bytes }. */
    requestBody: jsonb('request_body'),
    responseBody: jsonb('response_body'),
    rateLimit: jsonb('rate_limit').$type<{
      limit?: number;
      remaining?: number;
      reset?: number;
      retryAfter?: number;
    }>(),
    /** Lower-cased to/cc/bcc addresses of every message in the request, for search. */
    recipients: text('recipients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** eml_ ids returned by the response, for search. */
    messageIds: text('message_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    messageCount: integer('message_count').notNull().default(0),
    /** An SMTP test send's conversation, redacted (the AUTH secret is ***), with a time per line. */
    transcript: jsonb('transcript').$type<{ at: number; kind: string; text: string; note?: string }[]>(),
    jobId: text('job_id'),
    chunkNo: integer('chunk_no'),
  },
  (t) => [
    index('api_requests_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('api_requests_request_id_idx').on(t.requestId),
    index('api_requests_idempotency_idx').on(t.idempotencyKey),
    index('api_requests_job_idx').on(t.jobId, t.chunkNo),
    index('api_requests_recipients_idx').using('gin', t.recipients),
    index('api_requests_message_ids_idx').using('gin', t.messageIds),
  ],
);

// ---------------------------------------------------------------------------------------------
// Compose templates
// ---------------------------------------------------------------------------------------------

export const templates = pgTable(
  'templates',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The message as the compose form holds it, without attachment content. */
    message: jsonb('message').notNull().$type<Record<string, unknown>>(),
    /** Emails, not user ids: the owner stays readable after the user is gone. */
    createdBy: text('created_by'),
    updatedBy: text('updated_by'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('templates_name_key').on(t.name)],
);

// ---------------------------------------------------------------------------------------------
// Batch jobs (CSV mail merge)
// ---------------------------------------------------------------------------------------------

export const batchJobs = pgTable(
  'batch_jobs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    status: text('status', { enum: ['running', 'paused', 'cancelled', 'done'] }).notNull(),
    keyProfile: text('key_profile').notNull(),
    createdBy: text('created_by'),
    createdByEmail: text('created_by_email'),
    createdAt: createdAt(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    totalRows: integer('total_rows').notNull(),
    /** CSV header names in file order. */
    columns: jsonb('columns').notNull().$type<string[]>(),
    /** Mapping and templates the rows were merged with, for display and re-use. */
    spec: jsonb('spec').notNull().$type<Record<string, unknown>>(),
    currentTry: integer('current_try').notNull().default(1),
    /**
     * Set while the upload is still being stored (renewed with every batch of rows): the job is not
     * done while it lies ahead, and a job whose upload died just ends with the rows it got.
     */
    loadingUntil: tstz('loading_until'),
    /** The upload's own id (startBatchRequestSchema.uploadId): one job per upload, resent or not. */
    uploadId: text('upload_id'),
  },
  (t) => [
    index('batch_jobs_created_idx').on(t.createdAt.desc()),
    uniqueIndex('batch_jobs_upload_id_idx').on(t.uploadId),
  ],
);

export const batchRows = pgTable(
  'batch_rows',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => batchJobs.id, { onDelete: 'cascade' }),
    rowNo: integer('row_no').notNull(),
    csvLine: integer('csv_line').notNull(),
    input: jsonb('input').notNull().$type<Record<string, string>>(),
    /** The merged EmailSendRequest (wire format) this row sends. */
    message: jsonb('message').notNull().$type<Record<string, unknown>>(),
    toEmail: text('to_email').notNull(),
    status: text('status', { enum: ['pending', 'sending', 'queued', 'failed', 'cancelled'] }).notNull(),
    messageId: text('message_id'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    errorFields: jsonb('error_fields').$type<{ field: string; code: string; message: string }[]>(),
    requestId: text('request_id'),
    idempotencyKey: text('idempotency_key'),
    chunkNo: integer('chunk_no'),
    try: integer('try').notNull().default(1),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.rowNo] }),
    index('batch_rows_status_idx').on(t.jobId, t.status),
    index('batch_rows_to_idx').on(t.jobId, t.toEmail),
    // The job page's error-code filter pages by row number; only failed rows carry a code, so
    // creating a job (every code null) costs this index nothing.
    index('batch_rows_error_idx')
      .on(t.jobId, t.errorCode, t.rowNo)
      .where(sql`${t.errorCode} IS NOT NULL`),
    // Delivery events find their batch row by eml_ id.
    index('batch_rows_message_idx').on(t.messageId),
  ],
);

export const batchChunks = pgTable(
  'batch_chunks',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => batchJobs.id, { onDelete: 'cascade' }),
    chunkNo: integer('chunk_no').notNull(),
    try: integer('try').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Row numbers in request order: results[].index points into this list. */
    rowNos: integer('row_nos').array().notNull(),
    status: text('status', { enum: ['pending', 'sending', 'done', 'failed', 'cancelled'] }).notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: tstz('lease_expires_at'),
    notBefore: tstz('not_before'),
    sends: integer('sends').notNull().default(0),
    queuedCount: integer('queued_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    lastErrorCode: text('last_error_code'),
    lastRequestId: text('last_request_id'),
    createdAt: createdAt(),
    completedAt: tstz('completed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.chunkNo, t.try] }),
    uniqueIndex('batch_chunks_idempotency_key').on(t.idempotencyKey),
    index('batch_chunks_claim_idx').on(t.status, t.notBefore),
  ],
);

// ---------------------------------------------------------------------------------------------
// Delivery status: signed webhook events, stored once each (lib/delivery)
// ---------------------------------------------------------------------------------------------

/**
 * One row per webhook event, keyed by its evt_ id so a retried post changes nothing. A plain table
 * with time indexes so it can be partitioned by time later, like the request log.
 */
export const deliveryEvents = pgTable(
  'delivery_events',
  {
    eventId: text('event_id').primaryKey(),
    type: text('type').notNull(),
    occurredAt: tstz('occurred_at').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    /** X-Sendmux-Delivery-Attempt of the post that was stored (the first that got through). */
    deliveryAttempt: integer('delivery_attempt'),
    teamPublicId: text('team_public_id'),
    /** data.sendmux_message_id: the eml_ id, when Sendmux knows it. */
    sendmuxMessageId: text('sendmux_message_id'),
    /** data.message_id: the provider's (or RFC 5322) message id. */
    providerMessageId: text('provider_message_id'),
    messageIdKind: text('message_id_kind'),
    sender: text('sender'),
    /** Lower-cased data.recipients. */
    recipients: text('recipients')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    bounceType: text('bounce_type'),
    bounceSubtype: text('bounce_subtype'),
    complaintType: text('complaint_type'),
    complaintSubtype: text('complaint_subtype'),
    rejectReason: text('reject_reason'),
    delayType: text('delay_type'),
    delayExpiresAt: text('delay_expires_at'),
    /** The body exactly as posted (parsed). */
    payload: jsonb('payload').notNull().$type<Record<string, unknown>>(),
    /** The eml_ id the event was linked to: its own, or one found by recipient, sender and time. */
    messageId: text('message_id'),
    match: text('match', { enum: ['id', 'address', 'none'] }),
    correlatedAt: tstz('correlated_at'),
  },
  (t) => [
    index('delivery_events_occurred_idx').on(t.occurredAt),
    index('delivery_events_received_idx').on(t.receivedAt),
    index('delivery_events_sendmux_message_idx').on(t.sendmuxMessageId),
    index('delivery_events_message_idx').on(t.messageId, t.occurredAt),
    index('delivery_events_provider_message_idx').on(t.providerMessageId),
    index('delivery_events_recipients_idx').using('gin', t.recipients),
    index('delivery_events_pending_idx')
      .on(t.receivedAt)
      .where(sql`correlated_at IS NULL`),
  ],
);

/**
 * Every delivery event id stored, for the receiver's duplicate check on PostgreSQL. Apart from
 * delivery_events because there that table is partitioned by day (lib/db/partitions.ts), and a
 * partitioned table's unique keys must hold the day: a retry arriving a day later would not be
 * caught by it. PGlite keeps one table whose primary key does the check, and leaves this empty.
 */
export const deliveryEventIds = pgTable(
  'delivery_event_ids',
  {
    eventId: text('event_id').primaryKey(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [index('delivery_event_ids_received_idx').on(t.receivedAt)],
);

/** Each message's current delivery status, derived from its events in occurred_at order. */
export const deliveryStatus = pgTable('delivery_status', {
  /** The eml_ id. */
  messageId: text('message_id').primaryKey(),
  status: text('status', {
    enum: ['delivered', 'bounced', 'complained', 'rejected', 'delayed'],
  }).notNull(),
  detail: text('detail').notNull().default(''),
  /** occurred_at of the event that set the status. */
  statusAt: tstz('status_at').notNull(),
  eventId: text('event_id').notNull(),
  match: text('match', { enum: ['id', 'address'] }).notNull(),
  eventCount: integer('event_count').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

// ---------------------------------------------------------------------------------------------
// One rate budget per Sendmux key, shared by every console instance (lib/sendmux/budget.ts)
// ---------------------------------------------------------------------------------------------

export const rateBudgets = pgTable('rate_budgets', {
  /** A fingerprint of the key (never the key): profiles holding the same key share one budget. */
  scope: text('scope').primaryKey(),
  /** The profile name that last used it, for metrics and logs. */
  profile: text('profile').notNull(),
  /** X-RateLimit-Limit as last announced (requests per window). */
  limit: integer('limit').notNull(),
  /** Times are epoch milliseconds on the database's clock, the one clock every instance shares. */
  windowEndsAt: bigint('window_ends_at', { mode: 'number' }),
  /** Requests started in the current window, every instance and class together. */
  taken: integer('taken').notNull().default(0),
  batchTaken: integer('batch_taken').notNull().default(0),
  /** Interactive starts in the window's last second: they may land in the next upstream window. */
  late: integer('late').notNull().default(0),
  /** BATCH_MAX_RATE spacing: the earliest next batch start. */
  nextBatchAt: bigint('next_batch_at', { mode: 'number' }),
  /** Retry-After or a 429: nobody starts before this. */
  pausedUntil: bigint('paused_until', { mode: 'number' }),
  /** Last interactive start: while recent, the interactive reserve is held back from batches. */
  lastInteractiveAt: bigint('last_interactive_at', { mode: 'number' }),
  /** X-RateLimit-Remaining as last announced, for metrics. */
  upstreamRemaining: integer('upstream_remaining'),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

// ---------------------------------------------------------------------------------------------
// The built-in Sendmux sandbox. Its own tables: it shares the database, not the console's code.
// ---------------------------------------------------------------------------------------------

export const sandboxMessages = pgTable(
  'sandbox_messages',
  {
    id: text('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    requestId: text('request_id').notNull(),
    idempotencyKey: text('idempotency_key'),
    endpoint: text('endpoint').notNull(),
    batchIndex: integer('batch_index'),
    fromEmail: text('from_email').notNull(),
    toEmail: text('to_email').notNull(),
    subject: text('subject').notNull(),
    /** The message exactly as received (inline attachment content included). */
    message: jsonb('message').notNull().$type<Record<string, unknown>>(),
  },
  (t) => [index('sandbox_messages_seq_idx').on(t.seq.desc()), index('sandbox_messages_to_idx').on(t.toEmail)],
);

export const sandboxAttachments = pgTable('sandbox_attachments', {
  id: text('id').primaryKey(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  content: bytea('content').notNull(),
  createdAt: createdAt(),
  expiresAt: tstz('expires_at').notNull(),
});

export const sandboxIdempotency = pgTable(
  'sandbox_idempotency',
  {
    /** Hash of the API key the request came with: keys are scoped per credential. */
    scope: text('scope').notNull(),
    endpoint: text('endpoint').notNull(),
    key: text('key').notNull(),
    bodyHash: text('body_hash').notNull(),
    state: text('state', { enum: ['in_flight', 'done'] }).notNull(),
    lockedUntil: tstz('locked_until'),
    status: integer('status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.endpoint, t.key] }),
    index('sandbox_idempotency_created_idx').on(t.createdAt),
  ],
);

/** Events the sandbox posts to the console's webhook receiver, with every attempt's outcome. */
export const sandboxWebhookDeliveries = pgTable(
  'sandbox_webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    /** The sandbox message the event is about (null for sendmux.test). */
    messageId: text('message_id'),
    /** The exact bytes posted, so every retry signs and sends the same body. */
    body: text('body').notNull(),
    state: text('state', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
    dueAt: tstz('due_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    lastLatencyMs: integer('last_latency_ms'),
    lastAttemptAt: tstz('last_attempt_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('sandbox_webhook_due_idx').on(t.state, t.dueAt),
    index('sandbox_webhook_message_idx').on(t.messageId),
    index('sandbox_webhook_created_idx').on(t.createdAt.desc()),
  ],
);

/** The sandbox's fixed 60-second window per key, in the database so every instance shares it like Sendmux does. */
export const sandboxRateWindows = pgTable('sandbox_rate_windows', {
  scope: text('scope').primaryKey(),
  /** Epoch milliseconds on the database's clock. */
  windowStart: bigint('window_start', { mode: 'number' }).notNull(),
  count: integer('count').notNull(),
  /** Whether the request that last touched the row was let through. */
  allowed: boolean('allowed').notNull(),
});
