import { revalidatePath } from 'next/cache';
import type { SessionUser } from '@/lib/auth/session';
import { fileTooLargeMessage, startBatchFromStream } from '@/lib/batch/start-batch';
import { discardRest, failure, roleRoute } from '@/lib/http/route';
import { invalidInput } from '@/lib/schemas/action-result';
import { startBatchRequestSchema } from '@/lib/schemas/batch';
import { MAX_CSV_BYTES, MAX_START_META_BYTES } from '@/lib/schemas/batch-values';
import { hasProfile } from '@/lib/sendmux/profiles';

export const dynamic = 'force-dynamic';

/** The most of a body this route reads, refused or not. */
const MAX_UPLOAD_BYTES = MAX_CSV_BYTES + MAX_START_META_BYTES;

/** Refusals answered with a status of their own; the rest are 400. */
const REFUSAL_STATUS: Partial<Record<string, number>> = { payload_too_large: 413, duplicate_upload: 409 };

// Starts a CSV mail merge. The body is one line of JSON (name, key profile, mapping, excluded
// lines), then the CSV file as it is on disk. The session and role are checked before a byte is
// read; the JSON is capped and validated before the file is; the file is parsed, checked and
// stored as it arrives (lib/batch/start-batch.ts) and abandoned past MAX_CSV_BYTES.
export const POST = roleRoute('sender', async (request, { user }) => {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES)
    return failure(413, 'payload_too_large', fileTooLargeMessage(MAX_CSV_BYTES));
  if (!request.body) return failure(400, 'invalid_input', 'Choose a CSV file');
  const reader = request.body.getReader();
  try {
    return await startFromBody(reader, user);
  } finally {
    // Refused part way, or failed: the answer goes out now and the rest is still read (see discardRest).
    discardRest(reader, MAX_UPLOAD_BYTES);
  }
});

/** The head line checked, then the file read and stored; a refusal answers without reading on. */
async function startFromBody(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  user: SessionUser,
): Promise<Response> {
  let head: { meta: Uint8Array; rest: Uint8Array } | null;
  try {
    head = await readFirstLine(reader, MAX_START_META_BYTES);
  } catch (err) {
    if (err instanceof MetaTooLargeError)
      return failure(
        413,
        'payload_too_large',
        'The mapping and excluded lines are too large to send with the file.',
      );
    throw err;
  }
  if (!head) return failure(400, 'invalid_input', 'Choose a CSV file');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(head.meta));
  } catch {
    return failure(400, 'invalid_input', 'The upload must start with one line of JSON describing the job.');
  }
  const parsed = startBatchRequestSchema.safeParse(json);
  if (!parsed.success) return Response.json(invalidInput(parsed.error), { status: 400 });
  if (!hasProfile(parsed.data.profile))
    return failure(400, 'unknown_profile', `There is no key profile named “${parsed.data.profile}”`, {
      fieldErrors: { profile: ['Choose a configured key profile'] },
    });
  const result = await startBatchFromStream(
    { ...parsed.data, user: { id: user.id, email: user.email } },
    rest(head.rest, reader),
  );
  if (result.ok) revalidatePath('/batches');
  const status = result.ok ? 201 : (REFUSAL_STATUS[result.error.code] ?? 400);
  return Response.json(result, { status, headers: { 'Cache-Control': 'no-store' } });
}

class MetaTooLargeError extends Error {}

/** Reads up to the first line break; null when the body ends before one. */
async function readFirstLine(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<{ meta: Uint8Array; rest: Uint8Array } | null> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return null;
    const nl = value.indexOf(10);
    if (nl !== -1) {
      if (size + nl > limit) throw new MetaTooLargeError();
      parts.push(value.subarray(0, nl));
      return { meta: concat(parts, size + nl), rest: value.subarray(nl + 1) };
    }
    size += value.byteLength;
    if (size > limit) throw new MetaTooLargeError();
    parts.push(value);
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

async function* rest(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>) {
  if (first.byteLength) yield first;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}
