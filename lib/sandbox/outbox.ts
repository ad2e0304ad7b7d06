import 'server-only';
import { and, desc, eq, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import { queryRows } from '@/lib/db';
import { sandboxAttachments, sandboxMessages as messages } from '@/lib/db/schema';
import { findAttachments, getAttachmentBytes } from '@/lib/sandbox/attachments';
import { contentTypeFor } from '@/lib/sandbox/file-types';
import { sandboxDb, type Executor } from '@/lib/sandbox/store';
import { base64Size, isObject } from '@/lib/sandbox/validate';
import { queueMessageEvents, type AcceptedMessage } from '@/lib/sandbox/webhooks';

export type OutboxInsert = typeof messages.$inferInsert;

export type OutboxSummary = {
  id: string;
  seq: number;
  createdAt: Date;
  requestId: string;
  idempotencyKey: string | null;
  endpoint: string;
  batchIndex: number | null;
  fromEmail: string;
  toEmail: string;
  subject: string;
  attachmentCount: number;
};

export type OutboxAttachment = {
  index: number;
  source: 'inline' | 'uploaded';
  /** The att_ id of an uploaded attachment. */
  attachmentId?: string;
  filename: string;
  contentType: string;
  /** Null when an uploaded attachment is no longer stored. */
  sizeBytes: number | null;
  available: boolean;
};

export type OutboxRecord = OutboxSummary & {
  /** The message exactly as the sandbox received it, inline attachment content included. */
  message: Record<string, unknown>;
};

export type OutboxMessage = OutboxRecord & { attachments: OutboxAttachment[] };

const summaryColumns = {
  id: messages.id,
  seq: messages.seq,
  createdAt: messages.createdAt,
  requestId: messages.requestId,
  idempotencyKey: messages.idempotencyKey,
  endpoint: messages.endpoint,
  batchIndex: messages.batchIndex,
  fromEmail: messages.fromEmail,
  toEmail: messages.toEmail,
  subject: messages.subject,
  attachmentCount: sql<number>`coalesce(jsonb_array_length(${messages.message} -> 'attachments'), 0)`.mapWith(
    Number,
  ),
};

/** One multi-row INSERT for a whole batch, with the delivery events each accepted message will post. */
export async function insertOutboxMessages(db: Executor, rows: OutboxInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(messages).values(rows);
  await queueMessageEvents(
    db,
    rows.map((r) => ({ ...(r.message as unknown as Omit<AcceptedMessage, 'id'>), id: r.id })),
  );
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Newest first. `before` is a seq cursor: pass the last seq of the previous page. `q` matches to/subject or an exact id. */
export async function listOutbox(options: {
  limit: number;
  before?: number;
  q?: string;
}): Promise<OutboxSummary[]> {
  const db = await sandboxDb();
  const where: SQL[] = [];
  if (options.before !== undefined) where.push(lt(messages.seq, options.before));
  const q = options.q?.trim();
  if (q) {
    const match = or(
      ilike(messages.toEmail, likePattern(q)),
      ilike(messages.subject, likePattern(q)),
      eq(messages.id, q),
      eq(messages.requestId, q),
    );
    if (match) where.push(match);
  }
  return db
    .select(summaryColumns)
    .from(messages)
    .where(and(...where))
    .orderBy(desc(messages.seq))
    .limit(Math.max(1, Math.min(options.limit, 500)));
}

export async function getOutboxMessage(id: string): Promise<OutboxMessage | null> {
  const db = await sandboxDb();
  const [row] = await db
    .select({ ...summaryColumns, message: messages.message })
    .from(messages)
    .where(eq(messages.id, id));
  if (!row) return null;
  const list = attachmentsOf(row.message);
  const refs = list.flatMap((a) => (typeof a.attachment_id === 'string' ? [a.attachment_id] : []));
  const stored = await findAttachments(db, refs);
  const attachments = list.map((a, index): OutboxAttachment => {
    if (typeof a.attachment_id === 'string') {
      const meta = stored.get(a.attachment_id);
      return {
        index,
        source: 'uploaded',
        attachmentId: a.attachment_id,
        filename: meta?.filename ?? a.attachment_id,
        contentType: meta?.contentType ?? 'application/octet-stream',
        sizeBytes: meta?.sizeBytes ?? null,
        available: meta !== undefined,
      };
    }
    const filename = String(a.filename);
    return {
      index,
      source: 'inline',
      filename,
      contentType: typeof a.type === 'string' ? a.type : contentTypeFor(filename),
      sizeBytes: base64Size(String(a.content)),
      available: true,
    };
  });
  return { ...row, attachments };
}

function attachmentsOf(message: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(message.attachments) ? message.attachments.filter(isObject) : [];
}

export async function getOutboxAttachmentContent(
  messageId: string,
  index: number,
): Promise<{ filename: string; contentType: string; bytes: Uint8Array } | null> {
  const detail = await getOutboxMessage(messageId);
  const attachment = detail?.attachments[index];
  if (!detail || !attachment?.available) return null;
  if (attachment.source === 'inline') {
    const content = String(attachmentsOf(detail.message)[index]?.content ?? '');
    return {
      filename: attachment.filename,
      contentType: attachment.contentType,
      bytes: Buffer.from(content, 'base64'),
    };
  }
  const bytes = await getAttachmentBytes(await sandboxDb(), attachment.attachmentId ?? '');
  return bytes ? { filename: attachment.filename, contentType: attachment.contentType, bytes } : null;
}

/** Empties the outbox (and drops uploads that have expired). Returns how many messages were removed. */
export async function clearOutbox(): Promise<number> {
  const db = await sandboxDb();
  const [deleted] = await queryRows<{ n: number }>(
    db,
    sql`with d as (delete from ${messages} returning 1) select count(*)::int as n from d`,
  );
  await db.delete(sandboxAttachments).where(lt(sandboxAttachments.expiresAt, new Date()));
  return deleted?.n ?? 0;
}

export async function outboxCount(): Promise<number> {
  const db = await sandboxDb();
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${messages}`);
  return row?.n ?? 0;
}

/** Full rows for the control API, newest first, optionally for one `to` address. */
export async function listOutboxMessages(options: { to?: string; limit: number }): Promise<OutboxRecord[]> {
  const db = await sandboxDb();
  return db
    .select({ ...summaryColumns, message: messages.message })
    .from(messages)
    .where(options.to ? sql`lower(${messages.toEmail}) = ${options.to.toLowerCase()}` : undefined)
    .orderBy(desc(messages.seq))
    .limit(Math.max(1, Math.min(options.limit, 500)));
}
