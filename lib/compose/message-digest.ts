import type { MessageInput } from '@/lib/schemas/message';

/**
 * A digest of what a send puts on the wire (profile and message), so Compose can tell "the same
 * message again" (a safe replay under its key) from "a changed message" (a new send). Two FNV-1a
 * passes, 64 bits: change detection, not security, and it works where crypto.subtle does not
 * (a console served over plain http on a LAN address is not a secure context).
 */
export function messageDigest(profile: string, message: MessageInput): string {
  const text = JSON.stringify([profile, message]);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
