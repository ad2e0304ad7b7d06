import { ingestWebhook } from '@/lib/delivery/ingest';
import { BodyTooLargeError, readBodyCapped } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** Sendmux's events are small; anything bigger is not one of them. */
const MAX_BODY_BYTES = 1024 * 1024;

const answer = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * Sendmux's delivery events. Public: the signature over the raw bytes is the only credential, so no
 * session is asked for and nothing is written before it checks out. Stores the event and answers;
 * linking it to its message happens after (lib/delivery/correlate.ts).
 */
export async function POST(request: Request): Promise<Response> {
  let raw: Uint8Array;
  try {
    raw = await readBodyCapped(request, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError)
      return answer(413, {
        ok: false,
        error: { code: 'payload_too_large', message: 'The body is over 1 MB' },
      });
    throw err;
  }
  const result = await ingestWebhook(raw, request.headers);
  switch (result.kind) {
    case 'unsigned':
      return answer(401, {
        ok: false,
        error: { code: 'invalid_signature', message: 'X-Sendmux-Signature is missing or does not match' },
      });
    case 'malformed':
      return answer(400, { ok: false, error: { code: 'invalid_event', message: result.reason } });
    case 'stored':
      return answer(200, { ok: true, event_id: result.eventId });
    case 'duplicate':
      return answer(200, { ok: true, event_id: result.eventId, duplicate: true });
    case 'ignored':
      return answer(200, { ok: true, event_id: result.eventId, ignored: result.type });
  }
}
