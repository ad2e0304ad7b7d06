import 'server-only';
import { getEnv } from '@/lib/env';
import { getSandboxWebhookSecret } from '@/lib/sandbox/key';

/** Every secret a webhook signature is checked against: SENDMUX_WEBHOOK_SECRETS, plus the sandbox's own when it is served. */
export function webhookSecrets(): string[] {
  const env = getEnv();
  return env.sandboxServed ? [...env.webhookSecrets, getSandboxWebhookSecret()] : env.webhookSecrets;
}
