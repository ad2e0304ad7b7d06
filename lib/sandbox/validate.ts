import 'server-only';
// Why one long file: it is the sandbox's copy of Sendmux's request validation, kept in the
// order of the OpenAPI schema it mirrors (message, recipients, attachments, batch), independent of
// the console's zod schemas on purpose so that each checks the other.
import type { Issue } from '@/lib/sandbox/envelope';
import { attachmentFilenameProblem } from '@/lib/sandbox/file-types';
import { LIMITS } from '@/lib/sandbox/limits';

export type Address = { email: string; name?: string };
export type InlineAttachment = { filename: string; content: string; type?: string; encoding?: 'base64' };
export type AttachmentRef = { attachment_id: string };
export type SandboxMessage = {
  from: Address;
  to: Address;
  subject: string;
  html_body: string;
  text_body?: string;
  reply_to?: Address;
  return_path?: string;
  cc?: Address[];
  bcc?: Address[];
  custom_headers?: Record<string, string>;
  attachments?: (InlineAttachment | AttachmentRef)[];
  delivery_group?: string | string[];
};

export type MessageCheck = { ok: true; message: SandboxMessage } | { ok: false; issues: Issue[] };
export type BatchCheck = { issues: Issue[]; messages: MessageCheck[] };

const MESSAGE_KEYS = new Set([
  'from',
  'to',
  'subject',
  'html_body',
  'text_body',
  'reply_to',
  'return_path',
  'cc',
  'bcc',
  'custom_headers',
  'attachments',
  'delivery_group',
]);

const KEY_HINTS: Record<string, string> = {
  html: 'html_body',
  htmlBody: 'html_body',
  body: 'html_body',
  text: 'text_body',
  textBody: 'text_body',
  headers: 'custom_headers',
  customHeaders: 'custom_headers',
  replyTo: 'reply_to',
  'reply-to': 'reply_to',
  returnPath: 'return_path',
  attachment: 'attachments',
  deliveryGroup: 'delivery_group',
};

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const HEADER_NAME = /^X-[!#$%&'*+.^_`|~0-9A-Za-z-]+$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(?:\s*;.*)?$/;
const DELIVERY_GROUP = /^dgrp_[a-z0-9][a-z0-9_-]{0,122}$/;
const ATTACHMENT_ID = /^att_[a-z0-9]{24}$/;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  return (
    LOCAL_PART.test(value.slice(0, at)) && value.length - at - 1 <= 253 && DOMAIN.test(value.slice(at + 1))
  );
}

/** Characters as JSON Schema counts them (code points, not UTF-16 units). */
function charCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const hasLineBreak = (value: string) => value.includes('\r') || value.includes('\n');
const clip = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

/** Decoded size of valid base64 text. */
export function base64Size(content: string): number {
  const padding = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  return (content.length / 4) * 3 - padding;
}

class IssueList {
  readonly items: Issue[] = [];
  add(field: string, code: string, message: string): void {
    this.items.push({ field, code, message });
  }
}

function unknownKeys(
  value: Record<string, unknown>,
  allowed: Set<string>,
  prefix: string,
  issues: IssueList,
) {
  for (const key of Object.keys(value)) {
    if (allowed.has(key)) continue;
    const field = prefix ? `${prefix}.${key}` : key;
    if (key === 'idempotency_key') {
      issues.add(
        field,
        'unrecognized_key',
        'idempotency_key is not a body field: send the key in the Idempotency-Key header',
      );
    } else {
      const hint = prefix === '' ? KEY_HINTS[key] : undefined;
      issues.add(
        field,
        'unrecognized_key',
        `Unknown field "${key}"${hint ? `; did you mean "${hint}"?` : ''}`,
      );
    }
  }
}

