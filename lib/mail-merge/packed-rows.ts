import {
  detectDelimiter,
  rowShape,
  type CsvProblem,
  type CsvRow,
  type CsvRowList,
  type CsvTable,
  type ParsedCsv,
} from '@/lib/mail-merge/csv';
import { CsvStreamError, CsvStreamParser } from '@/lib/mail-merge/csv-stream';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';

// The wizard's copy of a file's rows, packed: each column's values of a block of rows joined into
// one string, with the end offsets in typed arrays. A million rows as objects of strings are
// hundreds of MB in the tab (bench/wizard-memory.ts); packed they are about the file's size, cost
// a few dozen objects to post from the Web Worker, and a row is unpacked when it is read.

/** Rows per block: one string per column and block keeps each block's strings one-byte when it can be. */
const BLOCK_BITS = 14;
const BLOCK_ROWS = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_ROWS - 1;

/** Structured-clonable: what the Web Worker posts (its typed arrays transferred). */
export type PackedRows = {
  columns: string[];
  lines: Uint32Array;
  /** blocks[column][block]: the values of that column in that block, one after another. */
  blocks: string[][];
  /** ends[column][row]: where the row's value ends in its block's string (it starts where the previous row's ends). */
  ends: Uint32Array[];
};

export type PackedCsv = Omit<ParsedCsv, 'rows'> & { rows: PackedRows };

export class PackedRowsBuilder {
  private count = 0;
  private lines: Uint32Array = new Uint32Array(1024);
  private ends: Uint32Array[];
  private readonly offsets: number[];
  private parts: string[][];
  private readonly blocks: string[][];

  /** With `onBlock`, each finished block goes there (blocks[c][b] stays empty): the worker posts it at once. */
  constructor(
    private readonly columns: string[],
    private readonly onBlock?: (values: string[]) => void,
  ) {
    this.ends = columns.map(() => new Uint32Array(1024));
    this.offsets = columns.map(() => 0);
    this.parts = columns.map(() => []);
    this.blocks = columns.map(() => []);
  }

  get length(): number {
    return this.count;
  }

  add(row: CsvRow): void {
    const i = this.count;
    if (i === this.lines.length) {
      this.lines = grow(this.lines);
      this.ends = this.ends.map(grow);
    }
    this.lines[i] = row.line;
    const { columns, parts, offsets, ends } = this;
    for (let c = 0; c < columns.length; c++) {
      const value = row.values[columns[c]!] ?? '';
      parts[c]!.push(value);
      offsets[c]! += value.length;
      ends[c]![i] = offsets[c]!;
    }
    this.count++;
    if ((this.count & BLOCK_MASK) === 0) this.closeBlock();
  }

  finish(): PackedRows {
    if (this.count & BLOCK_MASK) this.closeBlock();
    return {
      columns: this.columns,
      lines: this.lines.slice(0, this.count),
      blocks: this.blocks,
      ends: this.ends.map((e) => e.slice(0, this.count)),
    };
  }

  // Joining copies the values out of the parsed text, which is then free to go (V8's substrings
  // keep the whole string they were cut from alive).
  private closeBlock(): void {
    const values = this.parts.map((p) => p.join(''));
    this.parts = this.columns.map(() => []);
    this.offsets.fill(0);
    if (this.onBlock) this.onBlock(values);
    else values.forEach((v, c) => this.blocks[c]!.push(v));
  }
}

function grow(a: Uint32Array): Uint32Array {
  const next = new Uint32Array(a.length * 2);
  next.set(a);
  return next;
}

/** Packed rows read like an array of CsvRow: each `at` builds the row afresh. */
export class PackedRowList implements CsvRowList {
  readonly length: number;
  private readonly shape: Record<string, string>;

  constructor(private readonly packed: PackedRows) {
    this.length = packed.lines.length;
    this.shape = rowShape(packed.columns);
  }

  at(index: number): CsvRow | undefined {
    const i = index < 0 ? index + this.length : index;
    if (!(i >= 0 && i < this.length)) return undefined;
    const { columns, blocks, ends, lines } = this.packed;
    const block = i >>> BLOCK_BITS;
    const first = (i & BLOCK_MASK) === 0;
    const values = { ...this.shape };
    for (let c = 0; c < columns.length; c++) {
      const e = ends[c]!;
      values[columns[c]!] = blocks[c]![block]!.slice(first ? 0 : e[i - 1]!, e[i]!);
    }
    return { line: lines[i]!, values };
  }
}

export function unpackCsv(packed: PackedCsv): CsvTable {
  return { ...packed, rows: new PackedRowList(packed.rows) };
}

