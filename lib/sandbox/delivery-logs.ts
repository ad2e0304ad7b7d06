import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '@/lib/db';
import { SANDBOX_MANAGEMENT_PATH } from '@/lib/env';
import { sandboxError, type ErrorDetail } from '@/lib/sandbox/envelope';
import { newRequestId } from '@/lib/sandbox/ids';
import { sandboxManagementKeys } from '@/lib/sandbox/key';
import { sandboxDb } from '@/lib/sandbox/store';
import { deliveryScenarioOf, providerMessageId } from '@/lib/sandbox/webhooks';

// GET /emails/logs and GET /emails/logs/{dlog_id} of the management API, answered from the same
// outbox and scenarios the sandbox's webhook events come from: one log per accepted message.

type Addr = { email?: unknown };
type Row = {
  id: string;
  seq: number | string;
  created_iso: string;
  from_email: string;
  to_email: string;
  subject: string;
  message: { cc?: Addr[]; bcc?: Addr[]; return_path?: unknown; html_body?: unknown; text_body?: unknown };
};

const SANDBOX_PROVIDER = { id: 'prv_sandbox000000000000000000', name: 'Sendmux sandbox' };
const REJECT_REASON = 'Bad content (sandbox scenario)';
const BOUNCE_REASON = '550 5.1.1 Permanent bounce: mailbox does not exist (sandbox scenario)';

export const logIdOf = (messageId: string) => `dlog_${messageId.slice(4)}`;
const messageIdOf = (logId: string) => (/^dlog_[a-z0-9]{24}$/.test(logId) ? `eml_${logId.slice(5)}` : null);

function recipientsOf(r: Row) {
  const list = (kind: 'cc' | 'bcc') =>
    (Array.isArray(r.message[kind]) ? r.message[kind] : [])
      .map((a) => (typeof a.email === 'string' ? a.email : ''))
      .filter(Boolean)
      .map((email) => ({ email, type: kind }));
  return [{ email: r.to_email, type: 'to' as const }, ...list('cc'), ...list('bcc')];
}

/** The log's status: rejected and bounced addresses are provider rejections; the rest was sent. */
function outcomeOf(r: Row) {
  const recipients = recipientsOf(r).map((x) => {
    const s = deliveryScenarioOf(x.email);
    const reason = s === 'reject' ? REJECT_REASON : s === 'bounce' ? BOUNCE_REASON : null;
    return {
      email: x.email,
      type: x.type,
      status: reason ? ('rejected' as const) : ('accepted' as const),
      reason,
    };
  });
  const rejected = recipients.filter((x) => x.status === 'rejected').length;
  const status = rejected === 0 ? 'sent' : rejected === recipients.length ? 'rejected' : 'sent';
  return {
    status: status as 'sent' | 'rejected',
    statusReason: rejected ? (recipients.find((x) => x.reason)?.reason ?? null) : null,
    recipients,
    rejected,
  };
}

function itemOf(r: Row) {
  const o = outcomeOf(r);
  const size = Buffer.byteLength(JSON.stringify(r.message));
  return {
    id: logIdOf(r.id),
    provider_id: SANDBOX_PROVIDER.id,
    provider_name: SANDBOX_PROVIDER.name,
    message_id: `<${providerMessageId(r.id)}>`,
    from_email: r.from_email,
    sent_from_email: null,
    to_email: r.to_email,
    subject: r.subject,
    status: o.status,
    status_reason: o.statusReason,
    attempts: 1,
    sent_at: r.created_iso,
    size_bytes: size,
    created_at: r.created_iso,
    recipient_count: o.recipients.length,
    accepted_recipient_count: o.recipients.length - o.rejected,
    rejected_recipient_count: o.rejected,
  };
}

const COLUMNS = sql.raw(
  `id, seq, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_iso, from_email, to_email, subject, message`,
);

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
const fail = (requestId: string, error: ErrorDetail) =>
  json(
    error.code === 'not_found'
      ? 404
      : error.code === 'authentication_required'
        ? 401
        : error.code === 'insufficient_permissions'
          ? 403
          : 400,
    {
      ok: false,
      error,
      meta: { request_id: requestId },
    },
  );

function authorised(request: Request): 'ok' | 'missing' | 'wrong' | 'sending_key' {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (!match?.[1]) return 'missing';
  const given = createHash('sha256').update(match[1]).digest();
  for (const key of sandboxManagementKeys())
    if (timingSafeEqual(given, createHash('sha256').update(key).digest())) return 'ok';
  return match[1].startsWith('smx_mbx_') ? 'sending_key' : 'wrong';
}

const encodeCursor = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');
const decodeCursor = (cursor: string) => {
  const m = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
};
const dateBound = (value: string, end: boolean): Date | null => {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(t)) return null;
  return new Date(dateOnly && end ? t + 86_400_000 : t);
};

