import type { PreflightResult } from '@/lib/mail-merge/preflight';

// What the preflight's delivery-history check asks the console about: the To address of every row
// to send, once each. A query key of a million addresses (react-query hashes its key into a string)
// and a list of lines for every address would be hundreds of MB in the tab; the key is a
// fingerprint, and lines are looked up only for the few addresses with a warning.

export type HistoryAddresses = {
  /** Distinct, trimmed and lower-cased, in file order. */
  list: string[];
  /** Two 32-bit FNV-1a hashes of the list, for the query key. */
  fingerprint: string;
};

const addressKey = (to: string) => to.trim().toLowerCase();

export function historyAddresses(result: PreflightResult): HistoryAddresses {
  const list: string[] = [];
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const r of result.rows) {
    // Preflight marks every later row with the same address (trimmed, lower-cased) a duplicate:
    // the first rows of each address are the list, without a set of a million strings.
    if (r.status !== 'valid' || !r.to || r.duplicateOfLine !== null) continue;
    const key = addressKey(r.to);
    list.push(key);
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    a = Math.imul(a ^ 44, 0x01000193); // the comma between two addresses
    b = Math.imul(b ^ 44, 0x5bd1e995);
  }
  return { list, fingerprint: `${list.length}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}` };
}

/** The lines of the rows to send whose To address is one of `addresses` (lower-cased), by address. */
export function linesOfAddresses(
  result: PreflightResult,
  addresses: ReadonlySet<string>,
): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  if (addresses.size === 0) return lines;
  for (const r of result.rows) {
    if (r.status !== 'valid' || !r.to) continue;
    const key = addressKey(r.to);
    if (!addresses.has(key)) continue;
    const list = lines.get(key);
    if (list) list.push(r.line);
    else lines.set(key, [r.line]);
  }
  return lines;
}
