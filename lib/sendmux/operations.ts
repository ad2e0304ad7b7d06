import 'server-only';
import { recordAudit } from '@/lib/auth/audit';
import { currentClientAddress } from '@/lib/auth/request-info';
import { sendmuxRequest, type RequestContext, type Transport } from '@/lib/sendmux/client';
import type { SlotClass } from '@/lib/sendmux/budget';
import { parseErrorDetail } from '@/lib/sendmux/envelope';
import type { SendmuxError, SendmuxResult } from '@/lib/sendmux/types';
import type { EmailSendRequest } from '@/lib/sendmux/wire';

export const MAX_BATCH_MESSAGES = 100;

export type CallOptions = Transport & {
  idempotencyKey?: string;
  maxAttempts?: number;
  deadlineMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  rateClass?: SlotClass;
  firstSlotTaken?: boolean;
};

export type SendOptions = CallOptions & { context: RequestContext };

export type SentEmail = { messageId: string; status: string };

export type BatchItemOutcome =
  | { index: number; ok: true; messageId: string; status: 'queued' }
  | { index: number; ok: false; status: 'failed'; error: SendmuxError };

export type BatchOutcome = {
  /** One entry per message sent, sorted so that results[i].index === i. */
  results: BatchItemOutcome[];
  summary: { total: number; queued: number; failed: number };
};

export type UploadedAttachment = {
  attachmentId: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  expiresAt: string;
};

export type ConnectionInfo = {
  team: { id: string; name: string };
  credential: { id: string; type: string; name: string | null };
  label: string;
  permissions: string[];
  mailboxes: { id: string; email: string }[];
};

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function transportOf(o: CallOptions) {
  return {
    idempotencyKey: o.idempotencyKey,
    maxAttempts: o.maxAttempts,
    deadlineMs: o.deadlineMs,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    sleep: o.sleep,
    deferLogWrite: o.deferLogWrite,
    now: o.now,
    random: o.random,
    rateClass: o.rateClass,
    firstSlotTaken: o.firstSlotTaken,
  };
}

type SendAudit = {
  action: 'compose.send' | 'batch.manual_send';
  target: string;
  detail: Record<string, unknown>;
};

/**
 * A send a person made (Compose, the manual batch tab) goes into the audit log with its outcome.
 * When the caller defers its log writes until the answer has left, the audit row goes with the
 * outcome row in that same deferred write. Batch chunks are covered by the job's own entries.
 */
async function sendAudited<T>(
  options: SendOptions,
  send: (deferLogWrite: SendOptions['deferLogWrite']) => Promise<SendmuxResult<T>>,
  audit: ((result: SendmuxResult<T>) => SendAudit) | null,
): Promise<SendmuxResult<T>> {
  const defer = options.deferLogWrite;
  if (!audit) return send(defer);
  let completion: (() => Promise<void>) | undefined;
  const ip = await currentClientAddress();
  const result = await send(defer ? (write) => void (completion = write) : undefined);
  const { context } = options;
  const actor = context.userId && context.userEmail ? { id: context.userId, email: context.userEmail } : null;
  const record = () =>
    recordAudit({ ...audit(result), actor, ip }).catch((err: unknown) =>
      console.error(
        '[sendmux-console] audit: could not record a send:',
        err instanceof Error ? err.message : err,
      ),
    );
  if (!defer) await record();
  else
    defer(async () => {
      await completion?.();
      await record();
    });
  return result;
}

const outcomeOf = <T>(result: SendmuxResult<T>) =>
  result.ok
    ? { requestId: result.requestId ?? null }
    : { errorCode: result.error.code, requestId: result.requestId ?? null };

export function sendEmail(
  profile: string,
  message: EmailSendRequest,
  options: SendOptions,
): Promise<SendmuxResult<SentEmail>> {
  return sendAudited(
    options,
    (deferLogWrite) =>
      sendmuxRequest<SentEmail>({
        ...transportOf(options),
        deferLogWrite,
        profile,
        method: 'POST',
        path: '/emails/send',
        json: message,
        context: options.context,
        parseData: (data) => {
          if (!isRecord(data) || !str(data.message_id)) return undefined;
          return { messageId: data.message_id as string, status: str(data.status) ?? 'queued' };
        },
      }),
    options.context.source === 'compose'
      ? (result) => ({
          action: 'compose.send',
          target: message.to.email,
          detail: {
            outcome: result.ok ? result.data.status : 'failed',
            ...outcomeOf(result),
            messageId: result.ok ? result.data.messageId : null,
            cc: message.cc?.length ?? 0,
            bcc: message.bcc?.length ?? 0,
            profile,
            idempotencyKey: options.idempotencyKey ?? null,
          },
        })
      : null,
  );
}

