import type { CsvTable } from '@/lib/mail-merge/csv';
import type { CsvWorkerMessage, CsvWorkerRequest } from '@/lib/mail-merge/csv.worker';
import { unpackCsv } from '@/lib/mail-merge/packed-rows';

// The page's side of lib/mail-merge/csv.worker.ts: one file parsed on a fresh worker, its blocks
// of packed rows collected as they come, and the rows read through PackedRowList.

export type ParsedFile =
  { ok: true; result: CsvTable; encoding: 'utf-8' | 'windows-1252' } | { ok: false; message: string };

/** Parses `request.file` on `worker` and ends the worker. */
export function receiveCsv(worker: Worker, request: CsvWorkerRequest): Promise<ParsedFile> {
  return new Promise((resolve) => {
    const blocks: Extract<CsvWorkerMessage, { type: 'block' }>[] = [];
    worker.onmessage = (event: MessageEvent<CsvWorkerMessage>) => {
      const m = event.data;
      if (m.type === 'block') {
        blocks.push(m);
        return;
      }
      worker.terminate();
      if (!m.ok) return resolve({ ok: false, message: m.message });
      // Blocks read as UTF-8 before a byte showed the file is not UTF-8 were read again.
      const kept = blocks.filter((b) => b.encoding === m.encoding);
      const rows = m.result.rows;
      if (kept.length) rows.blocks = rows.columns.map((_, c) => kept.map((b) => b.values[c]!));
      resolve({ ok: true, result: unpackCsv(m.result), encoding: m.encoding });
    };
    worker.onerror = (event) => {
      event.preventDefault();
      resolve({ ok: false, message: event.message || 'The file could not be read' });
      worker.terminate();
    };
    worker.postMessage(request);
  });
}
