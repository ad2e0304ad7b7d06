import 'server-only';
// Why one long file: it is the one request loop to Sendmux (budget slot, attempt log row, timeout,
// evaluation, retry decision) and reads top to bottom as one attempt does; split, the order of
// those steps — which is what keeps sends exactly-once — would be spread over files.
import { request } from 'undici';
import { getEnv, maskKey } from '@/lib/env';
import {
  completeAttempt,
  scheduleRetry,
  startAttempt,
  type AttemptCompletion,
  type RequestContext,
} from '@/lib/requests/record';
import { recordUpstream } from '@/lib/metrics/registry';
import {
  abortableSleep,
  observeRateLimit,
  takeSlot,
  INTERACTIVE_MAX_WAIT_MS,
  type SlotClass,
} from '@/lib/sendmux/budget';
import { parseEnvelope, type EnvelopeResult } from '@/lib/sendmux/envelope';
import { trackInFlight } from '@/lib/sendmux/in-flight';
import { resolveProfileKey, UnknownProfileError } from '@/lib/sendmux/profiles';
import {
  decideRetry,
  parseRetryAfter,
  RETRY_DEFAULTS,
  type AttemptOutcome,
} from '@/lib/sendmux/retry-policy';
import type { RateLimitInfo, SendmuxError, SendmuxResult } from '@/lib/sendmux/types';

export type { RequestContext, RequestSource } from '@/lib/requests/record';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type Transport = {
  /**
   * Hands the write that completes the last attempt's request-log row to the caller, to run once
   * the answer is on its way (a server action passes Next's `after`). Earlier attempts of a retried
   * call are still completed before the retry, and the pending row is always written before the call.
   */
  deferLogWrite?: (write: () => Promise<void>) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
};

export type SendmuxRequestOptions<T> = Transport & {
  profile: string;
  method: HttpMethod;
  /** Relative to the API base, e.g. "/emails/send". */
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
  idempotencyKey?: string;
  context: RequestContext;
  maxAttempts?: number;
  deadlineMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Which share of the key's rate budget each attempt draws from (default interactive: someone is
   * waiting for the answer). Batch workers take their first attempt's start themselves
   * (`firstSlotTaken`), so they can give a chunk back instead of waiting when they stop.
   */
  rateClass?: SlotClass;
  firstSlotTaken?: boolean;
  /**
   * Checks and converts `data` of a success. Returning undefined turns the answer into an
   * invalid_response failure (recorded as such), so callers never see a half-shaped success.
   */
  parseData?: (data: unknown) => T | undefined;
};

type RawAttempt =
  | { kind: 'response'; status: number; headers: Record<string, string>; bodyText: string }
  | { kind: 'network'; message: string }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

type Evaluated = {
  ok: boolean;
  status: number | null;
  data?: unknown;
  error?: SendmuxError;
  requestId?: string;
  rateLimit: RateLimitInfo;
  raw: unknown;
  outcome: AttemptOutcome | null;
};

const USER_AGENT = 'sendmux-console/0.1';

function validIdempotencyKey(key: string): boolean {
  // Header value rules plus the vendor's 1–255 length; CR/LF would be header injection.
  return key.length >= 1 && key.length <= 255 && /^[\x20-\x7e]+$/.test(key);
}

