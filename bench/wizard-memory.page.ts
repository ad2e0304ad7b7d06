// The page half of bench/wizard-memory.ts, bundled by esbuild: what the CSV wizard does with a file
// in the tab (app/(console)/batches/new): parse it in the Web Worker (lib/mail-merge/csv.worker.ts),
// keep the packed rows it posts back (app/(console)/batches/new/parse-csv-file.ts), and run the
// preview's preflight over them on the page.
import type { CsvWorkerResponse } from '@/lib/mail-merge/csv.worker';
import { unpackCsv } from '@/lib/mail-merge/packed-rows';
import { preflight } from '@/lib/mail-merge/preflight';
import { BENCH_SPEC } from './bench-spec';

const spec = BENCH_SPEC;

const held: unknown[] = [];
const w = window as unknown as { runWizard: () => Promise<Record<string, number | string>> };
w.runWizard = async (): Promise<Record<string, number | string>> => {
  const t0 = performance.now();
  const file = await (await fetch('/rows.csv')).blob();
  const parsed = await new Promise<CsvWorkerResponse>((resolve) => {
    const worker = new Worker('/worker.js');
    worker.onmessage = (e: MessageEvent<CsvWorkerResponse>) => {
      resolve(e.data);
      worker.terminate();
    };
    worker.postMessage({ file });
  });
  const parsedAt = performance.now();
  if (!parsed.ok) return { error: parsed.message };
  const table = unpackCsv(parsed.result);
  const result = preflight(table, spec, { profile: 'bench' });
  held.push(table, result); // the wizard keeps both in its state
  return {
    rows: table.rows.length,
    valid: result.rows.filter((r) => r.status === 'valid').length,
    parseMs: parsedAt - t0,
    preflightMs: performance.now() - parsedAt,
  };
};
