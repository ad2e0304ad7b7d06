import 'server-only';
import { sql } from 'drizzle-orm';
import { recordAudit } from '@/lib/auth/audit';
import { getDb, queryRows, tables } from '@/lib/db';
import { webhookSecrets } from '@/lib/delivery/secrets';
import { SIGNATURE_HEADER, verifySignature } from '@/lib/delivery/signature';
import { scheduleCorrelation } from '@/lib/delivery/correlate';
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
  const db = await getDb();
  const inserted = await db
    .insert(tables.deliveryEvents)
    .values({
      eventId: e.id,
      type: e.type,
      occurredAt: new Date(e.occurred_at),
      deliveryAttempt: Number.isInteger(attempt) && attempt > 0 && attempt < 1_000_000 ? attempt : null,
      teamPublicId: e.team_public_id ?? null,
      sendmuxMessageId: d.sendmux_message_id ?? null,
      providerMessageId: d.message_id ?? null,
      messageIdKind: d.message_id_kind ?? null,
      sender: d.sender?.toLowerCase() ?? null,
      recipients: [...new Set(d.recipients.map((r) => r.trim().toLowerCase()))],
      bounceType: d.bounce_type ?? null,
      bounceSubtype: d.bounce_subtype ?? null,
      complaintType: d.complaint_type ?? null,
      complaintSubtype: d.complaint_subtype ?? null,
      rejectReason: d.reject_reason ?? null,
      delayType: d.delay_type ?? null,
      delayExpiresAt: d.delay_expires_at ?? null,
      payload: e as unknown as Record<string, unknown>,
    })
    .onConflictDoNothing({ target: tables.deliveryEvents.eventId })
    .returning({ eventId: tables.deliveryEvents.eventId });
  if (inserted.length === 0) return { kind: 'duplicate', eventId: e.id };
  scheduleCorrelation();
  return { kind: 'stored', eventId: e.id };
}

export async function rejectedSignatureCount(): Promise<number> {
  const [row] = await queryRows<{ value: string }>(
    await getDb(),
    sql`SELECT value FROM app_settings WHERE key = ${REJECTED_KEY}`,
  );
  return Number(row?.value ?? 0);
}
