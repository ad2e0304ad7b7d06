// First-load JavaScript of every page, from the production build: the scripts a route's HTML
// loads before it is interactive (Next's root main files plus the entry chunks of the route's
// layouts and page), each gzipped, summed once. Next's nomodule polyfill is not counted: modern
// browsers skip it (Chromium fetches exactly these files before the load event). Chunks loaded
// later (a dialog, a step, zod at the first validation) are not first-load. Targets: sign-in and
// setup ≤ 180 kB, every other page ≤ 250 kB (gzip, kB = 1,000 bytes). Prints figures, asserts nothing.
// Run after `npx next build`: node --import tsx bench/bundle.ts [distDir]
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const distDir = path.resolve(process.argv[2] ?? process.env.NEXT_DIST_DIR ?? '.next');
const AUTH_TARGET = 180_000;
const CONSOLE_TARGET = 250_000;
const AUTH_ROUTES = new Set(['/sign-in', '/setup']);

type Manifest = { entryJSFiles?: Record<string, string[]> };

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(distDir, file), 'utf8')) as T;

/** The client reference manifest is a script that assigns globalThis.__RSC_MANIFEST[page]. */
function clientManifest(file: string): Manifest {
  const sandbox: { __RSC_MANIFEST?: Record<string, Manifest> } = {};
  new Function('globalThis', 'self', fs.readFileSync(file, 'utf8'))(sandbox, sandbox);
  const [manifest] = Object.values(sandbox.__RSC_MANIFEST ?? {});
  return manifest ?? {};
}

/** "/(console)/batches/[id]/page" → "/batches/[id]"; route groups are not part of the URL. */
function routeOf(page: string): string {
  const parts = page.split('/').filter((p) => p && !/^\(.*\)$/.test(p));
  parts.pop();
  return `/${parts.join('/')}`;
}

const sizes = new Map<string, { raw: number; gzip: number }>();
function sizeOf(file: string) {
  let s = sizes.get(file);
  if (!s) {
    const bytes = fs.readFileSync(path.join(distDir, file));
    s = { raw: bytes.length, gzip: gzipSync(bytes).length };
    sizes.set(file, s);
  }
  return s;
}

const buildManifest = readJson<{ rootMainFiles: string[] }>('build-manifest.json');
const appPaths = readJson<Record<string, string>>('server/app-paths-manifest.json');

type Row = { route: string; files: string[]; raw: number; gzip: number; target: number };
const rows: Row[] = [];
for (const page of Object.keys(appPaths)) {
  if (!page.endsWith('/page')) continue;
  const manifestFile = path.join(distDir, 'server/app', `${page}_client-reference-manifest.js`);
  if (!fs.existsSync(manifestFile)) continue;
  const entries = clientManifest(manifestFile).entryJSFiles ?? {};
  const files = [...new Set([...buildManifest.rootMainFiles, ...Object.values(entries).flat()])].filter((f) =>
    f.endsWith('.js'),
  );
  const route = routeOf(page);
  rows.push({
    route,
    files,
    raw: files.reduce((n, f) => n + sizeOf(f).raw, 0),
    gzip: files.reduce((n, f) => n + sizeOf(f).gzip, 0),
    target: AUTH_ROUTES.has(route) ? AUTH_TARGET : CONSOLE_TARGET,
  });
}
rows.sort((a, b) => b.gzip - a.gzip);

// Next records the same list as route-bundle-stats; a difference would mean this script misreads the build.
const statsFile = path.join(distDir, 'diagnostics/route-bundle-stats.json');
const recorded = fs.existsSync(statsFile)
  ? new Map(
      (
        JSON.parse(fs.readFileSync(statsFile, 'utf8')) as { route: string; firstLoadChunkPaths: string[] }[]
      ).map((r) => [
        r.route,
        new Set(
          r.firstLoadChunkPaths.map((p) => path.relative(distDir, path.resolve(path.dirname(distDir), p))),
        ),
      ]),
    )
  : null;

const kB = (n: number) => (n / 1000).toFixed(1).padStart(7);
const framework = new Set(buildManifest.rootMainFiles);
const frameworkGzip = [...framework].reduce((n, f) => n + sizeOf(f).gzip, 0);
console.log(`First-load JS per page (${distDir}); kB = 1,000 bytes, gzip level 6`);
console.log(`Framework (root main files): ${kB(frameworkGzip).trim()} kB gzip\n`);
console.log(
  `${'route'.padEnd(24)}${'raw kB'.padStart(9)}${'gzip kB'.padStart(9)}${'target'.padStart(9)}  files`,
);
let over = 0;
for (const r of rows) {
  const ok = r.gzip <= r.target;
  if (!ok) over++;
  const stats = recorded?.get(r.route);
  const mismatch =
    stats && (stats.size !== r.files.length || r.files.some((f) => !stats.has(f)))
      ? '  (≠ route-bundle-stats)'
      : '';
  console.log(
    `${r.route.padEnd(24)}${kB(r.raw)}  ${kB(r.gzip)}  ≤${String(r.target / 1000).padStart(4)}  ${String(r.files.length).padStart(3)}  ${ok ? 'ok' : 'OVER'}${mismatch}`,
  );
}
console.log(`\n${over === 0 ? 'Every page within its target.' : `${over} page(s) over target.`}`);
