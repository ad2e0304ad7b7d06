import { describe, expect, it } from 'vitest';
import { chunkIdempotencyKey, chunkRows, parseChunkIdempotencyKey } from '@/lib/mail-merge/chunking';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('chunkRows', () => {
  it('splits 250 rows into chunks of 100, 100 and 50', () => {
    const chunks = chunkRows(range(1, 250));
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunks.map((c) => [c[0], c.at(-1)])).toEqual([
      [1, 100],
      [101, 200],
      [201, 250],
    ]);
  });

  it('gives the same chunks for the same rows in any order, ignoring repeats', () => {
    const rows = [7, 3, 250, 12, 99, 4, 180, 33, 3];
    const shuffled = [33, 180, 4, 99, 12, 250, 3, 7, 7];
    expect(chunkRows(shuffled, 4)).toEqual(chunkRows(rows, 4));
    expect(chunkRows(rows, 4)).toEqual([
      [3, 4, 7, 12],
      [33, 99, 180, 250],
    ]);
  });

  it('sorts numerically, not as text', () => {
    expect(chunkRows([10, 9, 100, 1], 2)).toEqual([
      [1, 9],
      [10, 100],
    ]);
  });

  it('handles no rows and rejects sizes over the batch limit', () => {
    expect(chunkRows([])).toEqual([]);
    expect(() => chunkRows([1], 101)).toThrow(RangeError);
    expect(() => chunkRows([1], 0)).toThrow(RangeError);
  });
});

describe('chunkIdempotencyKey', () => {
  it('is job:<id>:chunk:<n>:try:<k>, the same every time', () => {
    expect(chunkIdempotencyKey('abc123', 7, 1)).toBe('job:abc123:chunk:7:try:1');
    const keys = () => chunkRows(range(1, 250)).map((_, n) => chunkIdempotencyKey('abc123', n, 2));
    expect(keys()).toEqual(keys());
    expect(keys()).toEqual([
      'job:abc123:chunk:0:try:2',
      'job:abc123:chunk:1:try:2',
      'job:abc123:chunk:2:try:2',
    ]);
  });

  it('differs per try, so a retry of failed rows never replays an old request', () => {
    expect(chunkIdempotencyKey('j', 1, 1)).not.toBe(chunkIdempotencyKey('j', 1, 2));
  });

  it('rejects ids and numbers that would make an ambiguous key', () => {
    expect(() => chunkIdempotencyKey('a:b', 1, 1)).toThrow(RangeError);
    expect(() => chunkIdempotencyKey('a b', 1, 1)).toThrow(RangeError);
    expect(() => chunkIdempotencyKey('a', 1.5, 1)).toThrow(RangeError);
    expect(() => chunkIdempotencyKey('a', 1, 0)).toThrow(RangeError);
  });

  it('reads a key back', () => {
    expect(parseChunkIdempotencyKey('job:abc123:chunk:7:try:2')).toEqual({
      jobId: 'abc123',
      chunkNo: 7,
      tryNo: 2,
    });
    expect(parseChunkIdempotencyKey('job:a:b:chunk:7:try:2')).toBeNull();
    expect(parseChunkIdempotencyKey('compose-123')).toBeNull();
  });
});
