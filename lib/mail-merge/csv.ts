import Papa from 'papaparse';
import {
  CSV_DELIMITERS,
  DELIMITER_LABELS,
  MAX_JOB_ROWS,
  type CsvDelimiter,
} from '@/lib/schemas/batch-values';

// CSV parsing for the mail merge. Pure and client-safe: the browser parses in a Web Worker for the
// preview, and the server parses the same text again with this same function when a job starts.

export type CsvProblemKind =
  | 'empty_file'
  | 'no_rows'
  | 'duplicate_header'
  | 'empty_header'
  | 'too_few_fields'
  | 'too_many_fields'
  | 'quotes'
  | 'encoding'
  | 'too_many_columns'
  | 'too_many_rows'
  | 'field_too_long';

export type CsvProblem = {
  /** 1-based physical line where the record starts (the header is line 1 unless blank lines precede it). */
  line: number;
  kind: CsvProblemKind;
  /** Errors make the row unusable; warnings are worth a look. */
  severity: 'error' | 'warning';
  message: string;
};

export type CsvRow = { line: number; values: Record<string, string> };

export type ParsedCsv = {
  columns: string[];
  rows: CsvRow[];
  delimiter: CsvDelimiter;
  /** False when the caller chose the delimiter. */
  delimiterDetected: boolean;
  problems: CsvProblem[];
};

/** Rows read by index: a CsvRow[] is one, and so is the browser's packed copy (lib/mail-merge/packed-rows.ts). */
export interface CsvRowList {
  readonly length: number;
  at(index: number): CsvRow | undefined;
}

/** A parsed file whose rows may be held packed: what preflight and the wizard read. */
export type CsvTable = Omit<ParsedCsv, 'rows'> & { rows: CsvRowList };

export type ParseCsvOptions = {
  delimiter?: CsvDelimiter;
  /** Rows past this are not read: the file is refused with a message. Defaults to a job's row cap. */
  maxRows?: number;
};

/** More columns than any mail merge needs; a header past it is refused before the rows are read. */
export const MAX_CSV_COLUMNS = 500;
/** The longest value a cell may hold (an HTML body per row fits easily). */
export const MAX_CSV_FIELD_CHARS = 1_000_000;

const BOM = '\uFEFF';
const DETECTION_SAMPLE_CHARS = 64 * 1024;

export function parseCsv(input: string, options: ParseCsvOptions = {}): ParsedCsv {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const maxRows = options.maxRows ?? MAX_JOB_ROWS;
  const problems: CsvProblem[] = [];
  const done = (columns: string[] = [], rows: CsvRow[] = []): ParsedCsv => ({
    columns,
    rows,
    delimiter,
    delimiterDetected: !options.delimiter,
    problems,
  });

  // The header decides whether the rest is worth reading: a file of thousands of columns is
  // refused before its rows are parsed.
  const head = Papa.parse<string[]>(text, {
    delimiter,
    preview: HEADER_SEARCH_RECORDS,
    skipEmptyLines: false,
  });
  const firstHeader = head.data.find((cells) => !isBlank(cells));
  if (firstHeader && firstHeader.length > MAX_CSV_COLUMNS) {
    problems.push(tooManyColumns(firstHeader.length, 1));
    return done();
  }

  // Reads at most the row cap (plus the header and one row to notice the cap was passed); blank
  // lines can make that short of the cap, and then the whole file is read after all.
  const limit = maxRows + 2;
  let result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false, preview: limit });
  let capped = result.data.length >= limit;
  if (capped && dataRecords(result.data) <= maxRows) {
    result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
    capped = false;
  }
  const records = result.data;

  // Papaparse gives records, not lines: a record starts on the line after the previous one ends,
  // and a quoted field with line breaks pushes the next record down by that many lines. Blank
  // records are kept through this loop (skipEmptyLines off) so that they are counted too.
  // Usually no field holds a line break: then record i is on line i + 1, and counting the file's
  // line breaks once is enough to know it.
  const multiLine = capped || lineBreaksInText(text) !== records.length - 1;
  const recordLines = new Uint32Array(records.length);
  let line = 1;
  for (let i = 0; i < records.length; i++) {
    recordLines[i] = line;
    line += multiLine ? 1 + lineBreaksIn(records[i]!) : 1;
  }
  const quoteErrors = new Map<number, string>();
  for (const e of result.errors) {
    if (e.type === 'Quotes' && e.row !== undefined && !quoteErrors.has(e.row))
      quoteErrors.set(e.row, quoteMessage(e.code));
  }

  let headerIndex = 0;
  while (headerIndex < records.length && isBlank(records[headerIndex]!)) headerIndex++;
  const header = records[headerIndex];
  if (!header) {
    problems.push({
      line: 1,
      kind: 'empty_file',
      severity: 'error',
      message: 'The file is empty: it needs a header line and at least one row',
    });
    return done();
  }
  const headerLine = recordLines[headerIndex]!;
  if (header.length > MAX_CSV_COLUMNS) {
    problems.push(tooManyColumns(header.length, headerLine));
    return done();
  }
  const builder = new CsvRowBuilder(header, headerLine, delimiter, problems);
  const rows: CsvRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i]!;
    if (isBlank(cells) && !quoteErrors.has(i)) continue;
    if (rows.length === maxRows) {
      problems.push(tooManyRows(maxRows, recordLines[i]!));
      break;
    }
    rows.push(builder.row(cells, recordLines[i]!, quoteErrors.get(i), problems));
  }
  if (rows.length === 0)
    problems.push({
      line: headerLine,
      kind: 'no_rows',
      severity: 'error',
      message: 'The file has a header line but no rows',
    });
  return done(builder.columns, rows);
}

