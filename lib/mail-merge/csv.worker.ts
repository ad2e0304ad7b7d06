import { readCsvFile, transferables, type PackedCsv } from '@/lib/mail-merge/packed-rows';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';

// Parsing 100,000 rows takes long enough to freeze a page, so the upload step parses here:
// new Worker(new URL('@/lib/mail-merge/csv.worker.ts', import.meta.url)), driven by
// lib/mail-merge/csv-worker-client.ts. The file is streamed through the parser and its rows are
// packed (lib/mail-merge/packed-rows.ts), each block posted as soon as it is full: the worker never
// holds the file's text, nor all of its rows, nor one copy of them as big as the file to post.

export type CsvWorkerRequest = { file: Blob; delimiter?: CsvDelimiter };
export type CsvWorkerMessage =
  | { type: 'block'; values: string[]; encoding: 'utf-8' | 'windows-1252' }
  | { type: 'done'; ok: true; result: PackedCsv; encoding: 'utf-8' | 'windows-1252' }
  | { type: 'done'; ok: false; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: CsvWorkerMessage, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer);

scope.addEventListener('message', async (event: MessageEvent<CsvWorkerRequest>) => {
  const { file, delimiter } = event.data;
  try {
    const { csv, encoding } = await readCsvFile(file, {
      delimiter,
      onBlock: (values, encoding) => post({ type: 'block', values, encoding }),
    });
    post({ type: 'done', ok: true, result: csv, encoding }, transferables(csv));
  } catch (error) {
    post({
      type: 'done',
      ok: false,
      message: error instanceof Error ? error.message : 'The file could not be read',
    });
  }
});
