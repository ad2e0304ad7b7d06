import 'server-only';
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 24;

/** `<prefix>` + 24 characters of [a-z0-9], uniformly random (bytes ≥ 252 are skipped to avoid modulo bias). */
export function randomId(prefix: string): string {
  let out = prefix;
  while (out.length < prefix.length + ID_LENGTH) {
    for (const byte of randomBytes(32)) {
      if (byte >= 252) continue;
      out += ALPHABET[byte % 36];
      if (out.length === prefix.length + ID_LENGTH) break;
    }
  }
  return out;
}

export const newRequestId = () => randomId('req_');
export const newMessageId = () => randomId('eml_');
export const newAttachmentId = () => randomId('att_');
export const newUploadId = () => randomId('upl_');

export const ID_PATTERN = {
  request: /^req_[a-z0-9]{24}$/,
  message: /^eml_[a-z0-9]{24}$/,
  attachment: /^att_[a-z0-9]{24}$/,
  upload: /^upl_[a-z0-9]{24}$/,
} as const;
