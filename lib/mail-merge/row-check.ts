import { z } from 'zod';
import {
  base64Length,
  MAX_BCC,
  MAX_CC,
  MAX_EMAIL,
  MAX_CUSTOM_HEADER_CHARS,
  MAX_HEADER_VALUE,
  MAX_NAME,
  MAX_RECIPIENTS,
  MAX_SUBJECT,
  MESSAGE_LIMIT_BYTES,
} from '@/lib/schemas/limits';
import { messageSchema } from '@/lib/schemas/message';
import type { MappedField } from '@/lib/mail-merge/mapping';
import { mergeCompiled, readSource, type CompiledSpec, type TemplateField } from '@/lib/mail-merge/merge';
import { parseRecipientList, type RecipientEntry } from '@/lib/mail-merge/recipients';
import {
  addMetrics,
  copyMetrics,
  escapeHtml,
  measurePlan,
  measureValue,
  newTextMetrics,
  type TextMetrics,
} from '@/lib/mail-merge/template';

// messageSchema.safeParse costs ~6 µs a message, several times papaparse's parse of the row, and
// building each message and its wire JSON costs as much again. So preflight first asks this
// pre-check, which reads the row directly and may only ACCEPT a row whose merged message
// messageSchema would accept; anything it is unsure of goes through mergeCompiled and
// messageSchema, which decide and word the errors. It accepts by construction:
// - what is the same in every message (fixed values, header names, attachments) is checked once,
//   by messageSchema itself, on a probe message whose per-row parts are known-good placeholders;
// - what comes from the row is checked with rules at least as strict as the schema's.
// It also sizes the wire JSON (what toSendPayload + JSON.stringify would give) without building
// it. Preflight runs the slow path on a sample of accepted rows and drops this check for the whole
// file if they ever disagree; row-check.test.ts fuzzes both against the real thing.

export type AcceptedRow = {
  wireBytes: number;
  toEmail: string;
  /** Template variables that were empty (no fallback), or null. */
  empty: { field: TemplateField; column: string }[] | null;
};

export type RowCheck = {
  /** True (and `out` filled) when the row's message is certainly valid. */
  accept(values: Readonly<Record<string, string>>, out: AcceptedRow): boolean;
};

const EMAIL = z.regexes.html5Email;
const PROBE_EMAIL = 'probe@example.com';
const TEMPLATE_FIELDS: TemplateField[] = ['subject', 'htmlBody', 'textBody'];

const emailOk = (v: string) => v.length > 0 && v.length <= MAX_EMAIL && EMAIL.test(v);
const nameOk = (v: string) => v.length <= MAX_NAME && !hasControl(v, false);

/** The schema's control-character rules (C0 and DEL; HTAB where a header allows it), without a regex call per short value. */
function hasControl(s: string, tabAllowed: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && !(tabAllowed && c === 9)) || c === 127) return true;
  }
  return false;
}

