import 'server-only';
import type { SessionUser } from '@/lib/auth/session';
import type { ActionResult } from '@/lib/schemas/action-result';
import type { UploadedFile } from '@/lib/compose/upload';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import { upstreamError } from '@/lib/sendmux/action-error';
import { uploadAttachment } from '@/lib/sendmux/operations';

/** A file a user attaches, uploaded once to POST /emails/attachments and sent later by attachment_id. */
export async function uploadUserFile(input: {
  profile: string;
  idempotencyKey: string;
  filename: string;
  bytes: Uint8Array;
  user: SessionUser;
}): Promise<ActionResult<UploadedFile>> {
  const type = checkAttachmentType(input.filename);
  if (!type.ok) return { ok: false, error: { code: 'file_type', message: type.reason } };
  if (input.bytes.byteLength === 0)
    return { ok: false, error: { code: 'empty_file', message: 'The file is empty' } };
  const result = await uploadAttachment(
    input.profile,
    { filename: input.filename, contentType: type.contentType, bytes: input.bytes },
    {
      idempotencyKey: input.idempotencyKey,
      context: { source: 'upload', userId: input.user.id, userEmail: input.user.email },
    },
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
      profile: input.profile,
    },
  };
}
