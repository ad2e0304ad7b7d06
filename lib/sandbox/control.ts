import 'server-only';
import { z } from 'zod';
import { ERROR_CATALOG, resolveErrorCode, type ErrorCode } from '@/lib/sandbox/catalog';
import { failure, sandboxError, success, type ErrorDetail, type Outcome } from '@/lib/sandbox/envelope';
import { clearFaults, FAULT_PATHS, listFaults, queueFault, type FaultPath } from '@/lib/sandbox/faults';
import { readBody, type RequestContext } from '@/lib/sandbox/http';
import { MAX_SLOW_MS } from '@/lib/sandbox/limits';
import { clearOutbox, listOutboxMessages } from '@/lib/sandbox/outbox';
import { resetSandboxRateLimit } from '@/lib/sandbox/rate-limit';

const faultRequest = z.strictObject({
  path: z.enum(FAULT_PATHS),
  code: z.union([z.string(), z.int()]).optional(),
  times: z.int().min(1).max(1000).default(1),
  delayMs: z.int().min(0).max(MAX_SLOW_MS).default(0),
});

const FAULT_FIELD: Record<FaultPath, string> = {
  '/emails/send': 'to.email',
  '/emails/send/batch': 'messages.0.to.email',
  '/emails/attachments': 'filename',
  '/me': 'authorization',
};

/** The error a queued fault answers with. */
export function faultError(path: FaultPath, code: ErrorCode): ErrorDetail {
  const note = '(fault queued through the sandbox control API)';
  if (code === 'validation_error') {
    return sandboxError('validation_error', `The request failed validation ${note}; see errors.`, {
      errors: [{ field: FAULT_FIELD[path], code: 'rejected', message: `Rejected ${note}` }],
    });
  }
  return sandboxError(code, `${ERROR_CATALOG[code].message} ${note}`);
}

const badRequest = (ctx: RequestContext, message: string, param?: string) =>
  failure(ctx.requestId, sandboxError('invalid_parameter', message, { param }));

async function readJson(ctx: RequestContext): Promise<unknown> {
  const raw = await readBody(ctx.request, 64 * 1024);
  if (raw === 'too_large') throw new SyntaxError('the body is larger than 64 KiB');
  return JSON.parse(new TextDecoder().decode(raw));
}

async function addFault(ctx: RequestContext): Promise<Outcome> {
  let body: unknown;
  try {
    body = await readJson(ctx);
  } catch (err) {
    return badRequest(
      ctx,
      `The body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      'body',
    );
  }
  const parsed = faultRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return badRequest(ctx, issue?.message ?? 'Invalid fault', issue?.path.join('.'));
  }
  const { path, times, delayMs } = parsed.data;
  const given = parsed.data.code === undefined ? undefined : String(parsed.data.code);
  const code =
    given === undefined ? undefined : given.toLowerCase() === 'drop' ? 'drop' : resolveErrorCode(given);
  if (given !== undefined && code === undefined)
    return badRequest(
      ctx,
      `Unknown code "${given}": use an error code, an HTTP status such as 503, or "drop"`,
      'code',
    );
  if (code === undefined && delayMs === 0) return badRequest(ctx, 'Give a code, a delayMs, or both', 'code');
  queueFault({ path, code, delayMs, remaining: times });
  return success(ctx.requestId, { faults: listFaults() }, 201);
}

/** /_sandbox/…: test controls behind the same bearer key. Not part of the Sendmux API. */
export async function handleControl(ctx: RequestContext, path: string): Promise<Outcome> {
  switch (`${ctx.request.method} ${path}`) {
    case 'GET /faults':
      return success(ctx.requestId, { faults: listFaults() });
    case 'POST /faults':
      return addFault(ctx);
    case 'DELETE /faults':
      return success(ctx.requestId, { cleared: clearFaults() });
    case 'GET /outbox': {
      const to = ctx.url.searchParams.get('to') || undefined;
      const limit = Number(ctx.url.searchParams.get('limit') ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        return badRequest(ctx, 'limit must be 1 to 500', 'limit');
      const rows = await listOutboxMessages({ to, limit });
      return success(ctx.requestId, {
        messages: rows.map((r) => ({
          id: r.id,
          seq: r.seq,
          created_at: r.createdAt.toISOString(),
          request_id: r.requestId,
          idempotency_key: r.idempotencyKey,
          endpoint: r.endpoint,
          batch_index: r.batchIndex,
          message: r.message,
        })),
      });
    }
    case 'DELETE /outbox':
      return success(ctx.requestId, { deleted: await clearOutbox() });
    case 'POST /rate-limit/reset':
      await resetSandboxRateLimit();
      return success(ctx.requestId, { reset: true });
    default:
      return failure(
        ctx.requestId,
        sandboxError('not_found', `No sandbox control endpoint ${ctx.request.method} /_sandbox${path}`),
      );
  }
}
