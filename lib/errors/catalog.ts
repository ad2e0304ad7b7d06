// Client-safe on purpose (no server-only, no node imports): pages explain codes from this table.
import { explainSmtpError, isSmtpErrorCode } from '@/lib/errors/smtp';

/** Codes Sendmux documents. Branch on these, never on the message text. */
export const UPSTREAM_ERROR_CODES = [
  'invalid_parameter',
  'missing_parameter',
  'authentication_required',
  'insufficient_credits',
  'insufficient_permissions',
  'billing_restricted',
  'not_found',
  'idempotency_conflict',
  'payload_too_large',
  'validation_error',
  'rate_limit_exceeded',
  'daily_limit_exceeded',
  'internal_error',
  'no_active_providers',
  'service_unavailable',
] as const;

/** Codes the console's own client produces when no usable Sendmux answer exists. */
export const CLIENT_ERROR_CODES = ['network_error', 'timeout', 'invalid_response', 'unknown_error'] as const;

export const ERROR_CODES = [...UPSTREAM_ERROR_CODES, ...CLIENT_ERROR_CODES] as const;

export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODES)[number];
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
export type SendmuxErrorCode = (typeof ERROR_CODES)[number];

/** yes: repeating can succeed; later: only once something changes (time passes, an account is activated); no: repeating the same request fails the same way. */
export type RetryAdvice = 'yes' | 'no' | 'later';

export type ErrorExplanation = {
  code: string;
  /** False for codes outside this table; the entry is then generic. */
  known: boolean;
  origin: 'sendmux' | 'client';
  /** The HTTP status Sendmux uses for the code; null for client codes and unknown codes. */
  httpStatus: number | null;
  title: string;
  meaning: string;
  action: string;
  retry: RetryAdvice;
  retryNote: string;
};

type Entry = Omit<ErrorExplanation, 'code' | 'known' | 'origin'>;