function checkText(
  value: unknown,
  field: string,
  issues: IssueList,
  rule: { label: string; max: number; min?: number; singleLine?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (rule.required) issues.add(field, 'required', `${rule.label} is required`);
    return;
  }
  if (typeof value !== 'string') return issues.add(field, 'invalid_type', `${rule.label} must be a string`);
  const min = rule.min ?? 0;
  if (value.length < min) return issues.add(field, 'too_small', `${rule.label} must not be empty`);
  // Only strings long in UTF-16 units can be too long in code points; skip the count otherwise.
  if (value.length > rule.max && charCount(value) > rule.max)
    return issues.add(field, 'too_big', `${rule.label} must be at most ${rule.max} characters`);
  if (rule.singleLine && hasLineBreak(value))
    issues.add(field, 'invalid_string', `${rule.label} must not contain line breaks (CR or LF)`);
}

function checkEmail(value: unknown, field: string, issues: IssueList, label = 'Email address'): void {
  if (value === undefined) return issues.add(field, 'required', `${label} is required`);
  if (typeof value !== 'string') return issues.add(field, 'invalid_type', `${label} must be a string`);
  if (value.length > LIMITS.emailChars)
    return issues.add(field, 'too_big', `${label} must be at most ${LIMITS.emailChars} characters`);
  if (!isEmailAddress(value))
    issues.add(field, 'invalid_string', `"${clip(value)}" is not a valid email address`);
}

const ADDRESS_KEYS = new Set(['email', 'name']);

function checkAddress(
  value: unknown,
  field: string,
  issues: IssueList,
  label: string,
  required = false,
): void {
  if (value === undefined) {
    if (required) issues.add(field, 'required', `${label} is required: an object {email, name?}`);
    return;
  }
  if (Array.isArray(value)) {
    const message =
      field === 'to'
        ? 'to takes ONE address object {email, name?}, not a list; put further recipients in cc or bcc'
        : `${label} must be an object {email, name?}, not a list`;
    return issues.add(field, 'invalid_type', message);
  }
  if (!isObject(value)) {
    const got = typeof value === 'string' ? ', not a string' : '';
    return issues.add(field, 'invalid_type', `${label} must be an object {email, name?}${got}`);
  }
  unknownKeys(value, ADDRESS_KEYS, field, issues);
  checkEmail(value.email, `${field}.email`, issues);
  checkText(value.name, `${field}.name`, issues, {
    label: 'Display name',
    max: LIMITS.nameChars,
    singleLine: true,
  });
}

function checkRecipientList(value: unknown, field: 'cc' | 'bcc', issues: IssueList): number {
  if (value === undefined) return 0;
  if (!Array.isArray(value)) {
    issues.add(field, 'invalid_type', `${field} must be a list of address objects {email, name?}`);
    return 0;
  }
  if (value.length > LIMITS.ccOrBcc)
    issues.add(field, 'too_big', `${field} takes at most ${LIMITS.ccOrBcc} addresses (got ${value.length})`);
  value.forEach((item, i) => checkAddress(item, `${field}.${i}`, issues, 'Each recipient'));
  return value.length;
}

function checkHeaders(value: unknown, issues: IssueList): void {
  if (value === undefined) return;
  if (!isObject(value))
    return issues.add(
      'custom_headers',
      'invalid_type',
      'custom_headers must be an object of header name to value',
    );
  for (const [name, headerValue] of Object.entries(value)) {
    const field = `custom_headers.${name}`;
    if (!/^x-/i.test(name))
      issues.add(field, 'invalid_string', `Custom header names must start with X- (got "${clip(name)}")`);
    else if (!HEADER_NAME.test(name))
      issues.add(
        field,
        'invalid_string',
        `"${clip(name)}" is not a valid header name (letters, digits and -!#$%&'*+.^_\`|~ only)`,
      );
    checkText(headerValue, field, issues, {
      label: `Header ${clip(name)}`,
      max: LIMITS.headerValueChars,
      singleLine: true,
      required: true,
    });
  }
}

const INLINE_KEYS = new Set(['filename', 'content', 'type', 'encoding']);
const REF_KEYS = new Set(['attachment_id']);
const CID_KEYS = new Set(['content_id', 'cid', 'disposition', 'inline']);

