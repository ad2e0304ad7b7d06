import 'server-only';
import { SANDBOX_API_PATH } from '@/lib/env';
import {
  attachmentData,
  getAttachmentMeta,
  insertAttachment,
  isExpired,
  type AttachmentMeta,
} from '@/lib/sandbox/attachments';
import { failure, sandboxError, success, validationFailure, type Outcome } from '@/lib/sandbox/envelope';
import { attachmentFilenameProblem, contentTypeFor } from '@/lib/sandbox/file-types';
import { readBody, readIdempotencyKey, tooLarge, type RequestContext } from '@/lib/sandbox/http';
import { guardRequest, hashParts } from '@/lib/sandbox/idempotency';
import { ID_PATTERN, newAttachmentId } from '@/lib/sandbox/ids';
import { ATTACHMENT_TTL_MS, IDEMPOTENCY_LEASE_MS, LIMITS } from '@/lib/sandbox/limits';
import { sandboxDb } from '@/lib/sandbox/store';

const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(?:\s*;.*)?$/;

const badParam = (
  ctx: RequestContext,
  code: 'invalid_parameter' | 'missing_parameter',
  param: string,
  message: string,
) => failure(ctx.requestId, sandboxError(code, message, { param }));

/** POST /emails/attachments?filename=&content_type= with the raw file bytes as the body. */
export async function handleUpload(ctx: RequestContext): Promise<Outcome> {
  const idempotency = readIdempotencyKey(ctx);
  if ('outcome' in idempotency) return idempotency.outcome;
  const filename = ctx.url.searchParams.get('filename');
  const contentType = ctx.url.searchParams.get('content_type');
  if (!filename)
    return badParam(
      ctx,
      'missing_parameter',
      'filename',
      'The filename query parameter is required, e.g. ?filename=invoice.pdf',
    );
  if (filename.length > LIMITS.filenameChars)
    return badParam(
      ctx,
      'invalid_parameter',
      'filename',
      `filename must be at most ${LIMITS.filenameChars} characters`,
    );
  if (/[\u0000-\u001f\u007f]/.test(filename) || !filename.isWellFormed())
    return badParam(
      ctx,
      'invalid_parameter',
      'filename',
      'filename must not contain line breaks or control characters',
    );
  if (contentType !== null && (contentType.length > LIMITS.contentTypeChars || !MIME_TYPE.test(contentType)))
    return badParam(
      ctx,
      'invalid_parameter',
      'content_type',
      'content_type must be a MIME type such as application/pdf',
    );

  const bytes = await readBody(ctx.request, LIMITS.uploadBytes);
  if (bytes === 'too_large') return tooLarge(ctx, 'The attachment', LIMITS.uploadBytes);
  if (bytes.byteLength === 0)
    return badParam(
      ctx,
      'invalid_parameter',
      'body',
      'The upload is empty: send the file bytes as the request body',
    );

  const db = await sandboxDb();
  const guard = await guardRequest(db, {
    id: { scope: ctx.scope, endpoint: '/emails/attachments' },
    key: idempotency.key,
    bodyHash: hashParts(filename, contentType ?? '', bytes),
    leaseMs: IDEMPOTENCY_LEASE_MS,
    requestId: ctx.requestId,
  });
  if (guard.answer) return withLocation(ctx, guard.answer);
  try {
    const problem = attachmentFilenameProblem(filename);
    if (problem)
      return await guard.finish(
        validationFailure(ctx.requestId, [
          { field: 'filename', code: 'invalid_file_type', message: problem },
        ]),
      );
    const now = new Date();
    const meta: AttachmentMeta = {
      id: newAttachmentId(),
      filename,
      contentType: contentType ?? contentTypeFor(filename),
      sizeBytes: bytes.byteLength,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ATTACHMENT_TTL_MS),
    };
    const outcome = success(ctx.requestId, attachmentData(meta), 201);
    return withLocation(
      ctx,
      await guard.finish(outcome, { write: (tx) => insertAttachment(tx, meta, bytes) }),
    );
  } catch (err) {
    await guard.abandon().catch(() => {});
    throw err;
  }
}

function withLocation(ctx: RequestContext, outcome: Outcome): Outcome {
  if (outcome.status !== 201 || !outcome.body.ok) return outcome;
  const { attachment_id } = outcome.body.data as { attachment_id: string };
  return {
    ...outcome,
    headers: {
      ...outcome.headers,
      Location: `${ctx.url.origin}${SANDBOX_API_PATH}/emails/attachments/${attachment_id}`,
    },
  };
}

/** GET /emails/attachments/{attachment_id}: metadata only. */
export async function handleGetAttachment(ctx: RequestContext, id: string): Promise<Outcome> {
  const meta = ID_PATTERN.attachment.test(id) ? await getAttachmentMeta(await sandboxDb(), id) : undefined;
  if (!meta || isExpired(meta))
    return failure(
      ctx.requestId,
      sandboxError('not_found', `Attachment ${id} does not exist or has expired`, { param: 'attachment_id' }),
    );
  return success(ctx.requestId, attachmentData(meta));
}