const UPSTREAM: Record<UpstreamErrorCode, Entry> = {
  invalid_parameter: {
    httpStatus: 400,
    title: 'Invalid parameter',
    meaning: 'The request was malformed or one of its values is not acceptable.',
    action: 'Fix the field named in the error (param or the field list) and send again.',
    retry: 'no',
    retryNote: 'Sending the same request again fails the same way; change it first.',
  },
  missing_parameter: {
    httpStatus: 400,
    title: 'Missing parameter',
    meaning: 'A required field was not in the request.',
    action: 'Fill in the field named in the error and send again.',
    retry: 'no',
    retryNote: 'Sending the same request again fails the same way; add the missing field first.',
  },
  authentication_required: {
    httpStatus: 401,
    title: 'Key not accepted',
    meaning: 'The API key is missing, invalid, expired or revoked.',
    action:
      'Check the key configured for this profile in the Sendmux dashboard and replace it if it was revoked or expired.',
    retry: 'no',
    retryNote: 'No retry helps until the key is fixed.',
  },
  insufficient_credits: {
    httpStatus: 402,
    title: 'Not enough credits',
    meaning: "The team's balance is too low for this email or the whole batch.",
    action: 'Top up credits in the Sendmux dashboard, or send fewer messages at once.',
    retry: 'no',
    retryNote: 'Retrying fails until credits are added.',
  },
  insufficient_permissions: {
    httpStatus: 403,
    title: 'Not allowed for this key',
    meaning:
      'The key lacks the email.send permission, the sender address is not authorised for this key, or the mailbox is inactive.',
    action:
      'Use a sender address this key may send from, or give the key email.send / activate the mailbox in the Sendmux dashboard.',
    retry: 'no',
    retryNote: 'No retry helps until the key or the sender is changed.',
  },
  billing_restricted: {
    httpStatus: 403,
    title: 'Account restricted',
    meaning: 'The Sendmux team is read-only or terminated, so it cannot send.',
    action: 'Resolve the billing issue with Sendmux (dashboard or support).',
    retry: 'no',
    retryNote: 'No retry helps until the account is restored.',
  },
  not_found: {
    httpStatus: 404,
    title: 'Not found',
    meaning:
      'Something the request refers to does not exist: the sender mailbox or domain, or an uploaded attachment (uploads expire).',
    action: 'Check the sender address; re-upload attachments that may have expired, then send again.',
    retry: 'no',
    retryNote: 'Sending the same request again fails the same way.',
  },
  idempotency_conflict: {
    httpStatus: 409,
    title: 'Idempotency key conflict',
    meaning:
      'The Idempotency-Key was already used: either with a different request body, or by a request that is still being processed.',
    action:
      'If the message changed, send it as a new action (a new key). If the first request may still be running, wait a moment and retry with the same key.',
    retry: 'later',
    retryNote:
      'A retry with the same key helps only when the first request was still in flight; a changed message needs a new key.',
  },
  payload_too_large: {
    httpStatus: 413,
    title: 'Too large',
    meaning:
      'The request body, an upload or the final message is over the size limit (25 MB per request, 18 MiB per upload).',
    action:
      'Make the message smaller: shrink or remove attachments, or upload large files first and reference them.',
    retry: 'no',
    retryNote: 'Sending the same request again fails the same way.',
  },
  validation_error: {
    httpStatus: 422,
    title: 'Validation failed',
    meaning: 'The request did not pass validation; the field list says which fields and why.',
    action: 'Correct the listed fields and send again.',
    retry: 'no',
    retryNote: 'Sending the same request again fails the same way.',
  },
  rate_limit_exceeded: {
    httpStatus: 429,
    title: 'Rate limit reached',
    meaning: 'Too many requests with this key in the last minute (1,800 per 60 s).',
    action: 'Wait the time given by Retry-After, then send again.',
    retry: 'yes',
    retryNote: 'Retrying after the Retry-After delay succeeds.',
  },
  daily_limit_exceeded: {
    httpStatus: 429,
    title: 'Daily sending limit reached',
    meaning: "The plan's daily recipient cap is used up.",
    action: 'Send the rest tomorrow, or upgrade the plan.',
    retry: 'later',
    retryNote: 'Retrying today fails; retry tomorrow.',
  },
  internal_error: {
    httpStatus: 500,
    title: 'Sendmux error',
    meaning: 'Sendmux hit an unexpected error while handling the request.',
    action: 'Retry; if it keeps failing, contact Sendmux support with the request ID.',
    retry: 'yes',
    retryNote: 'A retry with the same Idempotency-Key is safe and often succeeds.',
  },
  no_active_providers: {
    httpStatus: 503,
    title: 'No active sending account',
    meaning: 'There is no active sending account (provider) behind this key, so Sendmux cannot deliver.',
    action: 'Activate or connect a sending account for this key in the Sendmux dashboard.',
    retry: 'later',
    retryNote: 'Retrying is allowed but futile until a sending account is active.',
  },
  service_unavailable: {
    httpStatus: 503,
    title: 'Sendmux temporarily unavailable',
    meaning: 'Sendmux could not handle the request right now; the condition is transient.',
    action: 'Retry after a short wait (Retry-After when given).',
    retry: 'yes',
    retryNote: 'A retry with the same Idempotency-Key is safe and usually succeeds.',
  },
};

