import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';
import { readOrCreateSecretFile } from '@/lib/data-dir';
import { getEnv } from '@/lib/env';

let secret: string | undefined;

/** SESSION_SECRET, or one generated on first start and kept in DATA_DIR. */
export function getSessionSecret(): string {
  secret ??=
    getEnv().sessionSecret ?? readOrCreateSecretFile('session-secret', () => randomBytes(32).toString('hex'));
  return secret;
}

export function hmac(value: string): string {
  return createHmac('sha256', getSessionSecret()).update(value).digest('base64url');
}
