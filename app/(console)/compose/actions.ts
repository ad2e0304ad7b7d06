'use server';

import { revalidatePath } from 'next/cache';
import { after } from 'next/server';
import { requireProfile, roleAction } from '@/lib/auth/action';
import { toSendPayload } from '@/lib/compose/payload';
import type { ActionResult } from '@/lib/schemas/action-result';
import { htmlToTextInputSchema, profileInputSchema } from '@/lib/schemas/compose';
import { sendEmailInputSchema } from '@/lib/schemas/message';
import { deleteTemplateSchema, saveTemplateSchema } from '@/lib/schemas/template';
import { upstreamError } from '@/lib/sendmux/action-error';
import { mailboxesFor } from '@/lib/sendmux/mailboxes';
import { sendEmail } from '@/lib/sendmux/operations';
import { htmlToText } from '@/lib/templates/html-text';
import { deleteTemplate, saveTemplate } from '@/lib/templates/store';

export type SendEmailResult = ActionResult<
  { messageId: string; status: string; requestId?: string; logId: number; attempts: number },
  { attempts: number }
>;

export const sendEmailAction = roleAction(
  'sender',
  sendEmailInputSchema,
  async ({ profile, idempotencyKey, message }, { user }): Promise<SendEmailResult> => {
    const result = await sendEmail(requireProfile(profile), toSendPayload(message), {
      idempotencyKey,
      context: { source: 'compose', userId: user.id, userEmail: user.email },
      // The outcome row is written as soon as the answer is on its way, not before (bench/send-overhead).
      deferLogWrite: after,
    });
    if (!result.ok) return { ...upstreamError(result), attempts: result.attempts };
    const { messageId, status } = result.data;
    return {
      ok: true,
      data: {
        messageId,
        status,
        requestId: result.requestId,
        logId: result.logId,
        attempts: result.attempts,
      },
    };
  },
);

export const loadMailboxesAction = roleAction(
  'sender',
  profileInputSchema,
  async ({ profile }, { user }): Promise<ActionResult<string[]>> => ({
    ok: true,
    data: await mailboxesFor(requireProfile(profile), user),
  }),
);

export const htmlToTextAction = roleAction(
  'sender',
  htmlToTextInputSchema,
  async ({ html }): Promise<ActionResult<string>> => ({ ok: true, data: htmlToText(html) }),
);

export const saveTemplateAction = roleAction(
  'sender',
  saveTemplateSchema,
  async ({ name, message, overwrite }, { user }): Promise<ActionResult> => {
    const result = await saveTemplate(name, message, overwrite, user);
    if (!result.ok) return result;
    revalidatePath('/compose');
    return { ok: true, data: undefined };
  },
);

export const deleteTemplateAction = roleAction(
  'sender',
  deleteTemplateSchema,
  async ({ id }, { user }): Promise<ActionResult> => {
    await deleteTemplate(id, user);
    revalidatePath('/compose');
    return { ok: true, data: undefined };
  },
);
