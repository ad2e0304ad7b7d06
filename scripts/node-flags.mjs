// The Node flags the console runs with (scripts/start.mjs; the benchmarks that measure the console
// run with the same). A plain ES module: start.mjs runs before anything is built.
//
// --max-old-space-size: V8 lets garbage pile up in proportion to the heap's limit before a full
// collection (up to 4× the live heap when the limit is 2 GB or more, as Node's default is on a
// machine with a few GB). A big upload turns over ~900 bytes of promoted garbage per row, so with
// the default limit the console's old space swung between ~30 MB live and ~150 MB before each
// collection; with a 1 GB limit V8 collects sooner and peak RSS fell by ~120 MB, at the same speed
// (bench/batch-throughput.ts, README "Big jobs and the console's memory"). The console's bounded
// paths need far less than 1 GB; NODE_OPTIONS=--max-old-space-size=N sets another limit.

/** The console's JS heap limit in MB unless NODE_OPTIONS sets one. */
export const CONSOLE_HEAP_MB = 1024;

/** Flags to put before the script on the console's `node` command line. */
export function consoleNodeFlags(nodeOptions = '') {
  return /--max[-_]old[-_]space[-_]size/.test(nodeOptions) ? [] : [`--max-old-space-size=${CONSOLE_HEAP_MB}`];
}
