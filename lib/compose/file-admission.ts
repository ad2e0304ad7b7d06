import { formatBytes } from '@/lib/format/display';
import type { ActionError } from '@/lib/schemas/action-result';
import { checkAttachmentType } from '@/lib/schemas/file-types';
import { MAX_ATTACHMENTS, UPLOAD_LIMIT_BYTES } from '@/lib/schemas/limits';

// Which picked or dropped files may become attachments, for Compose and the batch wizard alike.

export type RefusedFile = { name: string; reason: string };
export type AdmittedFile<F> = { file: F; contentType: string };

/**
 * Sorts files into those a message can take and those it cannot, with the reason for each: a type
 * Sendmux refuses, an empty file, one over the upload limit, or no room left. `room` is how many
 * more attachments the message takes (files already attached or still uploading count against it).
 */
export function admitAttachments<F extends { name: string; size: number }>(
  files: readonly F[],
  room: number,
): { accepted: AdmittedFile<F>[]; refused: RefusedFile[] } {
  const accepted: AdmittedFile<F>[] = [];
  const refused: RefusedFile[] = [];
  for (const file of files) {
    const type = checkAttachmentType(file.name);
    const refuse = (reason: string) => refused.push({ name: file.name, reason });
    if (!type.ok) refuse(type.reason);
    else if (file.size === 0) refuse('The file is empty');
    else if (file.size > UPLOAD_LIMIT_BYTES)
      refuse(
        `${formatBytes(file.size)} is over Sendmux's ${formatBytes(UPLOAD_LIMIT_BYTES)} limit for one attachment`,
      );
    else if (accepted.length >= room)
      refuse(`Sendmux accepts at most ${MAX_ATTACHMENTS} attachments per message`);
    else accepted.push({ file, contentType: type.contentType });
  }
  return { accepted, refused };
}

/** Why an upload to Sendmux failed, with the code and request_id support will ask for. */
export function uploadFailureReason(error: ActionError): string {
  return `Upload failed: ${error.code} — ${error.message}${error.requestId ? ` (request_id ${error.requestId})` : ''}`;
}
