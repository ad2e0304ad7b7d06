// Preflight speed: 100,000 rows × 10 columns, parse + map + merge + validate, against papaparse's
// bare parse of the same text. Target: ≤ 3×. Prints figures, asserts nothing.
// Run: node --import tsx bench/preflight.ts [rows]
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Papa from 'papaparse';
import { parseCsv } from '@/lib/mail-merge/csv';
import { autoMap, emptyBatchSpec, type BatchSpec } from '@/lib/mail-merge/mapping';
import { preflight } from '@/lib/mail-merge/preflight';

const ROWS = Number(process.argv[2] ?? 100_000);
const RUNS = 9;

// A full GC before each timed run, so that one run's garbage is not billed to the next.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Radia',
  'José',
  'Zoë',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Perlman',
  'Núñez',
  "O'Brien",
];
const CITIES = [
  'London',
  'Paris',
  'New York',
  'São Paulo',
  'Zürich',
  'Tokyo',
  'Lagos',
  'Mumbai',
  'Berlin',
  'Sydney',
];
const COUNTRIES = ['GB', 'FR', 'US', 'BR', 'CH', 'JP', 'NG', 'IN', 'DE', 'AU'];
const PLANS = ['Free', 'Starter', 'Pro', 'Business'];
const COMPANIES = [
  'Acme',
  'Globex, Inc.',
  'Initech',
  'Umbrella Corp',
  'Hooli',
  'Stark Industries',
  'Wayne Enterprises, LLC',
  'Vandelay',
];

function quote(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function makeCsv(rows: number): string {
  // A small deterministic PRNG, so every run benchmarks the same file.
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const lines = ['email,name,company,city,country,amount,currency,plan,joined,note'];
  for (let i = 0; i < rows; i++) {
    const first = FIRST[rand(FIRST.length)]!;
    const last = LAST[rand(LAST.length)]!;
    const email = `${first}.${last}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    const note =
      rand(10) === 0
        ? `Prefers "${PLANS[rand(4)]}", asked about invoices, twice`
        : rand(3) === 0
          ? ''
          : 'Renewal due';
    lines.push(
      [
        email,
        `${first} ${last}`,
        COMPANIES[rand(COMPANIES.length)]!,
        CITIES[rand(CITIES.length)]!,
        COUNTRIES[rand(COUNTRIES.length)]!,
        (rand(100_000) / 100).toFixed(2),
        'EUR',
        PLANS[rand(PLANS.length)]!,
        `2026-${String(1 + rand(12)).padStart(2, '0')}-${String(1 + rand(28)).padStart(2, '0')}`,
        note,
      ]
        .map(quote)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

const HTML = `<!doctype html>
<html><body style="font-family: Inter, Arial, sans-serif; color: #111">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0">
    <tr><td style="padding: 24px">
      <h1 style="font-size: 20px">Hello {{name|there}},</h1>
      <p>Thanks for being a {{ plan }} customer at {{company|your company}}. Your invoice of
         <strong>{{amount}} {{currency}}</strong> is ready.</p>
      <p>We will send the paper copy to your office in {{city}} ({{country}}).</p>
      <p>Member since {{joined}}. Questions? Just reply to this email, [DP_NAME] reads every one.</p>
      <p style="font-size: 12px; color: #666">You receive this because you have an account with us.
         <a href="https://example.com/unsubscribe?u=[DP_VAR_KEY]">Unsubscribe</a></p>
    </td></tr>
  </table>
</body></html>`;

const TEXT = `Hello {{name|there}},

Thanks for being a {{plan}} customer at {{company|your company}}. Your invoice of {{amount}} {{currency}} is ready.
We will send the paper copy to your office in {{city}} ({{country}}).

Member since {{joined}}.`;

function spec(columns: string[]): BatchSpec {
  const mapped = autoMap(columns);
  return {
    ...emptyBatchSpec(),
    fields: {
      ...mapped.fields,
      fromEmail: { kind: 'fixed', value: 'billing@example.com' },
      fromName: { kind: 'fixed', value: 'Example Billing' },
    },
    headers: [{ name: 'X-Campaign', source: { kind: 'fixed', value: 'invoices-2026' } }],
    subject: 'Your {{plan}} invoice, {{name|there}}',
    htmlBody: HTML,
    textBody: TEXT,
  };
}

function median(xs: Timing[], key: keyof Timing = 'wall'): number {
  const s = xs.map((x) => x[key]).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

type Timing = { wall: number; cpu: number };

// CPU time is printed beside wall time: on a busy machine it is the steadier of the two.
function timeOnce(fn: () => unknown): Timing {
  gc();
  const cpu = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const text = makeCsv(ROWS);
console.log(
  `CSV: ${ROWS.toLocaleString('en-US')} rows × 10 columns, ${(text.length / 1024 / 1024).toFixed(1)} MB`,
);

let bareRows = 0;
const bareParse = () => {
  bareRows = Papa.parse<string[]>(text).data.length;
};
let summary = '';
const fullPreflight = (keepMessages: boolean) => () => {
  const parsed = parseCsv(text);
  const result = preflight(parsed, spec(parsed.columns), { keepMessages });
  const p = result.plan;
  summary = `validation ${p.validation}; ${p.valid.toLocaleString('en-US')} valid, ${p.invalid} invalid, ${p.withWarnings} with warnings, ${p.messages.toLocaleString('en-US')} messages in ${p.requests.toLocaleString('en-US')} requests, ${(p.totalBytes / 1024 / 1024).toFixed(1)} MB on the wire`;
};
const parseOnly = () => parseCsv(text);

// Interleaved, so that load from anything else on the machine falls on every variant alike.
const timings = {
  bare: [] as Timing[],
  parse: [] as Timing[],
  full: [] as Timing[],
  fullKeep: [] as Timing[],
};
bareParse();
fullPreflight(false)();
for (let i = 0; i < RUNS; i++) {
  timings.bare.push(timeOnce(bareParse));
  timings.parse.push(timeOnce(parseOnly));
  timings.full.push(timeOnce(fullPreflight(false)));
  timings.fullKeep.push(timeOnce(fullPreflight(true)));
}
const bare = timings.bare;
const full = timings.full;

const fmt = (xs: Timing[]) =>
  `${median(xs).toFixed(0).padStart(6)} ms wall ${median(xs, 'cpu').toFixed(0).padStart(6)} ms CPU`;
const ratio = (xs: Timing[], key: keyof Timing = 'wall') =>
  `${(median(xs, key) / median(bare, key)).toFixed(2)}×`;
console.log(
  `papaparse bare parse    ${fmt(bare)}  (medians of ${RUNS}; ${bareRows.toLocaleString('en-US')} records)`,
);
console.log(`parseCsv alone          ${fmt(timings.parse)}  ${ratio(timings.parse)}`);
console.log(`full preflight          ${fmt(full)}  parse + autoMap + merge + validate + wire size`);
console.log(`  with keepMessages     ${fmt(timings.fullKeep)}  every merged message kept on its row`);
console.log(
  `ratio full / bare       ${ratio(full)} wall, ${ratio(full, 'cpu')} CPU  (target ≤ 3×; with keepMessages ${ratio(timings.fullKeep)} wall)`,
);
console.log(`plan: ${summary}`);
console.log(`heap used after runs: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`);
