'use server';

import { revalidatePath } from 'next/cache';
import { roleAction } from '@/lib/auth/action';
import { recordAudit } from '@/lib/auth/audit';
import { requestInfo } from '@/lib/auth/request-info';
import { getEnv } from '@/lib/env';
import { clearOutbox } from '@/lib/sandbox/outbox';
import type { ActionResult } from '@/lib/schemas/action-result';
import { clearOutboxInputSchema } from '@/lib/schemas/sandbox';

export const clearOutboxAction = roleAction(
  'admin',
  clearOutboxInputSchema,
  async (_input, { user: actor }): Promise<ActionResult<{ deleted: number }>> => {
    if (!getEnv().sandboxServed)
      return {
        ok: false,
        error: {
          code: 'sandbox_not_served',
          message: 'This console does not run the sandbox, so it has no outbox.',
        },
      };
    const deleted = await clearOutbox();
    await recordAudit({
      action: 'sandbox.outbox_cleared',
      actor,
      target: 'sandbox outbox',
      ip: (await requestInfo()).ip,
      detail: { deleted },
    });
    revalidatePath('/sandbox');
    return { ok: true, data: { deleted } };
  },
);
