// Client-safe helpers the outbox pages and the attachment download share.
import { formatCount } from '@/lib/format/display';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const OUTBOX_PAGE_SIZE = 25;

const CONTENT_PREVIEW_CHARS = 32;

/** Bytes a base64 string decodes to. */
export function decodedSize(base64: string): number {
  const clean = base64.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/**
 * The message as received, with every inline attachment's base64 content cut to a short prefix
 * and its size stated: a 10 MB string would make the page unusable and says nothing to a reader.
 */
export function abbreviateAttachmentContent(message: Json): Json {
  if (!Array.isArray(message.attachments)) return message;
  const attachments = message.attachments.map((a: unknown) => {
    if (!isRecord(a) || typeof a.content !== 'string') return a;
    const content = a.content;
    if (content.length <= CONTENT_PREVIEW_CHARS) return a;
    const size = `${formatCount(content.length)} base64 characters, ${formatCount(decodedSize(content))} bytes`;
    return { ...a, content: `${content.slice(0, CONTENT_PREVIEW_CHARS)}… (${size})` };
  });
  return { ...message, attachments };
}

const MESSAGE_KEYS = [
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
];
const ADDRESS_KEYS = ['email', 'name'];
const ATTACHMENT_KEYS = ['filename', 'type', 'encoding', 'content', 'attachment_id'];

function ordered(value: Json, order: readonly string[]): Json {
  const keys = [...order.filter((k) => k in value), ...Object.keys(value).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, value[k]]));
}

/** The message with keys in the API's field order: jsonb storage keeps the content but not the order it arrived in. */
export function inWireOrder(message: Json): Json {
  const out = ordered(message, MESSAGE_KEYS);
  const address = (v: unknown) => (isRecord(v) ? ordered(v, ADDRESS_KEYS) : v);
  for (const key of ['from', 'to', 'reply_to']) if (key in out) out[key] = address(out[key]);
  for (const key of ['cc', 'bcc'])
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(address);
  if (Array.isArray(out.attachments))
    out.attachments = out.attachments.map((a: unknown) => (isRecord(a) ? ordered(a, ATTACHMENT_KEYS) : a));
  return out;
}

/** A recipient as mail clients show it: `Ada <ada@example.com>`, or the bare address. */
export function formatAddress(value: unknown): string | null {
  if (!isRecord(value) || typeof value.email !== 'string') return null;
  return typeof value.name === 'string' && value.name.trim() ? `${value.name} <${value.email}>` : value.email;
}

export function formatAddressList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(formatAddress).filter((a): a is string => a !== null) : [];
}

export function customHeadersOf(message: Json): [string, string][] {
  if (!isRecord(message.custom_headers)) return [];
  return Object.entries(message.custom_headers).map(([name, value]) => [
    name,
    typeof value === 'string' ? value : JSON.stringify(value),
  ]);
}

/** The last path segment without control characters, quotes or leading dots; never empty. */
export function safeDownloadName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const printable = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f' && ch !== '"')
    .join('');
  const cleaned = printable
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'attachment';
}

/** Always `attachment`: a received file is downloaded, never rendered by the console's origin. */
export function attachmentDisposition(filename: string): string {
  const name = safeDownloadName(filename);
  const ascii = [...name]
    .map((ch) => (ch.charCodeAt(0) > 0x7e || ch === '\\' || ch === ';' || ch === '%' ? '_' : ch))
    .join('');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
