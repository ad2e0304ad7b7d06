import { TextDigest } from '@/lib/format/digest';
import type { MessageInput } from '@/lib/schemas/message';

/**
 * A digest of what a send puts on the wire (profile and message), so Compose can tell "the same
 * message again" (a safe replay under its key) from "a changed message" (a new send).
 */
export function messageDigest(profile: string, message: MessageInput): string {
  const text = JSON.stringify([profile, message]);
  return new TextDigest(text.length).update(text).hex();
}
