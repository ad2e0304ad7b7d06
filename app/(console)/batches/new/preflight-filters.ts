import type { PreflightResult, PreflightRow } from '@/lib/mail-merge/preflight';

// The preflight's row filters ("Show …") and how many rows each one holds.

export const FILTERS = {
  all: { label: 'All rows', test: () => true },
  errors: { label: 'Rows with errors', test: (r: PreflightRow) => r.status === 'invalid' },
  empty: {
    label: 'Rows with empty variables',
    test: (r: PreflightRow) => r.warnings.some((w) => w.kind === 'empty_variable'),
  },
  duplicates: { label: 'Duplicate To addresses', test: (r: PreflightRow) => r.duplicateOfLine !== null },
  warnings: {
    label: 'Rows with warnings',
    test: (r: PreflightRow) => r.status !== 'excluded' && r.warnings.length > 0,
  },
  excluded: { label: 'Excluded rows', test: (r: PreflightRow) => r.status === 'excluded' },
} as const satisfies Record<string, { label: string; test: (r: PreflightRow) => boolean }>;
export type FilterId = keyof typeof FILTERS;
export const FILTER_IDS = Object.keys(FILTERS) as FilterId[];

export function filterCounts(rows: readonly PreflightRow[]): Record<FilterId, number> {
  return Object.fromEntries(
    FILTER_IDS.map((id) => [id, id === 'all' ? rows.length : rows.filter(FILTERS[id].test).length]),
  ) as Record<FilterId, number>;
}

/** Errors first: the preview opens on them when there are any. */
export const initialFilter = (result: PreflightResult): FilterId =>
  result.plan.invalid > 0 ? 'errors' : 'all';
