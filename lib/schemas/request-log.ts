import { z } from 'zod';
import { OUTCOMES } from '@/lib/schemas/request-log-url';
import { CURSOR_PATTERN, firstValue, LOCAL_TIME, urlText } from '@/lib/schemas/url-params';

// The request log's search state as it lives in the URL (/requests?q=req_…&outcome=failed).

export {
  FILTER_KEYS,
  OUTCOME_LABELS,
  OUTCOMES,
  requestSearchHref,
  type Outcome,
} from '@/lib/schemas/request-log-url';
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

/** A datetime-local value read as UTC; `end` moves it to the end of the minute (or day) it names. */
export function parseUtcInput(value: string | undefined, end = false): Date | undefined {
  if (!value || !LOCAL_TIME.test(value)) return undefined;
  const dateOnly = value.length === 10;
  const d = new Date(`${dateOnly ? `${value}T00:00:00` : value.length === 16 ? `${value}:00` : value}Z`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (end) d.setTime(d.getTime() + (dateOnly ? 86_400_000 : value.length === 16 ? 60_000 : 1000));
  return d;
}