/** null when the constant parts of the spec are not valid: then every row goes to messageSchema. */
export function compileRowCheck(c: CompiledSpec): RowCheck | null {
  const src = c.sources;
  const varies = (f: MappedField) => {
    const s = src[f];
    return s !== null && 'column' in s;
  };
  const probe = mergeCompiled(c, {}).message;
  if (varies('toEmail')) probe.to.email = PROBE_EMAIL;
  if (varies('fromEmail')) probe.from.email = PROBE_EMAIL;
  probe.subject = 'x';
  probe.htmlBody = 'x';
  probe.textBody = 'x';
  // Every header present, so that the schema's duplicate-name rule sees them all; a row can only
  // leave some out (empty cells), never add one.
  probe.headers = c.headers.flatMap((h) => {
    const value = h.source === null ? '' : 'column' in h.source ? 'x' : h.source.fixed;
    return value === '' ? [] : [{ name: h.name, value }];
  });
  if (!messageSchema.safeParse(probe).success) return null;
  if ((c.fixedCc?.invalid.length ?? 0) + (c.fixedBcc?.invalid.length ?? 0) > 0) return null;

  const toEmail = varies('toEmail');
  const fromEmail = varies('fromEmail');
  const toName = varies('toName');
  const fromName = varies('fromName');
  const replyTo = varies('replyToEmail') || varies('replyToName');
  const returnPath = varies('returnPath');
  const ccColumn = varies('cc');
  const bccColumn = varies('bcc');
  const fixedCc = c.fixedCc?.entries ?? [];
  const fixedBcc = c.fixedBcc?.entries ?? [];
  const attachmentBytes = c.attachments.reduce(
    (n, a) => n + (a.kind === 'inline' ? a.content.length : base64Length(a.size)),
    0,
  );
  const attachmentsJson = c.attachments.length
    ? ',"attachments":'.length +
      jsonValueBytes(
        c.attachments.map((a) =>
          a.kind === 'inline'
            ? { filename: a.filename, content: a.content, ...(a.contentType ? { type: a.contentType } : {}) }
            : { attachment_id: a.attachmentId },
        ),
      )
    : 0;
  const fixedFromBytes = addressBytes(probe.from.email, probe.from.name);
  // Fixed header values were checked by the probe; only their size is needed per row.
  const headers = c.headers.map((h) => ({
    nameBytes: jsonStringBytes(h.name) + '"":""'.length,
    column: h.source !== null && 'column' in h.source ? h.source.column : null,
    fixedBytes:
      h.source !== null && 'fixed' in h.source && h.source.fixed !== ''
        ? jsonStringBytes(h.source.fixed)
        : -1,
  }));
  // Rows that could pass the cap on custom headers in all are left to the schema.
  const headerCharsAtMost = c.headers.reduce(
    (n, h) =>
      n +
      h.name.length +
      (h.source !== null && 'fixed' in h.source ? h.source.fixed.length : MAX_HEADER_VALUE),
    0,
  );
  if (headerCharsAtMost > MAX_CUSTOM_HEADER_CHARS) return null;
  const metrics = { subject: newTextMetrics(), htmlBody: newTextMetrics(), textBody: newTextMetrics() };
  // Each column a template reads is measured once per row, however many tags read it.
  const plans = TEMPLATE_FIELDS.map((field) => ({
    field,
    html: c[field].mode === 'html',
    plan: measurePlan(c[field]),
  }));
  if (plans.some((p) => !p.plan.constant.exact || p.plan.vars.some((v) => v.fallback && !v.fallback.exact)))
    return null;
  const slotColumns = [...new Set(plans.flatMap((p) => p.plan.vars.map((v) => v.column)))];
  const slotOf = new Map(slotColumns.map((column, i) => [column, i]));
  const inHtml = slotColumns.map((column) =>
    plans.some((p) => p.html && p.plan.vars.some((v) => v.column === column)),
  );
  const slotVars = plans.map((p) =>
    p.plan.vars.map((v) => ({ slot: slotOf.get(v.column)!, column: v.column, fallback: v.fallback })),
  );
  const textMetrics = slotColumns.map(() => newTextMetrics());
  const escapedMetrics = slotColumns.map(() => newTextMetrics());
  const htmlMetrics: TextMetrics[] = textMetrics.slice();
  const emptySlot = new Uint8Array(slotColumns.length);

  return {
    accept(values, out) {
      const to = readSource(src.toEmail, values);
      if (toEmail && !emailOk(to)) return false;
      const toN = readSource(src.toName, values);
      if (toName && !nameOk(toN)) return false;
      const from = readSource(src.fromEmail, values);
      if (fromEmail && !emailOk(from)) return false;
      const fromN = readSource(src.fromName, values);
      if (fromName && !nameOk(fromN)) return false;
      const replyE = readSource(src.replyToEmail, values);
      const replyN = readSource(src.replyToName, values);
      if (replyTo) {
        if (replyE.trim() === '' ? replyN.trim() !== '' : !emailOk(replyE)) return false;
        if (!nameOk(replyN)) return false;
      }
      const returnP = readSource(src.returnPath, values);
      if (returnPath && returnP !== '' && !emailOk(returnP)) return false;

      let cc = fixedCc;
      let bcc = fixedBcc;
      if (ccColumn || bccColumn) {
        if (ccColumn) {
          const list = recipientsOf(readSource(src.cc, values));
          if (list === null) return false;
          cc = list;
        }
        if (bccColumn) {
          const list = recipientsOf(readSource(src.bcc, values));
          if (list === null) return false;
          bcc = list;
        }
        if (cc.length > MAX_CC || bcc.length > MAX_BCC || 1 + cc.length + bcc.length > MAX_RECIPIENTS)
          return false;
      }

      // {} around the members, a comma between each two; from, to, subject and html_body always.
      let bytes = 2 - 1;
      bytes += 1 + '"from":'.length + (fromEmail || fromName ? addressBytes(from, fromN) : fixedFromBytes);
      bytes += 1 + '"to":'.length + addressBytes(to, toN);
      if (cc.length) bytes += 1 + '"cc":'.length + listBytes(cc);
      if (bcc.length) bytes += 1 + '"bcc":'.length + listBytes(bcc);
      if (replyE.trim()) bytes += 1 + '"reply_to":'.length + addressBytes(replyE, replyN);
      const returnT = returnP.trim();
      if (returnT) bytes += 1 + '"return_path":""'.length + jsonStringBytes(returnT);
      let headerBytes = 0;
      let headerCount = 0;
      for (const h of headers) {
        let valueBytes = h.fixedBytes;
        if (h.column !== null) {
          const raw = values[h.column];
          const value = raw ? raw.trim() : '';
          if (value === '') continue;
          if (value.length > MAX_HEADER_VALUE || hasControl(value, true)) return false;
          valueBytes = jsonStringBytes(value);
        } else if (valueBytes < 0) continue;
        headerBytes += (headerCount ? 1 : 0) + h.nameBytes + valueBytes;
        headerCount++;
      }
      if (headerCount) bytes += 1 + '"custom_headers":{}'.length + headerBytes;
      bytes += attachmentsJson;

      for (let j = 0; j < slotColumns.length; j++) {
        const raw = values[slotColumns[j]!];
        const value = raw ? raw.trim() : '';
        if (value === '') {
          emptySlot[j] = 1;
          continue;
        }
        emptySlot[j] = 0;
        const special = measureValue(value, textMetrics[j]!);
        if (!textMetrics[j]!.exact) return false;
        if (inHtml[j]) {
          if (special) measureValue(escapeHtml(value), escapedMetrics[j]!);
          htmlMetrics[j] = special ? escapedMetrics[j]! : textMetrics[j]!;
        }
      }
      let empty: AcceptedRow['empty'] = null;
      for (let t = 0; t < plans.length; t++) {
        const { field, html, plan } = plans[t]!;
        const m = metrics[field];
        copyMetrics(m, plan.constant);
        let seen: string[] | null = null;
        for (const v of slotVars[t]!) {
          if (emptySlot[v.slot] === 0) addMetrics(m, html ? htmlMetrics[v.slot]! : textMetrics[v.slot]!);
          else if (v.fallback) addMetrics(m, v.fallback);
          else if (seen === null || !seen.includes(v.column)) {
            (seen ??= []).push(v.column);
            (empty ??= []).push({ field, column: v.column });
          }
        }
      }
      const { subject, htmlBody, textBody } = metrics;
      if (subject.length < 1 || subject.length > MAX_SUBJECT || subject.headerControl) return false;
      if (!htmlBody.nonBlank) return false;
      // The schema counts UTF-8 bytes of both bodies; three bytes per UTF-16 unit is an upper bound.
      if (3 * (htmlBody.length + textBody.length) + attachmentBytes > MESSAGE_LIMIT_BYTES) return false;
      bytes += 1 + '"subject":""'.length + subject.jsonBytes;
      bytes += 1 + '"html_body":""'.length + htmlBody.jsonBytes;
      if (textBody.length > 0) bytes += 1 + '"text_body":""'.length + textBody.jsonBytes;

      out.wireBytes = bytes;
      out.toEmail = to;
      out.empty = empty;
      return true;
    },
  };
}

