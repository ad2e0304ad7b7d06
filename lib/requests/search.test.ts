import { describe, expect, it } from 'vitest';
import { parseUtcInput, requestSearchHref, requestSearchSchema } from '@/lib/schemas/request-log';
import { classifyQuery, decodeCursor, encodeCursor } from '@/lib/requests/search';

describe('classifyQuery', () => {
  it('recognises each kind of id the search box takes', () => {
    expect(classifyQuery('  req_abc123  ')).toEqual({ kind: 'request_id', value: 'req_abc123' });
    expect(classifyQuery('eml_xyz')).toEqual({ kind: 'message_id', value: 'eml_xyz' });
    expect(classifyQuery('Ada.Lovelace@Example.COM')).toEqual({
      kind: 'address',
      value: 'ada.lovelace@example.com',
    });
    expect(classifyQuery('job:j42')).toEqual({
      kind: 'job',
      jobId: 'j42',
      chunkNo: undefined,
      value: 'job:j42',
    });
    expect(classifyQuery('job:j42:chunk:7')).toEqual({
      kind: 'job',
      jobId: 'j42',
      chunkNo: 7,
      value: 'job:j42:chunk:7',
    });
    // The full chunk key is an Idempotency-Key: it names exactly that chunk's tries.
    expect(classifyQuery('job:j42:chunk:7:try:2')).toEqual({ kind: 'key', value: 'job:j42:chunk:7:try:2' });
    expect(classifyQuery('compose-01HX')).toEqual({ kind: 'key', value: 'compose-01HX' });
    expect(classifyQuery('   ')).toEqual({ kind: 'none' });
    expect(classifyQuery(undefined)).toEqual({ kind: 'none' });
  });
});

describe('cursor', () => {
  it('round-trips microseconds and the id', () => {
    const c = encodeCursor({ createdAt: '2026-05-01T14:03:22.123456Z', id: 9007199254740 });
    expect(c).toBe('20260501T140322.123456Z_9007199254740');
    expect(encodeURIComponent(c)).toBe(c);
    expect(decodeCursor(c)).toEqual({ createdAt: '2026-05-01T14:03:22.123456Z', id: 9007199254740 });
    expect(decodeCursor('garbage')).toBeUndefined();
    expect(decodeCursor('2026-05-01T14:03:22Z_1')).toBeUndefined();
  });
});

describe('search params', () => {
  it('keeps valid values, drops malformed ones instead of failing the page', () => {
    const p = requestSearchSchema.parse({
      q: ' req_1 ',
      outcome: 'nope',
      code: 'rate_limit_exceeded',
      from: '2026-05-01T10:00',
      to: 'yesterday',
      before: 'x',
      user: ['a@x.test', 'b@x.test'],
      endpoint: '',
    });
    expect(p).toEqual({
      q: 'req_1',
      outcome: undefined,
      code: 'rate_limit_exceeded',
      from: '2026-05-01T10:00',
      to: undefined,
      before: undefined,
      user: 'a@x.test',
      endpoint: undefined,
      profile: undefined,
    });
    expect(requestSearchHref(p)).toBe(
      '/requests?q=req_1&code=rate_limit_exceeded&user=a%40x.test&from=2026-05-01T10%3A00',
    );
  });

  it('reads from/to as UTC; "to" covers the whole minute or day it names', () => {
    expect(parseUtcInput('2026-05-01T10:00')?.toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(parseUtcInput('2026-05-01T10:00', true)?.toISOString()).toBe('2026-05-01T10:01:00.000Z');
    expect(parseUtcInput('2026-05-01', true)?.toISOString()).toBe('2026-05-02T00:00:00.000Z');
    expect(parseUtcInput('2026-13-45T99:99')).toBeUndefined();
  });
});
