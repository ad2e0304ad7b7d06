import { checkAttachmentType } from '@/lib/schemas/file-types';
import { decodedLength, utf8Length } from '@/lib/schemas/limits';
import type { MessageInput } from '@/lib/schemas/message';

// The message as Sendmux will build it, as far as the console can know it before sending: the
// headers it writes from the fields, and the MIME tree. Date, Message-ID and the boundaries are
// Sendmux's, so they are named but not invented. Client-safe: the preview's Headers tab reads the
// form; the sandbox outbox and the request log read the JSON body as sent (wireMessageStructure).

export type HeaderLine = { name: string; value: string };
export type MimePart = { depth: number; type: string; bytes: number | null; label: string };
export type MessageStructure = { headers: HeaderLine[]; parts: MimePart[] };

type Mailbox = { email: string; name: string };
type Body = { bytes: number | null; label: string };
/** What both sources come down to. */
type Outline = {
  from: Mailbox;
  to: Mailbox;
  cc: Mailbox[];
  replyTo: Mailbox;
  subject: string;
  headers: HeaderLine[];
  html: Body;
  text: Body | null;
  attachments: { type: string; bytes: number | null; label: string }[];
};

const mailbox = (a: Mailbox) => {
  const name = a.name.trim();
  const email = a.email.trim();
  if (!name) return email;
  // A name with specials goes in quotes, as RFC 5322 wants it.
  return /[()<>[\]:;@\\,."]/.test(name)
    ? `"${name.replace(/["\\]/g, '\\$&')}" <${email}>`
    : `${name} <${email}>`;
};

function headersOf(o: Outline): HeaderLine[] {
  const lines: HeaderLine[] = [];
  const add = (name: string, value: string) => {
    if (value.trim()) lines.push({ name, value });
  };
  add('From', o.from.email.trim() ? mailbox(o.from) : '');
  add('To', o.to.email.trim() ? mailbox(o.to) : '');
  add('Cc', o.cc.map(mailbox).join(', '));
  add('Reply-To', o.replyTo.email.trim() ? mailbox(o.replyTo) : '');
  add('Subject', o.subject);
  for (const h of o.headers) if (h.name.trim()) add(h.name.trim(), h.value);
  lines.push({ name: 'MIME-Version', value: '1.0' });
  const top = partsOf(o)[0];
  if (top) lines.push({ name: 'Content-Type', value: top.type });
  return lines;
}

/** The MIME tree, depth-first; bytes are each part's content before transfer encoding. */
function partsOf(o: Outline): MimePart[] {
  const html: MimePart = { depth: 0, type: 'text/html; charset=utf-8', ...o.html };
  const text: MimePart | null = o.text ? { depth: 0, type: 'text/plain; charset=utf-8', ...o.text } : null;
  const body: MimePart[] = text
    ? [
        {
          depth: 0,
          type: 'multipart/alternative',
          bytes: null,
          label: 'Text and HTML, the client picks one',
        },
        { ...text, depth: 1 },
        { ...html, depth: 1 },
      ]
    : [html];
  if (o.attachments.length === 0) return body;
  return [
    { depth: 0, type: 'multipart/mixed', bytes: null, label: 'The message and its attachments' },
    ...body.map((p) => ({ ...p, depth: p.depth + 1 })),
    ...o.attachments.map((a) => ({ depth: 1, ...a })),
  ];
}

const typeOf = (filename: string) => {
  const guessed = checkAttachmentType(filename);
  return guessed.ok ? guessed.contentType : 'application/octet-stream';
};

function outlineOfInput(m: MessageInput): Outline {
  return {
    ...m,
    html: { bytes: utf8Length(m.htmlBody), label: 'HTML body' },
    text: m.textBody ? { bytes: utf8Length(m.textBody), label: 'Text body' } : null,
    attachments: m.attachments.map((a) => ({
      type: a.contentType || typeOf(a.filename),
      bytes: a.size,
      label: `Attachment “${a.filename}”${a.kind === 'uploaded' ? ` (uploaded, ${a.attachmentId})` : ''}`,
    })),
  };
}

export function messageHeaders(m: MessageInput): HeaderLine[] {
  return headersOf(outlineOfInput(m));
}

export function mimeParts(m: MessageInput): MimePart[] {
  return partsOf(outlineOfInput(m));
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const wireMailbox = (v: unknown): Mailbox =>
  isRecord(v) ? { email: str(v.email), name: str(v.name) } : { email: '', name: '' };

/** What the page knows of an attachment beyond the body (the outbox resolves uploaded ones). */
export type KnownAttachment = { filename: string; contentType: string; bytes: number | null };

/**
 * The same structure from a `POST /emails/send` body (or one batch message) as received or logged.
 * `contentHidden`: bodies were withheld from this viewer, so their sizes are not shown either.
 * Logged attachments carry `size_bytes` instead of their content.
 */
export function wireMessageStructure(
  message: unknown,
  {
    contentHidden = false,
    attachments = [],
  }: { contentHidden?: boolean; attachments?: KnownAttachment[] } = {},
): MessageStructure {
  const m = isRecord(message) ? message : {};
  const body = (key: 'html_body' | 'text_body', label: string): Body | null => {
    if (typeof m[key] !== 'string' || (key === 'text_body' && m[key] === '')) return null;
    return contentHidden
      ? { bytes: null, label: `${label} (hidden from support)` }
      : { bytes: utf8Length(m[key]), label };
  };
  const list = Array.isArray(m.attachments) ? m.attachments : [];
  const outline: Outline = {
    from: wireMailbox(m.from),
    to: wireMailbox(m.to),
    cc: Array.isArray(m.cc) ? m.cc.map(wireMailbox) : [],
    replyTo: wireMailbox(m.reply_to),
    subject: str(m.subject),
    headers: isRecord(m.custom_headers)
      ? Object.entries(m.custom_headers).map(([name, value]) => ({
          name,
          value: typeof value === 'string' ? value : JSON.stringify(value),
        }))
      : [],
    html: body('html_body', 'HTML body') ?? { bytes: null, label: 'HTML body (missing)' },
    text: body('text_body', 'Text body'),
    attachments: list.map((raw, i) => {
      const a = isRecord(raw) ? raw : {};
      const known = attachments[i];
      const filename = known?.filename ?? str(a.filename);
      const id = str(a.attachment_id);
      const bytes =
        known?.bytes ??
        (typeof a.size_bytes === 'number'
          ? a.size_bytes
          : typeof a.content === 'string'
            ? decodedLength(a.content)
            : null);
      return {
        type: known?.contentType || str(a.type) || str(a.content_type) || typeOf(filename),
        bytes,
        label: filename
          ? `Attachment “${filename}”${id ? ` (uploaded, ${id})` : ''}`
          : `Attachment ${id || i + 1} (uploaded)`,
      };
    }),
  };
  return { headers: headersOf(outline), parts: partsOf(outline) };
}
