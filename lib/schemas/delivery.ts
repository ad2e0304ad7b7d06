import { z } from 'zod';

/** Inbound mail events: the console sends, it does not receive, so these are answered and dropped. */
export const IGNORED_EVENT_TYPES = ['message.received', 'message.received.spam'] as const;

const nullableText = z.string().max(2000).nullish();

/**
 * The part of WebhookEventPayload the console relies on. Lenient about what it does not read (a
 * field Sendmux adds later must not turn events into 400s), strict about what it stores.
 */
export const webhookEventSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  team_public_id: z.string().max(200).nullish(),
  occurred_at: z
    .string()
    .max(64)
    .refine((v) => Number.isFinite(Date.parse(v)), 'occurred_at must be an ISO 8601 time'),
  data: z.object({
    sendmux_message_id: nullableText,
    message_id: nullableText,
    message_id_kind: nullableText,
    sender: nullableText,
    recipients: z.array(z.string().max(320)).max(1000).default([]),
    bounce_type: nullableText,
    bounce_subtype: nullableText,
    complaint_type: nullableText,
    complaint_subtype: nullableText,
    reject_reason: nullableText,
    delay_type: nullableText,
    delay_expires_at: nullableText,
    webhook_id: nullableText,
  }),
});

export type WebhookEvent = z.output<typeof webhookEventSchema>;

/** The batch page's delivery filter, and the Compose status poll. */
export const deliveryOutcomeSchema = z.enum([
  'delivered',
  'bounced',
  'complained',
  'rejected',
  'delayed',
  'none',
]);

export const messageIdListSchema = z
  .array(z.string().regex(/^eml_[A-Za-z0-9]{1,64}$/))
  .min(1)
  .max(100);

/** Addresses whose bounce/complaint history preflight asks for, a slice of the CSV at a time. */
export const addressListSchema = z.object({
  addresses: z.array(z.string().trim().toLowerCase().max(254)).min(1).max(1000),
});

/** "Check Sendmux delivery logs": one message (its eml_ id) of one request-log entry. */
export const deliveryLogsLookupSchema = z.object({
  logId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  messageId: z.string().regex(/^eml_[A-Za-z0-9]{1,64}$/, 'A Sendmux message id (eml_…)'),
});
