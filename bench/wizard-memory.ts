// The CSV wizard's memory in Chromium on a file of 1,000,000 rows (--rows N): the tab parses it in
// its Web Worker and runs the preview's check over the rows, as app/(console)/batches/new does.
// Prints the renderer process's peak RSS (the page and its dedicated worker share that process)
// and the page's JS heap. Asserts nothing.
//
//   node --import tsx bench/wizard-memory.ts [--rows 1000000]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const ROWS = Number(arg('--rows') ?? 1_000_000);

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** Chromium's renderer processes under `root` (this process: the browser is its child), from /proc. */
function rendererPids(root: number): number[] {
  const out: number[] = [];
  const walk = (pid: number) => {
    const children: string[] = [];
    try {
      for (const task of fs.readdirSync(`/proc/${pid}/task`))
        children.push(
          ...fs
            .readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
            .trim()
            .split(/\s+/)
            .filter(Boolean),
        );
    } catch {
      return;
    }
    for (const c of children.map(Number)) {
      const cmd = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8');
      if (cmd.includes('--type=renderer')) out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-wizard-mem-'));
  const csv = path.join(dir, 'rows.csv');
  const fd = fs.openSync(csv, 'w');
  fs.writeSync(fd, 'email,name,n\n');
  for (let i = 1; i <= ROWS; i += 10_000) {
    let text = '';
    for (let k = i; k < Math.min(ROWS + 1, i + 10_000); k++)
      text += `row-${k}+bench@example.com,Row ${k} with a somewhat longer name for realism,${k}\n`;
    fs.writeSync(fd, text);
  }
  fs.closeSync(fd);
  const csvMb = fs.statSync(csv).size / 1e6;
  const common = {
    bundle: true,
    format: 'iife' as const,
    platform: 'browser' as const,
    minify: true,
    logLevel: 'error' as const,
  };
  await build({
    ...common,
    entryPoints: ['lib/mail-merge/csv.worker.ts'],
    outfile: path.join(dir, 'worker.js'),
  });
  await build({
    ...common,
    entryPoints: ['bench/wizard-memory.page.ts'],
    outfile: path.join(dir, 'page.js'),
  });
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><title>wizard memory</title><script src="/page.js"></script>',
  );
  const server = http.createServer((req, res) => {
    const name = req.url === '/' ? 'index.html' : (req.url ?? '').slice(1);
    const file = path.join(dir, path.basename(name));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': name.endsWith('.js')
        ? 'text/javascript'
        : name.endsWith('.html')
          ? 'text/html'
          : 'text/csv',
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--enable-precise-memory-info', '--renderer-process-limit=1'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const load = os.loadavg()[0]!;
    const result = await page.evaluate(() =>
      (window as unknown as { runWizard: () => Promise<unknown> }).runWizard(),
    );
    const heap = await page.evaluate(() => {
      const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      return m ? Math.round(m.usedJSHeapSize / 2 ** 20) : null;
    });
    const renderers = rendererPids(process.pid).map((pid) => ({ pid, peak: peakRssMb(pid) }));
    const peak = Math.max(...renderers.map((r) => r.peak));
    console.log(
      `wizard-memory (Chromium ${browser.version()}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end)`,
    );
    console.log(`  file                         ${ROWS.toLocaleString('en')} rows, ${csvMb.toFixed(1)} MB`);
    console.log(`  result                       ${JSON.stringify(result)}`);
    console.log(
      `  tab peak RSS (renderer)      ${peak} MB  (target: under about 1 GB; page and worker share the process)`,
    );
    console.log(`  page JS heap after preview   ${heap ?? '?'} MB (performance.memory.usedJSHeapSize)`);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
