import { MAX_BATCH } from '@/lib/schemas/limits';

// Chunks and their idempotency keys must come out identical every time they are worked out for
// the same job and try: a re-sent chunk under the same key is replayed by Sendmux, not re-sent.

/**
 * Row numbers in chunks of at most `size`: sorted ascending and de-duplicated first, so the same
 * set of rows always gives the same chunks, whatever order it was read in.
 */
export function chunkRows(rowNumbers: readonly number[], size: number = MAX_BATCH): number[][] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH)
    throw new RangeError(`Chunk size must be an integer from 1 to ${MAX_BATCH}, not ${size}`);
  const sorted = [...new Set(rowNumbers)].sort((a, b) => a - b);
  const chunks: number[][] = [];
  for (let i = 0; i < sorted.length; i += size) chunks.push(sorted.slice(i, i + size));
  return chunks;
}

export function chunkIdempotencyKey(jobId: string, chunkNo: number, tryNo: number): string {
  if (!/^[\x21-\x7e]+$/.test(jobId) || jobId.includes(':'))
    throw new RangeError(`Job id ${JSON.stringify(jobId)} can't be part of an idempotency key`);
  if (!Number.isInteger(chunkNo) || chunkNo < 0)
    throw new RangeError(`Chunk number must be a non-negative integer, not ${chunkNo}`);
  if (!Number.isInteger(tryNo) || tryNo < 1)
    throw new RangeError(`Try number must be a positive integer, not ${tryNo}`);
  return `job:${jobId}:chunk:${chunkNo}:try:${tryNo}`;
}

const KEY_PATTERN = /^job:([\x21-\x39\x3b-\x7e]+):chunk:(\d+):try:(\d+)$/;

/** Reads a chunk key back (for the request log's link from a request to its job and chunk). */
export function parseChunkIdempotencyKey(
  key: string,
): { jobId: string; chunkNo: number; tryNo: number } | null {
  const m = KEY_PATTERN.exec(key);
  if (!m) return null;
  return { jobId: m[1]!, chunkNo: Number(m[2]), tryNo: Number(m[3]) };
}
