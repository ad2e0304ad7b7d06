import 'server-only';
const MiB = 1024 * 1024;

/** Sendmux's published limits (OpenAPI EmailSendRequest and CONTRACT.md). */
export const LIMITS = {
  requestBytes: 25 * MiB,
  messageBytes: 25 * MiB,
  bodyChars: 26_214_400,
  uploadBytes: 18 * MiB,
  batchMessages: 100,
  ccOrBcc: 49,
  recipients: 50,
  attachments: 10,
  emailChars: 254,
  nameChars: 100,
  subjectChars: 998,
  headerValueChars: 500,
  filenameChars: 255,
  contentTypeChars: 255,
  idempotencyKeyChars: 255,
  deliveryGroups: 50,
} as const;

export const ATTACHMENT_TTL_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a reserved Idempotency-Key stays locked before another process may take it over. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
export const MAX_SLOW_MS = 60_000;
export const RATE_WINDOW_MS = 60_000;
