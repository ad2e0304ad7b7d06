'use server';

import { revalidatePath } from 'next/cache';
import { roleAction } from '@/lib/auth/action';
import { recordAudit } from '@/lib/auth/audit';
import { requestInfo } from '@/lib/auth/request-info';
import { clearOutbox } from '@/lib/sandbox/outbox';
import { sandboxNotServed } from '@/lib/sandbox/served';
import type { ActionResult } from '@/lib/schemas/action-result';
import { clearOutboxInputSchema, sendTestEventInputSchema } from '@/lib/schemas/sandbox';
import { queueTestEvent } from '@/lib/sandbox/webhooks';

export const clearOutboxAction = roleAction(
  'admin',
  clearOutboxInputSchema,
  async (_input, { user: actor }): Promise<ActionResult<{ deleted: number }>> => {
    const refused = sandboxNotServed('it has no outbox');
    if (refused) return refused;
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
    const refused = sandboxNotServed('it sends no test events');
    if (refused) return refused;
    const eventId = await queueTestEvent();
    revalidatePath('/sandbox');
    return { ok: true, data: { eventId } };
  },
);
