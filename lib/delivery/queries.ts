import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb, queryRows } from '@/lib/db';
import { factsOf, OCCURRED_ISO } from '@/lib/delivery/correlate';
import {
  eventDetail,
  inOccurrenceOrder,
  type AddressWarning,
  type DeliveryStatus,
} from '@/lib/delivery-status/status';

export type MessageDelivery = {
  messageId: string;
  status: DeliveryStatus;
  detail: string;
  /** ISO 8601: when the deciding event happened. */
  at: string;
  eventId: string;
  match: 'id' | 'address';
};

const jsonList = (values: string[]) => JSON.stringify(values);

/** The current status of each message that has one (messages without events are left out). */
export async function deliveryStatuses(messageIds: string[]): Promise<Map<string, MessageDelivery>> {
  const out = new Map<string, MessageDelivery>();
  if (messageIds.length === 0) return out;
  const rows = await queryRows<{
    message_id: string;
    status: DeliveryStatus;
    detail: string;
    at: string;
    event_id: string;
    match: 'id' | 'address';
  }>(
    await getDb(),
    sql`SELECT message_id, status, detail, to_char(status_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
          event_id, match
        FROM delivery_status WHERE message_id IN (SELECT jsonb_array_elements_text(${jsonList(messageIds)}::jsonb))`,
  );
  for (const r of rows)
    out.set(r.message_id, {
      messageId: r.message_id,
      status: r.status,
      detail: r.detail,
      at: r.at,
      eventId: r.event_id,
      match: r.match,
    });
  return out;
}

export type TimelineEvent = {
  eventId: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  detail: string;
  recipients: string[];
  providerMessageId: string | null;
  match: 'id' | 'address';
  deliveryAttempt: number | null;
};

/** Every event of these messages, each message's list in occurred_at order. */
export async function deliveryTimelines(messageIds: string[]): Promise<Map<string, TimelineEvent[]>> {
  const out = new Map<string, TimelineEvent[]>();
  if (messageIds.length === 0) return out;
  type Row = Parameters<typeof factsOf>[0] & {
    message_id: string;
    received_iso: string;
    recipients: string[];
    provider_message_id: string | null;
    match: 'id' | 'address';
    delivery_attempt: number | null;
  };
  const rows = await queryRows<Row>(
    await getDb(),
    sql`SELECT message_id, event_id, type, ${OCCURRED_ISO},
          to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received_iso,
          recipients, provider_message_id, match, delivery_attempt, bounce_type, bounce_subtype, complaint_type,
          complaint_subtype, reject_reason, delay_type, delay_expires_at
        FROM delivery_events WHERE message_id IN (SELECT jsonb_array_elements_text(${jsonList(messageIds)}::jsonb))
        LIMIT 5000`,
  );
  for (const r of rows) {
    const list = out.get(r.message_id) ?? [];
    list.push({
      ...factsOf(r),
      eventId: r.event_id,
      receivedAt: r.received_iso,
      detail: eventDetail(factsOf(r)),
      recipients: r.recipients,
      providerMessageId: r.provider_message_id,
      match: r.match,
      deliveryAttempt: r.delivery_attempt,
    } as TimelineEvent);
    out.set(r.message_id, list);
  }
  for (const [id, list] of out) out.set(id, inOccurrenceOrder(list));
  return out;
}

/**
 * The latest Permanent bounce or complaint for each of these addresses (others are left out), for
 * the warnings in Compose and preflight.
 */
export async function addressWarnings(addresses: string[]): Promise<AddressWarning[]> {
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length === 0) return [];
  type Row = Parameters<typeof factsOf>[0] & { address: string };
  const rows = await queryRows<Row>(
    await getDb(),
    sql`SELECT DISTINCT ON (a.address) a.address, e.event_id, e.type, ${OCCURRED_ISO}, e.bounce_type, e.bounce_subtype,
          e.complaint_type, e.complaint_subtype, e.reject_reason, e.delay_type, e.delay_expires_at
        FROM jsonb_array_elements_text(${jsonList(wanted)}::jsonb) AS a(address)
        JOIN LATERAL (
          SELECT * FROM delivery_events d
          WHERE d.recipients @> ARRAY[a.address]::text[]
            AND (d.type = 'message.complained' OR (d.type = 'message.bounced' AND d.bounce_type = 'Permanent'))
          ORDER BY d.occurred_at DESC LIMIT 1
        ) e ON true
        ORDER BY a.address`,
  );
  return rows.map((r) => ({
    address: r.address,
    kind: r.type === 'message.complained' ? 'complained' : 'bounced',
    detail: eventDetail(factsOf(r)),
    occurredAt: r.occurred_iso,
    eventId: r.event_id,
  }));
}

/** For a search: the eml_ ids an evt_ id or a provider message id is about. */
export async function messageIdsForEvent(value: string): Promise<string[]> {
  const rows = await queryRows<{ message_id: string }>(
    await getDb(),
    sql`SELECT DISTINCT message_id FROM delivery_events
        WHERE (event_id = ${value} OR provider_message_id = ${value}) AND message_id IS NOT NULL LIMIT 100`,
  );
  return rows.map((r) => r.message_id);
}

export type WebhookOverview = {
  lastEvent: { eventId: string; type: string; receivedAt: string; occurredAt: string } | null;
  eventCount: number;
  unmatchedCount: number;
};

export async function webhookOverview(): Promise<WebhookOverview> {
  const db = await getDb();
  const [last] = await queryRows<{
    event_id: string;
    type: string;
    received_iso: string;
    occurred_iso: string;
  }>(
    db,
    sql`SELECT event_id, type, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received_iso,
          ${OCCURRED_ISO} FROM delivery_events ORDER BY received_at DESC LIMIT 1`,
  );
  const [counts] = await queryRows<{ n: number; unmatched: number }>(
    db,
    sql`SELECT count(*)::int AS n,
          count(*) FILTER (WHERE match = 'none' AND type <> 'sendmux.test')::int AS unmatched
        FROM delivery_events`,
  );
  return {
    lastEvent: last
      ? {
          eventId: last.event_id,
          type: last.type,
          receivedAt: last.received_iso,
          occurredAt: last.occurred_iso,
        }
      : null,
    eventCount: counts?.n ?? 0,
    unmatchedCount: counts?.unmatched ?? 0,
  };
}
