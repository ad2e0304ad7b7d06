import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeCsvBytes,
  detectDelimiter,
  MAX_CSV_COLUMNS,
  MAX_CSV_FIELD_CHARS,
  parseCsv,
} from '@/lib/mail-merge/csv';
import { DELIMITER_LABELS, type CsvDelimiter } from '@/lib/schemas/batch-values';

const SPECTRUM = path.join(process.cwd(), 'node_modules/csv-spectrum');
const spectrumFiles = fs.readdirSync(path.join(SPECTRUM, 'csvs')).filter((f) => f.endsWith('.csv'));

const records = (text: string, delimiter?: CsvDelimiter) =>
  parseCsv(text, delimiter ? { delimiter } : {}).rows.map((r) => r.values);
const lines = (text: string) => parseCsv(text).rows.map((r) => r.line);

describe('parseCsv on csv-spectrum', () => {
  it('has the fixture files', () => {
    expect(spectrumFiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(spectrumFiles)('%s matches its expected JSON', (file) => {
    const { text } = decodeCsvBytes(fs.readFileSync(path.join(SPECTRUM, 'csvs', file)));
    const json: unknown = JSON.parse(
      fs.readFileSync(path.join(SPECTRUM, 'json', file.replace(/\.csv$/, '.json')), 'utf8'),
    );
    const expected = (Array.isArray(json) ? json : [json]) as Record<string, string>[];
    const parsed = parseCsv(text);
    if (file === 'location_coordinates.csv') {
      // The fixture's JSON disagrees with its own CSV on this cell (max-mapper/csv-spectrum#20):
      // the CSV says 2095257564. Every other cell is compared as published.
      expect(parsed.rows[0]?.values['Contact Phone Number']).toBe('2095257564');
      expected[0] = { ...expected[0], 'Contact Phone Number': '2095257564' };
    }
    expect(parsed.rows.map((r) => r.values)).toEqual(expected);
    expect(parsed.columns).toEqual(Object.keys(expected[0]!));
    expect(parsed.problems).toEqual([]);
    expect(parsed.delimiter).toBe(',');
  });

  it('numbers the rows after a multi-line field by the line they start on (newlines.csv)', () => {
    const text = fs.readFileSync(path.join(SPECTRUM, 'csvs/newlines_crlf.csv'), 'utf8');
    expect(lines(text)).toEqual([2, 3, 5]);
  });
});

describe('parseCsv', () => {
  it('strips a UTF-8 BOM from the first header name', () => {
    const parsed = parseCsv('\uFEFFemail,name\r\nada@example.com,Ada\r\n');
    expect(parsed.columns).toEqual(['email', 'name']);
    expect(parsed.rows[0]?.values).toEqual({ email: 'ada@example.com', name: 'Ada' });
  });

  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ] as const)('detects %j (%s) and reports it', (delimiter, label) => {
    expect(DELIMITER_LABELS[delimiter]).toBe(label);
    const text = [
      ['email', 'name', 'city'],
      ['ada@example.com', 'Ada', 'London'],
      ['bob@example.com', 'Bob', 'Paris'],
    ]
      .map((r) => r.join(delimiter))
      .join('\n');
    const parsed = parseCsv(text);
    expect(parsed.delimiter).toBe(delimiter);
    expect(parsed.delimiterDetected).toBe(true);
    expect(parsed.rows[1]?.values).toEqual({ email: 'bob@example.com', name: 'Bob', city: 'Paris' });
  });

  it('detects ; even when values contain commas (European decimals)', () => {
    expect(
      detectDelimiter('email;amount;note\nada@example.com;12,50;a, b\nbob@example.com;3,00;c, d\n'),
    ).toBe(';');
  });

  it('lets the caller override the delimiter', () => {
    const parsed = parseCsv('a;b,c\n1;2,3\n', { delimiter: ',' });
    expect(parsed.delimiterDetected).toBe(false);
    expect(parsed.columns).toEqual(['a;b', 'c']);
    expect(parsed.rows[0]?.values).toEqual({ 'a;b': '1;2', c: '3' });
  });

  it('reads a one-column file (no delimiter to detect) with comma as the delimiter', () => {
    const parsed = parseCsv('email\nada@example.com\nbob@example.com\n');
    expect(parsed.delimiter).toBe(',');
    expect(parsed.rows.map((r) => r.values.email)).toEqual(['ada@example.com', 'bob@example.com']);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const parsed = parseCsv('email,note\nada@example.com,"Hello, ""Ada""\nsecond line"\n');
    expect(parsed.rows[0]?.values.note).toBe('Hello, "Ada"\nsecond line');
  });

  it('gives every row the physical line it starts on, across multi-line fields and skipped blank lines', () => {
    const text = [
      'email,note',
      'a@x.com,one',
      '"b@x.com","two',
      'lines"',
      '',
      'c@x.com,"three',
      '',
      'lines with a blank"',
      '   ',
      'd@x.com,four',
      '',
    ].join('\r\n');
    const parsed = parseCsv(text);
    expect(parsed.rows.map((r) => [r.line, r.values.email])).toEqual([
      [2, 'a@x.com'],
      [3, 'b@x.com'],
      [6, 'c@x.com'],
      [10, 'd@x.com'],
    ]);
    expect(parsed.rows[2]?.values.note).toBe('three\r\n\r\nlines with a blank');
  });

  it('counts lines from the first line of the file even when blank lines come before the header', () => {
    const parsed = parseCsv('\n\nemail\nada@example.com\n');
    expect(parsed.columns).toEqual(['email']);
    expect(parsed.rows[0]?.line).toBe(4);
  });

  it('skips lines with only delimiters or spaces', () => {
    expect(lines('email,name\n,\nada@example.com,Ada\n , \n')).toEqual([3]);
  });

  it('reports rows with fewer fields as a warning, with the missing cells empty', () => {
    const parsed = parseCsv('email,name,city\nada@example.com,Ada\nbob@example.com,Bob,Paris\n');
    expect(parsed.rows[0]?.values).toEqual({ email: 'ada@example.com', name: 'Ada', city: '' });
    expect(parsed.problems).toEqual([
      expect.objectContaining({ line: 2, kind: 'too_few_fields', severity: 'warning' }),
    ]);
    expect(parsed.problems[0]?.message).toContain('city');
  });

  it('reports rows with more fields as an error on their line', () => {
    const parsed = parseCsv(
      'email,name\nada@example.com,Ada\n"b@x.com","two\nlines"\nbob@example.com,Bob,Paris\n',
    );
    expect(parsed.problems).toEqual([
      expect.objectContaining({ line: 5, kind: 'too_many_fields', severity: 'error' }),
    ]);
    expect(parsed.rows.find((r) => r.line === 5)?.values).toEqual({ email: 'bob@example.com', name: 'Bob' });
  });

  it('ignores trailing empty cells that spreadsheets add', () => {
    expect(parseCsv('email,name\nada@example.com,Ada,,\n').problems).toEqual([]);
  });

  it('makes duplicate header names unique (case-insensitively) and reports them', () => {
    const parsed = parseCsv('email,Email,name,email\n1,2,3,4\n');
    expect(parsed.columns).toEqual(['email', 'Email_2', 'name', 'email_3']);
    expect(parsed.rows[0]?.values).toEqual({ email: '1', Email_2: '2', name: '3', email_3: '4' });
    expect(parsed.problems.map((p) => [p.line, p.kind])).toEqual([
      [1, 'duplicate_header'],
      [1, 'duplicate_header'],
    ]);
  });

  it('does not collide with an existing column when renaming', () => {
    expect(parseCsv('email,email_2,email\n1,2,3\n').columns).toEqual(['email', 'email_2', 'email_3']);
  });

  it('names empty header cells column_N and trims header names', () => {
    const parsed = parseCsv(' email ,,name,\n1,2,3,4\n');
    expect(parsed.columns).toEqual(['email', 'column_2', 'name', 'column_4']);
    expect(parsed.problems.filter((p) => p.kind === 'empty_header')).toHaveLength(2);
  });

  it('reports an unclosed quote on the line where it starts', () => {
    const parsed = parseCsv(
      'email,note\nada@example.com,fine\nbob@example.com,"never closed\ncarol@example.com,x\n',
    );
    expect(parsed.problems).toEqual([
      expect.objectContaining({ line: 3, kind: 'quotes', severity: 'error' }),
    ]);
  });

  it('reports an empty file and a header without rows', () => {
    expect(parseCsv('').problems.map((p) => p.kind)).toEqual(['empty_file']);
    expect(parseCsv('\uFEFF\n\n').problems.map((p) => p.kind)).toEqual(['empty_file']);
    expect(parseCsv('email,name\n').problems.map((p) => p.kind)).toEqual(['no_rows']);
  });

  it('keeps values exactly as written (no trimming, no type conversion)', () => {
    expect(records('a,b\n 007 , true \n')).toEqual([{ a: ' 007 ', b: ' true ' }]);
  });

  it('numbers lines after a lone CR inside an unquoted field as an editor would', () => {
    expect(lines('a,b\r\n1,x\ry\r\n2,z\r\n')).toEqual([2, 4]);
  });
});

describe('decodeCsvBytes', () => {
  it('reads UTF-8', () => {
    const out = decodeCsvBytes(new TextEncoder().encode('name\nZoë\n'));
    expect(out).toEqual({ text: 'name\nZoë\n', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 with a warning', () => {
    const out = decodeCsvBytes(new Uint8Array([0x6e, 0x0a, 0x5a, 0x6f, 0xeb, 0x0a]));
    expect(out.text).toBe('n\nZoë\n');
    expect(out.encoding).toBe('windows-1252');
    expect(out.problem?.kind).toBe('encoding');
  });
});

describe('parseCsv with awkward column names', () => {
  it('keeps __proto__, constructor and numeric names as plain columns', () => {
    const parsed = parseCsv('__proto__,constructor,2024,email\na,b,c,d\n');
    expect(Object.entries(parsed.rows[0]!.values).sort()).toEqual([
      ['2024', 'c'],
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['email', 'd'],
    ]);
    expect(Object.getPrototypeOf(parsed.rows[0]!.values)).toBe(Object.prototype);
  });
});

describe('parseCsv limits', () => {
  it('refuses a 2 MB header of one repeated name without reading further', () => {
    const header = 'a,'.repeat(1_000_000);
    const parsed = parseCsv(`${header}\n${'x,'.repeat(1_000_000)}\n`);
    expect(parsed.columns).toEqual([]);
    expect(parsed.rows).toEqual([]);
    expect(parsed.problems).toEqual([
      expect.objectContaining({ kind: 'too_many_columns', severity: 'error', line: 1 }),
    ]);
    expect(parsed.problems[0]!.message).toContain(`at most ${MAX_CSV_COLUMNS}`);
  });

  it('renames repeated header names with the next free suffix', () => {
    const names = Array.from({ length: MAX_CSV_COLUMNS }, () => 'Name');
    const parsed = parseCsv(`${names.join(',')}\n${names.map((_, i) => i).join(',')}\n`);
    expect(parsed.columns.slice(0, 3)).toEqual(['Name', 'Name_2', 'Name_3']);
    expect(new Set(parsed.columns.map((c) => c.toLowerCase())).size).toBe(MAX_CSV_COLUMNS);
    expect(parseCsv('a,A_2,a,a\n1,2,3,4\n').columns).toEqual(['a', 'A_2', 'a_3', 'a_4']);
  });

  it('stops reading at the row cap and says how to split the file', () => {
    const body = Array.from({ length: 10 }, (_, i) => `r${i + 1}@example.com`).join('\n');
    const parsed = parseCsv(`email\n${body}\n`, { maxRows: 5 });
    expect(parsed.rows.map((r) => r.values.email)).toEqual([1, 2, 3, 4, 5].map((i) => `r${i}@example.com`));
    expect(parsed.problems).toEqual([
      expect.objectContaining({ kind: 'too_many_rows', severity: 'error', line: 7 }),
    ]);
    expect(parsed.problems[0]!.message).toMatch(/more than 5 rows.*Split the file/);
  });

  it('counts rows, not blank lines, against the cap', () => {
    const parsed = parseCsv('email\n\n\n\na@x.com\n\n\nb@x.com\n\n', { maxRows: 2 });
    expect(parsed.rows.map((r) => [r.line, r.values.email])).toEqual([
      [5, 'a@x.com'],
      [8, 'b@x.com'],
    ]);
    expect(parsed.problems).toEqual([]);
  });

  it('refuses a value longer than the field cap on its own line', () => {
    const long = 'x'.repeat(MAX_CSV_FIELD_CHARS + 1);
    const parsed = parseCsv(`email,body\na@x.com,short\nb@x.com,${long}\n`);
    expect(parsed.rows[1]!.values.body).toBe('');
    expect(parsed.problems).toEqual([
      expect.objectContaining({ kind: 'field_too_long', line: 3, severity: 'error' }),
    ]);
  });

  it('gives short rows of the same width one shared message', () => {
    const parsed = parseCsv('a,b,c\n1\n2\n3,4\n');
    const short = parsed.problems.filter((p) => p.kind === 'too_few_fields');
    expect(short.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(short[0]!.message).toBe(short[1]!.message);
    expect(short[0]!.message).toBe('This line has 1 of 3 fields: b, c treated as empty');
  });
});
