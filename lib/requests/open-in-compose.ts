import 'server-only';
import { getJobRowMessage } from '@/lib/batch/job-records';
import { fromSendPayload } from '@/lib/compose/payload';
import type { MessageInput } from '@/lib/schemas/message';
import { BATCH_PATH, messagesOf, SEND_PATH } from '@/lib/format/request-log';
import { getRequest } from '@/lib/requests/search';

export type ComposeDraft = { message: MessageInput; profile: string; notes: string[] };

const KNOWN_FIELDS = new Set([
  'from',
  'to',
  'subject',
  'html_body',
  'text_body',
  'cc',
  'bcc',
  'reply_to',
  'return_path',
  'custom_headers',
  'attachments',
]);

/**
 * The message a logged send carried, as compose form values, for "Open in Compose". For a batch
 * row `index` picks the message. Null when the row does not exist or holds no message. Roles are
 * the caller's business: the compose page checks them before calling this.
 */
export async function loadComposeDraftFromRequest(id: number, index?: number): Promise<ComposeDraft | null> {
  // Only senders open a draft (the page checks), and senders always see content.
  const row = await getRequest(id, { role: 'sender' });
  if (!row || row.method !== 'POST') return null;
  let payload: unknown;
  if (row.path === SEND_PATH) payload = row.requestBody;
  else if (row.path === BATCH_PATH) {
    const i = index ?? 0;
    if (!Number.isInteger(i) || i < 0) return null;
    payload = messagesOf(row.requestBody)[i];
  } else return null;
  return draftFromPayload(payload, row.keyProfile);
}

/** A batch row's merged message, for "Open in Compose" on the job page; `source` names the job and CSV line. */
export async function loadComposeDraftFromJobRow(
  jobId: string,
  rowNo: number,
): Promise<(ComposeDraft & { source: string }) | null> {
  const row = await getJobRowMessage(jobId, rowNo);
  const draft = row ? draftFromPayload(row.message, row.keyProfile) : null;
  return row && draft ? { ...draft, source: `batch “${row.jobName}”, CSV line ${row.csvLine}` } : null;
}

function draftFromPayload(payload: unknown, profile: string): ComposeDraft | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;

  const notes: string[] = [];
  const attachments = (payload as { attachments?: unknown }).attachments;
  if (Array.isArray(attachments) && attachments.length > 0) {
    notes.push(
      `The request log keeps attachment names and sizes, not their content: attach ${attachments.length === 1 ? 'the file' : `the ${attachments.length} files`} again before sending.`,
    );
  }
  let parsed = fromSendPayload(payload);
  if (!parsed.ok) {
    // The log holds exactly what was sent, which may include fields this console's form does not offer.
    const known = Object.fromEntries(Object.entries(payload).filter(([k]) => KNOWN_FIELDS.has(k)));
    parsed = fromSendPayload(known);
    if (!parsed.ok) return null;
    notes.push(
      ...Object.keys(payload)
        .filter((k) => !KNOWN_FIELDS.has(k))
        .map((k) => `The field “${k}” cannot be edited in the form and was left out.`),
    );
  }
  return { message: parsed.message, profile, notes: [...notes, ...parsed.notes] };
}
