import 'server-only';
import type { SendmuxErrorCode } from '@/lib/errors/catalog';

// App-side types (camelCase) that lib/sendmux hands to the rest of the console.
// Client components may `import type` them; nothing here runs.

export type SendmuxFieldError = { field: string; code: string; message: string };

export type SendmuxError = {
  /** A catalog code, or an upstream code the catalog does not know yet (explainError handles both). */
  code: SendmuxErrorCode | (string & {});
  message: string;
  retryable: boolean;
  param?: string;
  docUrl?: string;
  errors?: SendmuxFieldError[];
};

/** From X-RateLimit-* and Retry-After. `reset` is epoch seconds; `retryAfter` is seconds. */
export type RateLimitInfo = { limit?: number; remaining?: number; reset?: number; retryAfter?: number };

export type SendmuxSuccess<T> = {
  ok: true;
  status: number;
  data: T;
  requestId: string | undefined;
  rateLimit: RateLimitInfo;
  attempts: number;
  /** api_requests id of the last attempt (the UI links /requests/<logId>). */
  logId: number;
};

export type SendmuxFailure = {
  ok: false;
  /** Null when no HTTP answer arrived (network error, timeout). */
  status: number | null;
  error: SendmuxError;
  requestId?: string;
  rateLimit: RateLimitInfo;
  attempts: number;
  logId: number;
  /** How long Sendmux asked to wait (Retry-After), for callers that reschedule work themselves. */
  retryAfterMs?: number;
};

export type SendmuxResult<T> = SendmuxSuccess<T> | SendmuxFailure;
