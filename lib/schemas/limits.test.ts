import { describe, expect, it } from 'vitest';
import { base64Length, decodedLength, utf8Length } from '@/lib/schemas/limits';

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

describe('utf8Length', () => {
  const encoded = (s: string) => new TextEncoder().encode(s).length;

  it.each([
    ['', 0],
    ['ascii', 5],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a😀é€', 10],
    // A lone surrogate cannot be encoded; TextEncoder (and every JSON body on the wire) writes U+FFFD, 3 bytes.
    ['\ud83d', 3],
    ['\ude00', 3],
    ['\ud83dé', 5],
    ['\ud83d\ud83d\ude00', 7],
    ['x\ude00\ud83d', 7],
  ])('%j is %i bytes, as TextEncoder writes it', (s, bytes) => {
    expect(utf8Length(s)).toBe(bytes);
    expect(encoded(s)).toBe(bytes);
  });

  it('agrees with TextEncoder on random strings of every kind of code unit', () => {
    const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const s = String.fromCharCode(
        ...Array.from({ length: next() % 12 }, () => units[next() % units.length]!),
      );
      expect(utf8Length(s)).toBe(encoded(s));
    }
  });
});
