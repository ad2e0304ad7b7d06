const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random lowercase alphanumeric id (36^16 ≈ 8e24 values at the default length). Works in the browser and on the server. */
export function randomId(length = 16): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  // 252 = 7 × 36: values above it would bias the alphabet, so they are re-drawn.
  let out = '';
  for (let i = 0; out.length < length; i++) {
    if (i >= bytes.length) {
      crypto.getRandomValues(bytes);
      i = 0;
    }
    const b = bytes[i]!;
    if (b < 252) out += ALPHABET[b % 36];
  }
  return out;
}
