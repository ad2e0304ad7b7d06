import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, queryRows, type Db, type Exec } from '@/lib/db';
import { deriveStatus, STATUS_OF_TYPE, type DeliveryEventFacts } from '@/lib/delivery-status/status';

/** Serialises status rewrites across console processes (one PostgreSQL, several instances). */
const CORRELATE_LOCK_ID = 726_354_011;
const BATCH = 500;
const GATHER_MS = 200;
/** An event with no eml_ id is matched to a send to that address from up to this long before it. */
const ADDRESS_WINDOW_MS = 3 * 86_400_000;
/** …or slightly after, for clocks that disagree. */
const CLOCK_SKEW_MS = 5 * 60_000;

type PendingRow = {
  event_id: string;
  type: string;
  occurred_at: Date | string;
  sendmux_message_id: string | null;
  sender: string | null;
  recipients: string[];
};

type Link = { event_id: string; message_id: string | null; match: 'id' | 'address' | 'none' };

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const emailOf = (v: unknown) => (isRecord(v) && typeof v.email === 'string' ? v.email.toLowerCase() : null);
const addressesOf = (m: Json) =>
  [emailOf(m.to), ...[m.cc, m.bcc].flatMap((list) => (Array.isArray(list) ? list.map(emailOf) : []))].filter(
    (a): a is string => a !== null,
  );
const sentFrom = (m: Json) =>
  [emailOf(m.from), typeof m.return_path === 'string' ? m.return_path.toLowerCase() : null].filter(Boolean);

/**
 * The eml_ id of the newest accepted send to `recipient` (from `sender`, when the event names one)
 * shortly before the event: Sendmux leaves sendmux_message_id null when it does not know it.
 */
export async function findMessageByAddress(
  db: Exec,
  recipient: string,
  sender: string | null,
  occurredAt: Date,
): Promise<string | null> {
  const rows = await queryRows<{
    path: string;
    request_body: unknown;
    response_body: unknown;
    message_ids: string[];
  }>(
    db,
    sql`SELECT path, request_body, response_body, message_ids FROM api_requests
        WHERE recipients @> ARRAY[${recipient}]::text[] AND ok AND transport = 'http' AND cardinality(message_ids) > 0
          AND created_at >= ${new Date(occurredAt.getTime() - ADDRESS_WINDOW_MS).toISOString()}::timestamptz
          AND created_at <= ${new Date(occurredAt.getTime() + CLOCK_SKEW_MS).toISOString()}::timestamptz
        ORDER BY created_at DESC LIMIT 20`,
  );
  const fits = (m: Json) => addressesOf(m).includes(recipient) && (!sender || sentFrom(m).includes(sender));
  for (const row of rows) {
    const body = isRecord(row.request_body) ? row.request_body : {};
    if (row.path === '/emails/send') {
      if (fits(body) && row.message_ids[0]) return row.message_ids[0];
      continue;
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const data =
      isRecord(row.response_body) && isRecord(row.response_body.data) ? row.response_body.data : {};
    const results = Array.isArray(data.results) ? data.results.filter(isRecord) : [];
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      const m = messages[i];
      if (!isRecord(m) || !fits(m)) continue;
      const r = results.find((x) => x.index === i);
      if (r && r.status === 'queued' && typeof r.message_id === 'string') return r.message_id;
    }
  }
  return null;
}

async function linkOf(db: Db, e: PendingRow): Promise<Link> {
  if (!STATUS_OF_TYPE[e.type]) return { event_id: e.event_id, message_id: null, match: 'none' };
  if (e.sendmux_message_id) return { event_id: e.event_id, message_id: e.sendmux_message_id, match: 'id' };
  for (const recipient of e.recipients) {
    const found = await findMessageByAddress(db, recipient, e.sender, new Date(e.occurred_at));
    if (found) return { event_id: e.event_id, message_id: found, match: 'address' };
  }
  return { event_id: e.event_id, message_id: null, match: 'none' };
}

/** The delivery_events columns that carry an event's outcome details (the receiver stores them). */
export type EventDetailColumns = {
  bounce_type: string | null;
  bounce_subtype: string | null;
  complaint_type: string | null;
  complaint_subtype: string | null;
  reject_reason: string | null;
  delay_type: string | null;
  delay_expires_at: string | null;
};

type EventRow = EventDetailColumns & {
  message_id: string;
  event_id: string;
  type: string;
  occurred_iso: string;
  match: 'id' | 'address';
};

export const OCCURRED_ISO = sql.raw(
  `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_iso`,
);

export const factsOf = (r: Omit<EventRow, 'message_id' | 'match'>): DeliveryEventFacts => ({
  eventId: r.event_id,
  type: r.type,
  occurredAt: r.occurred_iso,
  bounceType: r.bounce_type,
  bounceSubtype: r.bounce_subtype,
  complaintType: r.complaint_type,
  complaintSubtype: r.complaint_subtype,
  rejectReason: r.reject_reason,
  delayType: r.delay_type,
  delayExpiresAt: r.delay_expires_at,
});

