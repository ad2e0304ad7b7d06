import 'server-only';
import { conflictKind, explainError } from '@/lib/errors/catalog';
import type { BatchOutcome } from '@/lib/sendmux/operations';
import type { SendmuxError, SendmuxFieldError } from '@/lib/sendmux/types';

/**
 * Codes a re-send of the same rows cannot fix: the messages themselves must change (fix the CSV
 * or the mapping and start again), so "Retry failed rows" leaves them out and lists them with what
 * to change. Problems with the key or the account (authentication_required, billing_restricted,
 * insufficient_permissions, insufficient_credits) are fixed outside the rows, after which the same
 * rows can go through: those stay retryable.
 */
export const NEEDS_CHANGE_CODES = [
  'validation_error',
  'invalid_parameter',
  'missing_parameter',
  'not_found',
  'payload_too_large',
] as const;

const NEEDS_CHANGE = new Set<string>(NEEDS_CHANGE_CODES);

export function needsChange(code: string | null | undefined): boolean {
  return code != null && NEEDS_CHANGE.has(code);
}

/** No answer arrived, so Sendmux may have sent the chunk: only the SAME key may repeat it. */
export const UNKNOWN_OUTCOME_CODES = ['network_error', 'timeout'] as const;

export function isUnknownOutcome(code: string | null | undefined): boolean {
  return code === 'network_error' || code === 'timeout';
}

/** Whole-request failures that count towards giving up on a chunk (5xx, network, timeout, …). */
export const MAX_CHUNK_SENDS = 10;
/** "Wait" answers (429 rate limit, 409 still in flight) are capped far higher: they only say "later". */
export const MAX_CHUNK_SENDS_WAITING = 50;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_CAP_MS = 5 * 60_000;

export type RowOutcome = {
  rowNo: number;
  status: 'queued' | 'failed';
  messageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorFields: SendmuxFieldError[] | null;
  requestId: string | null;
};

/** Each row's outcome from a 200 batch answer: results[i] (matched by index) belongs to rowNos[i]. */
export function rowsFromBatch(
  rowNos: readonly number[],
  data: BatchOutcome,
  requestId: string | undefined,
): RowOutcome[] {
  return rowNos.map((rowNo, i): RowOutcome => {
    const r = data.results[i];
    if (r?.ok) {
      return {
        rowNo,
        status: 'queued',
        messageId: r.messageId,
        errorCode: null,
        errorMessage: null,
        errorFields: null,
        requestId: requestId ?? null,
      };
    }
    const error = r?.error ?? {
      code: 'invalid_response',
      message: 'Sendmux returned no result for this message',
      retryable: false,
    };
    const fields = error.errors && error.errors.length > 0 ? error.errors : null;
    return {
      rowNo,
      status: 'failed',
      messageId: null,
      errorCode: error.code,
      errorMessage: error.message,
      errorFields: fields,
      requestId: requestId ?? null,
    };
  });
}

const MESSAGE_FIELD = /^messages\.(\d+)\.(.+)$/;

/**
 * Every row of a chunk failed by one whole-request error. Field errors addressed to
 * `messages.<i>.…` (422 errors[], or param) go to the row at i, relative to its message.
 */
export function rowsFromWholeFailure(
  rowNos: readonly number[],
  error: SendmuxError,
  requestId: string | undefined,
  note?: string,
): RowOutcome[] {
  const perRow = new Map<number, SendmuxFieldError[]>();
  const shared: SendmuxFieldError[] = [];
  const place = (issue: SendmuxFieldError) => {
    const m = MESSAGE_FIELD.exec(issue.field);
    const i = m ? Number(m[1]) : NaN;
    if (m && i < rowNos.length) {
      const list = perRow.get(i) ?? [];
      list.push({ ...issue, field: m[2]! });
      perRow.set(i, list);
    } else shared.push(issue);
  };
  for (const issue of error.errors ?? []) place(issue);
  if (error.param && !(error.errors ?? []).some((e) => e.field === error.param)) {
    place({ field: error.param, code: error.code, message: error.message });
  }
  const base = note ? `${note}: ${error.message}` : error.message;
  return rowNos.map((rowNo, i): RowOutcome => {
    const own = perRow.get(i) ?? [];
    const fields = [...own, ...shared];
    const message = own.length > 0 ? own.map((f) => `${f.field}: ${f.message}`).join('; ') : base;
    return {
      rowNo,
      status: 'failed',
      messageId: null,
      errorCode: error.code,
      errorMessage: message,
      errorFields: fields.length > 0 ? fields : null,
      requestId: requestId ?? null,
    };
  });
}

export type WholeFailure = { status: number | null; error: SendmuxError; retryAfterMs?: number };

export type ChunkDecision =
  { kind: 'retry'; delayMs: number; waiting: boolean } | { kind: 'fail'; note?: string };

/** Exponential backoff with equal jitter: half fixed, half random, so a retry always waits a little. */
export function chunkBackoffMs(sends: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, sends - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random(), 0), 1));
}

/**
 * What to do with a chunk after a whole-request failure, `sends` being how many times it has gone
 * out (this one included). Retryable ones go back to pending under the SAME key; the catalog's
 * non-retryable ones fail every row with that code; retryable ones stop after a cap.
 */
export function decideWholeFailure(
  f: WholeFailure,
  sends: number,
  random: () => number = Math.random,
): ChunkDecision {
  const { code, message } = f.error;
  const status = f.status;
  let waiting = false;
  if (code === 'idempotency_conflict' || status === 409) {
    const kind = conflictKind(message);
    // Still in flight: the first request will finish; the same key then gets its answer.
    if (!(kind === 'in_flight' || (kind === 'unknown' && f.error.retryable))) return { kind: 'fail' };
    waiting = true;
  } else if (code === 'rate_limit_exceeded') {
    waiting = true;
  } else {
    const retryable =
      f.error.retryable || (status !== null && (status === 429 || status >= 500)) || isUnknownOutcome(code);
    if (!retryable) return { kind: 'fail' };
  }
  const cap = waiting ? MAX_CHUNK_SENDS_WAITING : MAX_CHUNK_SENDS;
  if (sends >= cap) return { kind: 'fail', note: `Gave up after ${sends} attempts under the same key` };
  const delayMs = f.retryAfterMs ?? (waiting ? 1_000 : chunkBackoffMs(sends, random));
  return { kind: 'retry', delayMs, waiting };
}

/** The catalog's advice for a code, for rows that need a change before they can be sent. */
export function changeAdvice(code: string): { title: string; action: string } {
  if (code === 'unknown_profile') {
    return {
      title: 'Key profile not configured',
      action: 'Configure the key profile this job was started with, then retry the failed rows.',
    };
  }
  const e = explainError(code);
  return { title: e.title, action: e.action };
}
