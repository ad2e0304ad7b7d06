import type { EmailSendRequest } from '@/lib/sendmux/wire';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import { decodedLength } from '@/lib/schemas/limits';
import type { AttachmentInput, MessageInput } from '@/lib/schemas/message';
import { deliveryGroupIds, emptyMessage } from '@/lib/schemas/message-values';
import { randomId } from '@/lib/ids';
import { formatCount } from '@/lib/format/display';

// Conversion between the compose form (app types) and the JSON body of POST /emails/send.
// Client-safe: the preview shows the exact payload and lets the user edit it.

const address = (a: { email: string; name: string }) => {
  const email = a.email.trim();
  const name = a.name.trim();
  return name ? { email, name } : { email };
};

export function toSendPayload(m: MessageInput): EmailSendRequest {
  const payload: EmailSendRequest = {
    from: address(m.from),
    to: address(m.to),
    subject: m.subject,
    html_body: m.htmlBody,
  };
  if (m.textBody !== '') payload.text_body = m.textBody;
  if (m.cc.length) payload.cc = m.cc.map(address);
  if (m.bcc.length) payload.bcc = m.bcc.map(address);
  if (m.replyTo.email.trim()) payload.reply_to = address(m.replyTo);
  if (m.returnPath.trim()) payload.return_path = m.returnPath.trim();
  if (m.headers.length)
    payload.custom_headers = Object.fromEntries(m.headers.map((h) => [h.name.trim(), h.value]));
  const groups = deliveryGroupIds(m.deliveryGroup);
  // One id goes as a string, several as a list: both are the spec's forms.
  if (groups.length) payload.delivery_group = groups.length === 1 ? groups[0] : groups;
  if (m.attachments.length) {
    payload.attachments = m.attachments.map((a) =>
      a.kind === 'inline'
        ? { filename: a.filename, content: a.content, ...(a.contentType ? { type: a.contentType } : {}) }
        : { attachment_id: a.attachmentId },
    );
  }
  return payload;
}

