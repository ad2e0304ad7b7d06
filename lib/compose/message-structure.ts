import { checkAttachmentType } from '@/lib/schemas/file-types';
import { utf8Length } from '@/lib/schemas/limits';
import type { MessageInput } from '@/lib/schemas/message';

// The message as Sendmux will build it, as far as the console can know it before sending: the
// headers it writes from the fields, and the MIME tree. Date, Message-ID and the boundaries are
// Sendmux's, so they are named but not invented. Client-safe (the preview's Headers tab).

export type HeaderLine = { name: string; value: string };
export type MimePart = { depth: number; type: string; bytes: number | null; label: string };

const mailbox = (a: { email: string; name: string }) => {
  const name = a.name.trim();
  const email = a.email.trim();
  if (!name) return email;
  // A name with specials goes in quotes, as RFC 5322 wants it.
  return /[()<>[\]:;@\\,."]/.test(name)
    ? `"${name.replace(/["\\]/g, '\\$&')}" <${email}>`
    : `${name} <${email}>`;
};

export function messageHeaders(m: MessageInput): HeaderLine[] {
  const lines: HeaderLine[] = [];
  const add = (name: string, value: string) => {
    if (value.trim()) lines.push({ name, value });
  };
  add('From', m.from.email.trim() ? mailbox(m.from) : '');
  add('To', m.to.email.trim() ? mailbox(m.to) : '');
  add('Cc', m.cc.map(mailbox).join(', '));
  add('Reply-To', m.replyTo.email.trim() ? mailbox(m.replyTo) : '');
  add('Subject', m.subject);
  for (const h of m.headers) if (h.name.trim()) add(h.name.trim(), h.value);
  lines.push({ name: 'MIME-Version', value: '1.0' });
  const top = mimeParts(m)[0];
  if (top) lines.push({ name: 'Content-Type', value: top.type });
  return lines;
}

function attachmentType(a: MessageInput['attachments'][number]): string {
  if (a.contentType) return a.contentType;
  const guessed = checkAttachmentType(a.filename);
  return guessed.ok ? guessed.contentType : 'application/octet-stream';
}

/** The MIME tree, depth-first; bytes are each part's content before transfer encoding. */
export function mimeParts(m: MessageInput): MimePart[] {
  const html: MimePart = {
    depth: 0,
    type: 'text/html; charset=utf-8',
    bytes: utf8Length(m.htmlBody),
    label: 'HTML body',
  };
  const text: MimePart | null = m.textBody
    ? { depth: 0, type: 'text/plain; charset=utf-8', bytes: utf8Length(m.textBody), label: 'Text body' }
    : null;
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
  if (m.attachments.length === 0) return body;
  return [
    { depth: 0, type: 'multipart/mixed', bytes: null, label: 'The message and its attachments' },
    ...body.map((p) => ({ ...p, depth: p.depth + 1 })),
    ...m.attachments.map((a) => ({
      depth: 1,
      type: attachmentType(a),
      bytes: a.size,
      label: `Attachment “${a.filename}”${a.kind === 'uploaded' ? ` (uploaded, ${a.attachmentId})` : ''}`,
    })),
  ];
}
