// The page half of bench/wizard-memory.ts, bundled by esbuild: what the CSV wizard does with a file
// in the tab (app/(console)/batches/new): parse it in the Web Worker (lib/mail-merge/csv.worker.ts),
// keep the packed rows it posts back (lib/mail-merge/csv-worker-client.ts, as
// app/(console)/batches/new/parse-csv-file.ts does), run the
// preview's preflight over them on the page, and what the preview builds from its result: the
// filters' counts, the list under the filter, and the addresses its delivery-history check asks about.
import { receiveCsv } from '@/lib/mail-merge/csv-worker-client';
import { preflight } from '@/lib/mail-merge/preflight';
import { historyAddresses } from '../app/(console)/batches/new/history-addresses';
import { FILTERS, filterCounts } from '../app/(console)/batches/new/preflight-filters';
import { BENCH_SPEC } from './bench-spec';

const spec = BENCH_SPEC;

const held: unknown[] = [];
const w = window as unknown as { runWizard: () => Promise<Record<string, number | string>> };
w.runWizard = async (): Promise<Record<string, number | string>> => {
  const t0 = performance.now();
  const file = await (await fetch('/rows.csv')).blob();
  const parsed = await receiveCsv(new Worker('/worker.js'), { file });
  const parsedAt = performance.now();
  if (!parsed.ok) return { error: parsed.message };
  const table = parsed.result;
  const result = preflight(table, spec, { profile: 'bench' });
  const preflightAt = performance.now();
  const counts = filterCounts(result.rows);
  const list = result.rows.filter(FILTERS.all.test);
  const addresses = historyAddresses(result);
  held.push(table, result, counts, list, addresses); // the wizard keeps these in its state and memos
  return {
    rows: table.rows.length,
    valid: result.rows.filter((r) => r.status === 'valid').length,
    parseMs: parsedAt - t0,
    preflightMs: preflightAt - parsedAt,
    historyAddresses: addresses.list.length,
  };
};
