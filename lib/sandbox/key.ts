import 'server-only';
import { randomBytes } from 'node:crypto';
import { readOrCreateSecretFile } from '@/lib/data-dir';
import { getEnv, SANDBOX_MANAGEMENT_PATH } from '@/lib/env';

/**
 * The key the sandbox accepts: SANDBOX_API_KEY when set, else one generated on first start and
 * kept in DATA_DIR. It looks like a mailbox key so the console treats it exactly like a real one.
 */
export function getSandboxKey(): string {
  const configured = getEnv().sandboxApiKey;
  if (configured) return configured;
  return readOrCreateSecretFile('sandbox-api-key', () => `smx_mbx_sbx${randomBytes(18).toString('hex')}`);
}

/** The secret the sandbox signs its webhook posts with: generated on first use and kept in DATA_DIR. */
export function getSandboxWebhookSecret(): string {
  return readOrCreateSecretFile(
    'sandbox-webhook-secret',
    () => `whsec_sbx${randomBytes(24).toString('hex')}`,
  );
}

/**
 * The management key (smx_root_…) the sandbox's delivery-logs API accepts: generated on first use
 * and kept in DATA_DIR. Sending with it is refused, as Sendmux refuses root keys on the Sending API.
 */
export function getSandboxManagementKey(): string {
  return readOrCreateSecretFile(
    'sandbox-management-key',
    () => `smx_root_sbx${randomBytes(18).toString('hex')}`,
  );
}

/**
 * Every management key the sandbox's delivery-logs API accepts: its own, and SENDMUX_MANAGEMENT_KEY
 * when SENDMUX_MANAGEMENT_API_URL points at this console's own sandbox (as SANDBOX_API_KEY stands
 * in for a sending key), so a configured key can be tried end to end without Sendmux.
 */
export function sandboxManagementKeys(): string[] {
  const env = getEnv();
  const own = getSandboxManagementKey();
  if (!env.managementKey) return [own];
  const u = new URL(env.managementApiUrl);
  const here =
    ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) &&
    u.port === String(env.port) &&
    u.pathname.replace(/\/$/, '') === SANDBOX_MANAGEMENT_PATH;
  return here ? [own, env.managementKey] : [own];
}
