import 'server-only';
import { SANDBOX_API_PATH } from '@/lib/env';
import { scopeOfKey } from '@/lib/sandbox/auth';
import { failure, droppedConnection, sandboxError, toResponse, type Outcome } from '@/lib/sandbox/envelope';
import { faultError, handleControl } from '@/lib/sandbox/control';
import { takeFault, type FaultPath } from '@/lib/sandbox/faults';
import { sleep, type RequestContext } from '@/lib/sandbox/http';
import { newRequestId } from '@/lib/sandbox/ids';
import { handleMe } from '@/lib/sandbox/me';
import { freshWindow, peekRateLimit, rateLimitHeaders, takeRateLimit } from '@/lib/sandbox/rate-limit';
import { handleSend } from '@/lib/sandbox/send';
import { handleGetAttachment, handleUpload } from '@/lib/sandbox/upload';

type Route = {
  method: string;
  pattern: RegExp;
  fault?: FaultPath;
  run: (ctx: RequestContext, params: string[]) => Promise<Outcome | Response> | Outcome;
};

const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/emails\/send$/,
    fault: '/emails/send',
    run: (ctx) => handleSend(ctx, 'single'),
  },
  {
    method: 'POST',
    pattern: /^\/emails\/send\/batch$/,
    fault: '/emails/send/batch',
    run: (ctx) => handleSend(ctx, 'batch'),
  },
  { method: 'POST', pattern: /^\/emails\/attachments$/, fault: '/emails/attachments', run: handleUpload },
  {
    method: 'GET',
    pattern: /^\/emails\/attachments\/([^/]+)$/,
    run: (ctx, [id]) => handleGetAttachment(ctx, id ?? ''),
  },
  { method: 'GET', pattern: /^\/me$/, fault: '/me', run: handleMe },
];

/** Upload intents (a presigned PUT flow) exist upstream; the console uploads with POST /emails/attachments. */
const NOT_EMULATED = /^\/emails\/attachment-uploads(\/[^/]+)?$/;

/** The credential's scope (hash of the key) when the bearer key is the sandbox key. */
function authenticate(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1] ? scopeOfKey(match[1]) : undefined;
}

function authError(request: Request) {
  return request.headers.has('authorization')
    ? sandboxError('authentication_required', 'The API key is invalid, expired or revoked.')
    : sandboxError('authentication_required', 'Missing API key: send Authorization: Bearer <key>.');
}

function findRoute(
  method: string,
  apiPath: string,
  requestId: string,
): { route: Route; params: string[] } | { outcome: Outcome } {
  const matching = ROUTES.filter((r) => r.pattern.test(apiPath));
  for (const route of matching) {
    if (route.method === method) return { route, params: (route.pattern.exec(apiPath) ?? []).slice(1) };
  }
  if (NOT_EMULATED.test(apiPath)) {
    const message = `${method} ${apiPath} is part of the Sending API but the sandbox does not emulate it; upload with POST /emails/attachments`;
    return { outcome: failure(requestId, sandboxError('not_found', message)) };
  }
  if (matching.length === 0)
    return {
      outcome: failure(
        requestId,
        sandboxError('not_found', `No endpoint ${method} ${apiPath} in the Sending API`),
      ),
    };
  const allow = matching.map((r) => r.method).join(', ');
  const outcome = failure(
    requestId,
    sandboxError('not_found', `${apiPath} does not accept ${method}; use ${allow}`),
  );
  return { outcome: { ...outcome, status: 405, headers: { Allow: allow } } };
}

/** The first line only: a failed query's message goes on to list its parameters, i.e. message content. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.message.split('\n')[0]}${cause}`;
}

/** Serves the sandbox Sending API: everything under /sandbox/api/v1. */
export async function handleSandboxRequest(request: Request): Promise<Response> {
  const requestId = newRequestId();
  let rate = freshWindow();
  try {
    const url = new URL(request.url);
    const apiPath = url.pathname.startsWith(SANDBOX_API_PATH)
      ? url.pathname.slice(SANDBOX_API_PATH.length)
      : url.pathname;
    const scope = authenticate(request);
    if (!scope) return toResponse(failure(requestId, authError(request)), rateLimitHeaders(rate));
    rate = await peekRateLimit(scope);
    const ctx: RequestContext = { request, url, apiPath, requestId, scope };
    if (apiPath.startsWith('/_sandbox/'))
      return toResponse(await handleControl(ctx, apiPath.slice('/_sandbox'.length)), rateLimitHeaders(rate));

    const found = findRoute(request.method, apiPath, requestId);
    if ('outcome' in found) return toResponse(found.outcome, rateLimitHeaders(rate));
    rate = await takeRateLimit(scope);
    if (!rate.allowed) {
      const error = sandboxError(
        'rate_limit_exceeded',
        `Rate limit exceeded: at most ${rate.limit} requests per 60 seconds per key; retry in ${rate.retryAfterSeconds} s.`,
      );
      return toResponse(
        failure(requestId, error, { 'Retry-After': String(rate.retryAfterSeconds) }),
        rateLimitHeaders(rate),
      );
    }
    const fault = found.route.fault ? takeFault(found.route.fault) : undefined;
    if (fault) {
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.code === 'drop') return droppedConnection();
      if (fault.code)
        return toResponse(failure(requestId, faultError(fault.path, fault.code)), rateLimitHeaders(rate));
    }
    const result = await found.route.run(ctx, found.params);
    return result instanceof Response ? result : toResponse(result, rateLimitHeaders(rate));
  } catch (err) {
    console.error(`sandbox: ${request.method} ${request.url} failed: ${describeError(err)}`);
    const error = sandboxError(
      'internal_error',
      'The sandbox failed unexpectedly; see the console server log.',
    );
    return toResponse(failure(requestId, error), rateLimitHeaders(rate));
  }
}

/** What the route answers when this console does not serve the sandbox. */
export function sandboxNotServed(): Response {
  const error = sandboxError(
    'not_found',
    'The sandbox API is not served: this console is configured for a real Sendmux account.',
  );
  return toResponse(failure(newRequestId(), error), {});
}
