import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '@/lib/auth/return-path';

const APP = 'https://console.example.com';

// Each value as the page receives it after Next decoded the query string once, and as a literal
// (what arrives when the link itself was percent-encoded twice).
const HOSTILE = [
  '//evil.example',
  '/\\evil.example',
  '/%5Cevil.example',
  '/\t/evil.example',
  '/%09/evil.example',
  '/%2F%2Fevil.example',
  '///evil.example',
  'https://evil.example',
  'http://console.example.com.evil.example/',
  'javascript:alert(document.cookie)',
  '/\r\nLocation: https://evil.example',
  '/%0d%0aLocation:%20https://evil.example',
  '/%E0%A4%A', // malformed escape
  '',
  'requests',
  '/sign-in?next=/compose',
];

describe('safeReturnPath', () => {
  it.each(HOSTILE.map((v) => [v]))('refuses %j', (value) => {
    expect(safeReturnPath(value, APP)).toBeNull();
  });

  it('keeps a path on the console, with its query and fragment', () => {
    expect(safeReturnPath('/requests?q=req_123&outcome=failed#top', APP)).toBe(
      '/requests?q=req_123&outcome=failed#top',
    );
    expect(safeReturnPath('/batches/abc', 'http://localhost:3000')).toBe('/batches/abc');
    expect(safeReturnPath('/requests?q=ada%40example.com', APP)).toBe('/requests?q=ada%40example.com');
  });

  it('resolves dot segments instead of letting them climb anywhere', () => {
    expect(safeReturnPath('/a/../../compose', APP)).toBe('/compose');
  });

  it('refuses null, undefined and very long values', () => {
    expect(safeReturnPath(null, APP)).toBeNull();
    expect(safeReturnPath(undefined, APP)).toBeNull();
    expect(safeReturnPath(`/${'a'.repeat(3000)}`, APP)).toBeNull();
  });
});
