import { readCsvFile, transferables, type PackedCsv } from '@/lib/mail-merge/packed-rows';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';

// Parsing 100,000 rows takes long enough to freeze a page, so the upload step parses here:
// new Worker(new URL('@/lib/mail-merge/csv.worker.ts', import.meta.url)). The file is streamed
// through the parser and its rows come back packed (lib/mail-merge/packed-rows.ts): a million rows
// stay about the file's size in the tab.

export type CsvWorkerRequest = { file: Blob; delimiter?: CsvDelimiter };
export type CsvWorkerResponse =
  { ok: true; result: PackedCsv; encoding: 'utf-8' | 'windows-1252' } | { ok: false; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', async (event: MessageEvent<CsvWorkerRequest>) => {
  const { file, delimiter } = event.data;
  try {
    const { csv, encoding } = await readCsvFile(file, { delimiter });
    const response: CsvWorkerResponse = { ok: true, result: csv, encoding };
    scope.postMessage(response, transferables(csv));
  } catch (error) {
    const response: CsvWorkerResponse = {
      ok: false,
      message: error instanceof Error ? error.message : 'The file could not be read',
    };
    scope.postMessage(response);
  }
});
