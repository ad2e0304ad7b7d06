import 'server-only';
import { sql } from 'drizzle-orm';
import { recordAudit } from '@/lib/auth/audit';
import { getDb, getDbHandle, queryRows } from '@/lib/db';
import { webhookSecrets } from '@/lib/delivery/secrets';
import { SIGNATURE_HEADER, verifySignature } from '@/lib/delivery/signature';
import { scheduleCorrelation, type EventDetailColumns } from '@/lib/delivery/correlate';
import { WEBHOOK_PATH } from '@/lib/env';
import { IGNORED_EVENT_TYPES, webhookEventSchema, type WebhookEvent } from '@/lib/schemas/delivery';

export type IngestResult =
  | { kind: 'stored'; eventId: string }
  | { kind: 'duplicate'; eventId: string }
  | { kind: 'ignored'; eventId: string; type: string }
  | { kind: 'unsigned' }
  | { kind: 'malformed'; reason: string };

const REJECTED_KEY = 'webhook.rejected_signatures';
const AUDIT_EVERY_MS = 60_000;

type RejectState = { lastAuditAt: number; sinceAudit: number };
const globalForIngest = globalThis as typeof globalThis & { __sendmuxWebhookRejects?: RejectState };
const rejects = () => (globalForIngest.__sendmuxWebhookRejects ??= { lastAuditAt: 0, sinceAudit: 0 });

/**
 * A refused signature writes a counter and nothing else; at most one audit entry a minute says how
 * many were refused since the last, so a flood of forged posts cannot fill the audit log.
 */
async function countRejected(): Promise<void> {
  const db = await getDb();
  await db.execute(
    sql`INSERT INTO app_settings (key, value, updated_at) VALUES (${REJECTED_KEY}, '1', now())
        ON CONFLICT (key) DO UPDATE SET value = ((app_settings.value)::bigint + 1)::text, updated_at = now()`,
  );
  const state = rejects();
  state.sinceAudit += 1;
  const now = Date.now();
  if (now - state.lastAuditAt >= AUDIT_EVERY_MS) {
    const n = state.sinceAudit;
    state.lastAuditAt = now;
    state.sinceAudit = 0;
    await recordAudit({ action: 'webhook.signature_rejected', target: WEBHOOK_PATH, detail: { n } });
  }
}

function parseEvent(raw: Uint8Array): { event: WebhookEvent } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    return { reason: `The body is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = webhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      reason: `The body is not a Sendmux webhook event: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { event: parsed.data };
}

/** Verifies, parses and stores one post. Correlation runs after the answer (scheduleCorrelation). */
export async function ingestWebhook(raw: Uint8Array, headers: Headers): Promise<IngestResult> {
  if (!verifySignature(raw, headers.get(SIGNATURE_HEADER), webhookSecrets())) {
    await countRejected();
    return { kind: 'unsigned' };
  }
  const parsed = parseEvent(raw);
  if ('reason' in parsed) return { kind: 'malformed', reason: parsed.reason };
  const e = parsed.event;
  const headerId = headers.get('x-sendmux-event-id');
  if (headerId && headerId !== e.id)
    return { kind: 'malformed', reason: 'X-Sendmux-Event-Id does not match the body’s id' };
  if ((IGNORED_EVENT_TYPES as readonly string[]).includes(e.type))
    return { kind: 'ignored', eventId: e.id, type: e.type };
  const attempt = Number(headers.get('x-sendmux-delivery-attempt'));
  const d = e.data;
  const stored = await storeEvent({
    event_id: e.id,
    type: e.type,
    occurred_at: e.occurred_at,
    delivery_attempt: Number.isInteger(attempt) && attempt > 0 && attempt < 1_000_000 ? attempt : null,
    team_public_id: e.team_public_id ?? null,
    sendmux_message_id: d.sendmux_message_id ?? null,
    provider_message_id: d.message_id ?? null,
    message_id_kind: d.message_id_kind ?? null,
    sender: d.sender?.toLowerCase() ?? null,
    recipients: [...new Set(d.recipients.map((r) => r.trim().toLowerCase()))],
    bounce_type: d.bounce_type ?? null,
    bounce_subtype: d.bounce_subtype ?? null,
    complaint_type: d.complaint_type ?? null,
    complaint_subtype: d.complaint_subtype ?? null,
    reject_reason: d.reject_reason ?? null,
    delay_type: d.delay_type ?? null,
    delay_expires_at: d.delay_expires_at ?? null,
    payload: e,
  });
  if (!stored) return { kind: 'duplicate', eventId: e.id };
  scheduleCorrelation();
  return { kind: 'stored', eventId: e.id };
}

// ---------------------------------------------------------------------------------------------
// Group commit: the posts that arrive while one INSERT runs are stored together by the next
// ---------------------------------------------------------------------------------------------

