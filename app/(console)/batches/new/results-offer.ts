import Papa from 'papaparse';
import { decodeCsvBytes, type CsvTable } from '@/lib/mail-merge/csv';
import { hasResultColumns, parseResultsCsv, resultsJobId } from '@/lib/mail-merge/results-csv';
import { findResultsJobAction } from './actions';
import type { ResultsOffer } from './wizard-types';

/** When the loaded file is a results CSV, what to offer: its failed rows and the job they came from. */
export async function resultsOfferFor(file: File, parsed: CsvTable): Promise<ResultsOffer | null> {
  if (!hasResultColumns(parsed.columns)) return null;
  const results = parseResultsCsv(decodeCsvBytes(new Uint8Array(await file.arrayBuffer())).text);
  if (!results.ok) return null;
  const jobId = resultsJobId(parsed);
  const job = jobId ? await findResultsJobAction({ jobId }).then((r) => (r.ok ? r.data : null)) : null;
  return { fileName: file.name, total: results.rows.length, failed: results.failed, job };
}

/** The failed rows of a results CSV as a CSV file of their own, to load as a new upload. */
export function failedRowsFile(offer: ResultsOffer): File {
  const { columns, rows } = offer.failed;
  const text = Papa.unparse(
    { fields: columns, data: rows.map((r) => columns.map((c) => r.values[c] ?? '')) },
    { newline: '\r\n' },
  );
  return new File([text], offer.fileName.replace(/(\.[^.]+)?$/, '-failed-rows.csv'), { type: 'text/csv' });
}
