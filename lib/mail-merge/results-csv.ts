import { parseChunkIdempotencyKey } from '@/lib/mail-merge/chunking';
import { parseCsv, type CsvRow, type CsvTable, type ParsedCsv } from '@/lib/mail-merge/csv';

// The results CSV: the input columns plus what happened to each row. Opened in spreadsheets, so
// every cell (header names and input values included) is neutralised against formula injection.

export const RESULT_COLUMNS = [
  'status',
  'message_id',
  'error_code',
  'error_message',
  'request_id',
  'idempotency_key',
] as const;

/** After RESULT_COLUMNS: what Sendmux's delivery events said (results CSVs from before have none). */
export const DELIVERY_COLUMNS = ['delivery_status', 'delivery_detail', 'delivery_at'] as const;

export type ResultRow = {
  values: Readonly<Record<string, string>>;
  status: string;
  messageId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  requestId?: string | null;
  idempotencyKey?: string | null;
  /** Delivered, bounced…, or empty when no event arrived (or the row was not queued). */
  deliveryStatus?: string | null;
  deliveryDetail?: string | null;
  deliveryAt?: string | null;
};

// OWASP CSV injection: a leading = + - @ tab or CR makes spreadsheets run the cell as a formula.
// Cells that already start with quotes before such a character get one more, so that reading
// back (strip one quote) returns exactly the original value.
const DANGEROUS = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function neutraliseCell(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
}

export function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

function cell(value: string): string {
  const safe = neutraliseCell(value);
  return safe !== value || NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(cell).join(',') + '\r\n';
}

/**
 * A CSV document (RFC 4180, CRLF) with every cell neutralised. The UTF-8 BOM is on by default:
 * without it Excel reads accented names as Windows-1252.
 */
export function toCsv(
  header: readonly string[],
  rows: Iterable<readonly string[]>,
  options: { bom?: boolean } = {},
): string {
  let out = ((options.bom ?? true) ? '\uFEFF' : '') + csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}

export function resultsCsvHeader(columns: readonly string[]): string[] {
  return [...columns, ...RESULT_COLUMNS, ...DELIVERY_COLUMNS];
}

export function resultsCsvCells(columns: readonly string[], row: ResultRow): string[] {
  const cells = columns.map((c) => row.values[c] ?? '');
  cells.push(
    row.status,
    row.messageId ?? '',
    row.errorCode ?? '',
    row.errorMessage ?? '',
    row.requestId ?? '',
    row.idempotencyKey ?? '',
    row.deliveryStatus ?? '',
    row.deliveryDetail ?? '',
    row.deliveryAt ?? '',
  );
  return cells;
}

/** The whole results CSV. A route handler streaming 100,000 rows can use csvLine + resultsCsvCells instead. */
export function resultsCsv(
  columns: readonly string[],
  rows: Iterable<ResultRow>,
  options: { bom?: boolean } = {},
): string {
  const cells = function* () {
    for (const row of rows) yield resultsCsvCells(columns, row);
  };
  return toCsv(resultsCsvHeader(columns), cells(), options);
}

export type ParsedResultsCsv =
  | {
      ok: true;
      /** Input columns, as they were in the original upload. */
      columns: string[];
      rows: (CsvRow & { status: string; errorCode: string })[];
      counts: Record<string, number>;
      /** The rows whose status is `failed`, shaped like an upload, ready for preflight. */
      failed: ParsedCsv;
    }
  | { ok: false; message: string };

// parseCsv renames a repeated name (an input column called `status` makes ours `status_2`).
const endsWith = (columns: readonly string[], names: readonly string[]) => {
  const n = columns.length - names.length;
  return n >= 0 && names.every((name, i) => new RegExp(`^${name}(_\\d+)?$`).test(columns[n + i]!));
};

/** Where RESULT_COLUMNS start (the input columns come before), or -1 when this is no results CSV. */
function resultStart(columns: readonly string[]): number {
  if (endsWith(columns, [...RESULT_COLUMNS, ...DELIVERY_COLUMNS]))
    return columns.length - RESULT_COLUMNS.length - DELIVERY_COLUMNS.length;
  return endsWith(columns, RESULT_COLUMNS) ? columns.length - RESULT_COLUMNS.length : -1;
}

/** Whether the columns end with RESULT_COLUMNS (and, in newer files, DELIVERY_COLUMNS), as a results CSV's do. */
export function hasResultColumns(columns: readonly string[]): boolean {
  return resultStart(columns) >= 0;
}

/** The job a results CSV came from, read from its rows' idempotency keys (job:<id>:chunk:…). */
export function resultsJobId(parsed: CsvTable): string | null {
  const keyColumn = parsed.columns[resultStart(parsed.columns) + RESULT_COLUMNS.length - 1]!;
  for (let i = 0; i < parsed.rows.length; i++) {
    const row = parsed.rows.at(i)!;
    const key = parseChunkIdempotencyKey((row.values[keyColumn] ?? '').trim());
    if (key) return key.jobId;
  }
  return null;
}

/** Recognises a results CSV (input columns + RESULT_COLUMNS at the end) and finds its failed rows. */
export function parseResultsCsv(text: string): ParsedResultsCsv {
  const parsed = parseCsv(text, { delimiter: ',' });
  const n = resultStart(parsed.columns);
  if (n < 0)
    return {
      ok: false,
      message: `Not a results CSV: its last columns should be ${RESULT_COLUMNS.join(', ')}`,
    };

  const raw = parsed.columns.slice(0, n);
  const columns = raw.map(restoreCell);
  const statusColumn = parsed.columns[n]!;
  const errorCodeColumn = parsed.columns[n + 2]!;
  const counts: Record<string, number> = {};
  const rows: (CsvRow & { status: string; errorCode: string })[] = [];
  for (const row of parsed.rows) {
    const values: Record<string, string> = Object.fromEntries(
      raw.map((name, i) => [columns[i]!, restoreCell(row.values[name] ?? '')]),
    );
    const status = restoreCell(row.values[statusColumn] ?? '').trim();
    counts[status] = (counts[status] ?? 0) + 1;
    rows.push({
      line: row.line,
      values,
      status,
      errorCode: restoreCell(row.values[errorCodeColumn] ?? '').trim(),
    });
  }
  const failedRows = rows
    .filter((r) => r.status === 'failed')
    .map((r): CsvRow => ({ line: r.line, values: r.values }));
  const failedLines = new Set(failedRows.map((r) => r.line));
  const problems = parsed.problems.filter((p) => failedLines.has(p.line));
  return {
    ok: true,
    columns,
    rows,
    counts,
    failed: { columns, rows: failedRows, delimiter: ',', delimiterDetected: false, problems },
  };
}
