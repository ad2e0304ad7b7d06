import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ERROR_CODES,
  conflictKind,
  ERROR_CODES,
  explainError,
  isErrorCode,
  UPSTREAM_ERROR_CODES,
} from '@/lib/errors/catalog';

const CONTRACT_CODES = [
  ['invalid_parameter', 400],
  ['missing_parameter', 400],
  ['authentication_required', 401],
  ['insufficient_credits', 402],
  ['insufficient_permissions', 403],
  ['billing_restricted', 403],
  ['not_found', 404],
  ['idempotency_conflict', 409],
  ['payload_too_large', 413],
  ['validation_error', 422],
  ['rate_limit_exceeded', 429],
  ['daily_limit_exceeded', 429],
  ['internal_error', 500],
  ['no_active_providers', 503],
  ['service_unavailable', 503],
] as const;

describe('error catalog', () => {
  it.each(CONTRACT_CODES)('explains %s (HTTP %i) with meaning, action and retry advice', (code, status) => {
    const e = explainError(code);
    expect(e).toMatchObject({ code, known: true, origin: 'sendmux', httpStatus: status });
    expect(e.title.length).toBeGreaterThan(3);
    expect(e.meaning.length).toBeGreaterThan(10);
    expect(e.action.length).toBeGreaterThan(10);
    expect(['yes', 'no', 'later']).toContain(e.retry);
    expect(e.retryNote.length).toBeGreaterThan(5);
  });

  it('holds exactly the contract codes plus the client codes', () => {
    expect([...UPSTREAM_ERROR_CODES].sort()).toEqual(CONTRACT_CODES.map(([c]) => c).sort());
    expect(CLIENT_ERROR_CODES).toEqual(['network_error', 'timeout', 'invalid_response', 'unknown_error']);
    expect(ERROR_CODES).toHaveLength(19);
    for (const code of CLIENT_ERROR_CODES)
      expect(explainError(code)).toMatchObject({ known: true, origin: 'client', httpStatus: null });
  });

  it('matches every code in the table of CONTRACT.md, when it is present', () => {
    const contract = path.resolve(process.cwd(), '../shared/sendmux/CONTRACT.md');
    if (!fs.existsSync(contract)) return void console.warn(`skipped: ${contract} is absent`);
    const rows = [...fs.readFileSync(contract, 'utf8').matchAll(/^\| (\d{3}) \| ([a-z_]+) \|/gm)];
    expect(rows.length).toBeGreaterThan(10);
    for (const [, status, code] of rows) {
      expect(isErrorCode(code!), code).toBe(true);
      expect(explainError(code!).httpStatus).toBe(Number(status));
    }
  });

  it('gives the retry advice the contract states', () => {
    expect(explainError('rate_limit_exceeded').retry).toBe('yes');
    expect(explainError('service_unavailable').retry).toBe('yes');
    expect(explainError('validation_error').retry).toBe('no');
    expect(explainError('daily_limit_exceeded')).toMatchObject({
      retry: 'later',
      retryNote: expect.stringMatching(/tomorrow/),
    });
    expect(explainError('no_active_providers')).toMatchObject({
      retry: 'later',
      retryNote: expect.stringMatching(/futile/),
    });
  });

  it('keeps an unknown code in a generic entry', () => {
    const e = explainError('quota_galactic', 'You used the galaxy');
    expect(e).toMatchObject({ code: 'quota_galactic', known: false, httpStatus: null, retry: 'no' });
    expect(e.title).toContain('quota_galactic');
    expect(e.meaning).toContain('You used the galaxy');
    expect(isErrorCode('quota_galactic')).toBe(false);
    expect(explainError('toString').known).toBe(false);
  });
});

describe('idempotency conflicts', () => {
  it.each([
    ['A request with this Idempotency-Key is still in progress', 'in_flight'],
    ['Request already in flight', 'in_flight'],
    ['The original request is still processing', 'in_flight'],
    ['Concurrent request with the same key', 'in_flight'],
    ['Idempotency-Key was reused with a different request body', 'changed_body'],
    ['Request body does not match the original request', 'changed_body'],
    ['Payload mismatch for this key', 'changed_body'],
    ['Idempotency conflict', 'unknown'],
    ['', 'unknown'],
  ] as const)('%j → %s', (message, kind) => {
    expect(conflictKind(message)).toBe(kind);
  });

  it('explains a changed body as "new key" and in-flight as "same key, later"', () => {
    const changed = explainError('idempotency_conflict', 'reused with a different body');
    expect(changed).toMatchObject({ code: 'idempotency_conflict', httpStatus: 409, retry: 'no' });
    expect(changed.action).toMatch(/new Idempotency-Key/);
    const inFlight = explainError('idempotency_conflict', 'still in progress');
    expect(inFlight).toMatchObject({ code: 'idempotency_conflict', httpStatus: 409, retry: 'later' });
    expect(inFlight.action).toMatch(/SAME Idempotency-Key/);
    const neither = explainError('idempotency_conflict');
    expect(neither.action).toMatch(/new key/);
    expect(neither.action).toMatch(/same key/);
  });

  it('imports nothing server-side, so pages can use it', () => {
    const source = fs.readFileSync(path.join(__dirname, 'catalog.ts'), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.every((spec) => spec!.startsWith('@/lib/errors/'))).toBe(true);
  });
});
