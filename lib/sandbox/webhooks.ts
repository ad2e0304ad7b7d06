import 'server-only';
// Why one long file: the sandbox's delivery-event dispatcher is one outbox loop — scenario →
// events → signed POST → retry schedule → attempt record — and reads in that order.
import { desc, sql } from 'drizzle-orm';
import { queryRows } from '@/lib/db';
import { sandboxWebhookDeliveries as deliveries } from '@/lib/db/schema';
import { createHmac } from 'node:crypto';
import { getEnv, WEBHOOK_PATH } from '@/lib/env';
import { randomId } from '@/lib/sandbox/ids';
import { getSandboxWebhookSecret } from '@/lib/sandbox/key';
import { sandboxDb, type Executor } from '@/lib/sandbox/store';

// The sandbox's half of "after the send": for every message it accepts it posts signed
// WebhookEventPayload bodies to the console's own receiver, over real HTTP, retrying non-2xx
// answers, and records every attempt for the Sandbox page. It shares no code with the receiver:
// it signs the way the contract says Sendmux does, and the receiver has to agree.

export type DeliveryScenario =
  'delivered' | 'bounce' | 'softbounce' | 'complaint' | 'reject' | 'dupe-events' | 'noid';

export const DELIVERY_SCENARIOS: readonly {
  name: string;
  pattern: string;
  effect: string;
  example: string;
}[] = [
  {
    name: 'Delivered (default)',
    pattern: '<any other address>',
    effect: 'About a second after the send, message.delivered is posted to the console’s webhook receiver.',
    example: 'ada@example.com',
  },
  {
    name: 'Bounce',
    pattern: 'bounce+…@<any domain>',
    effect: 'message.bounced with bounce_type Permanent (General): later sends to the address are flagged.',
    example: 'bounce+ada@example.com',
  },
  {
    name: 'Soft bounce',
    pattern: 'softbounce+…@<any domain>',
    effect: 'message.delivery_delayed (MailboxFull), then message.delivered two seconds later.',
    example: 'softbounce+ada@example.com',
  },
  {
    name: 'Complaint',
    pattern: 'complaint+…@<any domain>',
    effect: 'message.delivered, then message.complained (abuse) a second later.',
    example: 'complaint+ada@example.com',
  },
  {
    name: 'Reject',
    pattern: 'reject+…@<any domain>',
    effect: 'message.rejected with reject_reason "Bad content (sandbox scenario)".',
    example: 'reject+ada@example.com',
  },
  {
    name: 'Duplicate events',
    pattern: 'dupe-events+…@<any domain>',
    effect:
      'A delay and then a delivery, each posted twice and out of order (the delivery first): the console must store each once and still show delivered.',
    example: 'dupe-events+ada@example.com',
  },
  {
    name: 'No message id',
    pattern: 'noid+…@<any domain>',
    effect:
      'message.delivered with sendmux_message_id null, as Sendmux sends when it lacks the id: the console matches it by recipient, sender and time.',
    example: 'noid+ada@example.com',
  },
];

const KEYWORDS: Record<string, DeliveryScenario> = {
  bounce: 'bounce',
  softbounce: 'softbounce',
  complaint: 'complaint',
  reject: 'reject',
  'dupe-events': 'dupe-events',
  noid: 'noid',
};

export function deliveryScenarioOf(email: string): DeliveryScenario | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  return KEYWORDS[email.slice(0, at).toLowerCase().split('+')[0] ?? ''];
}

type Addr = { email: string };
export type AcceptedMessage = {
  id: string;
  from: Addr;
  to: Addr;
  cc?: Addr[];
  bcc?: Addr[];
  return_path?: string;
};

export type PlannedEvent = {
  eventId: string;
  type: string;
  messageId: string | null;
  /** Milliseconds after acceptance: when it happened, and when each copy is posted. */
  occursAfterMs: number;
  postAfterMs: number[];
  payload: WebhookEventPayload;
};

export type WebhookEventPayload = {
  id: string;
  type: string;
  team_public_id: string;
  occurred_at: string;
  data: {
    bounce_subtype: string | null;
    bounce_type: 'Permanent' | 'Transient' | 'Undetermined' | null;
    complaint_subtype: string | null;
    complaint_type: string | null;
    delay_expires_at: string | null;
    delay_type: string | null;
    is_spam: boolean | null;
    mailbox_id: string | null;
    message_id: string | null;
    message_id_kind: 'provider' | 'rfc5322' | null;
    recipients: string[];
    reject_reason: string | null;
    sender: string | null;
    sendmux_message_id: string | null;
    webhook_id: string | null;
  };
};

