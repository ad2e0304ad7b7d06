import 'server-only';
import { explainError } from '@/lib/errors/catalog';
import { parseRetryAfter } from '@/lib/sendmux/retry-policy';
import type { RateLimitInfo, SendmuxError, SendmuxFieldError } from '@/lib/sendmux/types';

export type HeaderSource = { get(name: string): string | null } | Record<string, string | undefined>;

export type EnvelopeInput = {
  status: number;
  headers: HeaderSource;
  bodyText: string;
  now?: number;
};

type Common = {
  status: number;
  requestId: string | undefined;
  rateLimit: RateLimitInfo;
  retryAfter: string | undefined;
  /** Parsed JSON, or the body text (truncated) when it is not JSON, or null when empty. For the request log. */
  raw: unknown;
};

export type EnvelopeSuccess = Common & { ok: true; data: unknown };

export type EnvelopeFailure = Common & {
  ok: false;
  error: SendmuxError;
  /** `error.retryable` exactly as sent; undefined when absent or when there was no envelope. */
  retryableStated: boolean | undefined;
  /** False when the body was not a Sendmux error envelope and the error was derived from the status. */
  enveloped: boolean;
};

export type EnvelopeResult = EnvelopeSuccess | EnvelopeFailure;

export const RAW_TEXT_LIMIT = 2_000;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | undefined>)) {
    if (k.toLowerCase() === wanted) return v;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function rateLimitFrom(headers: HeaderSource, now: number): RateLimitInfo {
  const info: RateLimitInfo = {};
  const limit = finiteNumber(readHeader(headers, 'x-ratelimit-limit'));
  const remaining = finiteNumber(readHeader(headers, 'x-ratelimit-remaining'));
  const reset = finiteNumber(readHeader(headers, 'x-ratelimit-reset'));
  const retryAfterMs = parseRetryAfter(readHeader(headers, 'retry-after'), now);
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset !== undefined) info.reset = reset;
  if (retryAfterMs !== undefined) info.retryAfter = retryAfterMs / 1000;
  return info;
}

/** The code a bare status stands for when the body is not an envelope (a proxy page, an empty 503). */
function statusDerived(status: number): { code: string; retryable: boolean } {
  if (status === 429) return { code: 'rate_limit_exceeded', retryable: true };
  if (status === 413) return { code: 'payload_too_large', retryable: false };
  if (status === 502 || status === 503 || status === 504)
    return { code: 'service_unavailable', retryable: true };
  if (status >= 500) return { code: 'internal_error', retryable: true };
  return { code: 'invalid_response', retryable: false };
}

function fieldErrors(value: unknown): SendmuxFieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: SendmuxFieldError[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    out.push({
      field: typeof item.field === 'string' ? item.field : '',
      code: typeof item.code === 'string' ? item.code : '',
      message: typeof item.message === 'string' ? item.message : '',
    });
  }
  return out;
}

/** An upstream ErrorDetail (top-level or a batch item's) in app shape; undefined when it is not one. */
export function parseErrorDetail(
  value: unknown,
  status: number | null,
): { error: SendmuxError; retryableStated: boolean | undefined } | undefined {
  if (!isRecord(value) || typeof value.code !== 'string' || value.code === '') return undefined;
  const retryableStated = typeof value.retryable === 'boolean' ? value.retryable : undefined;
  const error: SendmuxError = {
    code: value.code,
    message:
      typeof value.message === 'string' && value.message !== ''
        ? value.message
        : explainError(value.code).title,
    // The contract's defaults when the flag is missing: 429 and 5xx may be retried, other 4xx not.
    retryable: retryableStated ?? (status !== null && (status === 429 || status >= 500)),
  };
  if (typeof value.param === 'string') error.param = value.param;
  if (typeof value.doc_url === 'string') error.docUrl = value.doc_url;
  const errors = fieldErrors(value.errors);
  if (errors) error.errors = errors;
  return { error, retryableStated };
}

function describeBody(
  bodyText: string,
  contentType: string | undefined,
  json: unknown,
  isJson: boolean,
): string {
  if (bodyText.trim() === '') return 'an empty body';
  if (!isJson) return `a body that is not JSON${contentType ? ` (${contentType.split(';')[0]})` : ''}`;
  return isRecord(json) && 'ok' in json
    ? 'an envelope it could not read'
    : 'JSON that is not a Sendmux envelope';
}

/** Turns one HTTP answer into a typed result. Never throws: anything unreadable becomes an error result. */
export function parseEnvelope(input: EnvelopeInput): EnvelopeResult {
  const { status, headers, bodyText } = input;
  const now = input.now ?? Date.now();
  let json: unknown = undefined;
  let isJson = false;
  if (bodyText.trim() !== '') {
    try {
      json = JSON.parse(bodyText);
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  const raw = isJson ? json : bodyText === '' ? null : bodyText.slice(0, RAW_TEXT_LIMIT);
  const metaId =
    isRecord(json) && isRecord(json.meta) && typeof json.meta.request_id === 'string'
      ? json.meta.request_id
      : undefined;
  const common: Common = {
    status,
    requestId: readHeader(headers, 'x-request-id') || metaId,
    rateLimit: rateLimitFrom(headers, now),
    retryAfter: readHeader(headers, 'retry-after'),
    raw,
  };
  const is2xx = status >= 200 && status < 300;

  if (isRecord(json) && json.ok === true && is2xx) return { ...common, ok: true, data: json.data };

  if (isRecord(json) && json.ok === false && !is2xx) {
    const detail = parseErrorDetail(json.error, status);
    if (detail)
      return {
        ...common,
        ok: false,
        error: detail.error,
        retryableStated: detail.retryableStated,
        enveloped: true,
      };
  }

  if (isRecord(json) && json.ok === false && is2xx) {
    const inner = parseErrorDetail(json.error, status)?.error;
    return {
      ...common,
      ok: false,
      error: {
        code: 'invalid_response',
        message: `Sendmux answered HTTP ${status} but with ok:false${inner ? ` (${inner.code}: ${inner.message})` : ''}`,
        retryable: false,
      },
      retryableStated: undefined,
      enveloped: false,
    };
  }

  const derived = statusDerived(status);
  const what = describeBody(bodyText, readHeader(headers, 'content-type'), json, isJson);
  const hint =
    status >= 300 && status < 400
      ? `: a redirect${readHeader(headers, 'location') ? ` to ${readHeader(headers, 'location')}` : ''}; check SENDMUX_API_URL`
      : !isJson && bodyText.trim() !== ''
        ? ', probably a page from a proxy or gateway rather than Sendmux'
        : '';
  return {
    ...common,
    ok: false,
    error: {
      code: derived.code,
      message: `Sendmux answered HTTP ${status} with ${what}${hint}`,
      retryable: derived.retryable,
    },
    retryableStated: undefined,
    enveloped: false,
  };
}
