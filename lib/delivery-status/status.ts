// A message's delivery status, derived from its webhook events. Client-safe: Compose, the request
// detail, the batch page and the results CSV all read the status through this one function.

export const DELIVERY_STATUSES = ['delivered', 'bounced', 'complained', 'rejected', 'delayed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** What the batch page filters and counts by: a status, or no event yet. */
export const DELIVERY_OUTCOMES = [...DELIVERY_STATUSES, 'none'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export const OUTCOME_LABEL: Record<DeliveryOutcome, string> = {
  delivered: 'Delivered',
  bounced: 'Bounced',
  complained: 'Complained',
  rejected: 'Rejected',
  delayed: 'Delayed',
  none: 'No event yet',
};

/** Event types that say something about an outbound message. */
export const STATUS_OF_TYPE: Record<string, DeliveryStatus> = {
  'message.delivered': 'delivered',
  'message.bounced': 'bounced',
  'message.complained': 'complained',
  'message.rejected': 'rejected',
  'message.delivery_delayed': 'delayed',
};

export type DeliveryEventFacts = {
  eventId: string;
  type: string;
  /** ISO 8601. */
  occurredAt: string;
  bounceType?: string | null;
  bounceSubtype?: string | null;
  complaintType?: string | null;
  complaintSubtype?: string | null;
  rejectReason?: string | null;
  delayType?: string | null;
  delayExpiresAt?: string | null;
};

export type DerivedStatus = {
  status: DeliveryStatus;
  detail: string;
  /** occurred_at of the event that decided it. */
  at: string;
  eventId: string;
};

// Same instant: the later stage of a message's life wins (a delay, then the delivery, then a complaint).
const RANK: Record<DeliveryStatus, number> = {
  delayed: 0,
  delivered: 1,
  rejected: 2,
  bounced: 2,
  complained: 3,
};

const joinDefined = (parts: (string | null | undefined)[], sep = ' · ') =>
  parts.filter((p): p is string => typeof p === 'string' && p !== '').join(sep);

/** One line saying why: "Permanent bounce (General)", "Complaint: abuse", the reject reason… */
export function eventDetail(e: DeliveryEventFacts): string {
  switch (STATUS_OF_TYPE[e.type]) {
    case 'bounced':
      return `${e.bounceType ?? 'Undetermined'} bounce${e.bounceSubtype ? ` (${e.bounceSubtype})` : ''}`;
    case 'complained':
      return joinDefined(
        ['Complaint', joinDefined([e.complaintType, e.complaintSubtype], ' / ') || null],
        ': ',
      );
    case 'rejected':
      return e.rejectReason ? `Rejected: ${e.rejectReason}` : 'Rejected';
    case 'delayed':
      return joinDefined([
        e.delayType ? `Delayed: ${e.delayType}` : 'Delayed',
        e.delayExpiresAt ? `retries until ${e.delayExpiresAt}` : null,
      ]);
    case 'delivered':
      return 'Delivered to the receiving server';
    default:
      return '';
  }
}

/** Events of one message in the order they happened (never arrival order); ties by stage, then id. */
export function inOccurrenceOrder<E extends DeliveryEventFacts>(events: readonly E[]): E[] {
  const time = (e: E) => Date.parse(e.occurredAt);
  const rank = (e: E) => RANK[STATUS_OF_TYPE[e.type] ?? 'delayed'];
  return [...events].sort(
    (a, b) => time(a) - time(b) || rank(a) - rank(b) || a.eventId.localeCompare(b.eventId),
  );
}

/**
 * The message's status now: the last event by occurred_at, except that a delay reported after a
 * final outcome (a retry's late delay notice) does not turn a delivered or bounced message back
 * into "delayed". Undefined when no event is about the outbound message.
 */
export function deriveStatus(events: readonly DeliveryEventFacts[]): DerivedStatus | undefined {
  let current: DerivedStatus | undefined;
  for (const e of inOccurrenceOrder(events)) {
    const status = STATUS_OF_TYPE[e.type];
    if (!status) continue;
    if (status === 'delayed' && current && current.status !== 'delayed') continue;
    current = { status, detail: eventDetail(e), at: e.occurredAt, eventId: e.eventId };
  }
  return current;
}

/** A bounce or complaint that later mail to the address should be warned about. */
export function isSuppressionWorthy(e: Pick<DeliveryEventFacts, 'type' | 'bounceType'>): boolean {
  return e.type === 'message.complained' || (e.type === 'message.bounced' && e.bounceType === 'Permanent');
}

/** An address with a Permanent bounce or a complaint on record: Compose and preflight warn before sending to it. */
export type AddressWarning = {
  address: string;
  kind: 'bounced' | 'complained';
  detail: string;
  /** ISO 8601: when it happened. */
  occurredAt: string;
  eventId: string;
};

/** Where a warning's "see the event" link goes: the request entry of the message, at the event. */
export const eventHref = (eventId: string) => `/requests/${encodeURIComponent(eventId)}`;

const WARNINGS_SLICE = 1000;

/**
 * The warnings for these addresses, asked of the console a slice at a time (so a 100,000-row CSV
 * never sends the whole list at once, and the console never sends the whole history back).
 */
export async function fetchAddressWarnings(
  addresses: readonly string[],
  signal?: AbortSignal,
): Promise<AddressWarning[]> {
  const unique = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@')))];
  const out: AddressWarning[] = [];
  for (let i = 0; i < unique.length; i += WARNINGS_SLICE) {
    const res = await fetch('/api/delivery/warnings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ addresses: unique.slice(i, i + WARNINGS_SLICE) }),
      signal,
    });
    if (!res.ok) throw new Error(`The console answered ${res.status}`);
    out.push(...((await res.json()) as { warnings: AddressWarning[] }).warnings);
  }
  return out;
}
