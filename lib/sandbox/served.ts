import 'server-only';
import { getEnv } from '@/lib/env';
import type { ActionFailure } from '@/lib/schemas/action-result';

/**
 * What a sandbox-only action answers on a console that does not run the sandbox (live mode with a
 * real Sendmux key), or null when it does. One place, so every sandbox control refuses alike.
 */
export function sandboxNotServed(what: string): ActionFailure | null {
  if (getEnv().sandboxServed) return null;
  return {
    ok: false,
    error: { code: 'sandbox_not_served', message: `This console does not run the sandbox, so ${what}.` },
  };
}
