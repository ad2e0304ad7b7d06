import { describe, expect, it } from 'vitest';
import { parseCsv } from '@/lib/mail-merge/csv';
import { emptyBatchSpec, type BatchSpec } from '@/lib/mail-merge/mapping';
import { preflight } from '@/lib/mail-merge/preflight';
import { historyAddresses, linesOfAddresses } from './history-addresses';

function resultOf(csv: string, excludedLines: number[] = []) {
  const spec: BatchSpec = {
    ...emptyBatchSpec(),
    fields: {
      toEmail: { kind: 'column', column: 'email' },
      fromEmail: { kind: 'fixed', value: 'news@example.com' },
    },
    subject: 'Hi',
    htmlBody: '<p>Hello</p>',
    excludedLines,
  };
  return preflight(parseCsv(csv), spec);
}

const CSV = 'email\nada@x.io\n Bob@X.io\nnot-an-address\nada@x.io\nbob@x.io\ncy@x.io\n';

describe('historyAddresses', () => {
  it('lists the rows-to-send addresses once each, lower-cased, in file order', () => {
    expect(historyAddresses(resultOf(CSV)).list).toEqual(['ada@x.io', 'bob@x.io', 'cy@x.io']);
    expect(historyAddresses(resultOf(CSV, [7])).list).toEqual(['ada@x.io', 'bob@x.io']);
  });

  it('fingerprints the list: the same list the same, another list another', () => {
    const one = historyAddresses(resultOf(CSV)).fingerprint;
    expect(historyAddresses(resultOf(CSV)).fingerprint).toBe(one);
    expect(historyAddresses(resultOf(CSV, [7])).fingerprint).not.toBe(one);
    expect(historyAddresses(resultOf(CSV.replace('cy@', 'cz@'))).fingerprint).not.toBe(one);
  });
});

describe('linesOfAddresses', () => {
  it('gives the lines of only the addresses asked about', () => {
    const lines = linesOfAddresses(resultOf(CSV), new Set(['bob@x.io']));
    expect([...lines]).toEqual([['bob@x.io', [3, 6]]]);
    expect(linesOfAddresses(resultOf(CSV), new Set()).size).toBe(0);
  });
});
