import Papa from 'papaparse';
import {
  CsvRowBuilder,
  isBlank,
  lineBreaksIn,
  MAX_CSV_COLUMNS,
  MAX_CSV_FIELD_CHARS,
  quoteMessage,
  tooManyColumns,
  tooManyRows,
  type CsvProblem,
  type CsvRow,
} from '@/lib/mail-merge/csv';
import { MAX_JOB_ROWS, type CsvDelimiter } from '@/lib/schemas/batch-values';

// The CSV parser of lib/mail-merge/csv.ts fed text piece by piece, for files too big to hold: the
// server reads an upload this way. Same rows, line numbers and messages as parseCsv (csv-stream.test.ts).

/** Rows parsed from one piece of text, with the row-level problems found on them. */
export type CsvPiece = { rows: CsvRow[]; problems: CsvProblem[] };

/** A problem that ends the file: nothing after it is read. */
export class CsvStreamError extends Error {
  constructor(
    readonly problem: CsvProblem,
    /** The rows of the piece read before the problem (the row cap was passed in its middle). */
    readonly piece?: CsvPiece,
  ) {
    super(problem.message);
    this.name = 'CsvStreamError';
  }
}

type Handle = {
  parse(
    input: string,
    baseIndex: number,
    ignoreLastRow: boolean,
  ): {
    data: string[][];
    errors: { type: string; code: string; row?: number }[];
    meta: { cursor: number };
  };
};
const ParserHandle = (Papa as unknown as { ParserHandle: new (config: Papa.ParseConfig) => Handle })
  .ParserHandle;

// Papaparse guesses the line ending from the start of its first input: the first parse waits for
// this much of it (or the whole file when it is shorter).
const NEWLINE_SAMPLE_CHARS = 64 * 1024;
// An unfinished record (an unclosed quote) is parsed again with every piece; past this it is refused.
const MAX_PENDING_CHARS = 8 * MAX_CSV_FIELD_CHARS;

export class CsvStreamParser {
  private readonly handle: Handle;
  private pending = '';
  private started = false;
  private line = 1;
  private builder: CsvRowBuilder | null = null;
  private rowCount = 0;
  private headerLine = 1;
  private readonly maxRows: number;
  private readonly sampleChars: number;
  /** Warnings about the header (renamed columns); the server has no use for them but tests do. */
  readonly headerProblems: CsvProblem[] = [];

  constructor(
    private readonly delimiter: CsvDelimiter,
    options: { maxRows?: number; sampleChars?: number } = {},
  ) {
    this.handle = new ParserHandle({ delimiter, skipEmptyLines: false });
    this.maxRows = options.maxRows ?? MAX_JOB_ROWS;
    this.sampleChars = options.sampleChars ?? NEWLINE_SAMPLE_CHARS;
  }

  get columns(): string[] | null {
    return this.builder?.columns ?? null;
  }

  get rows(): number {
    return this.rowCount;
  }

  /**
   * The rows complete in what was pushed so far (the last, unfinished record waits for the next
   * piece; `final` ends the file). Throws CsvStreamError for a problem that ends the file.
   */
  push(text: string, final = false): CsvPiece {
    let input = this.pending + text;
    if (!this.started) {
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
      if (input.length < this.sampleChars && !final) {
        this.pending = input;
        return { rows: [], problems: [] };
      }
      this.started = true;
    }
    const result = this.handle.parse(input, 0, !final);
    this.pending = final ? '' : input.slice(result.meta.cursor);
    const piece: CsvPiece = { rows: [], problems: [] };
    const quoteErrors = new Map<number, string>();
    for (const e of result.errors)
      if (e.type === 'Quotes' && e.row !== undefined && !quoteErrors.has(e.row))
        quoteErrors.set(e.row, quoteMessage(e.code));
    const records = result.data;
    for (let i = 0; i < records.length; i++) {
      const cells = records[i]!;
      const line = this.line;
      this.line += 1 + lineBreaksIn(cells);
      if (isBlank(cells) && !quoteErrors.has(i)) continue;
      if (!this.builder) {
        if (cells.length > MAX_CSV_COLUMNS) throw new CsvStreamError(tooManyColumns(cells.length, line));
        this.builder = new CsvRowBuilder(cells, line, this.delimiter, this.headerProblems);
        this.headerLine = line;
        continue;
      }
      if (this.rowCount === this.maxRows) throw new CsvStreamError(tooManyRows(this.maxRows, line), piece);
      this.rowCount++;
      piece.rows.push(this.builder.row(cells, line, quoteErrors.get(i), piece.problems));
    }
    if (this.pending.length > MAX_PENDING_CHARS)
      throw new CsvStreamError({
        line: this.line,
        kind: 'quotes',
        severity: 'error',
        message: quoteMessage('MissingQuotes'),
      });
    if (final && !this.builder)
      throw new CsvStreamError({
        line: 1,
        kind: 'empty_file',
        severity: 'error',
        message: 'The file is empty: it needs a header line and at least one row',
      });
    if (final && this.rowCount === 0)
      throw new CsvStreamError({
        line: this.headerLine,
        kind: 'no_rows',
        severity: 'error',
        message: 'The file has a header line but no rows',
      });
    return piece;
  }
}
