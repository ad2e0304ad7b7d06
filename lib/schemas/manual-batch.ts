import { z } from 'zod';
import {
  checkManualMessages,
  MANUAL_ROW_FIELDS,
  manualRowsToValues,
  parseManualJson,
  type ManualProblem,
} from '@/lib/mail-merge/manual-input';
import { ACTION_PAYLOAD_LIMIT_BYTES, MAX_BATCH, utf8Length } from '@/lib/schemas/limits';
import { idempotencyKeySchema } from '@/lib/schemas/message';

// The manual batch form, written row by row or as JSON. Its output is the send action's input
// (manualBatchInputSchema): the form checks every message with Compose's rules before sending.

export const MANUAL_MODES = ['rows', 'json'] as const;
export type ManualMode = (typeof MANUAL_MODES)[number];

const manualRowSchema = z.object({
  toEmail: z.string(),
  toName: z.string(),
  subject: z.string(),
  html: z.string(),
});

/**
 * Where a problem goes on the form: a row's own input, the shared sender, or the JSON text
 * (by message index and field, so that every problem keeps its own place).
 */
export function manualProblemPath(p: ManualProblem, mode: ManualMode): (string | number)[] {
  if (mode === 'json') return ['json', ...(p.index === null ? [] : [p.index, ...(p.field ? [p.field] : [])])];
  if (p.index === null) return ['rows'];
  if (p.field === 'from.email' || p.field === 'from.name') return p.field.split('.');
  const row = MANUAL_ROW_FIELDS.find((f) => f.path === p.field);
  return ['rows', p.index, ...(row ? [row.key] : [])];
}

const TOO_BIG =
  'These messages are over the 1 MB the browser may send in one go: shorten the bodies, or send them as a CSV mail merge';

export const manualBatchFormSchema = z
  .object({
    idempotencyKey: idempotencyKeySchema,
    profile: z.string().min(1, 'Choose a key profile'),
    mode: z.enum(MANUAL_MODES),
    from: z.object({ email: z.string(), name: z.string() }),
    rows: z.array(manualRowSchema).max(MAX_BATCH),
    json: z.string(),
  })
  .transform((form, ctx) => {
    let values: unknown[];
    if (form.mode === 'rows') values = manualRowsToValues(form.from, form.rows);
    else {
      const parsed = parseManualJson(form.json);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', path: ['json'], message: parsed.message });
        return z.NEVER;
      }
      values = parsed.values;
    }
    const checked = checkManualMessages(values);
    if (!checked.ok) {
      for (const p of checked.problems)
        ctx.addIssue({ code: 'custom', path: manualProblemPath(p, form.mode), message: p.message });
      return z.NEVER;
    }
    if (utf8Length(JSON.stringify(checked.messages)) > ACTION_PAYLOAD_LIMIT_BYTES) {
      ctx.addIssue({ code: 'custom', path: [form.mode === 'rows' ? 'rows' : 'json'], message: TOO_BIG });
      return z.NEVER;
    }
    return { profile: form.profile, idempotencyKey: form.idempotencyKey, messages: checked.messages };
  });
export type ManualBatchForm = z.input<typeof manualBatchFormSchema>;
export type ManualBatchSend = z.output<typeof manualBatchFormSchema>;
