import 'server-only';
import type { ErrorCode } from '@/lib/sandbox/catalog';

/** An SMTP reply: the basic code, and the text after it (enhanced status code first). */
export type SmtpReply = { code: number; text: string };

/**
 * What the SMTP side answers where the HTTP side answers an error code. Permanent refusals are
 * 5xx, conditions that pass are 4xx (the client keeps the message and tries later), as a relay
 * would. Sendmux's own SMTP answers its daily cap with 550 5.7.1.
 */
export const SMTP_REPLY_FOR: Record<ErrorCode, SmtpReply> = {
  invalid_parameter: { code: 554, text: '5.6.0 The message has an invalid value' },
  missing_parameter: { code: 554, text: '5.6.0 The message lacks a required part' },
  validation_error: { code: 554, text: '5.6.0 The message failed validation' },
  authentication_required: { code: 535, text: '5.7.8 Authentication credentials invalid' },
  insufficient_credits: { code: 552, text: '5.7.0 Insufficient credits: the team balance is too low' },
  insufficient_permissions: {
    code: 550,
    text: '5.7.1 Sender not allowed: this key may not send for this sender, or the mailbox is inactive',
  },
  billing_restricted: { code: 554, text: '5.7.0 The team is read-only or terminated' },
  not_found: { code: 550, text: '5.1.0 Sender mailbox or domain not found' },
  idempotency_conflict: { code: 451, text: '4.3.0 A message with this content is still being processed' },
  payload_too_large: { code: 552, text: '5.3.4 Message too big' },
  rate_limit_exceeded: { code: 451, text: '4.7.1 Rate limit exceeded, try again later' },
  daily_limit_exceeded: { code: 550, text: '5.7.1 Daily sending limit reached' },
  internal_error: { code: 451, text: '4.3.0 Internal error, try again later' },
  no_active_providers: { code: 451, text: '4.3.2 No active sending account serves this key' },
  service_unavailable: { code: 451, text: '4.3.2 Service temporarily unavailable, try again later' },
};

/** An Error smtp-server turns into the reply (`err.responseCode` and `err.message`). */
export function smtpError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.text), { responseCode: reply.code });
}

/** The reply for a scenario's error code, naming the address that asked for it. */
export function scenarioReply(code: ErrorCode, address: string): SmtpReply {
  const reply = SMTP_REPLY_FOR[code];
  return { code: reply.code, text: `${reply.text} (sandbox scenario ${address})` };
}
