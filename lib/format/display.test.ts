import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatEta,
  formatLocalTime,
  formatRate,
  formatUtc,
  isoMillis,
} from '@/lib/format/display';

describe('display formats', () => {
  it('groups counts the same way on every machine', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1015)).toBe('1,015');
    expect(formatCount(100_000)).toBe('100,000');
  });

  it('shows sizes with two or three figures, 1 KB = 1,024 bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(10 * 1024 - 1)).toBe('10.0 KB');
    expect(formatBytes(10 * 1024)).toBe('10 KB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1024 KB');
    expect(formatBytes(1024 * 1024)).toBe('1.0 MB');
    expect(formatBytes(18 * 1024 * 1024)).toBe('18.0 MB');
    expect(formatBytes(26_214_400)).toBe('25.0 MB');
  });

  it('says when a size is unknown', () => {
    expect(formatBytes(null)).toBe('unknown size');
    expect(formatBytes(undefined)).toBe('unknown size');
    expect(formatBytes(Number.NaN)).toBe('unknown size');
  });

  it('shows durations in ms below a second, seconds above', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(120.4)).toBe('120 ms');
    expect(formatDuration(999)).toBe('999 ms');
    expect(formatDuration(2000)).toBe('2.0 s');
    expect(formatDuration(12_345)).toBe('12 s');
    expect(formatDuration(null)).toBe('—');
  });

  it('shows time left and rates', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(45)).toBe('45 s');
    expect(formatEta(200)).toBe('3 min 20 s');
    expect(formatEta(7500)).toBe('2 h 5 min');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(2.54)).toBe('2.5 rows/s');
    expect(formatRate(1234.4)).toBe('1,234 rows/s');
  });

  it('reads UTC times the way the request log shows them', () => {
    expect(formatUtc('2026-05-01T14:03:22.123456Z')).toBe('2026-05-01 14:03:22 UTC');
    expect(formatUtc('2026-05-01T14:03:22.123Z', true)).toBe('2026-05-01 14:03:22.123 UTC');
    expect(formatUtc('not a time')).toBe('not a time');
    expect(isoMillis('2026-05-01T14:03:22Z')).toBe('2026-05-01T14:03:22.000Z');
    expect(isoMillis('yesterday')).toBe('yesterday');
  });

  it('shows a local time in the reader’s locale, and a bad value as it came', () => {
    const iso = '2026-05-01T14:03:22.000Z';
    expect(formatLocalTime(iso)).toBe(new Date(iso).toLocaleString());
    expect(formatLocalTime('soon')).toBe('soon');
  });
});