const CLIENT: Record<ClientErrorCode, Entry> = {
  network_error: {
    httpStatus: null,
    title: 'Could not reach Sendmux',
    meaning:
      'The connection failed or dropped before a complete answer arrived; the request may or may not have been processed.',
    action:
      'Check the network and SENDMUX_API_URL, then retry with the same Idempotency-Key so nothing is sent twice.',
    retry: 'yes',
    retryNote:
      'Safe to retry only with the same Idempotency-Key: Sendmux then replays instead of sending again.',
  },
  timeout: {
    httpStatus: null,
    title: 'Sendmux did not answer in time',
    meaning: 'No complete answer arrived within the timeout; the request may still have been processed.',
    action: 'Retry with the same Idempotency-Key so nothing is sent twice.',
    retry: 'yes',
    retryNote:
      'Safe to retry only with the same Idempotency-Key: Sendmux then replays instead of sending again.',
  },
  invalid_response: {
    httpStatus: null,
    title: 'Unreadable answer',
    meaning:
      'The answer was not a Sendmux response (empty, not JSON, or an unexpected shape), for example a proxy error page.',
    action: 'Check SENDMUX_API_URL and any proxy in between; look at the raw response in the request log.',
    retry: 'no',
    retryNote:
      'Whether a retry helps depends on the cause; one from a gateway (5xx) is retried automatically.',
  },
  unknown_error: {
    httpStatus: null,
    title: 'Unknown error',
    meaning: 'The request failed for a reason the console could not classify.',
    action: 'Look at the request log entry for details.',
    retry: 'no',
    retryNote: 'Unknown whether a retry helps.',
  },
};

export type ConflictKind = 'changed_body' | 'in_flight' | 'unknown';

/** The two 409 cases share a code and differ only in message text, so this match is deliberately loose. */
export function conflictKind(message: string | undefined | null): ConflictKind {
  if (!message) return 'unknown';
  if (/progress|in.?flight|still|processing|concurrent/i.test(message)) return 'in_flight';
  if (/different|changed|mismatch|does not match|doesn't match/i.test(message)) return 'changed_body';
  return 'unknown';
}

const CONFLICT: Record<
  Exclude<ConflictKind, 'unknown'>,
  Pick<Entry, 'title' | 'meaning' | 'action' | 'retry' | 'retryNote'>
> = {
  changed_body: {
    title: 'Idempotency key reused with a different message',
    meaning:
      'This Idempotency-Key already belongs to a request with a different body. Sendmux refuses so that one key never means two messages.',
    action: 'Treat the changed message as a new action: send it with a new Idempotency-Key.',
    retry: 'no',
    retryNote: 'Retrying with the same key always fails; a new key is needed.',
  },
  in_flight: {
    title: 'The first request is still running',
    meaning: 'A request with this Idempotency-Key is still being processed.',
    action:
      'Wait a moment, then retry with the SAME Idempotency-Key; you will get the first request’s result.',
    retry: 'later',
    retryNote: 'A retry with the same key after a short wait returns the original result.',
  },
};

export function isErrorCode(code: string): code is SendmuxErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** The catalog entry for a code; codes outside the table get a generic entry that keeps the code. */
export function explainError(code: string, message?: string | null): ErrorExplanation {
  if (isSmtpErrorCode(code)) return explainSmtpError(code, message);
  if (code === 'idempotency_conflict') {
    const kind = conflictKind(message);
    const base = { code, known: true, origin: 'sendmux' as const, ...UPSTREAM.idempotency_conflict };
    return kind === 'unknown' ? base : { ...base, ...CONFLICT[kind] };
  }
  if (Object.hasOwn(UPSTREAM, code))
    return { code, known: true, origin: 'sendmux', ...UPSTREAM[code as UpstreamErrorCode] };
  if (Object.hasOwn(CLIENT, code))
    return { code, known: true, origin: 'client', ...CLIENT[code as ClientErrorCode] };
  return {
    code,
    known: false,
    origin: 'sendmux',
    httpStatus: null,
    title: `Unrecognised error "${code}"`,
    meaning: message
      ? `Sendmux answered with an error code this console does not know. Its message: ${message}`
      : 'Sendmux answered with an error code this console does not know.',
    action:
      'Read the message and the raw response in the request log; the Sendmux docs may describe the code.',
    retry: 'no',
    retryNote: "The response's retryable flag says whether repeating the request can help.",
  };
}
