import 'server-only';
import { request } from 'undici';
import { getEnv, MANAGEMENT_KEY_PROFILE, maskKey, SANDBOX_MANAGEMENT_PATH } from '@/lib/env';
import { parseEnvelope } from '@/lib/sendmux/envelope';
import { getSandboxManagementKey } from '@/lib/sandbox/key';
import { completeAttempt, startAttempt, type AttemptCompletion } from '@/lib/requests/record';
import type { SendmuxError } from '@/lib/sendmux/types';

// The management API's delivery logs (openapi-management-subset.json: managementListEmailLogs,
// managementGetEmailLog), read with SENDMUX_MANAGEMENT_KEY. A separate client from the sending one
// on purpose: another base URL, another key, GET only, and the key can never reach a send because
// nothing here sends and the sending client never sees it (lib/env refuses it as a profile).

/** DeliveryLogItem, as the wire has it. */
export type DeliveryLogItem = {
  id: string;
  provider_id: string | null;
  provider_name: string | null;
  message_id: string | null;
  from_email: string | null;
  sent_from_email: string | null;
  to_email: string | null;
  subject: string | null;
  status: 'pending' | 'sent' | 'failed' | 'rejected';
  status_reason: string | null;
  attempts: number;
  sent_at: string | null;
  size_bytes: number | null;
  created_at: string;
  recipient_count: number | null;
  accepted_recipient_count: number | null;
  rejected_recipient_count: number | null;
};

/** DeliveryLogRecipient. */
export type DeliveryLogRecipient = {
  email: string;
  type: 'to' | 'cc' | 'bcc' | null;
  status: 'accepted' | 'rejected';
  reason: string | null;
};

/** DeliveryLogDetail: an item plus its per-recipient outcomes. */
export type DeliveryLogDetail = DeliveryLogItem & { recipients: DeliveryLogRecipient[] | null };

export type ListDeliveryLogsQuery = {
  limit?: number;
  cursor?: string;
  status?: DeliveryLogItem['status'];
  fromDate?: string;
  toDate?: string;
  providerId?: string;
  search?: string;
};

/** The request-log entry of the call, when it could be written. */
type Logged = { logId?: number };

export type ManagementResult<T> =
  | ({ ok: true; status: number; data: T; requestId: string | undefined; etag?: string } & Logged)
  | ({ ok: false; status: number | null; error: SendmuxError; requestId: string | undefined } & Logged);

/** Who a lookup is made for: stored on its request-log entry. */
export type ManagementCaller = { userId?: string | null; userEmail?: string | null };

export type ManagementTarget = { baseUrl: string; key: string; source: 'configured' | 'sandbox' };

/**
 * Where delivery logs are read: SENDMUX_MANAGEMENT_KEY against SENDMUX_MANAGEMENT_API_URL, or, with
 * no key and the sandbox served, the sandbox's own management API with the key it generated.
 * Undefined when neither: the lookup is optional.
 */
export function managementTarget(): ManagementTarget | undefined {
  const env = getEnv();
  if (env.managementKey)
    return { baseUrl: env.managementApiUrl, key: env.managementKey, source: 'configured' };
  if (env.sandboxServed)
    return {
      baseUrl: `http://127.0.0.1:${env.port}${SANDBOX_MANAGEMENT_PATH}`,
      key: getSandboxManagementKey(),
      source: 'sandbox',
    };
  return undefined;
}

