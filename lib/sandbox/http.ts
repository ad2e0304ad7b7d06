import 'server-only';
import { failure, sandboxError, type Outcome } from '@/lib/sandbox/envelope';
import { LIMITS } from '@/lib/sandbox/limits';

export type RequestContext = {
  request: Request;
  url: URL;
  /** The path after /sandbox/api/v1, e.g. /emails/send. */
  apiPath: string;
  requestId: string;
  /** Hash of the API key: idempotency keys and the rate limit are per credential. */
  scope: string;
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads the body, giving up as soon as it passes `limit` bytes (by Content-Length or by counting). */
export async function readBody(request: Request, limit: number): Promise<Uint8Array | 'too_large'> {
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    return 'too_large';
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return 'too_large';
    }
    chunks.push(value);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
}

export function readIdempotencyKey(ctx: RequestContext): { key: string | undefined } | { outcome: Outcome } {
  const key = ctx.request.headers.get('idempotency-key');
  if (key === null) return { key: undefined };
  if (key.length < 1 || key.length > LIMITS.idempotencyKeyChars) {
    return {
      outcome: failure(
        ctx.requestId,
        sandboxError(
          'invalid_parameter',
          `The Idempotency-Key header must be 1 to ${LIMITS.idempotencyKeyChars} characters`,
          {
            param: 'Idempotency-Key',
          },
        ),
      ),
    };
  }
  return { key };
}

export function tooLarge(ctx: RequestContext, what: string, limit: number): Outcome {
  return failure(
    ctx.requestId,
    sandboxError('payload_too_large', `${what} is larger than ${limit} bytes (${limit / 1024 / 1024} MiB)`),
  );
}
