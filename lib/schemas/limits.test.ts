import { describe, expect, it } from 'vitest';
import { base64Length, decodedLength } from '@/lib/schemas/limits';

describe('base64 size arithmetic', () => {
  it.each([
    [0, 0],
    [1, 4],
    [2, 4],
    [3, 4],
    [4, 8],
    [1024 * 1024, 1_398_104],
  ])('%i raw bytes take %i base64 characters', (raw, encoded) => {
    expect(base64Length(raw)).toBe(encoded);
    expect(Buffer.alloc(raw).toString('base64').length).toBe(encoded);
  });

  it('decodes the length back, honouring padding and ignoring whitespace', () => {
    for (const raw of [0, 1, 2, 3, 4, 5, 100, 1001]) {
      const b64 = Buffer.alloc(raw, 7).toString('base64');
      expect(decodedLength(b64)).toBe(raw);
      expect(decodedLength(b64.replace(/(.{10})/g, '$1\n'))).toBe(raw);
    }
  });
});
