import type { CsvTable } from '@/lib/mail-merge/csv';
import type { CsvWorkerRequest, CsvWorkerResponse } from '@/lib/mail-merge/csv.worker';
import { unpackCsv } from '@/lib/mail-merge/packed-rows';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';

export type ParsedFile =
  { ok: true; result: CsvTable; encoding: 'utf-8' | 'windows-1252' } | { ok: false; message: string };

/** Parses a file in a Web Worker (a fresh one per file), so a 100,000-row file never freezes the page. */
export async function parseCsvFile(file: Blob, delimiter?: CsvDelimiter): Promise<ParsedFile> {
  const response = await runWorker(file, delimiter);
  return response.ok ? { ...response, result: unpackCsv(response.result) } : response;
}

function runWorker(file: Blob, delimiter?: CsvDelimiter): Promise<CsvWorkerResponse> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // Turbopack bundles the worker and its imports (papaparse) when it sees exactly this form.
      worker = new Worker(new URL('@/lib/mail-merge/csv.worker.ts', import.meta.url));
    } catch (err) {
      resolve({
        ok: false,
        message: `This browser could not start the CSV parser: ${err instanceof Error ? err.message : String(err)}`,
      });
      return;
    }
    worker.onmessage = (event: MessageEvent<CsvWorkerResponse>) => {
      resolve(event.data);
      worker.terminate();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      resolve({ ok: false, message: event.message || 'The file could not be read' });
      worker.terminate();
    };
    const request: CsvWorkerRequest = delimiter ? { file, delimiter } : { file };
    worker.postMessage(request);
  });
}

export async function hasUtf8Bom(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 3).arrayBuffer());
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
}
