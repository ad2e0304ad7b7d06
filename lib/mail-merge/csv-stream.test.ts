import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, parseCsv, type CsvProblem, type CsvRow } from '@/lib/mail-merge/csv';
import { CsvStreamError, CsvStreamParser } from '@/lib/mail-merge/csv-stream';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';

const SPECTRUM = path.join(process.cwd(), 'node_modules/csv-spectrum');

/** Feeds `text` in pieces of `size` characters; the newline guess waits for `sample` characters. */
function streamed(text: string, size: number, delimiter: CsvDelimiter = ',', maxRows?: number) {
  const parser = new CsvStreamParser(delimiter, { maxRows, sampleChars: 16 });
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  for (let at = 0; at <= text.length; at += size) {
    const final = at + size > text.length;
    const piece = parser.push(text.slice(at, at + size), final);
    rows.push(...piece.rows);
    problems.push(...piece.problems);
  }
  return { columns: parser.columns, rows, problems };
}

const SAMPLES: [string, string][] = [
  ['plain', 'email,name\nada@example.com,Ada\nbob@example.com,Bob\n'],
  ['CRLF and a BOM', '\uFEFFemail,name\r\nada@example.com,Ada\r\nbob@example.com,Bob'],
  ['quoted line breaks', 'email,note\na@x.io,"one\ntwo\r\nthree"\nb@x.io,"say ""hi"""\n\nc@x.io,x\n'],
  ['blank lines first', '\n\n  \nemail,name\na@x.io,A\n\n\nb@x.io,B\n'],
  ['ragged rows', 'email,name,city\na@x.io\nb@x.io,B,C,D\nc@x.io,C,,\n'],
  ['repeated header names', 'email,Email,,email\na@x.io,b,c,d\n'],
  ['a stray quote', 'email,name\na@x.io,"A"x"\nb@x.io,B\n'],
  ['an unclosed quote', 'email,name\na@x.io,"A\nb@x.io,B\n'],
];

describe('CsvStreamParser', () => {
  it.each(SAMPLES)('gives what parseCsv gives: %s', (_, text) => {
    const whole = parseCsv(text, { delimiter: ',' });
    const rowProblems = whole.problems.filter((p) => p.line > 1 || p.kind === 'quotes');
    for (const size of [1, 3, 7, 64, 100_000]) {
      const got = streamed(text, size);
      expect(got.columns, `pieces of ${size}`).toEqual(whole.columns);
      expect(got.rows, `pieces of ${size}`).toEqual(whole.rows);
      expect(got.problems, `pieces of ${size}`).toEqual(
        rowProblems.filter((p) => p.kind !== 'duplicate_header'),
      );
    }
  });

  it.each(fs.readdirSync(path.join(SPECTRUM, 'csvs')).filter((f) => f.endsWith('.csv')))(
    'reads csv-spectrum %s like parseCsv',
    (file) => {
      const { text } = decodeCsvBytes(fs.readFileSync(path.join(SPECTRUM, 'csvs', file)));
      const whole = parseCsv(text, { delimiter: ',' });
      expect(streamed(text, 5).rows).toEqual(whole.rows);
    },
  );

  it('stops at the row cap with the message parseCsv gives', () => {
    const text = ['email', ...Array.from({ length: 8 }, (_, i) => `r${i}@x.io`)].join('\n');
    const whole = parseCsv(text, { maxRows: 5 });
    const expected = whole.problems.find((p) => p.kind === 'too_many_rows');
    expect(() => streamed(text, 4, ',', 5)).toThrow(CsvStreamError);
    try {
      streamed(text, 4, ',', 5);
    } catch (err) {
      expect((err as CsvStreamError).problem).toEqual(expected);
    }
  });

  it('refuses a header of too many columns, an empty file and a file without rows', () => {
    const problem = (text: string) => {
      try {
        streamed(text, 10);
      } catch (err) {
        return (err as CsvStreamError).problem.kind;
      }
      return null;
    };
    expect(problem(`${Array.from({ length: 501 }, (_, i) => `c${i}`).join(',')}\nx\n`)).toBe(
      'too_many_columns',
    );
    expect(problem('\n\n')).toBe('empty_file');
    expect(problem('email,name\n\n')).toBe('no_rows');
  });
});