function checkAttachment(value: unknown, field: string, issues: IssueList): void {
  if (!isObject(value))
    return issues.add(
      field,
      'invalid_type',
      'Each attachment must be {filename, content} or {attachment_id}',
    );
  if ('attachment_id' in value) {
    unknownKeys(value, REF_KEYS, field, issues);
    const id = value.attachment_id;
    if (typeof id !== 'string' || !ATTACHMENT_ID.test(id))
      issues.add(
        `${field}.attachment_id`,
        'invalid_string',
        'attachment_id must be att_ followed by 24 lowercase letters or digits',
      );
    return;
  }
  for (const key of Object.keys(value)) {
    if (CID_KEYS.has(key))
      issues.add(`${field}.${key}`, 'unrecognized_key', 'Inline (content-ID) attachments are not supported');
  }
  unknownKeys(
    Object.fromEntries(Object.entries(value).filter(([k]) => !CID_KEYS.has(k))),
    INLINE_KEYS,
    field,
    issues,
  );
  const { filename, content, type, encoding } = value;
  checkText(filename, `${field}.filename`, issues, {
    label: 'filename',
    min: 1,
    max: LIMITS.filenameChars,
    singleLine: true,
    required: true,
  });
  if (typeof filename === 'string' && filename !== '' && filename.length <= LIMITS.filenameChars) {
    const problem = attachmentFilenameProblem(filename);
    if (problem) issues.add(`${field}.filename`, 'invalid_file_type', problem);
  }
  if (content === undefined)
    issues.add(`${field}.content`, 'required', 'content is required (base64 file content)');
  else if (typeof content !== 'string')
    issues.add(`${field}.content`, 'invalid_type', 'content must be a base64 string');
  else if (content === '') issues.add(`${field}.content`, 'too_small', 'content must not be empty');
  else if (content.length % 4 !== 0 || !BASE64.test(content))
    issues.add(
      `${field}.content`,
      'invalid_string',
      'content must be standard base64 (A-Z a-z 0-9 + / with = padding, no line breaks)',
    );
  if (
    type !== undefined &&
    (typeof type !== 'string' || !MIME_TYPE.test(type) || type.length > LIMITS.contentTypeChars)
  )
    issues.add(`${field}.type`, 'invalid_string', 'type must be a MIME type such as application/pdf');
  if (encoding !== undefined && encoding !== 'base64')
    issues.add(`${field}.encoding`, 'invalid_enum_value', 'encoding must be "base64"');
}

function checkAttachments(value: unknown, issues: IssueList): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return issues.add('attachments', 'invalid_type', 'attachments must be a list');
  if (value.length > LIMITS.attachments)
    issues.add(
      'attachments',
      'too_big',
      `At most ${LIMITS.attachments} attachments per message (got ${value.length})`,
    );
  value.forEach((item, i) => checkAttachment(item, `attachments.${i}`, issues));
}

function checkDeliveryGroup(value: unknown, issues: IssueList): void {
  if (value === undefined) return;
  const bad = 'must be a delivery group id such as dgrp_main (lowercase letters, digits, _ and -)';
  if (typeof value === 'string') {
    if (!DELIVERY_GROUP.test(value)) issues.add('delivery_group', 'invalid_string', `delivery_group ${bad}`);
    return;
  }
  if (!Array.isArray(value))
    return issues.add('delivery_group', 'invalid_type', 'delivery_group must be an id or a list of ids');
  if (value.length === 0)
    issues.add('delivery_group', 'too_small', 'delivery_group must not be an empty list');
  if (value.length > LIMITS.deliveryGroups)
    issues.add('delivery_group', 'too_big', `delivery_group takes at most ${LIMITS.deliveryGroups} ids`);
  value.forEach((item, i) => {
    if (typeof item !== 'string' || !DELIVERY_GROUP.test(item))
      issues.add(`delivery_group.${i}`, 'invalid_string', `Each delivery group ${bad}`);
  });
}

