import 'server-only';
// Pure: what of a request goes into the request log. Attachment bytes never do.

type Json = Record<string, unknown>;

const UPLOAD_PATH = '/emails/attachments';

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalisePath(path: string): string {
  return path.split('?')[0]!.replace(/\/+$/, '');
}

function isBytes(value: unknown): value is Uint8Array | ArrayBuffer {
  return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

export function base64DecodedSize(content: string): number {
  const clean = content.replace(/[\s]/g, '');
  if (clean === '') return 0;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

function messagesOf(body: unknown): Json[] {
  if (!isRecord(body)) return [];
  if (Array.isArray(body.messages)) return body.messages.filter(isRecord);
  if ('to' in body || 'from' in body || 'attachments' in body) return [body];
  return [];
}

function redactAttachment(attachment: unknown): unknown {
  if (!isRecord(attachment) || !('content' in attachment)) return attachment;
  const out: Json = { filename: attachment.filename };
  if (attachment.type !== undefined) out.type = attachment.type;
  out.size_bytes = typeof attachment.content === 'string' ? base64DecodedSize(attachment.content) : null;
  return out;
}

function redactMessage(message: unknown): unknown {
  if (!isRecord(message) || !Array.isArray(message.attachments)) return message;
  return { ...message, attachments: message.attachments.map(redactAttachment) };
}

/**
 * The request body as logged: inline attachment content becomes { filename, type?, size_bytes }
 * (single sends and every batch message), uploaded bytes become { filename, content_type, size_bytes }.
 */
export function redactRequestBody(
  path: string,
  body: unknown,
  query?: Record<string, string | undefined>,
): unknown {
  if (body === undefined || body === null) return null;
  if (isBytes(body)) {
    const size_bytes = body.byteLength;
    if (normalisePath(path).endsWith(UPLOAD_PATH)) {
      return { filename: query?.filename ?? null, content_type: query?.content_type ?? null, size_bytes };
    }
    return { size_bytes };
  }
  if (!isRecord(body)) return body;
  if (Array.isArray(body.messages)) return { ...body, messages: body.messages.map(redactMessage) };
  return redactMessage(body);
}

export const HIDDEN = '[hidden from support]';

function withoutMessageContent(message: unknown): unknown {
  if (!isRecord(message)) return message;
  const out: Json = { ...message };
  for (const key of ['html_body', 'text_body'] as const) if (key in out) out[key] = HIDDEN;
  if (isRecord(out.custom_headers))
    out.custom_headers = Object.fromEntries(Object.keys(out.custom_headers).map((name) => [name, HIDDEN]));
  if (Array.isArray(out.attachments))
    out.attachments = out.attachments.map((a) => {
      if (!isRecord(a)) return a;
      const hidden: Json = { ...a };
      // The request log never keeps content; the sandbox outbox keeps inline base64 as received.
      for (const key of ['filename', 'content'] as const) if (key in hidden) hidden[key] = HIDDEN;
      return hidden;
    });
  return out;
}

/**
 * What support sees of a logged body when SUPPORT_SEES_BODIES is off: addresses, subject and the
 * shape stay; bodies, custom header values, attachment names and inline attachment content do not.
 */
export function withoutContent(body: unknown): unknown {
  if (!isRecord(body)) return body;
  if (Array.isArray(body.messages)) return { ...body, messages: body.messages.map(withoutMessageContent) };
  if ('filename' in body && 'size_bytes' in body) return { ...body, filename: HIDDEN };
  return withoutMessageContent(body);
}

function addressEmail(value: unknown): string | undefined {
  return isRecord(value) && typeof value.email === 'string' ? value.email.trim().toLowerCase() : undefined;
}

export function extractRecipients(_path: string, body: unknown): string[] {
  const seen = new Set<string>();
  for (const message of messagesOf(body)) {
    const candidates = [
      message.to,
      ...(Array.isArray(message.cc) ? message.cc : []),
      ...(Array.isArray(message.bcc) ? message.bcc : []),
    ];
    for (const c of candidates) {
      const email = addressEmail(c);
      if (email) seen.add(email);
    }
  }
  return [...seen];
}

export function countMessages(_path: string, body: unknown): number {
  return messagesOf(body).length;
}

export function extractMessageIds(response: unknown): string[] {
  if (!isRecord(response) || !isRecord(response.data)) return [];
  const data = response.data;
  const ids = new Set<string>();
  if (typeof data.message_id === 'string') ids.add(data.message_id);
  if (Array.isArray(data.results)) {
    for (const item of data.results) {
      if (isRecord(item) && typeof item.message_id === 'string') ids.add(item.message_id);
    }
  }
  return [...ids];
}
