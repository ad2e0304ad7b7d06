import type { z } from 'zod';

export type ActionError = {
  code: string;
  message: string;
  /** Set when the failure came from Sendmux (or the way to it). */
  requestId?: string;
  httpStatus?: number | null;
  /** The request log entry of the last attempt: /requests/<logId>. */
  logId?: number;
  /** Whether sending the same request again can succeed (from Sendmux's answer or the catalog). */
  retryable?: boolean;
};
export type FieldErrors = Record<string, string[]>;
/**
 * An expected failure. `X` adds optional fields an action reports beside the error (a send's
 * attempts, a batch's per-row problems); `upstreamFieldErrors` are field errors Sendmux returned.
 */
export type ActionFailure<X extends object = object> = {
  ok: false;
  error: ActionError;
  fieldErrors?: FieldErrors;
  upstreamFieldErrors?: FieldErrors;
} & Partial<X>;
export type ActionResult<T = undefined, X extends object = object> = { ok: true; data: T } | ActionFailure<X>;

/** Dot-path field errors (`cc.3.email`) from a zod error, for form.setError and error summaries. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function invalidInput(error: z.ZodError): ActionFailure & { fieldErrors: FieldErrors } {
  const fieldErrors = fieldErrorsOf(error);
  const n = Object.keys(fieldErrors).length;
  return {
    ok: false,
    error: {
      code: 'invalid_input',
      message: n === 1 ? 'One field needs fixing.' : `${n} fields need fixing.`,
    },
    fieldErrors,
  };
}