function parseBatchData(data: unknown, count: number): BatchOutcome | undefined {
  if (!isRecord(data) || !Array.isArray(data.results)) return undefined;
  const byIndex = new Map<number, BatchItemOutcome>();
  for (const item of data.results) {
    // A malformed, out-of-range or repeated item is skipped rather than discarding the readable ones.
    if (!isRecord(item) || typeof item.index !== 'number' || !Number.isInteger(item.index)) continue;
    const index = item.index;
    if (index < 0 || index >= count || byIndex.has(index)) continue;
    const messageId = str(item.message_id);
    if (item.status === 'queued' && messageId) {
      byIndex.set(index, { index, ok: true, messageId, status: 'queued' });
    } else {
      const error = parseErrorDetail(item.error, null)?.error ?? {
        code: 'unknown_error',
        message: 'Sendmux reported this message as not queued without saying why',
        retryable: false,
      };
      byIndex.set(index, { index, ok: false, status: 'failed', error });
    }
  }
  const results: BatchItemOutcome[] = [];
  for (let index = 0; index < count; index++) {
    // Results are matched by their index field; one that never came back cannot be called queued.
    results.push(
      byIndex.get(index) ?? {
        index,
        ok: false,
        status: 'failed',
        error: {
          code: 'invalid_response',
          message: 'Sendmux returned no result for this message',
          retryable: false,
        },
      },
    );
  }
  const queued = results.filter((r) => r.ok).length;
  return { results, summary: { total: count, queued, failed: count - queued } };
}

/** 1..100 messages under one Idempotency-Key. A 200 can still hold failed items: read results. */
export function sendBatch(
  profile: string,
  messages: EmailSendRequest[],
  options: SendOptions,
): Promise<SendmuxResult<BatchOutcome>> {
  if (messages.length < 1 || messages.length > MAX_BATCH_MESSAGES) {
    throw new RangeError(`A batch holds 1 to ${MAX_BATCH_MESSAGES} messages (got ${messages.length})`);
  }
  return sendAudited(
    options,
    (deferLogWrite) =>
      sendmuxRequest<BatchOutcome>({
        ...transportOf(options),
        deferLogWrite,
        profile,
        method: 'POST',
        path: '/emails/send/batch',
        json: { messages },
        context: options.context,
        parseData: (data) => parseBatchData(data, messages.length),
      }),
    options.context.source === 'manual_batch'
      ? (result) => ({
          action: 'batch.manual_send',
          target: `${messages[0]!.to.email}${messages.length > 1 ? ` and ${messages.length - 1} more` : ''}`,
          detail: {
            messages: messages.length,
            queued: result.ok ? result.data.summary.queued : 0,
            failed: result.ok ? result.data.summary.failed : messages.length,
            ...outcomeOf(result),
            profile,
            idempotencyKey: options.idempotencyKey ?? null,
          },
        })
      : null,
  );
}

export type AttachmentUpload = { filename: string; contentType?: string; bytes: Uint8Array };

export function uploadAttachment(
  profile: string,
  file: AttachmentUpload,
  options: CallOptions & { context?: RequestContext } = {},
): Promise<SendmuxResult<UploadedAttachment>> {
  return sendmuxRequest<UploadedAttachment>({
    ...transportOf(options),
    profile,
    method: 'POST',
    path: '/emails/attachments',
    query: { filename: file.filename, content_type: file.contentType },
    bytes: file.bytes,
    contentType: 'application/octet-stream',
    context: options.context ?? { source: 'upload' },
    parseData: (data) => {
      if (!isRecord(data) || !str(data.attachment_id)) return undefined;
      return {
        attachmentId: data.attachment_id as string,
        filename: str(data.filename) ?? file.filename,
        contentType: str(data.content_type) ?? file.contentType ?? 'application/octet-stream',
        sizeBytes: typeof data.size_bytes === 'number' ? data.size_bytes : file.bytes.byteLength,
        expiresAt: str(data.expires_at) ?? '',
      };
    },
  });
}

/** GET /me: which team, credential, permissions and mailboxes a profile's key stands for. */
export function getConnection(
  profile: string,
  options: Omit<CallOptions, 'idempotencyKey'> & { context?: RequestContext } = {},
): Promise<SendmuxResult<ConnectionInfo>> {
  return sendmuxRequest<ConnectionInfo>({
    ...transportOf(options),
    profile,
    method: 'GET',
    path: '/me',
    context: options.context ?? { source: 'settings' },
    parseData: (data) => {
      if (!isRecord(data) || !isRecord(data.team) || !isRecord(data.credential)) return undefined;
      const team = { id: str(data.team.id) ?? '', name: str(data.team.name) ?? '' };
      const credential = {
        id: str(data.credential.id) ?? '',
        type: str(data.credential.type) ?? '',
        name: str(data.credential.name) ?? null,
      };
      const permissions = Array.isArray(data.permissions)
        ? data.permissions.filter((p): p is string => typeof p === 'string')
        : [];
      const mailboxes = Array.isArray(data.mailboxes)
        ? data.mailboxes.filter(isRecord).map((m) => ({ id: str(m.id) ?? '', email: str(m.email) ?? '' }))
        : [];
      return { team, credential, label: str(data.label) ?? '', permissions, mailboxes };
    },
  });
}
