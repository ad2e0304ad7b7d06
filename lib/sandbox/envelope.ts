import 'server-only';
import { ERROR_CATALOG, statusOf, type ErrorCode } from '@/lib/sandbox/catalog';

export type Issue = { field: string; code: string; message: string };

export type ErrorDetail = {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  param?: string;
  errors?: Issue[];
};

export type Meta = { request_id: string };
export type SuccessEnvelope<T = unknown> = { ok: true; data: T; meta: Meta };
export type ErrorEnvelope = { ok: false; error: ErrorDetail; meta: Meta };
export type Envelope = SuccessEnvelope | ErrorEnvelope;

/** What an endpoint answers; the handler adds the headers every response carries. */
export type Outcome = { status: number; body: Envelope; headers?: Record<string, string> };

export function sandboxError(
  code: ErrorCode,
  message: string = ERROR_CATALOG[code].message,
  extra: { param?: string; errors?: Issue[]; retryable?: boolean } = {},
): ErrorDetail {
  const detail: ErrorDetail = { code, message, retryable: extra.retryable ?? ERROR_CATALOG[code].retryable };
  if (extra.param !== undefined) detail.param = extra.param;
  if (extra.errors !== undefined) detail.errors = extra.errors;
  return detail;
}

export function success<T>(requestId: string, data: T, status = 200): Outcome {
  return { status, body: { ok: true, data, meta: { request_id: requestId } } };
}

/** 429 and 503 always tell the client when to come back, as Sendmux does. */
export function failure(
  requestId: string,
  error: ErrorDetail,
  headers: Record<string, string> = {},
): Outcome {
  const status = statusOf(error.code);
  const retryAfter = (status === 429 || status === 503) && error.retryable && !headers['Retry-After'];
  return {
    status,
    body: { ok: false, error, meta: { request_id: requestId } },
    headers: retryAfter ? { ...headers, 'Retry-After': '1' } : headers,
  };
}

export function validationFailure(requestId: string, issues: Issue[], message?: string): Outcome {
  const n = issues.length;
  return failure(
    requestId,
    sandboxError(
      'validation_error',
      message ?? `The request failed validation (${n} problem${n === 1 ? '' : 's'}); see errors.`,
      {
        errors: issues,
      },
    ),
  );
}

export function toResponse(outcome: Outcome, headers: Record<string, string>): Response {
  const all = {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Request-Id': outcome.body.meta.request_id,
    ...headers,
    ...outcome.headers,
  };
  if (outcome.status === 304) return new Response(null, { status: 304, headers: all });
  return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers: all });
}

/** A response whose body errors at once, so the HTTP client sees the connection fail instead of an answer. */
export function droppedConnection(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new Error('sandbox dropped the connection'));
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
}