export const SANDBOX_TEAM_ID = 'team_sandbox000000000000000000';
export const SANDBOX_WEBHOOK_ID = 'whk_sandbox000000000000000000';

const emptyData = (): WebhookEventPayload['data'] => ({
  bounce_subtype: null,
  bounce_type: null,
  complaint_subtype: null,
  complaint_type: null,
  delay_expires_at: null,
  delay_type: null,
  is_spam: null,
  mailbox_id: null,
  message_id: null,
  message_id_kind: null,
  recipients: [],
  reject_reason: null,
  sender: null,
  sendmux_message_id: null,
  webhook_id: null,
});

/** The provider's id for a sandbox message (Sendmux reports its provider's, not the eml_ id). */
export const providerMessageId = (messageId: string) => `${messageId.slice(4)}@sandbox.sendmux.invalid`;

/** The events a message will produce, by the first scenario address among to, cc and bcc. */
export function planEvents(message: AcceptedMessage, acceptedAt: Date): PlannedEvent[] {
  const all = [message.to, ...(message.cc ?? []), ...(message.bcc ?? [])].map((a) => a.email.toLowerCase());
  let scenario: DeliveryScenario = 'delivered';
  let address = all[0] ?? '';
  for (const a of all) {
    const s = deliveryScenarioOf(a);
    if (s) {
      scenario = s;
      address = a;
      break;
    }
  }
  const event = (
    type: string,
    occursAfterMs: number,
    postAfterMs: number[],
    data: Partial<WebhookEventPayload['data']> = {},
  ): PlannedEvent => {
    const eventId = randomId('evt_');
    return {
      eventId,
      type,
      messageId: message.id,
      occursAfterMs,
      postAfterMs,
      payload: {
        id: eventId,
        type,
        team_public_id: SANDBOX_TEAM_ID,
        occurred_at: new Date(acceptedAt.getTime() + occursAfterMs).toISOString(),
        data: {
          ...emptyData(),
          message_id: providerMessageId(message.id),
          message_id_kind: 'provider',
          sendmux_message_id: message.id,
          sender: (message.return_path ?? message.from.email).toLowerCase(),
          recipients: all,
          ...data,
        },
      },
    };
  };
  switch (scenario) {
    case 'bounce':
      return [
        event('message.bounced', 1000, [1000], {
          recipients: [address],
          bounce_type: 'Permanent',
          bounce_subtype: 'General',
        }),
      ];
    case 'softbounce': {
      const expires = new Date(acceptedAt.getTime() + 86_400_000).toISOString();
      return [
        event('message.delivery_delayed', 1000, [1000], {
          recipients: [address],
          delay_type: 'MailboxFull',
          delay_expires_at: expires,
        }),
        event('message.delivered', 3000, [3000]),
      ];
    }
    case 'complaint':
      return [
        event('message.delivered', 1000, [1000]),
        event('message.complained', 2000, [2000], { recipients: [address], complaint_type: 'abuse' }),
      ];
    case 'reject':
      return [
        event('message.rejected', 1000, [1000], {
          recipients: [address],
          reject_reason: 'Bad content (sandbox scenario)',
        }),
      ];
    case 'dupe-events':
      // The delivery is posted first, then the earlier delay, then both again.
      return [
        event('message.delivery_delayed', 1000, [1600, 2400], {
          recipients: [address],
          delay_type: 'General',
        }),
        event('message.delivered', 2000, [1000, 2000]),
      ];
    case 'noid':
      return [event('message.delivered', 1000, [1000], { sendmux_message_id: null })];
    default:
      return [event('message.delivered', 1000, [1000])];
  }
}

/** The synthetic sendmux.test event of "Send test event". */
export function testEvent(now = new Date()): WebhookEventPayload {
  return {
    id: randomId('evt_'),
    type: 'sendmux.test',
    team_public_id: SANDBOX_TEAM_ID,
    occurred_at: now.toISOString(),
    data: { ...emptyData(), webhook_id: SANDBOX_WEBHOOK_ID },
  };
}