/** What the UI may show about the target: never the key, only its masked form. */
export function describeManagementTarget():
  { baseUrl: string; maskedKey: string; source: string } | undefined {
  const t = managementTarget();
  return t && { baseUrl: t.baseUrl, maskedKey: maskKey(t.key), source: t.source };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => typeof v === 'string';
const strOrNull = (v: unknown) => v === null || typeof v === 'string';
const numOrNull = (v: unknown) => v === null || typeof v === 'number';
const LOG_STATUSES = ['pending', 'sent', 'failed', 'rejected'];

function isItem(v: unknown): v is DeliveryLogItem {
  return (
    isRecord(v) &&
    str(v.id) &&
    str(v.created_at) &&
    typeof v.status === 'string' &&
    LOG_STATUSES.includes(v.status) &&
    typeof v.attempts === 'number' &&
    [
      'provider_id',
      'provider_name',
      'message_id',
      'from_email',
      'sent_from_email',
      'to_email',
      'subject',
    ].every((k) => strOrNull(v[k])) &&
    ['status_reason', 'sent_at'].every((k) => strOrNull(v[k])) &&
    ['size_bytes', 'recipient_count', 'accepted_recipient_count', 'rejected_recipient_count'].every((k) =>
      numOrNull(v[k]),
    )
  );
}

function isRecipient(v: unknown): v is DeliveryLogRecipient {
  return (
    isRecord(v) &&
    str(v.email) &&
    (v.type === null || v.type === 'to' || v.type === 'cc' || v.type === 'bcc') &&
    (v.status === 'accepted' || v.status === 'rejected') &&
    strOrNull(v.reason)
  );
}

const USER_AGENT = 'sendmux-console/0.1 (delivery logs)';

type Exchange<T> = { result: ManagementResult<T>; responseBody: unknown };

// Every call is logged in api_requests like a Sending API attempt (pending before, completed after),
// so a failed lookup has an entry support can open by its request_id. Only the profile NAME is
// stored; the logged path and body are scrubbed of the key as well. A log that cannot be written
// never fails the lookup.
async function get<T>(
  path: string,
  query: Record<string, string | undefined>,
  check: (body: Record<string, unknown>) => T | undefined,
  caller: ManagementCaller = {},
  headers: Record<string, string> = {},
): Promise<ManagementResult<T>> {
  const target = managementTarget();
  if (!target)
    return {
      ok: false,
      status: null,
      requestId: undefined,
      error: {
        code: 'not_configured',
        message: 'No management key is configured: set SENDMUX_MANAGEMENT_KEY (smx_root_… with logs.read).',
        retryable: false,
      },
    };
  const url = new URL(`${target.baseUrl.replace(/\/$/, '')}${path}`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const scrub = (text: string) => text.split(target.key).join(maskKey(target.key));
  const logId = await startAttempt({
    keyProfile: MANAGEMENT_KEY_PROFILE,
    method: 'GET',
    path: scrub(`${path}${url.search}`),
    body: undefined,
    context: { source: 'delivery_logs', userId: caller.userId, userEmail: caller.userEmail },
    attempt: 1,
    waitMs: 0,
  }).catch((err: unknown) => {
    console.error('sendmux: could not log a management API call:', err instanceof Error ? err.message : err);
    return undefined;
  });
  const t0 = performance.now();
  const { result, responseBody } = await exchange(url, target, scrub, check, headers);
  if (logId === undefined) return result;
  const completion: AttemptCompletion = {
    status: result.status,
    ok: result.ok,
    errorCode: result.ok ? undefined : result.error.code,
    errorMessage: result.ok ? undefined : result.error.message,
    requestId: result.requestId,
    durationMs: performance.now() - t0,
    responseBody,
    // A delivery log's message_id is the provider's Message-ID, not an eml_ id of this console.
    messageIds: [],
  };
  await completeAttempt(logId, completion).catch((err: unknown) =>
    console.error(
      `sendmux: could not complete api_requests row ${logId}:`,
      err instanceof Error ? err.message : err,
    ),
  );
  return { ...result, logId };
}

/** The stored form of an answer's body: its JSON, or its text when it is not JSON. */
function loggedBody(bodyText: string, scrub: (text: string) => string): unknown {
  if (bodyText === '') return null;
  const text = scrub(bodyText);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function exchange<T>(
  url: URL,
  target: ManagementTarget,
  scrub: (text: string) => string,
  check: (body: Record<string, unknown>) => T | undefined,
  headers: Record<string, string>,
): Promise<Exchange<T>> {
  const timeoutMs = getEnv().sendmuxTimeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number;
  let bodyText: string;
  let responseHeaders: Record<string, string>;
  try {
    const res = await request(url, {
      method: 'GET',
      headers: {
        Authorization: `Bearer ${target.key}`,
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        ...headers,
      },
      signal: controller.signal,
    });
    status = res.statusCode;
    bodyText = await res.body.text();
    responseHeaders = {};
    for (const [name, value] of Object.entries(res.headers))
      if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
  } catch (err) {
    const aborted = controller.signal.aborted;
    return {
      responseBody: null,
      result: {
        ok: false,
        status: null,
        requestId: undefined,
        error: aborted
          ? { code: 'timeout', message: `Sendmux did not answer within ${timeoutMs} ms`, retryable: true }
          : {
              code: 'network_error',
              message: scrub(
                `Could not reach the Sendmux management API at ${url.origin}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`,
              ),
              retryable: true,
            },
      },
    };
  } finally {
    clearTimeout(timer);
  }
  const responseBody = loggedBody(bodyText, scrub);
  const etag = responseHeaders['etag'];
  if (status === 304)
    return {
      responseBody,
      result: { ok: true, status, data: undefined as T, requestId: responseHeaders['x-request-id'], etag },
    };
  const envelope = parseEnvelope({ status, headers: responseHeaders, bodyText });
  if (!envelope.ok)
    return {
      responseBody,
      result: {
        ok: false,
        status,
        requestId: envelope.requestId,
        error: { ...envelope.error, message: scrub(envelope.error.message) },
      },
    };
  const raw = envelope.raw;
  const data = isRecord(raw) ? check(raw) : undefined;
  if (data === undefined)
    return {
      responseBody,
      result: {
        ok: false,
        status,
        requestId: envelope.requestId,
        error: {
          code: 'invalid_response',
          message: `The management API answered HTTP ${status} with data this console cannot read`,
          retryable: false,
        },
      },
    };
  return { responseBody, result: { ok: true, status, data, requestId: envelope.requestId, etag } };
}

/** GET /emails/logs: newest first, one page. */
export function listDeliveryLogs(
  q: ListDeliveryLogsQuery = {},
  caller?: ManagementCaller,
): Promise<ManagementResult<{ logs: DeliveryLogItem[]; hasMore: boolean; nextCursor?: string }>> {
  return get(
    '/emails/logs',
    {
      limit: q.limit === undefined ? undefined : String(q.limit),
      cursor: q.cursor,
      status: q.status,
      from_date: q.fromDate,
      to_date: q.toDate,
      provider_id: q.providerId,
      search: q.search,
    },
    (body) => {
      const data = body.data;
      const pagination = body.pagination;
      if (!Array.isArray(data) || !data.every(isItem) || !isRecord(pagination)) return undefined;
      if (typeof pagination.has_more !== 'boolean') return undefined;
      return {
        logs: data,
        hasMore: pagination.has_more,
        nextCursor: typeof pagination.next_cursor === 'string' ? pagination.next_cursor : undefined,
      };
    },
    caller,
  );
}

/**
 * GET /emails/logs/{id}, with per-recipient outcomes. With `etag` from an earlier answer, an
 * unchanged log answers 304 and `data` is undefined.
 */
export function getDeliveryLog(
  id: string,
  etag?: string,
  caller?: ManagementCaller,
): Promise<ManagementResult<DeliveryLogDetail>> {
  return get(
    `/emails/logs/${encodeURIComponent(id)}`,
    {},
    (body) => {
      const d = body.data;
      if (!isItem(d)) return undefined;
      const recipients = (d as Record<string, unknown>).recipients;
      if (recipients !== null && !(Array.isArray(recipients) && recipients.every(isRecipient)))
        return undefined;
      return d as DeliveryLogDetail;
    },
    caller,
    etag ? { 'If-None-Match': etag } : {},
  );
}
