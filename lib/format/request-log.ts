// Client-safe readers of a stored request log row: outcomes, attachments, errors, batch results.
// The pages and the support bundle share them so both say the same thing.
import { formatDuration } from '@/lib/format/display';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export type RowOutcome = 'ok' | 'failed' | 'retried' | 'pending';

/** A failed attempt the client went on to repeat reads "retried", not plain "failed". */
export function outcomeOf(row: { ok: boolean | null; nextRetryAt: string | null }): RowOutcome {
  if (row.ok === true) return 'ok';
  if (row.ok === false) return row.nextRetryAt ? 'retried' : 'failed';
  return 'pending';
}

/** "503 service_unavailable", "200", "no response recorded". */
export function statusText(row: {
  status: number | null;
  ok: boolean | null;
  errorCode: string | null;
}): string {
  if (row.ok === null) return 'no response recorded';
  const parts = [row.status === null ? 'no HTTP answer' : String(row.status)];
  if (row.errorCode) parts.push(row.errorCode);
  return parts.join(' ');
}

/** "attempt 1 · 503 service_unavailable · 120 ms". */
export function attemptLine(a: {
  attempt: number;
  status: number | null;
  ok: boolean | null;
  errorCode: string | null;
  durationMs: number | null;
}): string {
  const parts = [`attempt ${a.attempt}`, statusText(a)];
  if (a.ok !== null) parts.push(formatDuration(a.durationMs));
  return parts.join(' · ');
}

export function messagesOf(body: unknown): Json[] {
  if (!isRecord(body)) return [];
  if (Array.isArray(body.messages)) return body.messages.filter(isRecord);
  if ('to' in body || 'from' in body) return [body];
  return [];
}

export type RedactedAttachment = { message: number | null; filename: string; sizeBytes: number | null };

/** Attachments whose content the log replaced by name + size (uploads included). */
export function redactedAttachments(path: string, body: unknown): RedactedAttachment[] {
  if (!isRecord(body)) return [];
  if (path.split('?')[0]!.replace(/\/+$/, '').endsWith('/emails/attachments') && 'size_bytes' in body) {
    return [
      {
        message: null,
        filename: str(body.filename) ?? 'upload',
        sizeBytes: typeof body.size_bytes === 'number' ? body.size_bytes : null,
      },
    ];
  }
  const batch = Array.isArray(body.messages);
  const out: RedactedAttachment[] = [];
  messagesOf(body).forEach((m, i) => {
    if (!Array.isArray(m.attachments)) return;
    for (const a of m.attachments) {
      if (!isRecord(a) || 'content' in a || 'attachment_id' in a) continue;
      out.push({
        message: batch ? i : null,
        filename: str(a.filename) ?? 'attachment',
        sizeBytes: typeof a.size_bytes === 'number' ? a.size_bytes : null,
      });
    }
  });
  return out;
}

export type FieldError = { field: string; code: string; message: string };

function fieldErrorsIn(error: unknown): FieldError[] {
  if (!isRecord(error)) return [];
  const out: FieldError[] = [];
  if (Array.isArray(error.errors)) {
    for (const e of error.errors) {
      if (isRecord(e))
        out.push({
          field: str(e.field) ?? '(request)',
          code: str(e.code) ?? '',
          message: str(e.message) ?? '',
        });
    }
  }
  const param = str(error.param);
  if (param && !out.some((e) => e.field === param))
    out.push({ field: param, code: str(error.code) ?? '', message: str(error.message) ?? '' });
  return out;
}

/** The error object of a stored response, when it has one. */
export function responseError(
  response: unknown,
): { code?: string; message?: string; retryable?: boolean; docUrl?: string; fields: FieldError[] } | null {
  if (!isRecord(response) || !isRecord(response.error)) return null;
  const e = response.error;
  return {
    code: str(e.code),
    message: str(e.message),
    retryable: typeof e.retryable === 'boolean' ? e.retryable : undefined,
    docUrl: str(e.doc_url),
    fields: fieldErrorsIn(e),
  };
}

