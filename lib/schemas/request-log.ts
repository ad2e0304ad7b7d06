import { z } from 'zod';

// The request log's search state as it lives in the URL (/requests?q=req_…&outcome=failed).
// A malformed value is dropped rather than failing the page: a shared link should still open.

export const OUTCOMES = ['ok', 'failed', 'pending'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  ok: 'Succeeded',
  failed: 'Failed',
  pending: 'No response recorded',
};

/** `<created_at, basic ISO UTC with microseconds>_<id>` of the last row of the page before; no characters a URL must escape. */
export const CURSOR_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d{1,6})?Z_(\d{1,18})$/;
/** What a datetime-local input sends; the log reads it as UTC. */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?$/;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const text = (max: number, pattern?: RegExp) =>
  z.preprocess(
    first,
    z
      .string()
      .trim()
      .max(max)
      .refine((v) => !pattern || pattern.test(v))
      .transform((v) => (v === '' ? undefined : v))
      .optional()
      .catch(undefined),
  );

export const requestSearchSchema = z.object({
  q: text(320),
  outcome: z.preprocess(first, z.enum(OUTCOMES).optional().catch(undefined)),
  code: text(64, /^[A-Za-z0-9_.-]*$/),
  endpoint: text(200, /^(\/[^\s]*)?$/),
  profile: text(64),
  user: text(254),
  from: text(19, new RegExp(`^$|${LOCAL_TIME.source}`)),
  to: text(19, new RegExp(`^$|${LOCAL_TIME.source}`)),
  before: text(60, new RegExp(`^$|${CURSOR_PATTERN.source}`)),
});

export type RequestSearchParams = z.infer<typeof requestSearchSchema>;

export const FILTER_KEYS = ['outcome', 'code', 'endpoint', 'profile', 'user', 'from', 'to'] as const;

/** The URL of a search; empty values are left out so links stay short. */
export function requestSearchHref(params: RequestSearchParams): string {
  const sp = new URLSearchParams();
  for (const key of ['q', ...FILTER_KEYS, 'before'] as const) {
    const value = params[key];
    if (value) sp.set(key, value);
  }
  const qs = sp.toString();
  return qs ? `/requests?${qs}` : '/requests';
}

/** A datetime-local value read as UTC; `end` moves it to the end of the minute (or day) it names. */
export function parseUtcInput(value: string | undefined, end = false): Date | undefined {
  if (!value || !LOCAL_TIME.test(value)) return undefined;
  const dateOnly = value.length === 10;
  const d = new Date(`${dateOnly ? `${value}T00:00:00` : value.length === 16 ? `${value}:00` : value}Z`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (end) d.setTime(d.getTime() + (dateOnly ? 86_400_000 : value.length === 16 ? 60_000 : 1000));
  return d;
}
