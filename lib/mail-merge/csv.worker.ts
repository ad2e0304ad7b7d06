import { decodeCsvBytes, parseCsv, type ParsedCsv } from '@/lib/mail-merge/csv';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';

// Parsing 100,000 rows takes long enough to freeze a page, so the upload step parses here:
// new Worker(new URL('@/lib/mail-merge/csv.worker.ts', import.meta.url)).

export type CsvWorkerRequest =
  { text: string; delimiter?: CsvDelimiter } | { file: Blob; delimiter?: CsvDelimiter };
export type CsvWorkerResponse =
  { ok: true; result: ParsedCsv; encoding: 'utf-8' | 'windows-1252' } | { ok: false; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', async (event: MessageEvent<CsvWorkerRequest>) => {
  const request = event.data;
  let response: CsvWorkerResponse;
  try {
    const decoded =
      'file' in request
        ? decodeCsvBytes(new Uint8Array(await request.file.arrayBuffer()))
        : { text: request.text, encoding: 'utf-8' as const };
    const result = parseCsv(decoded.text, { delimiter: request.delimiter });
    if ('problem' in decoded && decoded.problem) result.problems.unshift(decoded.problem);
    response = { ok: true, result, encoding: decoded.encoding };
  } catch (error) {
    response = { ok: false, message: error instanceof Error ? error.message : 'The file could not be read' };
  }
  scope.postMessage(response);
});
