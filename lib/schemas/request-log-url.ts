// The request log's URL state without zod: the sidebar's "Find a request" box is on every console
// page, and importing the zod schema there would put zod in every page's first load.

export const OUTCOMES = ['ok', 'failed', 'pending'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  ok: 'Succeeded',
  failed: 'Failed',
  pending: 'No response recorded',
};

export const FILTER_KEYS = ['outcome', 'code', 'endpoint', 'profile', 'user', 'from', 'to'] as const;

/** A search as its URL holds it (requestSearchSchema's output fits). */
export type RequestSearchUrlParams = Partial<
  Record<'q' | (typeof FILTER_KEYS)[number] | 'before', string | undefined>
>;

/** The URL of a search; empty values are left out so links stay short. */
export function requestSearchHref(params: RequestSearchUrlParams): string {
  const sp = new URLSearchParams();
  for (const key of ['q', ...FILTER_KEYS, 'before'] as const) {
    const value = params[key];
    if (value) sp.set(key, value);
  }
  const qs = sp.toString();
  return qs ? `/requests?${qs}` : '/requests';
}