async function list(url: URL, requestId: string): Promise<Response> {
  const p = url.searchParams;
  const limitRaw = p.get('limit');
  const limit = limitRaw === null ? 25 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return fail(
      requestId,
      sandboxError('invalid_parameter', 'limit must be a whole number from 1 to 100', { param: 'limit' }),
    );
  const where: SQL[] = [];
  const cursor = p.get('cursor');
  if (cursor) {
    const seq = decodeCursor(cursor);
    if (seq === null)
      return fail(
        requestId,
        sandboxError('invalid_parameter', 'cursor is not one this API gave', { param: 'cursor' }),
      );
    where.push(sql`seq < ${seq}`);
  }
  for (const [param, end] of [
    ['from_date', false],
    ['to_date', true],
  ] as const) {
    const v = p.get(param);
    if (!v) continue;
    const d = dateBound(v, end);
    if (!d)
      return fail(
        requestId,
        sandboxError('invalid_parameter', `${param} must be an ISO 8601 date`, { param }),
      );
    where.push(
      end
        ? sql`created_at < ${d.toISOString()}::timestamptz`
        : sql`created_at >= ${d.toISOString()}::timestamptz`,
    );
  }
  const search = p.get('search')?.trim();
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      sql`(to_email ILIKE ${like} OR from_email ILIKE ${like} OR subject ILIKE ${like} OR ${`<${search.replace(/^<|>$/g, '')}>`} = '<' || substr(id, 5) || '@sandbox.sendmux.invalid>')`,
    );
  }
  const status = p.get('status');
  if (status && !['pending', 'sent', 'failed', 'rejected'].includes(status))
    return fail(
      requestId,
      sandboxError('invalid_parameter', 'status must be pending, sent, failed or rejected', {
        param: 'status',
      }),
    );
  const db = await sandboxDb();
  // The status filter is applied after the query (it is derived from the addresses), so read generously.
  const rows = await queryRows<Row>(
    db,
    sql`SELECT ${COLUMNS} FROM sandbox_messages ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
        ORDER BY seq DESC LIMIT ${status ? 1000 : limit + 1}`,
  );
  const items = rows.filter((r) => !status || outcomeOf(r).status === status);
  const page = items.slice(0, limit);
  const hasMore = items.length > limit;
  const last = page.at(-1);
  return json(200, {
    ok: true,
    data: page.map(itemOf),
    pagination:
      hasMore && last ? { has_more: true, next_cursor: encodeCursor(Number(last.seq)) } : { has_more: false },
    meta: { request_id: requestId },
  });
}

async function detail(request: Request, logId: string, requestId: string): Promise<Response> {
  const messageId = messageIdOf(logId);
  const db = await sandboxDb();
  const [row] = messageId
    ? await queryRows<Row>(db, sql`SELECT ${COLUMNS} FROM sandbox_messages WHERE id = ${messageId}`)
    : [];
  if (!row) return fail(requestId, sandboxError('not_found', `No delivery log ${logId}`));
  const data = { ...itemOf(row), recipients: outcomeOf(row).recipients };
  const etag = `W/"${createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16)}"`;
  // Sandbox logs are terminal the moment they exist, so an unchanged ETag is always a 304.
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers: { ETag: etag } });
  return json(200, { ok: true, data, meta: { request_id: requestId } }, { ETag: etag });
}

/** Everything under /sandbox/management/v1. */
export async function handleManagementRequest(request: Request): Promise<Response> {
  const requestId = newRequestId();
  const url = new URL(request.url);
  const path = url.pathname.startsWith(SANDBOX_MANAGEMENT_PATH)
    ? url.pathname.slice(SANDBOX_MANAGEMENT_PATH.length)
    : url.pathname;
  const auth = authorised(request);
  if (auth === 'missing')
    return fail(
      requestId,
      sandboxError(
        'authentication_required',
        'Missing API key: send Authorization: Bearer <smx_root_… key>.',
      ),
    );
  if (auth === 'wrong')
    return fail(
      requestId,
      sandboxError('authentication_required', 'The API key is invalid, expired or revoked.'),
    );
  if (auth === 'sending_key')
    return fail(
      requestId,
      sandboxError(
        'insufficient_permissions',
        'A sending key cannot read delivery logs: use a management key (smx_root_…) with logs.read.',
      ),
    );
  if (request.method !== 'GET')
    return fail(requestId, sandboxError('not_found', `${request.method} ${path} is not emulated`));
  if (path === '/emails/logs') return list(url, requestId);
  const m = /^\/emails\/logs\/([^/]+)$/.exec(path);
  if (m?.[1]) return detail(request, decodeURIComponent(m[1]), requestId);
  return fail(
    requestId,
    sandboxError(
      'not_found',
      `GET ${path} is not emulated; the sandbox answers /emails/logs and /emails/logs/{id}`,
    ),
  );
}
