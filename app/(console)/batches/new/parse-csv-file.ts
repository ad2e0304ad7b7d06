import { receiveCsv, type ParsedFile } from '@/lib/mail-merge/csv-worker-client';
import type { CsvDelimiter } from '@/lib/schemas/batch-values';

/** Parses a file in a Web Worker (a fresh one per file), so a 100,000-row file never freezes the page. */
export function parseCsvFile(file: Blob, delimiter?: CsvDelimiter): Promise<ParsedFile> {
  let worker: Worker;
  try {
    // Turbopack bundles the worker and its imports (papaparse) when it sees exactly this form.
    worker = new Worker(new URL('@/lib/mail-merge/csv.worker.ts', import.meta.url));
  } catch (err) {
    return Promise.resolve({
      ok: false,
      message: `This browser could not start the CSV parser: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  return receiveCsv(worker, delimiter ? { file, delimiter } : { file });
}

export async function hasUtf8Bom(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 3).arrayBuffer());
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
}
