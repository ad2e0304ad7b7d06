// How counts, sizes, durations, rates and times read everywhere in the console. Client-safe.
// Counts use en-US grouping on every machine so that a page reads the same for every user (and for
// the tests); local times are the one exception, shown in the reader's own locale and zone.

/** 12,345 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "512 B", "1.5 KB", "12 KB", "18.0 MB" (1 KB = 1,024 bytes); two or three figures at every size. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'unknown size';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** "120 ms", "2.5 s", "12 s"; "—" when nothing was measured. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Time left: "45 s", "3 min 20 s", "2 h 5 min"; "—" when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${seconds % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "2.5 rows/s", "1,200 rows/s"; "—" when nothing moves. */
export function formatRate(perSecond: number): string {
  if (perSecond <= 0) return '—';
  return perSecond >= 10 ? `${formatCount(Math.round(perSecond))} rows/s` : `${perSecond.toFixed(1)} rows/s`;
}

/** "2026-05-01 14:03:22 UTC" from an ISO UTC time (milliseconds on request). */
export function formatUtc(iso: string, withMillis = false): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{3})?/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${withMillis && m[3] ? m[3] : ''} UTC`;
}

/** ISO UTC with milliseconds, the form tickets and other tools expect. */
export function isoMillis(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString();
}

/** A moment in the reader's own locale and time zone (browser only: the server's zone means nothing to them). */
export function formatLocalTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
