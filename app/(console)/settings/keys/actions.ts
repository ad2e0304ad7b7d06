'use server';

import { requireRole } from '@/lib/auth/require-role';
import { profileInputSchema } from '@/lib/schemas/compose';
import { invalidInput, type ActionResult } from '@/lib/schemas/action-result';
import { upstreamError } from '@/lib/sendmux/action-error';
import { getConnection, type ConnectionInfo } from '@/lib/sendmux/operations';
import { hasProfile } from '@/lib/sendmux/profiles';

// GET /me changes nothing upstream, so every role may run the check (support troubleshoots with it).
export async function checkConnectionAction(
  input: unknown,
): Promise<ActionResult<ConnectionInfo & { requestId?: string; logId: number }>> {
  const user = await requireRole('support');
  const parsed = profileInputSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  if (!hasProfile(parsed.data.profile))
    return {
      ok: false,
      error: { code: 'unknown_profile', message: `There is no key profile named “${parsed.data.profile}”` },
    };
  const result = await getConnection(parsed.data.profile, {
    context: { source: 'settings', userId: user.id, userEmail: user.email },
  });
  if (!result.ok) return upstreamError(result);
  return { ok: true, data: { ...result.data, requestId: result.requestId, logId: result.logId } };
}
