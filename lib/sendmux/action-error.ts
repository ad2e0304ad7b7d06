import 'server-only';
import type { ActionError, FieldErrors } from '@/lib/schemas/action-result';
import type { SendmuxFailure } from '@/lib/sendmux/types';

/** What a server action hands the page about a failed Sendmux call: code, message, request_id, log link. */
export function upstreamError(failure: SendmuxFailure): {
  ok: false;
  error: ActionError;
  upstreamFieldErrors?: FieldErrors;
} {
  const fields: FieldErrors = {};
  for (const issue of failure.error.errors ?? []) (fields[issue.field] ??= []).push(issue.message);
  if (failure.error.param && !fields[failure.error.param])
    fields[failure.error.param] = [failure.error.message];
  return {
    ok: false,
    error: {
      code: failure.error.code,
      message: failure.error.message,
      requestId: failure.requestId,
      httpStatus: failure.status,
      logId: failure.logId,
    },
    upstreamFieldErrors: Object.keys(fields).length ? fields : undefined,
  };
}
