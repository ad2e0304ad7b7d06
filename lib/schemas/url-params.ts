import { z } from 'zod';

// Search state that lives in a page's URL (the request log, the audit log). A malformed value is
// dropped rather than failing the page: a shared link should still open.

/** `<created_at, basic ISO UTC with microseconds>_<id>` of the last row of the page before; no characters a URL must escape. */
export const CURSOR_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d{1,6})?Z_(\d{1,18})$/;
/** What a datetime-local input sends; the logs read it as UTC. */
export const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?$/;

/** A repeated parameter (?a=1&a=2) counts by its first value. */
export const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** A trimmed text parameter: empty means absent, and one too long or not matching `pattern` is dropped. */
export const urlText = (max: number, pattern?: RegExp) =>
  z.preprocess(
    firstValue,
    z
      .string()
      .trim()
      .max(max)
      .refine((v) => !pattern || v === '' || pattern.test(v))
      .transform((v) => (v === '' ? undefined : v))
      .optional()
      .catch(undefined),
  );