type EventRow = EventDetailColumns & {
  event_id: string;
  type: string;
  occurred_at: string;
  delivery_attempt: number | null;
  team_public_id: string | null;
  sendmux_message_id: string | null;
  provider_message_id: string | null;
  message_id_kind: string | null;
  sender: string | null;
  recipients: string[];
  payload: WebhookEvent;
};

type Waiting = { row: EventRow; resolve: (stored: boolean) => void; reject: (err: unknown) => void };
type StoreQueue = { waiting: Waiting[]; flushing: boolean };
const globalForStore = globalThis as typeof globalThis & { __sendmuxWebhookStore?: StoreQueue };
const queue = () => (globalForStore.__sendmuxWebhookStore ??= { waiting: [], flushing: false });

/** At most this many events per INSERT (a few hundred KB of JSON at most). */
const MAX_GROUP = 200;

// One statement for any number of events, the rows travelling as one JSON parameter: nothing is
// built per post (drizzle's insert builder took about half a millisecond of each).
const RECORDSET_COLUMNS = `event_id text, type text, occurred_at timestamptz,
    delivery_attempt int, team_public_id text, sendmux_message_id text, provider_message_id text,
    message_id_kind text, sender text, recipients text[], bounce_type text, bounce_subtype text,
    complaint_type text, complaint_subtype text, reject_reason text, delay_type text,
    delay_expires_at text, payload jsonb`;
const EVENT_COLUMNS = `event_id, type, occurred_at, delivery_attempt, team_public_id,
    sendmux_message_id, provider_message_id, message_id_kind, sender, recipients, bounce_type, bounce_subtype,
    complaint_type, complaint_subtype, reject_reason, delay_type, delay_expires_at, payload`;
/**
 * The statement around the JSON rows, per engine. PGlite: delivery_events' own primary key is the
 * duplicate check. PostgreSQL: delivery_events is partitioned by day (lib/db/partitions.ts) and
 * cannot hold an event id unique across days, so the ids go first into delivery_event_ids and
 * only the ones that were new into the events. (On PGlite that second insert cost a p95 of 36 ms
 * instead of 15 in bench/webhook-ingest, so it keeps the single table.)
 */
const INSERT_EVENTS = {
  pglite: [
    sql.raw(
      `INSERT INTO delivery_events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM jsonb_to_recordset(`,
    ),
    sql.raw(`::jsonb) AS r(${RECORDSET_COLUMNS}) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`),
  ],
  postgres: [
    sql.raw(`WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset(`),
    sql.raw(`::jsonb) AS r(${RECORDSET_COLUMNS})),
      fresh AS (INSERT INTO delivery_event_ids (event_id) SELECT event_id FROM r ON CONFLICT (event_id) DO NOTHING RETURNING event_id)
      INSERT INTO delivery_events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM r
      WHERE event_id IN (SELECT event_id FROM fresh) RETURNING event_id`),
  ],
} as const;

/**
 * Stores one event; true when it is new, false when its id was already stored. Each post still
 * waits for its own row to be committed before it is answered, but the posts that arrive in the same
 * turn of the event loop, or while an INSERT runs, share one INSERT: on PGlite every commit writes
 * its WAL through the emulated file system, and one commit for sixteen events costs about what one
 * costs for one (bench/webhook-ingest: 3,000 posts took 382 INSERTs, a quarter of the time).
 */
function storeEvent(row: EventRow): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const q = queue();
    q.waiting.push({ row, resolve, reject });
    if (!q.flushing) {
      q.flushing = true;
      setImmediate(() => void flush());
    }
  });
}

async function flush(): Promise<void> {
  const q = queue();
  q.flushing = true;
  try {
    while (q.waiting.length > 0) {
      const group = q.waiting.splice(0, MAX_GROUP);
      // A re-post in the same group as its original: only the first can be the one stored.
      const first = new Map<string, Waiting>();
      for (const w of group) if (!first.has(w.row.event_id)) first.set(w.row.event_id, w);
      try {
        const rows = JSON.stringify([...first.values()].map((w) => w.row));
        const { db, kind } = await getDbHandle();
        const [head, tail] = INSERT_EVENTS[kind];
        const inserted = await queryRows<{ event_id: string }>(db, sql`${head}${rows}${tail}`);
        const isNew = new Set(inserted.map((r) => r.event_id));
        for (const w of group) w.resolve(first.get(w.row.event_id) === w && isNew.has(w.row.event_id));
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
  } finally {
    q.flushing = false;
  }
}

export async function rejectedSignatureCount(): Promise<number> {
  const [row] = await queryRows<{ value: string }>(
    await getDb(),
    sql`SELECT value FROM app_settings WHERE key = ${REJECTED_KEY}`,
  );
  return Number(row?.value ?? 0);
}
