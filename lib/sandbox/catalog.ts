import 'server-only';
/** Sendmux's error codes, with the HTTP status and default `retryable` flag each one answers with. */
export const ERROR_CATALOG = {
  invalid_parameter: { status: 400, retryable: false, message: 'A parameter has an invalid value.' },
  missing_parameter: { status: 400, retryable: false, message: 'A required parameter is missing.' },
  authentication_required: {
    status: 401,
    retryable: false,
    message: 'A valid API key is required: send Authorization: Bearer <key>.',
  },
  insufficient_credits: {
    status: 402,
    retryable: false,
    message: 'The team balance is too low for this request.',
  },
  insufficient_permissions: {
    status: 403,
    retryable: false,
    message: 'This key is not allowed to send for this sender, or the mailbox is inactive.',
  },
  billing_restricted: { status: 403, retryable: false, message: 'The team is read-only or terminated.' },
  not_found: { status: 404, retryable: false, message: 'The referenced resource does not exist.' },
  idempotency_conflict: {
    status: 409,
    retryable: false,
    message: 'This Idempotency-Key was used with a different request body; use a new key for a new request.',
  },
  payload_too_large: { status: 413, retryable: false, message: 'The request is larger than the limit.' },
  validation_error: { status: 422, retryable: false, message: 'The request failed validation.' },
  rate_limit_exceeded: {
    status: 429,
    retryable: true,
    message: 'Rate limit exceeded; wait Retry-After seconds.',
  },
  daily_limit_exceeded: {
    status: 429,
    retryable: true,
    message: 'The daily sending limit of this plan is reached.',
  },
  internal_error: { status: 500, retryable: true, message: 'An unexpected error occurred.' },
  no_active_providers: {
    status: 503,
    retryable: true,
    message: 'No active sending account serves this key.',
  },
  service_unavailable: { status: 503, retryable: true, message: 'The service is temporarily unavailable.' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

/** The canonical code for an HTTP status, for scenarios written as a number (`fail+503@…`). */
const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_parameter',
  401: 'authentication_required',
  402: 'insufficient_credits',
  403: 'insufficient_permissions',
  404: 'not_found',
  409: 'idempotency_conflict',
  413: 'payload_too_large',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
  503: 'service_unavailable',
};

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CATALOG, value);
}

/** Accepts a catalog code or an HTTP status with a canonical code ("503"); case-insensitive. */
export function resolveErrorCode(value: string): ErrorCode | undefined {
  const v = value.trim().toLowerCase();
  if (/^\d{3}$/.test(v)) return CODE_FOR_STATUS[Number(v)];
  return isErrorCode(v) ? v : undefined;
}

export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}
