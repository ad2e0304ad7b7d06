import { describe, expect, it } from 'vitest';
import { TextDigest } from './digest';

describe('TextDigest', () => {
  it('is the same fed whole or in pieces, and tells texts apart', () => {
    const whole = new TextDigest().update('a@example.com,b@example.com,').hex();
    expect(new TextDigest().update('a@example.com').update(',').update('b@example.com,').hex()).toBe(whole);
    expect(new TextDigest().update('a@example.com,c@example.com,').hex()).not.toBe(whole);
    expect(whole).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps FNV-1a: the first half of the empty text is its offset basis', () => {
    expect(new TextDigest().hex().slice(0, 8)).toBe('811c9dc5');
    expect(new TextDigest(1).hex()).not.toBe(new TextDigest().hex());
  });
});