function buildUrl(base: string, path: string, query?: Record<string, string | undefined>): string {
  const url = new URL(base.replace(/\/$/, '') + (path.startsWith('/') ? path : `/${path}`));
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Replaces every occurrence of the key with its masked form, deep, in anything about to be stored or returned. */
function scrub<T>(value: T, secret: string): T {
  const masked = maskKey(secret);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(secret) ? v.split(secret).join(masked) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !(v instanceof ArrayBuffer)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

function describeNetworkError(err: unknown, origin: string): string {
  const cause =
    err instanceof Error && err.cause instanceof Error ? err.cause : err instanceof Error ? err : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  const detail = cause?.message || String(err);
  return `Could not reach Sendmux at ${origin}${code ? ` (${code})` : ''}: ${detail}`;
}

function defaultSleep(signal?: AbortSignal) {
  return (ms: number) => abortableSleep(ms, signal);
}

/**
 * One HTTP exchange, over undici's `request` (the client under Node's own fetch) on its keep-alive
 * pool. Not `fetch`: inside Next.js that is Next's patched fetch on top of WHATWG streams, which
 * measured 1.1 ms more per send in bench/send-overhead. Redirects are not followed, and the body
 * is not decompressed because none is asked for.
 */
async function performAttempt(
  url: string,
  init: { method: HttpMethod; headers: Record<string, string>; body?: string | Uint8Array },
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<RawAttempt> {
  if (signal?.aborted) return { kind: 'cancelled' };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await request(url, { ...init, signal: controller.signal });
    // The timer stays armed while the body streams in: a server that stalls mid-body is a timeout too.
    const bodyText = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers))
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return { kind: 'response', status: res.statusCode, headers, bodyText };
  } catch (err) {
    if (timedOut) return { kind: 'timeout' };
    if (signal?.aborted) return { kind: 'cancelled' };
    return { kind: 'network', message: describeNetworkError(err, new URL(url).origin) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function evaluate<T>(
  raw: RawAttempt,
  timeoutMs: number,
  now: number,
  parseData?: (data: unknown) => T | undefined,
): Evaluated {
  if (raw.kind === 'network') {
    return {
      ok: false,
      status: null,
      error: { code: 'network_error', message: raw.message, retryable: true },
      rateLimit: {},
      raw: null,
      outcome: { kind: 'network' },
    };
  }
  if (raw.kind === 'timeout') {
    return {
      ok: false,
      status: null,
      error: { code: 'timeout', message: `Sendmux did not answer within ${timeoutMs} ms`, retryable: true },
      rateLimit: {},
      raw: null,
      outcome: { kind: 'timeout' },
    };
  }
  if (raw.kind === 'cancelled') {
    return {
      ok: false,
      status: null,
      error: {
        code: 'network_error',
        message: 'The request was cancelled before Sendmux answered',
        retryable: false,
      },
      rateLimit: {},
      raw: null,
      outcome: null,
    };
  }
  const env: EnvelopeResult = parseEnvelope({
    status: raw.status,
    headers: raw.headers,
    bodyText: raw.bodyText,
    now,
  });
  const base = { status: raw.status, requestId: env.requestId, rateLimit: env.rateLimit, raw: env.raw };
  if (env.ok) {
    const data = parseData ? parseData(env.data) : env.data;
    if (data !== undefined || !parseData) return { ...base, ok: true, data, outcome: null };
    return {
      ...base,
      ok: false,
      error: {
        code: 'invalid_response',
        message: `Sendmux answered HTTP ${raw.status} with data this console cannot read`,
        retryable: false,
      },
      outcome: { kind: 'response', status: raw.status, code: 'invalid_response', retryable: false },
    };
  }
  return {
    ...base,
    ok: false,
    error: env.error,
    outcome: {
      kind: 'response',
      status: raw.status,
      code: env.error.code,
      retryable: env.retryableStated,
      retryAfter: env.retryAfter ?? null,
    },
  };
}

/** Completes an attempt's row now, or hands the write to `defer`. Never throws: the call already happened. */
async function complete(
  logId: number,
  completion: AttemptCompletion,
  defer?: (write: () => Promise<void>) => void,
): Promise<void> {
  const write = () =>
    completeAttempt(logId, completion).catch((err: unknown) =>
      // Losing the outcome row must not lose the outcome itself.
      console.error(
        `sendmux: could not complete api_requests row ${logId}:`,
        err instanceof Error ? err.message : err,
      ),
    );
  if (defer) defer(write);
  else await write();
}

/**
 * The one way to call Sendmux. Every attempt is recorded in api_requests (pending before, completed
 * after); failures come back as values, never as throws. Throws only for programming errors: an
 * unknown profile, a malformed Idempotency-Key, or a request log that cannot be written.
 */
export function sendmuxRequest<T = unknown>(options: SendmuxRequestOptions<T>): Promise<SendmuxResult<T>> {
  return trackInFlight(() => request_<T>(options));
}

async function request_<T>(options: SendmuxRequestOptions<T>): Promise<SendmuxResult<T>> {
  const env = getEnv();
  const key = resolveProfileKey(options.profile);
  if (!key) throw new UnknownProfileError(options.profile);
  const { idempotencyKey, signal, context, method, path, query } = options;
  if (idempotencyKey !== undefined && !validIdempotencyKey(idempotencyKey)) {
    throw new RangeError('Idempotency-Key must be 1–255 printable ASCII characters');
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep(signal);
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? env.sendmuxTimeoutMs;
  const maxAttempts = options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
  const deadlineMs = options.deadlineMs ?? RETRY_DEFAULTS.deadlineMs;

  const url = buildUrl(env.sendmuxApiUrl, path, query);
  const headers: Record<string, string> = {
    Authorization: `Bearer ${key}`,
    Accept: 'application/json',
    'User-Agent': USER_AGENT,
  };
  let body: string | Uint8Array | undefined;
  let logged: unknown = undefined;
  if (options.bytes !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
    body = options.bytes;
    logged = options.bytes;
  } else if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
    logged = scrub(options.json, key);
  }
  if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;

  // A GET changes nothing upstream, so it may be repeated like a keyed POST.
  const repeatable = idempotencyKey !== undefined || method === 'GET';
  const startedAt = now();
  let attempt = 0;
  let waitMs = 0;
  const rateClass = options.rateClass ?? 'interactive';
  for (;;) {
    attempt += 1;
    if (!(attempt === 1 && options.firstSlotTaken)) {
      const slot = await takeSlot(options.profile, rateClass, {
        signal,
        maxWaitMs: rateClass === 'interactive' ? INTERACTIVE_MAX_WAIT_MS : undefined,
      });
      // Not granted within the wait: go ahead and let Sendmux decide (it may answer 429).
      waitMs += slot.waitedMs;
    }
    const logId = await startAttempt({
      keyProfile: options.profile,
      method,
      path,
      query,
      body: logged,
      context,
      idempotencyKey,
      attempt,
      waitMs,
    });
    const t0 = performance.now();
    const raw = await performAttempt(url, { method, headers, body }, timeoutMs, signal);
    const durationMs = performance.now() - t0;
    const result = scrub(evaluate(raw, timeoutMs, now(), options.parseData), key);
    recordUpstream(
      options.profile,
      path,
      raw.kind === 'response' ? String(raw.status) : raw.kind === 'timeout' ? 'timeout' : 'network_error',
      durationMs / 1000,
    );
    const retryAfterMs =
      result.outcome?.kind === 'response' ? parseRetryAfter(result.outcome.retryAfter, now()) : undefined;
    const observation = () =>
      observeRateLimit(options.profile, {
        rateLimit: result.rateLimit,
        status: result.status,
        code: result.error?.code,
        retryAfterMs,
      }).catch((err: unknown) =>
        console.error('sendmux: could not update the rate budget:', err instanceof Error ? err.message : err),
      );
    // Someone waiting for a success does not wait for the bookkeeping; a worker does, and so does
    // a failure, so that the next start sees what it said.
    if (!result.ok || rateClass === 'batch') await observation();
    else void observation();
    const completion: AttemptCompletion = {
      status: result.status,
      ok: result.ok,
      errorCode: result.error?.code,
      errorMessage: result.error?.message,
      requestId: result.requestId,
      durationMs,
      responseBody: result.raw,
      rateLimit: result.rateLimit,
    };

    if (result.ok) {
      await complete(logId, completion, options.deferLogWrite);
      return {
        ok: true,
        status: result.status ?? 0,
        data: result.data as T,
        requestId: result.requestId,
        rateLimit: result.rateLimit,
        attempts: attempt,
        logId,
      };
    }

    const failure: SendmuxResult<T> = {
      ok: false,
      status: result.status,
      error: result.error ?? { code: 'unknown_error', message: 'The request failed', retryable: false },
      rateLimit: result.rateLimit,
      attempts: attempt,
      logId,
    };
    if (result.requestId) failure.requestId = result.requestId;
    const decision = result.outcome
      ? decideRetry({
          attempt,
          outcome: result.outcome,
          hasIdempotencyKey: repeatable,
          now: now(),
          startedAt,
          maxAttempts,
          deadlineMs,
          random,
        })
      : null;
    if (!decision || !decision.retry) {
      await complete(logId, completion, options.deferLogWrite);
      if (decision?.retryAfterMs !== undefined) failure.retryAfterMs = decision.retryAfterMs;
      return failure;
    }

    await complete(logId, completion);
    await scheduleRetry(logId, new Date(now() + decision.waitMs)).catch((err: unknown) =>
      console.error(
        `sendmux: could not mark api_requests row ${logId} for retry:`,
        err instanceof Error ? err.message : err,
      ),
    );
    await sleep(decision.waitMs);
    if (signal?.aborted) {
      await scheduleRetry(logId, null).catch(() => undefined);
      return failure;
    }
    waitMs = decision.waitMs;
  }
}