export function tooManyColumns(count: number, line: number): CsvProblem {
  return {
    line,
    kind: 'too_many_columns',
    severity: 'error',
    message: `The header has ${count.toLocaleString('en-US')} columns; a mail merge reads at most ${MAX_CSV_COLUMNS}. Check the delimiter, or remove the columns you do not need`,
  };
}

export function tooManyRows(maxRows: number, line: number): CsvProblem {
  return {
    line,
    kind: 'too_many_rows',
    severity: 'error',
    message: `The file has more than ${maxRows.toLocaleString('en-US')} rows; a batch job holds at most ${maxRows.toLocaleString('en-US')}. Split the file into parts and send each as its own job`,
  };
}

/**
 * Header and records to rows, one record at a time: parseCsv runs it over a whole text, the server
 * over a stream (lib/mail-merge/csv-stream.ts), so both give the same rows and the same messages.
 */
export class CsvRowBuilder {
  readonly columns: string[];
  private readonly width: number;
  private readonly shape: Record<string, string>;
  // Ragged rows share one message per field count: a file of short rows costs no string per row.
  private readonly shortMessages = new Map<number, string>();
  private readonly longMessages = new Map<number, string>();

  constructor(
    header: string[],
    headerLine: number,
    private readonly delimiter: CsvDelimiter,
    problems: CsvProblem[],
  ) {
    this.columns = uniqueColumns(header, headerLine, problems);
    this.width = this.columns.length;
    this.shape = rowShape(this.columns);
  }

  /** The row of a non-blank record starting on `line`; its problems are pushed onto `problems`. */
  row(cells: string[], line: number, quote: string | undefined, problems: CsvProblem[]): CsvRow {
    const { width, columns } = this;
    const values = { ...this.shape };
    let tooLong = false;
    for (let c = 0; c < width && c < cells.length; c++) {
      const cell = cells[c]!;
      if (cell.length > MAX_CSV_FIELD_CHARS) tooLong = true;
      else values[columns[c]!] = cell;
    }
    if (tooLong) problems.push({ line, kind: 'field_too_long', severity: 'error', message: FIELD_TOO_LONG });
    if (quote) problems.push({ line, kind: 'quotes', severity: 'error', message: quote });
    if (cells.length > width) {
      // Trailing empty cells ("a,b,,") are what spreadsheets export; only real data is lost.
      if (hasValueFrom(cells, width)) {
        let message = this.longMessages.get(cells.length);
        if (message === undefined) {
          message = `This line has ${cells.length} fields but the header has ${width}: the extra values would be lost (a ${DELIMITER_LABELS[this.delimiter]} inside a value needs quotes)`;
          this.longMessages.set(cells.length, message);
        }
        problems.push({ line, kind: 'too_many_fields', severity: 'error', message });
      }
    } else if (cells.length < width) {
      let message = this.shortMessages.get(cells.length);
      if (message === undefined) {
        const missing = columns.slice(cells.length);
        message = `This line has ${cells.length} of ${width} fields: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''} treated as empty`;
        this.shortMessages.set(cells.length, message);
      }
      problems.push({ line, kind: 'too_few_fields', severity: 'warning', message });
    }
    return { line, values };
  }
}

/**
 * Every row copies one prepared object: one shape for all rows, and JSON.parse lays its properties
 * out inline (one allocation a row). It also makes a column named __proto__ a plain key.
 */
