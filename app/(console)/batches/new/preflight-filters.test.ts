import { describe, expect, it } from 'vitest';
import { parseCsv } from '@/lib/mail-merge/csv';
import { autoMap, emptyBatchSpec } from '@/lib/mail-merge/mapping';
import { preflight } from '@/lib/mail-merge/preflight';
import { FILTERS, filterCounts, initialFilter } from './preflight-filters';

const csv = [
  'email,name',
  'ada@example.com,Ada',
  'not-an-address,Bob',
  'ada@example.com,Ada again',
  'cy@example.com,',
  'dee@example.com,Dee',
].join('\n');

function check(excludedLines: number[] = []) {
  const parsed = parseCsv(csv);
  const spec = {
    ...emptyBatchSpec(),
    fields: {
      ...autoMap(parsed.columns).fields,
      fromEmail: { kind: 'fixed' as const, value: 'n@example.com' },
    },
    subject: 'Hi {{name}}',
    htmlBody: '<p>Hi {{name}}</p>',
    excludedLines,
  };
  return preflight(parsed, spec);
}

describe('preflight filters', () => {
  it('count the rows each filter shows', () => {
    const result = check([6]);
    expect(filterCounts(result.rows)).toEqual({
      all: 5,
      errors: 1,
      empty: 1,
      duplicates: 1,
      warnings: 2,
      excluded: 1,
    });
    expect(result.rows.filter(FILTERS.errors.test).map((r) => r.line)).toEqual([3]);
    expect(result.rows.filter(FILTERS.duplicates.test).map((r) => r.line)).toEqual([4]);
  });

  it('open on the errors when there are any', () => {
    expect(initialFilter(check())).toBe('errors');
    expect(initialFilter(check([3]))).toBe('all');
  });
});
