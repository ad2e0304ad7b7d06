import 'server-only';
import type { ActionError, ActionResult } from '@/lib/schemas/action-result';
import { sql } from 'drizzle-orm';
import { getDb, queryRows } from '@/lib/db';
import { batchMessages, SEND_PATH, BATCH_PATH } from '@/lib/format/request-log';
import type { Role } from '@/lib/schemas/roles';
import { getRequest } from '@/lib/requests/search';
import {
  getDeliveryLog,
  listDeliveryLogs,
  type DeliveryLogDetail,
  type ManagementResult,
} from '@/lib/sendmux/management';

// "Check Sendmux delivery logs" on a message's detail: the delivery-logs API cannot be asked for an
// eml_ id (its search covers addresses, subject and the Message-ID header), so the console searches
// by recipient around the send time and picks the log that is this message.

/** Logs created from a little before the send (clock skew) to a day after it (queueing). */
const BEFORE_MS = 10 * 60_000;
const AFTER_MS = 86_400_000;

export type LogsLookup =
  | {
      found: true;
      matchedBy: 'provider message id' | 'recipient, subject and time';
      candidates: number;
      searched: Searched;
      log: DeliveryLogDetail;
    }
  | { found: false; candidates: number; searched: Searched };

type Searched = { recipient: string; fromDate: string; toDate: string };

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const emailOf = (v: unknown) => (isRecord(v) && typeof v.email === 'string' ? v.email : '');
const bare = (id: string | null | undefined) => (id ?? '').trim().replace(/^<|>$/g, '').toLowerCase();

/** The message an eml_ id names inside a request-log entry: its recipient, sender and subject. */
function messageIn(
  path: string,
  requestBody: unknown,
  responseBody: unknown,
  ok: boolean | null,
  messageIds: string[],
  messageId: string,
): { to: string; from: string; subject: string } | undefined {
  if (path === SEND_PATH && messageIds[0] === messageId && isRecord(requestBody))
    return {
      to: emailOf(requestBody.to),
      from: emailOf(requestBody.from),
      subject: typeof requestBody.subject === 'string' ? requestBody.subject : '',
    };
  if (path !== BATCH_PATH) return undefined;
  const row = batchMessages(requestBody, responseBody, ok).find((m) => m.messageId === messageId);
  const message =
    row && isRecord(requestBody) && Array.isArray(requestBody.messages)
      ? (requestBody.messages[row.index] as unknown)
      : undefined;
  return row && isRecord(message)
    ? { to: row.to, from: emailOf(message.from), subject: row.subject }
    : undefined;
}

/**
 * Finds the delivery log of message `messageId` sent by request-log entry `logId`; `not_found` when
 * the entry does not hold that message (or the viewer cannot see it). Each management call is
 * logged as its own entry under the viewer's name.
 */
export async function lookUpDeliveryLog(
  logId: number,
  messageId: string,
  viewer: { role: Role; id?: string; email?: string },
): Promise<ActionResult<LogsLookup>> {
  const notFound: ActionResult<LogsLookup> = {
    ok: false,
    error: {
      code: 'not_found',
      message: `Request-log entry #${logId} holds no accepted message ${messageId}`,
    },
  };
  const row = await getRequest(logId, viewer);
  if (!row || row.method !== 'POST' || !row.ok) return notFound;
  const message = messageIn(row.path, row.requestBody, row.responseBody, row.ok, row.messageIds, messageId);
  if (!message?.to) return notFound;
  const sentAt = Date.parse(row.completedAt ?? row.createdAt);
  const searched: Searched = {
    recipient: message.to,
    fromDate: new Date(sentAt - BEFORE_MS).toISOString(),
    toDate: new Date(sentAt + AFTER_MS).toISOString(),
  };
  const caller = { userId: viewer.id, userEmail: viewer.email };
  const list = await listDeliveryLogs(
    {
      search: searched.recipient,
      fromDate: searched.fromDate,
      toDate: searched.toDate,
      limit: 100,
    },
    caller,
  );
  if (!list.ok) return { ok: false, error: failureOf(list) };

  // The provider's id from this message's webhook events, when any arrived: the surest match.
  const providerIds = new Set(
    (
      await queryRows<{ id: string }>(
        await getDb(),
        sql`SELECT DISTINCT provider_message_id AS id FROM delivery_events
            WHERE message_id = ${messageId} AND provider_message_id IS NOT NULL`,
      )
    ).map((r) => bare(r.id)),
  );
  const to = message.to.toLowerCase();
  const candidates = list.data.logs.filter((l) => (l.to_email ?? '').toLowerCase() === to);
  const byProvider = candidates.find((l) => providerIds.has(bare(l.message_id)));
  const bySubject = candidates
    .filter(
      (l) =>
        (l.subject ?? '') === message.subject &&
        (!message.from ||
          [l.from_email, l.sent_from_email].some((f) => f?.toLowerCase() === message.from.toLowerCase())),
    )
    .sort(
      (a, b) => Math.abs(Date.parse(a.created_at) - sentAt) - Math.abs(Date.parse(b.created_at) - sentAt),
    )[0];
  const chosen = byProvider ?? bySubject;
  if (!chosen) return { ok: true, data: { found: false, candidates: candidates.length, searched } };
  const detail = await getDeliveryLog(chosen.id, undefined, caller);
  if (!detail.ok) return { ok: false, error: failureOf(detail) };
  return {
    ok: true,
    data: {
      found: true,
      matchedBy: byProvider ? 'provider message id' : 'recipient, subject and time',
      candidates: candidates.length,
      searched,
      log: detail.data,
    },
  };
}

function failureOf(r: Extract<ManagementResult<unknown>, { ok: false }>): ActionError {
  return {
    code: r.error.code,
    message: r.error.message,
    requestId: r.requestId,
    httpStatus: r.status,
    logId: r.logId,
  };
}
