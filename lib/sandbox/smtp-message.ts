import 'server-only';
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import type { Address } from '@/lib/sandbox/validate';

export type SmtpEnvelope = { mailFrom: string; rcptTo: string[] };

/**
 * A message received over SMTP in the outbox's shape, the one an HTTP send is stored in, plus
 * what only SMTP has (the envelope). The API's `to` holds one address, so further To addresses
 * are listed with `cc`; envelope recipients in no header are the Bcc.
 */
export type SmtpOutboxMessage = {
  from: Address;
  to: Address;
  cc?: Address[];
  bcc?: Address[];
  reply_to?: Address;
  subject: string;
  html_body?: string;
  text_body?: string;
  custom_headers?: Record<string, string>;
  attachments?: { filename: string; type: string; content: string }[];
  smtp: { mail_from: string; rcpt_to: string[]; message_id: string | null; size_bytes: number };
};

function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  const flat = (list: EmailAddress[]): EmailAddress[] => list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  return (Array.isArray(value) ? value : value ? [value] : [])
    .flatMap((o) => flat(o.value))
    .flatMap((a) => (a.address ? [a.name ? { email: a.address, name: a.name } : { email: a.address }] : []));
}

const lower = (email: string) => email.toLowerCase();

/** Parses the DATA of one transaction. Bodies are kept as sent: no text made from HTML or back. */
export async function messageFromMime(raw: Buffer, envelope: SmtpEnvelope): Promise<SmtpOutboxMessage> {
  const parsed = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    keepCidLinks: true,
  });
  const from = addresses(parsed.from)[0] ?? { email: envelope.mailFrom };
  const toHeader = addresses(parsed.to);
  const ccHeader = addresses(parsed.cc);
  const to = toHeader[0] ?? { email: envelope.rcptTo[0] ?? '' };
  const named = new Set([...toHeader, ...ccHeader].map((a) => lower(a.email)));
  const cc = [...toHeader.slice(1), ...ccHeader];
  const bcc = envelope.rcptTo.filter((r) => !named.has(lower(r)) && lower(r) !== lower(to.email));

  const custom: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (!key.startsWith('x-')) continue;
    const colon = line.indexOf(':');
    const value = parsed.headers.get(key);
    custom[line.slice(0, colon).trim()] =
      typeof value === 'string'
        ? value
        : line
            .slice(colon + 1)
            .replace(/\r?\n[ \t]+/g, ' ')
            .trim();
  }

  const message: SmtpOutboxMessage = {
    from,
    to,
    subject: parsed.subject ?? '',
    smtp: {
      mail_from: envelope.mailFrom,
      rcpt_to: envelope.rcptTo,
      message_id: parsed.messageId ?? null,
      size_bytes: raw.byteLength,
    },
  };
  if (cc.length) message.cc = cc;
  if (bcc.length) message.bcc = bcc.map((email) => ({ email }));
  const replyTo = addresses(parsed.replyTo)[0];
  if (replyTo) message.reply_to = replyTo;
  // A single-part body ends with the line break that closes DATA's last line; it is not content.
  const contentType = parsed.headers.get('content-type');
  const single = !(
    typeof contentType === 'object' &&
    'value' in contentType &&
    /^multipart\//i.test(String(contentType.value))
  );
  const body = (v: string) => (single ? v.replace(/\r?\n$/, '') : v);
  if (typeof parsed.html === 'string') message.html_body = body(parsed.html);
  if (typeof parsed.text === 'string') message.text_body = body(parsed.text);
  if (Object.keys(custom).length) message.custom_headers = custom;
  if (parsed.attachments.length)
    message.attachments = parsed.attachments.map((a, i) => ({
      filename: a.filename ?? `attachment-${i + 1}`,
      type: a.contentType,
      content: a.content.toString('base64'),
    }));
  return message;
}
