import 'server-only';
import { explainError } from '@/lib/errors/catalog';
import type { ActionResult } from '@/lib/schemas/action-result';
import { MAX_BATCH_MESSAGES, sendBatch } from '@/lib/sendmux/operations';
import type { SendmuxFieldError } from '@/lib/sendmux/types';
import type { EmailSendRequest } from '@/lib/sendmux/wire';
import type { JobActor } from '@/lib/batch/job-types';
import { rowsFromWholeFailure } from '@/lib/batch/outcome';

export type ManualItemResult =
  | { index: number; ok: true; messageId: string }
  | {
      index: number;
      ok: false;
      error: { code: string; message: string; title: string; action: string; fields: SendmuxFieldError[] };
    };

export type ManualBatchData = {
  requestId: string | null;
  logId: number;
  results: ManualItemResult[];
  summary: { total: number; queued: number; failed: number };
};
/** A whole-request failure carries each message's share of it (field errors sorted to messages.<i>.…). */
export type ManualBatchResult = ActionResult<ManualBatchData, { results: ManualItemResult[] }>;

/**
 * The manual batch tab: up to 100 messages in ONE request under the caller's Idempotency-Key
 * (the form keeps it across retries, so a repeated click replays instead of sending twice).
 * The request takes an interactive start from the key's rate budget (the client does), so a
 * running job never makes it wait.
 */
export async function sendManualBatch(input: {
  profile: string;
  user: JobActor | null;
  messages: EmailSendRequest[];
  idempotencyKey: string;
}): Promise<ManualBatchResult> {
  const { messages } = input;
  if (messages.length < 1 || messages.length > MAX_BATCH_MESSAGES) {
    throw new RangeError(`A manual batch holds 1 to ${MAX_BATCH_MESSAGES} messages (got ${messages.length})`);
  }
  const result = await sendBatch(input.profile, messages, {
    idempotencyKey: input.idempotencyKey,
    context: { source: 'manual_batch', userId: input.user?.id ?? null, userEmail: input.user?.email ?? null },
  });

  if (result.ok) {
    const results = result.data.results.map((r): ManualItemResult => {
      if (r.ok) return { index: r.index, ok: true, messageId: r.messageId };
      const e = explainError(r.error.code, r.error.message);
      return {
        index: r.index,
        ok: false,
        error: {
          code: r.error.code,
          message: r.error.message,
          title: e.title,
          action: e.action,
          fields: r.error.errors ?? [],
        },
      };
    });
    return {
      ok: true,
      data: {
        requestId: result.requestId ?? null,
        logId: result.logId,
        results,
        summary: result.data.summary,
      },
    };
  }

  const e = explainError(result.error.code, result.error.message);
  const perMessage = rowsFromWholeFailure(
    messages.map((_, i) => i),
    result.error,
    result.requestId,
  );
  return {
    ok: false,
    error: {
      code: result.error.code,
      message: result.error.message,
      retryable: result.error.retryable,
      requestId: result.requestId,
      logId: result.logId,
    },
    results: perMessage.map((r) => ({
      index: r.rowNo,
      ok: false,
      error: {
        code: result.error.code,
        message: r.errorMessage ?? result.error.message,
        title: e.title,
        action: e.action,
        fields: r.errorFields ?? [],
      },
    })),
  };
}
