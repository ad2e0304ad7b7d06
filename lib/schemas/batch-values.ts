// The batch pages' plain values, beside their zod schemas (batch.ts) so that a page can show them,
// and the CSV parser use them, without loading the validator.

/**
 * The largest CSV the browser hands the start action. next.config.ts caps an action body at
 * 19 MB, and the multipart framing and the spec travel with the file.
 */
export const MAX_CSV_BYTES = 18 * 1000 * 1000;
export const MAX_JOB_NAME = 120;
/** Rows one batch job holds; a CSV file with more is refused when it is read, not after. */
export const MAX_JOB_ROWS = 200_000;

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