export function rowShape(columns: readonly string[]): Record<string, string> {
  return JSON.parse(JSON.stringify(Object.fromEntries(columns.map((c) => [c, ''])))) as Record<
    string,
    string
  >;
}

const HEADER_SEARCH_RECORDS = 50;
const FIELD_TOO_LONG = `A value on this line is longer than ${MAX_CSV_FIELD_CHARS.toLocaleString('en-US')} characters; it was left out. Check for a missing closing quote (")`;

function dataRecords(records: string[][]): number {
  let n = -1; // the header
  for (const cells of records) if (!isBlank(cells)) n++;
  return n;
}

function hasValueFrom(cells: string[], from: number): boolean {
  for (let i = from; i < cells.length; i++) if (cells[i] !== '') return true;
  return false;
}

/** Papaparse's guess among the four delimiters, on a sample; a single-column file falls back to comma. */
export function detectDelimiter(text: string): CsvDelimiter {
  const sample = text.length > DETECTION_SAMPLE_CHARS ? text.slice(0, DETECTION_SAMPLE_CHARS) : text;
  const guess = Papa.parse<string[]>(sample, {
    preview: 20,
    skipEmptyLines: 'greedy',
    delimitersToGuess: [...CSV_DELIMITERS],
  });
  const found = guess.meta.delimiter;
  return (CSV_DELIMITERS as readonly string[]).includes(found) ? (found as CsvDelimiter) : ',';
}

/**
 * Bytes of an uploaded file to text: UTF-8 when it is valid UTF-8, else Windows-1252 (what Excel
 * writes for "CSV" on Windows), with a warning so the user can re-save as "CSV UTF-8".
 */
export function decodeCsvBytes(bytes: Uint8Array): {
  text: string;
  encoding: 'utf-8' | 'windows-1252';
  problem?: CsvProblem;
} {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return {
      text: new TextDecoder('windows-1252').decode(bytes),
      encoding: 'windows-1252',
      problem: {
        line: 1,
        kind: 'encoding',
        severity: 'warning',
        message:
          'The file is not UTF-8; it was read as Windows-1252. If accented letters look wrong, save it as “CSV UTF-8” and upload it again',
      },
    };
  }
}

function uniqueColumns(header: string[], line: number, problems: CsvProblem[]): string[] {
  const taken = new Set<string>();
  // Where the next _<n> suffix search starts for each name: renaming stays linear even when
  // every column repeats one name.
  const nextSuffix = new Map<string, number>();
  const columns: string[] = [];
  header.forEach((raw, i) => {
    let name = raw.trim();
    if (name === '') {
      name = `column_${i + 1}`;
      problems.push({
        line,
        kind: 'empty_header',
        severity: 'warning',
        message: `Column ${i + 1} has no name; it is called ${name}`,
      });
    }
    // Case-insensitive, because {{variables}} fall back to case-insensitive matching.
    if (taken.has(name.toLowerCase())) {
      const original = name;
      const key = original.toLowerCase();
      let n = nextSuffix.get(key) ?? 2;
      while (taken.has(`${key}_${n}`)) n++;
      nextSuffix.set(key, n + 1);
      name = `${original}_${n}`;
      problems.push({
        line,
        kind: 'duplicate_header',
        severity: 'warning',
        message: `Column ${i + 1} repeats the name “${original}”; it is called ${name}`,
      });
    }
    taken.add(name.toLowerCase());
    columns.push(name);
  });
  return columns;
}

export function isBlank(cells: string[]): boolean {
  const first = cells[0];
  if (first && first.charCodeAt(0) > 32) return false;
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

function lineBreaksInText(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1))
    if (text.charCodeAt(i + 1) !== 10) n++;
  return n;
}

/** Line breaks inside a record's fields, counting CRLF once, as an editor shows them. */
export function lineBreaksIn(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    if (c.indexOf('\n') === -1 && c.indexOf('\r') === -1) continue;
    for (let i = 0; i < c.length; i++) {
      const ch = c.charCodeAt(i);
      if (ch === 10) n++;
      else if (ch === 13) {
        n++;
        if (c.charCodeAt(i + 1) === 10) i++;
      }
    }
  }
  return n;
}

export function quoteMessage(code: string): string {
  return code === 'MissingQuotes'
    ? 'A quoted value is never closed: everything after its opening quote was read as one value. Check for a missing closing quote (")'
    : 'A quote (") appears in the middle of a quoted value; write it as two quotes ("") or remove it';
}
