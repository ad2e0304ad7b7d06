// Limits of the Sendmux Sending API (../shared/sendmux/CONTRACT.md and the OpenAPI document).
export const MAX_CC = 49;
export const MAX_BCC = 49;
export const MAX_RECIPIENTS = 50;
export const MAX_SUBJECT = 998;
export const MAX_EMAIL = 254;
export const MAX_NAME = 100;
export const MAX_HEADER_VALUE = 500;
/** The console's own caps on custom headers (Sendmux documents none): a header block stays small. */
export const MAX_CUSTOM_HEADERS = 50;
export const MAX_CUSTOM_HEADER_CHARS = 10_000;
export const MAX_ATTACHMENTS = 10;
/** delivery_group: one id or a list of up to 50 (the October spec). */
export const MAX_DELIVERY_GROUPS = 50;
export const MAX_FILENAME = 255;
export const MAX_IDEMPOTENCY_KEY = 255;
export const MAX_BATCH = 100;
/** Request body, each body, and the final message: 25 MB (the spec's 26,214,400 bytes). */
export const MESSAGE_LIMIT_BYTES = 26_214_400;
/** POST /emails/attachments accepts up to 18 MiB. */
export const UPLOAD_LIMIT_BYTES = 18 * 1024 * 1024;
/**
 * The console's server actions take at most 1 MiB (next.config.ts bodySizeLimit): a form is small,
 * and a large body is buffered before the action can check who sent it. Files go through route
 * handlers that check the session first (/api/attachments), so an inline attachment must be small.
 */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;
/** The largest JSON the browser may hand an action: the limit less room for the action's own framing. */
export const ACTION_PAYLOAD_LIMIT_BYTES = ACTION_BODY_LIMIT_BYTES - 64 * 1024;
/** A file up to this size goes inline as base64 (if the inline total allows); larger ones are uploaded and sent by attachment_id. */
export const INLINE_THRESHOLD_BYTES = 256 * 1024;
/** Raw bytes of all inline files together: base64 of 512 KiB is 683 KiB, leaving room for the bodies. */
export const INLINE_TOTAL_BYTES = 512 * 1024;

/** Length of the base64 text for n raw bytes (with padding). */
export function base64Length(rawBytes: number): number {
  return Math.ceil(rawBytes / 3) * 4;
}

/** Raw bytes a base64 string decodes to (ignores whitespace, honours padding). */
export function decodedLength(base64: string): number {
  const clean = base64.replace(/\s/g, '');
  if (clean.length === 0) return 0;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

/** Bytes of `s` in UTF-8, as TextEncoder writes it: a lone surrogate becomes U+FFFD, 3 bytes. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c < 0xdc00) {
      const next = s.charCodeAt(i + 1);
      n += 2;
      if (next >= 0xdc00 && next < 0xe000) i++;
    } else n += 2;
  }
  return n;
}
