import { describe, expect, it } from 'vitest';
import { hashJson, hashParts } from '@/lib/sandbox/idempotency';
import { ID_PATTERN, newAttachmentId, newMessageId, newRequestId } from '@/lib/sandbox/ids';

describe('request hashing for Idempotency-Key', () => {
  it('ignores object key order but not values or array order', () => {
    const a = { to: { email: 'a@example.com', name: 'A' }, subject: 'Hi', cc: [1, 2] };
    const b = { cc: [1, 2], subject: 'Hi', to: { name: 'A', email: 'a@example.com' } };
    expect(hashJson(a)).toBe(hashJson(b));
    expect(hashJson({ ...a, subject: 'Hi!' })).not.toBe(hashJson(a));
    expect(hashJson({ ...a, cc: [2, 1] })).not.toBe(hashJson(a));
    expect(hashJson({ x: null })).not.toBe(hashJson({ x: 'null' }));
  });

  it('hashes upload parts with their boundaries', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(hashParts('a.pdf', '', bytes)).toBe(hashParts('a.pdf', '', new Uint8Array([1, 2, 3])));
    expect(hashParts('a.pdf', '', bytes)).not.toBe(hashParts('a.pd', 'f', bytes));
  });
});

describe('ids', () => {
  it('match the OpenAPI patterns and differ each time', () => {
    const ids = Array.from({ length: 200 }, newMessageId);
    for (const id of ids) expect(id).toMatch(ID_PATTERN.message);
    expect(new Set(ids).size).toBe(200);
    expect(newRequestId()).toMatch(/^req_[a-z0-9]{24}$/);
    expect(newAttachmentId()).toMatch(/^att_[a-z0-9]{24}$/);
  });
});