export type BatchMessageRow = {
  index: number;
  to: string;
  subject: string;
  status: 'queued' | 'failed' | 'not sent' | 'no result' | 'pending';
  messageId: string | null;
  error: { code: string; message: string; fields: FieldError[] } | null;
};

/** One row per message of a batch request, by the results' `index` field (their order is not promised). */
export function batchMessages(
  requestBody: unknown,
  responseBody: unknown,
  ok: boolean | null,
): BatchMessageRow[] {
  const messages = messagesOf(requestBody);
  const data = isRecord(responseBody) && isRecord(responseBody.data) ? responseBody.data : null;
  const results = new Map<number, Json>();
  if (data && Array.isArray(data.results)) {
    for (const r of data.results)
      if (isRecord(r) && typeof r.index === 'number' && !results.has(r.index)) results.set(r.index, r);
  }
  const whole = responseError(responseBody);
  return messages.map((m, index) => {
    const to = isRecord(m.to) ? (str(m.to.email) ?? '') : '';
    const subject = str(m.subject) ?? '';
    const r = results.get(index);
    if (ok === null) return { index, to, subject, status: 'pending', messageId: null, error: null };
    if (!r) {
      if (whole)
        return {
          index,
          to,
          subject,
          status: 'not sent',
          messageId: null,
          error: { code: whole.code ?? 'unknown_error', message: whole.message ?? '', fields: [] },
        };
      return { index, to, subject, status: 'no result', messageId: null, error: null };
    }
    const messageId = str(r.message_id) ?? null;
    if (r.status === 'queued' && messageId)
      return { index, to, subject, status: 'queued', messageId, error: null };
    const err = isRecord(r.error) ? r.error : {};
    return {
      index,
      to,
      subject,
      status: 'failed',
      messageId,
      error: {
        code: str(err.code) ?? 'unknown_error',
        message: str(err.message) ?? '',
        fields: fieldErrorsIn(err),
      },
    };
  });
}

// jsonb stores object keys shortest first; showing them in the order the API documents them
// reads far better ("from" before "to", "ok" before "data").
const KEY_ORDER = [
  'index',
  'ok',
  'data',
  'error',
  'meta',
  'messages',
  'from',
  'to',
  'cc',
  'bcc',
  'reply_to',
  'return_path',
  'subject',
  'html_body',
  'text_body',
  'custom_headers',
  'attachments',
  'delivery_group',
  'message_id',
  'status',
  'results',
  'summary',
  'code',
  'message',
  'retryable',
  'param',
  'doc_url',
  'errors',
  'field',
  'request_id',
  'email',
  'name',
  'filename',
  'type',
  'content_type',
  'size_bytes',
  'total',
  'queued',
  'failed',
];
const rank = new Map(KEY_ORDER.map((k, i) => [k, i]));

/** The value with object keys in documentation order (unknown keys after, as stored). */
export function documentedOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(documentedOrder);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value).sort(
    (a, b) => (rank.get(a) ?? KEY_ORDER.length) - (rank.get(b) ?? KEY_ORDER.length),
  );
  return Object.fromEntries(keys.map((k) => [k, documentedOrder(value[k])]));
}

/** JSON pretty-printed; a stored string (an answer that was not JSON) is shown as it came. */
export function prettyBody(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(documentedOrder(value), null, 2);
}

/** An SMTP test send is logged with method and path both 'SMTP'. */
export const SMTP_ENDPOINT = 'SMTP';

/** "POST /emails/send", or "SMTP" for an SMTP test send. */
export function endpointLabel(row: { method: string; path: string }): string {
  return row.method === SMTP_ENDPOINT ? SMTP_ENDPOINT : `${row.method} ${row.path}`;
}

export const SEND_PATH = '/emails/send';
export const BATCH_PATH = '/emails/send/batch';
