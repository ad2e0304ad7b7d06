import { fromSendPayload, toSendPayload } from '@/lib/compose/payload';
import { MAX_ATTACHMENTS, MAX_BATCH } from '@/lib/schemas/limits';
import { messageSchema } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';
import type { EmailSendRequest, UploadedAttachmentRef } from '@/lib/sendmux/wire';

// The manual batch tab's input: up to 100 wire messages, written as JSON or built row by row.
// Client-safe: the browser checks as the user types, the server action checks again. Each message
// goes through messageSchema, the same rules as Compose.

export type ManualProblem = { index: number | null; field: string; message: string };
export type ManualCheck =
  { ok: true; messages: EmailSendRequest[] } | { ok: false; problems: ManualProblem[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const ATT_ID = /^att_[a-z0-9]+$/;

/** A JSON array of messages, or `{ "messages": [...] }` as the batch endpoint takes it. */
export function parseManualJson(
  text: string,
): { ok: true; values: unknown[] } | { ok: false; message: string } {
  if (!text.trim()) return { ok: false, message: 'Write a JSON array of messages, or {"messages": [...]}' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `Not valid JSON: ${(err as Error).message}` };
  }
  if (Array.isArray(value)) return { ok: true, values: value };
  if (isObject(value) && Array.isArray(value.messages)) {
    const extra = Object.keys(value).filter((k) => k !== 'messages');
    if (extra.length)
      return {
        ok: false,
        message: `Only "messages" belongs next to the list; remove ${extra.map((k) => `"${k}"`).join(', ')}`,
      };
    return { ok: true, values: value.messages };
  }
  return { ok: false, message: 'Expected a JSON array of messages, or an object {"messages": [...]}' };
}

export function checkManualMessages(values: readonly unknown[]): ManualCheck {
  const problems: ManualProblem[] = [];
  if (values.length === 0)
    return { ok: false, problems: [{ index: null, field: '', message: 'Add at least one message' }] };
  if (values.length > MAX_BATCH)
    return {
      ok: false,
      problems: [
        {
          index: null,
          field: '',
          message: `A manual batch holds at most ${MAX_BATCH} messages (this one has ${values.length}); use a CSV mail merge for more`,
        },
      ],
    };
  const messages: EmailSendRequest[] = [];
  values.forEach((value, index) => {
    if (!isObject(value)) {
      problems.push({
        index,
        field: '',
        message: 'Each message must be a JSON object like {"from": …, "to": …, "subject": …, "html_body": …}',
      });
      return;
    }
    // Uploaded attachments are kept as refs: the form layer only knows refs it uploaded itself.
    const refs: UploadedAttachmentRef[] = [];
    let rest: Record<string, unknown> = value;
    if (Array.isArray(value.attachments)) {
      const inline = value.attachments.filter((a) => !(isObject(a) && 'attachment_id' in a));
      for (const [i, a] of value.attachments.entries()) {
        if (!isObject(a) || !('attachment_id' in a)) continue;
        if (typeof a.attachment_id === 'string' && ATT_ID.test(a.attachment_id))
          refs.push({ attachment_id: a.attachment_id });
        else
          problems.push({
            index,
            field: `attachments.${i}`,
            message: 'attachment_id must be an att_… id from an upload',
          });
      }
      rest = { ...value, attachments: inline };
    }
    const form = fromSendPayload(rest, emptyMessage());
    if (!form.ok) {
      for (const message of form.problems) problems.push({ index, field: '', message });
      return;
    }
    const parsed = messageSchema.safeParse(form.message);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ index, field: issue.path.map(String).join('.'), message: issue.message });
      return;
    }
    if (parsed.data.attachments.length + refs.length > MAX_ATTACHMENTS) {
      problems.push({ index, field: 'attachments', message: `At most ${MAX_ATTACHMENTS} attachments` });
      return;
    }
    const wire = toSendPayload(parsed.data);
    if (refs.length) wire.attachments = [...(wire.attachments ?? []), ...refs];
    messages.push(wire);
  });
  return problems.length ? { ok: false, problems } : { ok: true, messages };
}

export type ManualRow = { toEmail: string; toName: string; subject: string; html: string };

export const emptyManualRow = (): ManualRow => ({ toEmail: '', toName: '', subject: '', html: '' });

/** The row editor's fields, and the message field (messageSchema path) each one fills. */
export const MANUAL_ROW_FIELDS: readonly { key: keyof ManualRow; label: string; path: string }[] = [
  { key: 'toEmail', label: 'To email', path: 'to.email' },
  { key: 'toName', label: 'To name', path: 'to.name' },
  { key: 'subject', label: 'Subject', path: 'subject' },
  { key: 'html', label: 'HTML body', path: 'htmlBody' },
];

/** The row-by-row table as wire messages, all from one sender. */
export function manualRowsToValues(
  from: { email: string; name: string },
  rows: readonly ManualRow[],
): EmailSendRequest[] {
  return rows.map((r) =>
    toSendPayload({
      ...emptyMessage(),
      from,
      to: { email: r.toEmail, name: r.toName },
      subject: r.subject,
      htmlBody: r.html,
    }),
  );
}