/** Queues a message's events in the transaction that accepts it, so an accepted message always gets them. */
export async function queueMessageEvents(db: Executor, messages: AcceptedMessage[], acceptedAt = new Date()) {
  const rows = messages.flatMap((m) =>
    planEvents(m, acceptedAt).flatMap((e) => {
      const body = JSON.stringify(e.payload);
      return e.postAfterMs.map((after) => ({
        eventId: e.eventId,
        type: e.type,
        messageId: e.messageId,
        body,
        state: 'pending' as const,
        dueAt: new Date(acceptedAt.getTime() + after),
      }));
    }),
  );
  if (rows.length > 0) await db.insert(deliveries).values(rows);
  return rows.length;
}

export async function queueTestEvent(): Promise<string> {
  const payload = testEvent();
  const db = await sandboxDb();
  await db.insert(deliveries).values({
    eventId: payload.id,
    type: payload.type,
    messageId: null,
    body: JSON.stringify(payload),
    state: 'pending',
    dueAt: new Date(),
  });
  wakeWebhookDispatcher();
  return payload.id;
}

// ---------------------------------------------------------------------------------------------
// The dispatcher
// ---------------------------------------------------------------------------------------------

export const MAX_ATTEMPTS = 8;
const CLAIM = 100;
/**
 * Posts in flight at once, as Sendmux's own delivery workers post in parallel. The events of one
 * message still go out one after another, in order.
 */
export const POST_CONCURRENCY = 8;
const POST_TIMEOUT_MS = 10_000;
/** A claimed post not finished by then is posted again (the process may have stopped mid-way). */
const LEASE_MS = 60_000;
const IDLE_POLL_MS = 5_000;

type Claimed = {
  id: number;
  event_id: string;
  message_id: string | null;
  type: string;
  body: string;
  attempts: number;
};
type DispatcherState = {
  started: boolean;
  timer?: ReturnType<typeof setTimeout>;
  running: boolean;
  again: boolean;
};
const globalForDispatch = globalThis as typeof globalThis & { __sendmuxSandboxWebhooks?: DispatcherState };
const state = () =>
  (globalForDispatch.__sendmuxSandboxWebhooks ??= { started: false, running: false, again: false });

/** Where the sandbox posts: this console's receiver over loopback (or the one interface HOST names). */
export function receiverUrl(): string {
  const env = getEnv();
  const host = env.sandboxSmtp.bindHost.includes(':')
    ? `[${env.sandboxSmtp.bindHost}]`
    : env.sandboxSmtp.bindHost;
  return `http://${host}:${env.port}${WEBHOOK_PATH}`;
}

/** Retry n (1-based) waits 2, 4, 8… seconds, at most a minute: Sendmux spreads its own over a day. */
export const retryDelayMs = (attempt: number) => Math.min(60_000, 1000 * 2 ** attempt);

async function postOne(row: Claimed, url: string, secret: string) {
  const attempt = row.attempts + 1;
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Sendmux-Sandbox-Webhooks/1',
        'x-sendmux-signature': `sha256=${createHmac('sha256', secret).update(row.body).digest('hex')}`,
        'x-sendmux-event-id': row.event_id,
        'x-sendmux-event-type': row.type,
        'x-sendmux-delivery-attempt': String(attempt),
      },
      body: row.body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    status = res.status;
    await res.arrayBuffer().catch(() => undefined);
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  const latency = Math.round(performance.now() - started);
  const ok = status !== null && status >= 200 && status < 300;
  const next = ok ? 'delivered' : attempt >= MAX_ATTEMPTS ? 'failed' : 'pending';
  const db = await sandboxDb();
  await db.execute(
    sql`UPDATE sandbox_webhook_deliveries SET attempts = ${attempt}, last_status = ${status}, last_error = ${error},
          last_latency_ms = ${latency}, last_attempt_at = now(), state = ${next},
          due_at = now() + (${ok ? 0 : retryDelayMs(attempt)} * interval '1 millisecond')
        WHERE id = ${row.id}`,
  );
}

