import { TextDigest } from '@/lib/format/digest';
import type { PreflightResult } from '@/lib/mail-merge/preflight';

// What the preflight's delivery-history check asks the console about: the To address of every row
// to send, once each. A query key of a million addresses (react-query hashes its key into a string)
// and a list of lines for every address would be hundreds of MB in the tab; the key is a
// fingerprint, and lines are looked up only for the few addresses with a warning.

export type HistoryAddresses = {
  /** Distinct, trimmed and lower-cased, in file order. */
  list: string[];
  /** The list's length and digest (lib/format/digest.ts), for the query key. */
  fingerprint: string;
};

const addressKey = (to: string) => to.trim().toLowerCase();

export function historyAddresses(result: PreflightResult): HistoryAddresses {
  const list: string[] = [];
  const digest = new TextDigest();
  for (const r of result.rows) {
    // Preflight marks every later row with the same address (trimmed, lower-cased) a duplicate:
    // the first rows of each address are the list, without a set of a million strings.
    if (r.status !== 'valid' || !r.to || r.duplicateOfLine !== null) continue;
    const key = addressKey(r.to);
    list.push(key);
    digest.update(key).update(',');
  }
  return { list, fingerprint: `${list.length}:${digest.hex()}` };
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
