import { addressWarnings } from '@/lib/delivery/queries';
import { BodyTooLargeError, failure, readBodyCapped, roleRoute } from '@/lib/http/route';
import { addressListSchema } from '@/lib/schemas/delivery';

export const dynamic = 'force-dynamic';

const MAX_BODY_BYTES = 512 * 1024;

/**
 * Which of these addresses had a Permanent bounce or a complaint: Compose asks for its To/Cc/Bcc,
 * preflight for the CSV's addresses a slice at a time (never the whole suppression history).
 */
export const POST = roleRoute('sender', async (request) => {
  let raw: Uint8Array;
  try {
    raw = await readBodyCapped(request, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      return failure(413, 'payload_too_large', 'Ask about at most 1,000 addresses at a time.');
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return failure(400, 'invalid_input', 'The body must be JSON: { "addresses": ["…"] }');
  }
  const parsed = addressListSchema.safeParse(json);
  if (!parsed.success)
    return failure(400, 'invalid_input', 'Give 1 to 1,000 addresses as { "addresses": ["…"] }');
  return Response.json(
    { warnings: await addressWarnings(parsed.data.addresses) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
});
