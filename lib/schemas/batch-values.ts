// The batch pages' plain values, beside their zod schemas (batch.ts) so that a page can show them,
// and the CSV parser use them, without loading the validator.

/**
 * The largest CSV a job starts from. It goes to POST /api/batches as a stream, read and stored as
 * it arrives, never held whole; a million rows of a few columns is about 100 MB.
 */
export const MAX_CSV_BYTES = 250 * 1000 * 1000;
/** The JSON line before the file in that upload: mapping, templates, excluded lines. */
export const MAX_START_META_BYTES = 12 * 1000 * 1000;
export const MAX_JOB_NAME = 120;
/** Rows one batch job holds; a CSV file with more is refused when it is read, not after. */
export const MAX_JOB_ROWS = 1_000_000;

export const CSV_ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];
export const DELIMITER_LABELS: Record<CsvDelimiter, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};

export const ROW_STATUSES = ['pending', 'sending', 'queued', 'failed', 'cancelled'] as const;
export type RowStatusFilter = (typeof ROW_STATUSES)[number];
