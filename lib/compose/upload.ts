import type { ActionResult } from '@/lib/schemas/action-result';

/** A file uploaded once to Sendmux (POST /emails/attachments), sent later by attachment_id. */
export type UploadedFile = {
  attachmentId: string;
  filename: string;
  contentType: string;
  size: number;
  expiresAt: string;
  profile: string;
};

export type UploadResult = ActionResult<UploadedFile>;

/**
 * Uploads a file through the console's POST /api/attachments, which checks the session and role
 * before it reads the body and streams it under Sendmux's 18 MiB cap (a server action would buffer
 * the whole body first). The answer has the shape of an action's; a console that does not answer
 * in JSON becomes a failure too, never a throw.
 */
export async function uploadAttachment(input: {
  profile: string;
  idempotencyKey: string;
  file: File;
}): Promise<UploadResult> {
  const query = new URLSearchParams({
    profile: input.profile,
    idempotencyKey: input.idempotencyKey,
    filename: input.file.name,
  });
  let response: Response;
  try {
    response = await fetch(`/api/attachments?${query}`, {
      method: 'POST',
      body: input.file,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
  } catch {
    return {
      ok: false,
      error: {
        code: 'network_error',
        message: 'The console did not answer; check the connection and try again',
      },
    };
  }
  try {
    return (await response.json()) as UploadResult;
  } catch {
    return {
      ok: false,
      error: {
        code: `http_${response.status}`,
        message: `The console answered ${response.status} ${response.statusText} without a result; try again`,
      },
    };
  }
}
