/**
 * Two FNV-1a passes over text, 64 bits, fed piece by piece: change detection and cache keys, not
 * security, and it works where crypto.subtle does not (a console served over plain http on a LAN
 * address is not a secure context). Client-safe.
 */
export class TextDigest {
  private a = 0x811c9dc5;
  private b: number;

  constructor(seed = 0) {
    this.b = 0x01000193 ^ seed;
  }

  update(text: string): this {
    let { a, b } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** 16 hex digits. */
  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}
