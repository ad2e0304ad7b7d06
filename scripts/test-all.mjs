#!/usr/bin/env node
// `npm test`: every suite in order — lint, type-check, unit, database tests on PGlite and on
// PostgreSQL, production build, end-to-end tests in Chromium — then one line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startThrowawayPostgres } from './throwaway-postgres.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const reports = path.join(root, 'reports');
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '1' };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`

const results = [];
const record = (suite, passed, failed, note = '') => {
  results.push({ suite, passed, failed, note });
};
const run = (cmd, args, env = {}) => {
  console.log(`\n━━ ${[path.basename(cmd), ...args].join(' ')}`);
  return spawnSync(cmd, args, { cwd: root, env: { ...baseEnv, ...env }, stdio: 'inherit' }).status === 0;
};
const wanted = (suite) => only.length === 0 || only.includes(suite);

function vitestSuite(suite, project, env = {}) {
  const out = path.join(reports, `${suite}.json`);
  const ok = run(
    bin('vitest'),
    ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    env,
  );
  if (!fs.existsSync(out)) return record(suite, 0, 1, 'no report (the run crashed)');
  const r = JSON.parse(fs.readFileSync(out, 'utf8'));
  // A file that fails to load has no tests but still fails the suite.
  const brokenFiles = r.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  ).length;
  record(
    suite,
    r.numPassedTests,
    r.numFailedTests + brokenFiles + (ok || r.numFailedTests + brokenFiles > 0 ? 0 : 1),
    r.numPendingTests ? `${r.numPendingTests} skipped` : '',
  );
}

if (wanted('lint')) record('lint', ...(run(bin('eslint'), ['.', '--max-warnings=0']) ? [1, 0] : [0, 1]));
if (wanted('lint'))
  record('format', ...(run(bin('prettier'), ['--check', '.', '--log-level=warn']) ? [1, 0] : [0, 1]));
if (wanted('typecheck')) record('typecheck', ...(run(bin('tsc'), ['--noEmit']) ? [1, 0] : [0, 1]));
if (wanted('unit')) vitestSuite('unit', 'unit');
if (wanted('db')) {
  vitestSuite('db (PGlite)', 'db', { TEST_DB: 'pglite' });
  let pg = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop() {} }
    : startThrowawayPostgres();
  if (pg.error) {
    console.log(`\nPostgreSQL database tests: ${pg.error}`);
    if (process.env.REQUIRE_POSTGRES === '1') record('db (PostgreSQL)', 0, 1, pg.error);
    else record('db (PostgreSQL)', 0, 0, `skipped: ${pg.error}`);
    pg = null;
  }
  if (pg) {
    try {
      vitestSuite('db (PostgreSQL)', 'db', { TEST_DB: 'postgres', TEST_DATABASE_URL: pg.url });
    } finally {
      pg.stop();
    }
  }
}
let built = !wanted('build');
if (wanted('build')) {
  built = run(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build']);
  record('build', ...(built ? [1, 0] : [0, 1]));
}
if (wanted('e2e')) {
  const out = path.join(reports, 'playwright.json');
  if (!built) record('e2e', 0, 1, 'not run: the build failed');
  else {
    run(bin('playwright'), ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
    if (!fs.existsSync(out)) record('e2e', 0, 1, 'no report (the run crashed)');
    else {
      const { stats, errors = [] } = JSON.parse(fs.readFileSync(out, 'utf8'));
      const failed = stats.unexpected + (errors.length > 0 && stats.unexpected === 0 ? 1 : 0);
      record(
        'e2e',
        stats.expected + stats.flaky,
        failed,
        [stats.flaky ? `${stats.flaky} flaky` : '', stats.skipped ? `${stats.skipped} skipped` : '']
          .filter(Boolean)
          .join(', '),
      );
    }
  }
}

console.log('\n━━ Summary');
for (const r of results)
  console.log(
    `  ${r.failed ? '✗' : '✓'} ${r.suite.padEnd(18)} ${r.passed} passed, ${r.failed} failed${r.note ? ` (${r.note})` : ''}`,
  );
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const summary = `${passed} passed, ${failed} failed`;
fs.writeFileSync(path.join(reports, 'summary.txt'), `${summary}\n`);
console.log(summary);
process.exit(failed > 0 ? 1 : 0);
