'use server';

import { requireProfile, roleAction } from '@/lib/auth/action';
import type { ActionResult } from '@/lib/schemas/action-result';
import { profileInputSchema } from '@/lib/schemas/compose';
import { upstreamError } from '@/lib/sendmux/action-error';
import { getConnection, type ConnectionInfo } from '@/lib/sendmux/operations';

// GET /me changes nothing upstream, so every role may run the check (support troubleshoots with it).
export const checkConnectionAction = roleAction(
  'support',
  profileInputSchema,
  async (
    { profile },
    { user },
  ): Promise<ActionResult<ConnectionInfo & { requestId?: string; logId: number }>> => {
    const result = await getConnection(requireProfile(profile), {
      context: { source: 'settings', userId: user.id, userEmail: user.email },
    });
    if (!result.ok) return upstreamError(result);
    return { ok: true, data: { ...result.data, requestId: result.requestId, logId: result.logId } };
  },
);
