'use server';

import { revalidatePath } from 'next/cache';
import { recordAudit } from '@/lib/auth/audit';
import { requestInfo } from '@/lib/auth/request-info';
import { requireRole } from '@/lib/auth/require-role';
import { getEnv } from '@/lib/env';
import { clearOutbox } from '@/lib/sandbox/outbox';
import { clearOutboxInputSchema } from '@/lib/schemas/sandbox';
import { invalidInput, type ActionResult } from '@/lib/schemas/action-result';

export async function clearOutboxAction(input: unknown): Promise<ActionResult<{ deleted: number }>> {
  const actor = await requireRole('admin');
  const parsed = clearOutboxInputSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
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
}