const KNOWN_FIELDS = new Set([
  'from',
  'to',
  'subject',
  'html_body',
  'text_body',
  'cc',
  'bcc',
  'reply_to',
  'return_path',
  'custom_headers',
  'attachments',
  'delivery_group',
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function toAddress(v: unknown, field: string, problems: string[]): { email: string; name: string } {
  if (v === undefined) return { email: '', name: '' };
  if (Array.isArray(v)) {
    problems.push(`${field} must be one address object {"email": …}, not a list`);
    return toAddress(v[0], field, []);
  }
  if (!isObject(v)) {
    problems.push(`${field} must be an object like {"email": "ada@example.com", "name": "Ada"}`);
    return { email: '', name: '' };
  }
  return { email: str(v.email), name: str(v.name) };
}

function toList(v: unknown, field: string, problems: string[]) {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.push(`${field} must be a list of {"email", "name"} objects`);
    return [];
  }
  return v.map((item, i) => toAddress(item, `${field}[${i}]`, problems));
}

export type PayloadParse =
  { ok: true; message: MessageInput; notes: string[] } | { ok: false; problems: string[] };

/**
 * Reads a send payload (wire JSON) back into form values. Attachment refs keep what the previous
 * form knew about them (name, size); attachments whose content is not in the payload (a redacted
 * request log body) are left out and listed in `notes` so the user can attach them again.
 */
export function fromSendPayload(value: unknown, previous?: MessageInput): PayloadParse {
  if (!isObject(value)) return { ok: false, problems: ['The payload must be a JSON object'] };
  const problems: string[] = [];
  const notes: string[] = [];
  for (const key of Object.keys(value)) {
    if (key === 'idempotency_key')
      problems.push(
        'idempotency_key is not a body field: the console sends it as the Idempotency-Key header (edit it above the form)',
      );
    else if (!KNOWN_FIELDS.has(key))
      problems.push(`Unknown field "${key}": Sendmux rejects fields it does not know`);
  }
  const groups = value.delivery_group;
  if (
    groups !== undefined &&
    typeof groups !== 'string' &&
    !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))
  )
    problems.push('delivery_group must be one id ("dgrp_main") or a list of ids');
  const headers = value.custom_headers;
  if (
    headers !== undefined &&
    (!isObject(headers) || Object.values(headers).some((h) => typeof h !== 'string'))
  )
    problems.push('custom_headers must be an object of header name → string value');
  const rawAttachments = value.attachments;
  if (rawAttachments !== undefined && !Array.isArray(rawAttachments))
    problems.push('attachments must be a list');

  const message = emptyMessage();
  message.from = toAddress(value.from, 'from', problems);
  message.to = toAddress(value.to, 'to', problems);
  message.cc = toList(value.cc, 'cc', problems);
  message.bcc = toList(value.bcc, 'bcc', problems);
  message.replyTo = toAddress(value.reply_to, 'reply_to', problems);
  message.returnPath = str(value.return_path);
  message.subject = str(value.subject);
  message.htmlBody = str(value.html_body);
  message.textBody = str(value.text_body);
  message.deliveryGroup = Array.isArray(groups) ? groups.join(', ') : str(groups);
  message.headers = isObject(headers)
    ? Object.entries(headers).map(([name, v]) => ({ name, value: str(v) }))
    : [];
  const attachments: AttachmentInput[] = [];
  for (const [i, a] of (Array.isArray(rawAttachments) ? rawAttachments : []).entries()) {
    if (!isObject(a)) {
      problems.push(`attachments[${i}] must be an object`);
      continue;
    }
    if (typeof a.attachment_id === 'string') {
      const known = previous?.attachments.find(
        (p) => p.kind === 'uploaded' && p.attachmentId === a.attachment_id,
      );
      if (known) attachments.push(known);
      else
        notes.push(
          `attachments[${i}] refers to ${a.attachment_id}, which this form did not upload: attach the file again`,
        );
    } else if (typeof a.content === 'string' && a.content.length > 0) {
      const filename = str(a.filename);
      const type = checkAttachmentType(filename);
      attachments.push({
        id:
          previous?.attachments.find(
            (p) => p.kind === 'inline' && p.content === a.content && p.filename === filename,
          )?.id ?? randomId(),
        kind: 'inline',
        filename,
        contentType: str(a.type) || (type.ok ? type.contentType : 'application/octet-stream'),
        size: decodedLength(a.content),
        content: a.content,
      });
    } else
      notes.push(
        `${str(a.filename) || `attachments[${i}]`}: its content is not in this payload; attach the file again`,
      );
  }
  message.attachments = attachments;
  if (problems.length) return { ok: false, problems };
  return { ok: true, message, notes };
}

const ELIDED = /^<base64 of (.+) — (\d[\d,]*) characters, sent in full>$/;

/** The payload for display: inline content replaced by a readable marker that parses back. */
export function elideAttachmentContent(payload: EmailSendRequest): EmailSendRequest {
  if (!payload.attachments) return payload;
  return {
    ...payload,
    attachments: payload.attachments.map((a) =>
      'content' in a
        ? {
            ...a,
            content: `<base64 of ${a.filename} — ${formatCount(a.content.length)} characters, sent in full>`,
          }
        : a,
    ),
  };
}

/** Undoes elideAttachmentContent using the attachments the form holds. */
export function restoreAttachmentContent(value: unknown, current: MessageInput): unknown {
  if (!isObject(value) || !Array.isArray(value.attachments)) return value;
  return {
    ...value,
    attachments: value.attachments.map((a) => {
      if (!isObject(a) || typeof a.content !== 'string') return a;
      const match = ELIDED.exec(a.content);
      if (!match) return a;
      const source = current.attachments.find((c) => c.kind === 'inline' && c.filename === match[1]);
      return source && source.kind === 'inline' ? { ...a, content: source.content } : a;
    }),
  };
}
