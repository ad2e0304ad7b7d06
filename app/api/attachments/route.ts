import { BodyTooLargeError, failure, readBodyCapped, roleRoute } from '@/lib/http/route';
import { invalidInput } from '@/lib/schemas/action-result';
import { uploadAttachmentQuerySchema } from '@/lib/schemas/compose';
import { UPLOAD_LIMIT_BYTES } from '@/lib/schemas/limits';
import { uploadUserFile } from '@/lib/sendmux/attachments';
import { hasProfile } from '@/lib/sendmux/profiles';

export const dynamic = 'force-dynamic';

// Files bigger than an inline attachment: the session and role are checked, then the query, and
// only then is the body read — as a stream, abandoned past Sendmux's 18 MiB upload limit.
export const POST = roleRoute('sender', async (request, { user }) => {
  const query = uploadAttachmentQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return Response.json(invalidInput(query.error), { status: 400 });
  const { profile, idempotencyKey, filename } = query.data;
  if (!hasProfile(profile))
    return failure(400, 'unknown_profile', `There is no key profile named “${profile}”`, {
      fieldErrors: { profile: ['Choose a configured key profile'] },
    });
  let bytes: Uint8Array;
  try {
    bytes = await readBodyCapped(request, UPLOAD_LIMIT_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      return failure(413, 'payload_too_large', 'Sendmux accepts uploads up to 18 MB; pick a smaller file.');
    throw err;
  }
  const result = await uploadUserFile({ profile, idempotencyKey, filename, bytes, user });
  // A refused file is the caller's to fix (400); anything else went wrong on the way to Sendmux (502).
  const status = result.ok ? 201 : ['file_type', 'empty_file'].includes(result.error.code) ? 400 : 502;
  return Response.json(result, { status, headers: { 'Cache-Control': 'no-store' } });
});