/** Posts every due event once; returns how many it posted. */
export async function dispatchDue(): Promise<number> {
  const db = await sandboxDb();
  const url = receiverUrl();
  const secret = getSandboxWebhookSecret();
  let total = 0;
  for (;;) {
    const claimed = await queryRows<Claimed & { was_due: string; turn: number | string }>(
      db,
      // Fair turns: each request's earliest due event first, then each one's second, and so on. In
      // plain due order a Compose send's one event waited behind every event of a 1,000-message
      // batch accepted a moment before it (tens of seconds on a loaded 2-core machine).
      sql`WITH due AS (
            SELECT d.id, d.due_at,
              row_number() OVER (PARTITION BY coalesce(m.request_id, d.event_id) ORDER BY d.due_at, d.id) AS turn
            FROM sandbox_webhook_deliveries d LEFT JOIN sandbox_messages m ON m.id = d.message_id
            WHERE d.state = 'pending' AND d.due_at <= now()
          ), c AS (
            SELECT s.id, s.due_at, due.turn FROM sandbox_webhook_deliveries s JOIN due ON due.id = s.id
            WHERE s.state = 'pending' ORDER BY due.turn, s.due_at, s.id LIMIT ${CLAIM}
            FOR UPDATE OF s SKIP LOCKED
          )
          UPDATE sandbox_webhook_deliveries d SET due_at = now() + (${LEASE_MS} * interval '1 millisecond')
          FROM c WHERE d.id = c.id
          RETURNING d.id, d.event_id, d.message_id, d.type, d.body, d.attempts, c.turn,
            to_char(c.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS was_due`,
    );
    if (claimed.length === 0) return total;
    // In turn order, which is due order within a message: dupe-events relies on the order its posts go out in.
    claimed.sort(
      (a, b) =>
        Number(a.turn) - Number(b.turn) || a.was_due.localeCompare(b.was_due) || Number(a.id) - Number(b.id),
    );
    const byMessage = new Map<string, Claimed[]>();
    for (const row of claimed) {
      const key = row.message_id ?? row.event_id;
      byMessage.set(key, [...(byMessage.get(key) ?? []), row]);
    }
    const queue = [...byMessage.values()];
    const worker = async () => {
      for (let rows = queue.shift(); rows; rows = queue.shift())
        for (const row of rows) await postOne(row, url, secret);
    };
    await Promise.all(Array.from({ length: Math.min(POST_CONCURRENCY, queue.length) }, worker));
    total += claimed.length;
  }
}

async function nextDueInMs(): Promise<number | undefined> {
  const db = await sandboxDb();
  const [row] = await queryRows<{ ms: number | string | null }>(
    db,
    sql`SELECT (extract(epoch FROM (min(due_at) - now())) * 1000)::bigint AS ms
        FROM sandbox_webhook_deliveries WHERE state = 'pending'`,
  );
  return row?.ms === null || row?.ms === undefined ? undefined : Number(row.ms);
}

function schedule(ms: number) {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.timer = setTimeout(() => void run(), Math.max(0, Math.min(ms, IDLE_POLL_MS)));
  s.timer.unref();
}

async function run(): Promise<void> {
  const s = state();
  if (s.running) {
    s.again = true;
    return;
  }
  s.running = true;
  try {
    do {
      s.again = false;
      await dispatchDue();
    } while (s.again);
    schedule((await nextDueInMs()) ?? IDLE_POLL_MS);
  } catch (err) {
    console.error('sandbox: posting webhook events failed:', err instanceof Error ? err.message : err);
    schedule(IDLE_POLL_MS);
  } finally {
    s.running = false;
  }
}

/** Starts posting (from start-up, when the sandbox is served). */
export function startWebhookDispatcher(): void {
  const s = state();
  if (s.started) return;
  s.started = true;
  schedule(1000);
}

/** New events are due soon: look again at the next due time. A no-op until the dispatcher is started. */
export function wakeWebhookDispatcher(): void {
  if (state().started) schedule(100);
}

export type WebhookDeliveryRow = typeof deliveries.$inferSelect;

export async function listWebhookDeliveries(limit = 50): Promise<WebhookDeliveryRow[]> {
  const db = await sandboxDb();
  return db.select().from(deliveries).orderBy(desc(deliveries.createdAt), desc(deliveries.id)).limit(limit);
}

export async function webhookDeliveriesFor(messageId: string): Promise<WebhookDeliveryRow[]> {
  const db = await sandboxDb();
  return db
    .select()
    .from(deliveries)
    .where(sql`${deliveries.messageId} = ${messageId}`)
    .orderBy(deliveries.dueAt, deliveries.id);
}
