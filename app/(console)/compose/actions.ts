'use server';

import { revalidatePath } from 'next/cache';
import { after } from 'next/server';
import { requireRole } from '@/lib/auth/require-role';
import { htmlToText } from '@/lib/templates/html-text';
import { mailboxesFor } from '@/lib/sendmux/mailboxes';
import { toSendPayload } from '@/lib/compose/payload';
import { deleteTemplate, saveTemplate } from '@/lib/templates/store';
import {
  htmlToTextInputSchema,
  profileInputSchema,
  uploadAttachmentInputSchema,
} from '@/lib/schemas/compose';
import {
  invalidInput,
  type ActionError,
  type ActionResult,
  type FieldErrors,
} from '@/lib/schemas/action-result';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import { sendEmailInputSchema } from '@/lib/schemas/message';
import { deleteTemplateSchema, saveTemplateSchema } from '@/lib/schemas/template';
import { upstreamError } from '@/lib/sendmux/action-error';
import { sendEmail, uploadAttachment } from '@/lib/sendmux/operations';
import { hasProfile } from '@/lib/sendmux/profiles';

export type SendEmailResult =
  | {
      ok: true;
      data: { messageId: string; status: string; requestId?: string; logId: number; attempts: number };
    }
  | {
      ok: false;
      error: ActionError;
      fieldErrors?: FieldErrors;
      upstreamFieldErrors?: FieldErrors;
      attempts?: number;
    };

const unknownProfile = (profile: string) => ({
  ok: false as const,
  error: { code: 'unknown_profile', message: `There is no key profile named “${profile}”` },
  fieldErrors: { profile: ['Choose a configured key profile'] },
});

export async function sendEmailAction(input: unknown): Promise<SendEmailResult> {
  const user = await requireRole('sender');
  const parsed = sendEmailInputSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { profile, idempotencyKey, message } = parsed.data;
  if (!hasProfile(profile)) return unknownProfile(profile);
  const result = await sendEmail(profile, toSendPayload(message), {
    idempotencyKey,
    context: { source: 'compose', userId: user.id, userEmail: user.email },
    // The outcome row is written as soon as the answer is on its way, not before (bench/send-overhead).
    deferLogWrite: after,
  });
  if (!result.ok) return { ...upstreamError(result), attempts: result.attempts };
  return {
    ok: true,
    data: {
      messageId: result.data.messageId,
      status: result.data.status,
      requestId: result.requestId,
      logId: result.logId,
      attempts: result.attempts,
    },
  };
}

export type UploadResult = ActionResult<{
  attachmentId: string;
  filename: string;
  contentType: string;
  size: number;
  expiresAt: string;
  profile: string;
}>;

export async function uploadAttachmentAction(form: FormData): Promise<UploadResult> {
  const user = await requireRole('sender');
  const parsed = uploadAttachmentInputSchema.safeParse({
    profile: form.get('profile'),
    idempotencyKey: form.get('idempotencyKey'),
    file: form.get('file'),
  });
  if (!parsed.success) return invalidInput(parsed.error);
  const { profile, idempotencyKey, file } = parsed.data;
  if (!hasProfile(profile)) return unknownProfile(profile);
  const type = checkAttachmentType(file.name);
  if (!type.ok) return { ok: false, error: { code: 'file_type', message: type.reason } };
  const result = await uploadAttachment(
    profile,
    { filename: file.name, contentType: type.contentType, bytes: new Uint8Array(await file.arrayBuffer()) },
    { idempotencyKey, context: { source: 'upload', userId: user.id, userEmail: user.email } },
  );
  if (!result.ok) return upstreamError(result);
  const d = result.data;
  return {
    ok: true,
    data: {
      attachmentId: d.attachmentId,
      filename: d.filename,
      contentType: d.contentType,
      size: d.sizeBytes,
      expiresAt: d.expiresAt,
      profile,
    },
  };
}

export async function loadMailboxesAction(input: unknown): Promise<ActionResult<string[]>> {
  const user = await requireRole('sender');
  const parsed = profileInputSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  if (!hasProfile(parsed.data.profile)) return unknownProfile(parsed.data.profile);
  return { ok: true, data: await mailboxesFor(parsed.data.profile, user) };
}

export async function htmlToTextAction(input: unknown): Promise<ActionResult<string>> {
  await requireRole('sender');
  const parsed = htmlToTextInputSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return { ok: true, data: htmlToText(parsed.data.html) };
}

export async function saveTemplateAction(input: unknown): Promise<ActionResult> {
  const user = await requireRole('sender');
  const parsed = saveTemplateSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await saveTemplate(parsed.data.name, parsed.data.message, parsed.data.overwrite, user);
  if (!result.ok) return result;
  revalidatePath('/compose');
  return { ok: true, data: undefined };
}

export async function deleteTemplateAction(input: unknown): Promise<ActionResult> {
  const user = await requireRole('sender');
  const parsed = deleteTemplateSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  await deleteTemplate(parsed.data.id, user);
  revalidatePath('/compose');
  return { ok: true, data: undefined };
}
