// Settings → SMTP's plain values, beside the zod schema in smtp.ts, so the page's form can show
// them without loading the validator (it loads once the page is interactive).

export const SMTP_AUTH_METHODS = ['PLAIN', 'LOGIN'] as const;
export type SmtpAuthMethodInput = (typeof SMTP_AUTH_METHODS)[number];

/** Sendmux takes any SMTP username; the key is the password. */
export const DEFAULT_SMTP_USERNAME = 'sendmux';

/** One attachment, enough to prove attachments arrive; larger files belong in Compose. */
export const SMTP_TEST_ATTACHMENT_BYTES = 256 * 1024;
/** Each body; a test message has no business being larger, and the whole form stays under the 1 MiB action limit. */
export const SMTP_TEST_BODY_CHARS = 100_000;
