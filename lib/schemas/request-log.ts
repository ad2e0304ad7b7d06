import { z } from 'zod';
import { CURSOR_PATTERN, firstValue, LOCAL_TIME, urlText } from '@/lib/schemas/url-params';

// The request log's search state as it lives in the URL (/requests?q=req_…&outcome=failed).

export const OUTCOMES = ['ok', 'failed', 'pending'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  ok: 'Succeeded',
  failed: 'Failed',
  pending: 'No response recorded',
};

export { CURSOR_PATTERN } from '@/lib/schemas/url-params';

export const requestSearchSchema = z.object({
  q: urlText(320),
  outcome: z.preprocess(firstValue, z.enum(OUTCOMES).optional().catch(undefined)),
  code: urlText(64, /^[A-Za-z0-9_.-]*$/),
  endpoint: urlText(200, /^(\/[^\s]*)?$/),
  profile: urlText(64),
  user: urlText(254),
  from: urlText(19, LOCAL_TIME),
  to: urlText(19, LOCAL_TIME),
  before: urlText(60, CURSOR_PATTERN),
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
