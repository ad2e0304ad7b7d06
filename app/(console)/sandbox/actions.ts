'use server';

import { revalidatePath } from 'next/cache';
import { roleAction } from '@/lib/auth/action';
import { recordAudit } from '@/lib/auth/audit';
import { requestInfo } from '@/lib/auth/request-info';
import { getEnv } from '@/lib/env';
import { clearOutbox } from '@/lib/sandbox/outbox';
import type { ActionResult } from '@/lib/schemas/action-result';
import { clearOutboxInputSchema, sendTestEventInputSchema } from '@/lib/schemas/sandbox';
import { queueTestEvent } from '@/lib/sandbox/webhooks';

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

/** Posts a synthetic sendmux.test event to the console's receiver, as Sendmux's "Send test" does. */
export const sendTestEventAction = roleAction(
  'admin',
  sendTestEventInputSchema,
  async (): Promise<ActionResult<{ eventId: string }>> => {
    if (!getEnv().sandboxServed)
      return {
        ok: false,
        error: { code: 'sandbox_not_served', message: 'This console does not run the sandbox.' },
      };
    const eventId = await queueTestEvent();
    revalidatePath('/sandbox');
    return { ok: true, data: { eventId } };
  },
);