/** The typed arrays of packed rows, to transfer with postMessage instead of copying them. */
export function transferables(packed: PackedCsv): ArrayBuffer[] {
  return [packed.rows.lines, ...packed.rows.ends].map((a) => a.buffer as ArrayBuffer);
}

export type ReadCsvOptions = {
  delimiter?: CsvDelimiter;
  /**
   * Takes each block of rows as it is packed (one string per column), in order, with the encoding
   * it was read in: blocks read as UTF-8 before the file turned out not to be are to be dropped.
   * The result's blocks are then empty.
   */
  onBlock?: (values: string[], encoding: 'utf-8' | 'windows-1252') => void;
  maxRows?: number;
  /** Text handed to the parser at a time. */
  pieceChars?: number;
};

export type ReadCsvResult = { csv: PackedCsv; encoding: 'utf-8' | 'windows-1252' };

const ENCODING_WARNING: CsvProblem = {
  line: 1,
  kind: 'encoding',
  severity: 'warning',
  message:
    'The file is not UTF-8; it was read as Windows-1252. If accented letters look wrong, save it as “CSV UTF-8” and upload it again',
};

class NotUtf8 extends Error {}

/** What detectDelimiter looks at. */
const DETECTION_CHARS = 64 * 1024;

/**
 * A file streamed through the CSV parser into packed rows, never whole in memory as text: the same
 * columns, rows, line numbers and problems as parseCsv(decodeCsvBytes(bytes).text) (packed-rows.test.ts).
 * UTF-8 when the file is valid UTF-8, else read again as Windows-1252 with a warning.
 */
export async function readCsvFile(file: Blob, options: ReadCsvOptions = {}): Promise<ReadCsvResult> {
  try {
    return { csv: await readAs(file, 'utf-8', options), encoding: 'utf-8' };
  } catch (error) {
    if (!(error instanceof NotUtf8)) throw error;
  }
  const csv = await readAs(file, 'windows-1252', options);
  csv.problems.unshift(ENCODING_WARNING);
  return { csv, encoding: 'windows-1252' };
}

async function readAs(
  file: Blob,
  encoding: 'utf-8' | 'windows-1252',
  options: ReadCsvOptions,
): Promise<PackedCsv> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new NotUtf8();
    }
  };
  const pieceChars = options.pieceChars ?? 1 << 20;
  let delimiter = options.delimiter;
  let parser: CsvStreamParser | null = null;
  let builder: PackedRowsBuilder | null = null;
  const rowProblems: CsvProblem[] = [];
  let endProblem: CsvProblem | null = null;
  let text = '';
  const { onBlock } = options;
  const newBuilder = (columns: string[]) =>
    new PackedRowsBuilder(columns, onBlock && ((values) => onBlock(values, encoding)));

  const push = (final: boolean): boolean => {
    if (!parser) {
      delimiter ??= detectDelimiter(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      parser = new CsvStreamParser(delimiter, { maxRows: options.maxRows });
    }
    const input = text;
    text = '';
    try {
      const piece = parser.push(input, final);
      if (piece.rows.length) builder ??= newBuilder(parser.columns!);
      for (const row of piece.rows) builder!.add(row);
      for (const p of piece.problems) rowProblems.push(p);
      return true;
    } catch (error) {
      if (!(error instanceof CsvStreamError)) throw error;
      if (error.piece?.rows.length) {
        builder ??= newBuilder(parser.columns!);
        for (const row of error.piece.rows) builder.add(row);
        for (const p of error.piece.problems) rowProblems.push(p);
      }
      endProblem = error.problem;
      return false;
    }
  };

  const reader = file.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      text += decode(done ? undefined : value);
      if (done) {
        push(true);
        break;
      }
      // The delimiter is guessed from the start of the file, as parseCsv guesses it.
      const wanted = parser ? pieceChars : Math.max(pieceChars, DETECTION_CHARS);
      if (text.length >= wanted && !push(false)) break;
    }
  } finally {
    reader.cancel().catch(() => {});
  }

  const p = parser as CsvStreamParser | null;
  // Refused before any row (too many columns, an empty file): no columns, as parseCsv gives.
  const columns =
    endProblem && (endProblem as CsvProblem).kind !== 'no_rows' && !builder ? [] : (p?.columns ?? []);
  const problems = [...(columns.length ? (p?.headerProblems ?? []) : []), ...rowProblems];
  if (endProblem) problems.push(endProblem);
  return {
    columns,
    rows: (builder as PackedRowsBuilder | null)?.finish() ?? new PackedRowsBuilder(columns).finish(),
    delimiter: delimiter ?? ',',
    delimiterDetected: !options.delimiter,
    problems,
  };
}