/** Checks one EmailSendRequest and reports every problem, with dot paths relative to the message. */
export function validateMessage(value: unknown): MessageCheck {
  if (!isObject(value))
    return {
      ok: false,
      issues: [{ field: '', code: 'invalid_type', message: 'A message must be a JSON object' }],
    };
  const issues = new IssueList();
  unknownKeys(value, MESSAGE_KEYS, '', issues);
  checkAddress(value.from, 'from', issues, 'from', true);
  checkAddress(value.to, 'to', issues, 'to', true);
  checkText(value.subject, 'subject', issues, {
    label: 'subject',
    min: 1,
    max: LIMITS.subjectChars,
    singleLine: true,
    required: true,
  });
  checkText(value.html_body, 'html_body', issues, {
    label: 'html_body',
    min: 1,
    max: LIMITS.bodyChars,
    required: true,
  });
  checkText(value.text_body, 'text_body', issues, { label: 'text_body', max: LIMITS.bodyChars });
  checkAddress(value.reply_to, 'reply_to', issues, 'reply_to');
  if (value.return_path !== undefined) checkEmail(value.return_path, 'return_path', issues, 'return_path');
  const cc = checkRecipientList(value.cc, 'cc', issues);
  const bcc = checkRecipientList(value.bcc, 'bcc', issues);
  if (cc <= LIMITS.ccOrBcc && bcc <= LIMITS.ccOrBcc && 1 + cc + bcc > LIMITS.recipients)
    issues.add(
      bcc > 0 ? 'bcc' : 'cc',
      'too_big',
      `At most ${LIMITS.recipients} recipients across to, cc and bcc (got ${1 + cc + bcc})`,
    );
  checkHeaders(value.custom_headers, issues);
  checkAttachments(value.attachments, issues);
  checkDeliveryGroup(value.delivery_group, issues);
  return issues.items.length === 0
    ? { ok: true, message: value as SandboxMessage }
    : { ok: false, issues: issues.items };
}

/** Checks a BatchSendRequest: problems with the body itself, and each message on its own. */
export function validateBatch(value: unknown): BatchCheck {
  if (!isObject(value))
    return {
      issues: [{ field: '', code: 'invalid_type', message: 'The body must be an object {messages: [...]}' }],
      messages: [],
    };
  const issues = new IssueList();
  unknownKeys(value, new Set(['messages']), '', issues);
  const messages = value.messages;
  if (messages === undefined)
    issues.add('messages', 'required', 'messages is required: a list of 1 to 100 messages');
  else if (!Array.isArray(messages))
    issues.add('messages', 'invalid_type', 'messages must be a list of messages');
  else if (messages.length === 0)
    issues.add('messages', 'too_small', 'messages must hold at least one message');
  else if (messages.length > LIMITS.batchMessages)
    issues.add(
      'messages',
      'too_big',
      `A batch holds at most ${LIMITS.batchMessages} messages (got ${messages.length})`,
    );
  const checked =
    Array.isArray(messages) && messages.length <= LIMITS.batchMessages
      ? messages.map((m) => validateMessage(m))
      : [];
  return { issues: issues.items, messages: checked };
}

/**
 * The path of the first string (or key) PostgreSQL text cannot hold: a NUL character or an unpaired
 * UTF-16 surrogate. Checked before anything else so such text never reaches a column or an error message.
 */
export function unstorableTextPath(value: unknown, path = ''): string | undefined {
  const bad = (s: string) => s.includes('\u0000') || !s.isWellFormed();
  if (typeof value === 'string') return bad(value) ? path || 'body' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextPath(value[i], path ? `${path}.${i}` : String(i));
      if (found !== undefined) return found;
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (bad(key)) return path || 'body';
      const found = unstorableTextPath(item, path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Re-roots a message's issue paths under `messages.<index>` for a whole-batch answer. */
export function underMessage(index: number, issues: Issue[]): Issue[] {
  return issues.map((issue) => ({
    ...issue,
    field: issue.field ? `messages.${index}.${issue.field}` : `messages.${index}`,
  }));
}
