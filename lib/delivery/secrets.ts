import 'server-only';
import { randomBytes } from 'node:crypto';
import { readOrCreateSecretFile } from '@/lib/data-dir';
import { getEnv } from '@/lib/env';

/** The sandbox's signing secret: generated on first use and kept in DATA_DIR, like the sandbox key. */
export function getSandboxWebhookSecret(): string {
  return readOrCreateSecretFile(
    'sandbox-webhook-secret',
    () => `whsec_sbx${randomBytes(24).toString('hex')}`,
  );
}

/** Every secret a webhook signature is checked against: SENDMUX_WEBHOOK_SECRETS, plus the sandbox's own when it is served. */
export function webhookSecrets(): string[] {
  const env = getEnv();
  return env.sandboxServed ? [...env.webhookSecrets, getSandboxWebhookSecret()] : env.webhookSecrets;
}