/** Re-derives the status of these messages from all their events, in occurred_at order. */
async function rewriteStatuses(tx: Exec, messageIds: string[]): Promise<void> {
  if (messageIds.length === 0) return;
  const rows = await queryRows<EventRow>(
    tx,
    sql`SELECT message_id, event_id, type, ${OCCURRED_ISO}, match, bounce_type, bounce_subtype, complaint_type,
          complaint_subtype, reject_reason, delay_type, delay_expires_at
        FROM delivery_events
        WHERE message_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(messageIds)}::jsonb))`,
  );
  const byMessage = new Map<string, EventRow[]>();
  for (const r of rows) byMessage.set(r.message_id, [...(byMessage.get(r.message_id) ?? []), r]);
  const statuses = [...byMessage].flatMap(([messageId, events]) => {
    const derived = deriveStatus(events.map(factsOf));
    if (!derived) return [];
    return [
      {
        message_id: messageId,
        status: derived.status,
        detail: derived.detail,
        status_at: derived.at,
        event_id: derived.eventId,
        match: events.some((e) => e.match === 'id') ? 'id' : 'address',
        event_count: events.length,
      },
    ];
  });
  if (statuses.length === 0) return;
  await tx.execute(
    sql`INSERT INTO delivery_status (message_id, status, detail, status_at, event_id, match, event_count, updated_at)
        SELECT message_id, status, detail, status_at, event_id, match, event_count, now()
        FROM jsonb_to_recordset(${JSON.stringify(statuses)}::jsonb)
          AS s(message_id text, status text, detail text, status_at timestamptz, event_id text, match text, event_count int)
        ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, detail = excluded.detail,
          status_at = excluded.status_at, event_id = excluded.event_id, match = excluded.match,
          event_count = excluded.event_count, updated_at = now()`,
  );
}

/** Links up to BATCH stored-but-unlinked events to their messages. Returns how many it took. */
async function correlateBatch(db: Db): Promise<number> {
  const pending = await queryRows<PendingRow>(
    db,
    sql`SELECT event_id, type, occurred_at, sendmux_message_id, sender, recipients FROM delivery_events
        WHERE correlated_at IS NULL ORDER BY received_at LIMIT ${BATCH}`,
  );
  if (pending.length === 0) return 0;
  const links: Link[] = [];
  for (const e of pending) links.push(await linkOf(db, e));
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${CORRELATE_LOCK_ID})`);
    // The ANY(…) names the rows by primary key: joined on the recordset alone, the planner guesses
    // 100 rows for it and scans the whole table, which grows with every event ever received.
    const json = JSON.stringify(links);
    await tx.execute(
      sql`UPDATE delivery_events d SET message_id = l.message_id, match = l.match, correlated_at = now()
          FROM jsonb_to_recordset(${json}::jsonb) AS l(event_id text, message_id text, match text)
          WHERE d.event_id = l.event_id
            AND d.event_id = ANY(ARRAY(SELECT jsonb_array_elements(${json}::jsonb) ->> 'event_id'))`,
    );
    const ids = [...new Set(links.flatMap((l) => (l.message_id ? [l.message_id] : [])))];
    await rewriteStatuses(tx, ids);
  });
  return pending.length;
}

/** Correlates until nothing is left. Returns how many events it linked. */
export async function correlatePending(): Promise<number> {
  const db = await getDb();
  let total = 0;
  for (;;) {
    const n = await correlateBatch(db);
    total += n;
    if (n < BATCH) return total;
  }
}

type Runner = { running: boolean; again: boolean; idle: Promise<void> };
const globalForCorrelation = globalThis as typeof globalThis & { __sendmuxCorrelation?: Runner };
const runner = () =>
  (globalForCorrelation.__sendmuxCorrelation ??= { running: false, again: false, idle: Promise.resolve() });

/**
 * Runs correlation soon, after the receiver has answered: stored events wait in the table (the
 * partial index on correlated_at), so nothing is lost if the process stops first; start-up runs
 * this again for whatever was left.
 */
export function scheduleCorrelation(): void {
  const r = runner();
  if (r.running) {
    r.again = true;
    return;
  }
  r.running = true;
  r.idle = (async () => {
    try {
      do {
        r.again = false;
        // A short pause gathers the events of a burst into one batch: fewer, larger
        // transactions, so correlation takes less of the database from the receiver's inserts.
        await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
        await correlatePending();
      } while (r.again);
    } catch (err) {
      console.error(
        '[sendmux-console] Correlating delivery events failed:',
        err instanceof Error ? err.message : err,
      );
    } finally {
      r.running = false;
    }
  })();
}

/** Resolves when the scheduled correlation (if any) has finished: for tests and the benchmark. */
export function correlationIdle(): Promise<void> {
  return runner().idle;
}

const globalForSweep = globalThis as typeof globalThis & {
  __sendmuxCorrelationTimer?: ReturnType<typeof setInterval>;
};

/** At start-up and then every minute: events stored by a process that stopped before linking them. */
export function startDeliveryCorrelation(intervalMs = 60_000): void {
  if (globalForSweep.__sendmuxCorrelationTimer) return;
  const timer = setInterval(scheduleCorrelation, intervalMs);
  timer.unref();
  globalForSweep.__sendmuxCorrelationTimer = timer;
  scheduleCorrelation();
}
