import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-sendmux-signature';

/** `sha256=<hex HMAC-SHA256 of the raw body bytes>`: the whole header value Sendmux sends. */
export function signBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Whether the header is the signature of these exact bytes under any of the secrets (several while
 * one is rotated). The whole `sha256=<hex>` value is compared in constant time, so neither the prefix
 * nor a partial match can be probed; bytes are never re-serialised JSON.
 */
export function verifySignature(
  body: Uint8Array,
  header: string | null | undefined,
  secrets: readonly string[],
): boolean {
  if (!header) return false;
  const given = Buffer.from(header.trim(), 'utf8');
  let match = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signBody(secret, body), 'utf8');
    // timingSafeEqual needs equal lengths; a different length is a mismatch on its own.
    const same = given.length === expected.length && timingSafeEqual(given, expected);
    match = match || same;
  }
  return match;
}