const NO_ENTRIES: RecipientEntry[] = [];

function recipientsOf(cell: string): RecipientEntry[] | null {
  if (cell === '') return NO_ENTRIES;
  const list = parseRecipientList(cell);
  if (list.invalid.length) return null;
  for (const r of list.entries) if (!emailOk(r.email) || !nameOk(r.name)) return null;
  return list.entries;
}

/** JSON of toSendPayload's address(): trimmed email, and the trimmed name when there is one. */
function addressBytes(email: string, name: string): number {
  const n = name.trim();
  return (
    '{"email":""}'.length + jsonStringBytes(email.trim()) + (n ? ',"name":""'.length + jsonStringBytes(n) : 0)
  );
}

function listBytes(list: readonly RecipientEntry[]): number {
  let bytes = 2 + list.length - 1;
  for (const r of list) bytes += addressBytes(r.email, r.name);
  return bytes;
}

export function jsonValueBytes(value: unknown): number {
  if (typeof value === 'string') return jsonStringBytes(value) + 2;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return JSON.stringify(value).length;
  if (Array.isArray(value)) {
    let bytes = 2 + Math.max(0, value.length - 1);
    for (const v of value) bytes += v === undefined ? 4 : jsonValueBytes(v);
    return bytes;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let bytes = 2;
    let n = 0;
    for (const k in record) {
      const v = record[k];
      if (v === undefined) continue;
      bytes += jsonStringBytes(k) + 3 + jsonValueBytes(v);
      n++;
    }
    return bytes + Math.max(0, n - 1);
  }
  return 0;
}

/** UTF-8 bytes of a string's JSON form, without the quotes. */
export function jsonStringBytes(s: string): number {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      if (c === 0x22 || c === 0x5c) bytes += 1;
    } else if (c < 0x20) bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 1 : 5;
    else if (c < 0x80) continue;
    else if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) bytes += 5;
    else bytes += 2;
  }
  return bytes;
}
