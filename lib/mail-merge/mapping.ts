import type { MessageInput } from '@/lib/schemas/message';
import type {
  BatchAttachment,
  BatchSpec,
  FieldMapping,
  FieldSource,
  HeaderMapping,
} from '@/lib/schemas/batch-spec';
import { formatRecipientList } from '@/lib/mail-merge/recipients';

// How a CSV becomes messages: every field takes a column or a fixed value; subject and bodies are
// templates. The spec's schema (lib/schemas/batch-spec.ts) checks it where a job starts.

export type { BatchAttachment, BatchSpec, FieldMapping, FieldSource, HeaderMapping };

export const MAPPED_FIELDS = [
  'toEmail',
  'toName',
  'fromEmail',
  'fromName',
  'cc',
  'bcc',
  'replyToEmail',
  'replyToName',
  'returnPath',
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export const FIELD_LABELS: Record<MappedField, string> = {
  toEmail: 'To email',
  toName: 'To name',
  fromEmail: 'From email',
  fromName: 'From name',
  cc: 'Cc',
  bcc: 'Bcc',
  replyToEmail: 'Reply-To email',
  replyToName: 'Reply-To name',
  returnPath: 'Return-Path',
};

/** The message field (messageSchema path) each mapped field fills, for error reporting. */
export const FIELD_PATHS: Record<MappedField, string> = {
  toEmail: 'to.email',
  toName: 'to.name',
  fromEmail: 'from.email',
  fromName: 'from.name',
  cc: 'cc',
  bcc: 'bcc',
  replyToEmail: 'replyTo.email',
  replyToName: 'replyTo.name',
  returnPath: 'returnPath',
};

export function emptyBatchSpec(): BatchSpec {
  return {
    fields: {},
    headers: [],
    subject: '',
    htmlBody: '',
    textBody: '',
    attachments: [],
    excludedLines: [],
  };
}

const normalise = (name: string) => name.toLowerCase().replace(/[\s_.\-]+/g, '');

// Best synonym first: when two columns match one field, the better-named one wins.
const SYNONYMS: Record<MappedField, string[]> = {
  toEmail: ['toemail', 'email', 'emailaddress', 'recipientemail', 'recipient', 'to', 'toaddress', 'mail'],
  toName: ['toname', 'name', 'fullname', 'recipientname', 'displayname', 'contactname'],
  fromEmail: ['fromemail', 'from', 'fromaddress', 'senderemail', 'sender'],
  fromName: ['fromname', 'sendername'],
  cc: ['cc', 'ccemail', 'ccemails', 'ccrecipients', 'ccaddresses'],
  bcc: ['bcc', 'bccemail', 'bccemails', 'bccrecipients', 'bccaddresses'],
  replyToEmail: ['replyto', 'replytoemail', 'replytoaddress'],
  replyToName: ['replytoname'],
  returnPath: ['returnpath', 'bounceaddress', 'envelopefrom'],
};

const CUSTOM_HEADER = /^x-[a-z0-9][a-z0-9-]*$/i;

/**
 * Maps columns whose names say what they hold. First and last name columns are not combined:
 * the user writes that as a template if they want it.
 */
export function autoMap(columns: readonly string[]): { fields: FieldMapping; headers: HeaderMapping[] } {
  const fields: FieldMapping = {};
  const taken = new Set<string>();
  const normalised = columns.map(normalise);
  for (const field of MAPPED_FIELDS) {
    for (const synonym of SYNONYMS[field]) {
      const i = normalised.findIndex((n, j) => n === synonym && !taken.has(columns[j]!));
      if (i === -1) continue;
      const column = columns[i]!;
      fields[field] = { kind: 'column', column };
      taken.add(column);
      break;
    }
  }
  const headers = columns
    .filter((c) => !taken.has(c) && CUSTOM_HEADER.test(c.trim()) && !/^x-sendmux-/i.test(c.trim()))
    .map((c): HeaderMapping => ({ name: c.trim(), source: { kind: 'column', column: c } }));
  return { fields, headers };
}

/** Columns the spec reads that the CSV does not have (after a re-upload, say). */
export function missingColumns(
  spec: Pick<BatchSpec, 'fields' | 'headers'>,
  columns: readonly string[],
): string[] {
  const have = new Set(columns);
  const missing = new Set<string>();
  for (const source of Object.values(spec.fields))
    if (source?.kind === 'column' && !have.has(source.column)) missing.add(source.column);
  for (const h of spec.headers)
    if (h.source.kind === 'column' && !have.has(h.source.column)) missing.add(h.source.column);
  return [...missing];
}

/**
 * A spec pre-filled from a message saved in Compose: its sender, reply-to, headers and content
 * become fixed values and templates. Attachments are not carried over (uploads expire).
 */
export function specFromMessage(message: MessageInput, base: BatchSpec = emptyBatchSpec()): BatchSpec {
  const fixed = (value: string): FieldSource | undefined =>
    value.trim() ? { kind: 'fixed', value } : undefined;
  const fields: FieldMapping = { ...base.fields };
  const set = (field: MappedField, value: string) => {
    const source = fixed(value);
    if (source) fields[field] = source;
  };
  set('fromEmail', message.from.email);
  set('fromName', message.from.name);
  set('replyToEmail', message.replyTo.email);
  set('replyToName', message.replyTo.name);
  set('returnPath', message.returnPath);
  set('cc', formatRecipientList(message.cc));
  set('bcc', formatRecipientList(message.bcc));
  const headers = [...base.headers];
  for (const h of message.headers)
    if (!headers.some((x) => x.name.toLowerCase() === h.name.toLowerCase()))
      headers.push({ name: h.name, source: { kind: 'fixed', value: h.value } });
  return {
    ...base,
    fields,
    headers,
    subject: message.subject,
    htmlBody: message.htmlBody,
    textBody: message.textBody,
  };
}
