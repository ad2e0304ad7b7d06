import { describe, expect, it } from 'vitest';
import {
  chunkBackoffMs,
  decideWholeFailure,
  MAX_CHUNK_SENDS,
  MAX_CHUNK_SENDS_WAITING,
  needsChange,
  rowsFromBatch,
  rowsFromWholeFailure,
} from '@/lib/batch/outcome';

const err = (code: string, message = 'x', retryable = false, extra: Record<string, unknown> = {}) => ({
  code,
  message,
  retryable,
  ...extra,
});

describe('rowsFromBatch', () => {
  it('gives results[i] to rowNos[i]: queued with its id, failed with its code and fields', () => {
    const rows = rowsFromBatch(
      [40, 7, 12],
      {
        results: [
          { index: 0, ok: true, messageId: 'eml_a', status: 'queued' },
          {
            index: 1,
            ok: false,
            status: 'failed',
            error: err('validation_error', 'bad', false, {
              errors: [{ field: 'to.email', code: 'invalid', message: 'bad' }],
            }),
          },
          { index: 2, ok: true, messageId: 'eml_c', status: 'queued' },
        ],
        summary: { total: 3, queued: 2, failed: 1 },
      },
      'req_1',
    );
    expect(rows).toEqual([
      {
        rowNo: 40,
        status: 'queued',
        messageId: 'eml_a',
        errorCode: null,
        errorMessage: null,
        errorFields: null,
        requestId: 'req_1',
      },
      {
        rowNo: 7,
        status: 'failed',
        messageId: null,
        errorCode: 'validation_error',
        errorMessage: 'bad',
        errorFields: [{ field: 'to.email', code: 'invalid', message: 'bad' }],
        requestId: 'req_1',
      },
      {
        rowNo: 12,
        status: 'queued',
        messageId: 'eml_c',
        errorCode: null,
        errorMessage: null,
        errorFields: null,
        requestId: 'req_1',
      },
    ]);
  });
});

describe('rowsFromWholeFailure', () => {
  it('sorts messages.<i>.… field errors onto row i, relative to its message; others get the whole message', () => {
    const error = err('validation_error', 'All 3 messages failed validation', false, {
      errors: [
        { field: 'messages.2.to.email', code: 'invalid', message: 'not an address' },
        { field: 'messages.0.subject', code: 'too_long', message: 'too long' },
        { field: 'messages.0.cc.3.email', code: 'invalid', message: 'bad cc' },
      ],
    });
    const rows = rowsFromWholeFailure([5, 6, 7], error, 'req_9');
    expect(rows.map((r) => r.errorFields)).toEqual([
      [
        { field: 'subject', code: 'too_long', message: 'too long' },
        { field: 'cc.3.email', code: 'invalid', message: 'bad cc' },
      ],
      null,
      [{ field: 'to.email', code: 'invalid', message: 'not an address' }],
    ]);
    expect(rows.map((r) => r.errorMessage)).toEqual([
      'subject: too long; cc.3.email: bad cc',
      'All 3 messages failed validation',
      'to.email: not an address',
    ]);
    expect(
      rows.every(
        (r) => r.status === 'failed' && r.errorCode === 'validation_error' && r.requestId === 'req_9',
      ),
    ).toBe(true);
  });

  it('uses param as a field when errors[] is absent, and prefixes a note', () => {
    const rows = rowsFromWholeFailure(
      [1, 2],
      err('invalid_parameter', 'bad', false, { param: 'messages.1.reply_to' }),
      undefined,
      'Gave up',
    );
    expect(rows[0]).toMatchObject({ errorMessage: 'Gave up: bad', errorFields: null, requestId: null });
    expect(rows[1]).toMatchObject({
      errorMessage: 'reply_to: bad',
      errorFields: [{ field: 'reply_to', code: 'invalid_parameter', message: 'bad' }],
    });
  });
});

describe('decideWholeFailure', () => {
  const random = () => 0.5;

  it('retries 5xx, network errors and timeouts under the same key, waiting Retry-After when given', () => {
    expect(
      decideWholeFailure(
        { status: 503, error: err('service_unavailable', 'x', true), retryAfterMs: 1_000 },
        1,
        random,
      ),
    ).toEqual({
      kind: 'retry',
      delayMs: 1_000,
      waiting: false,
    });
    expect(decideWholeFailure({ status: null, error: err('timeout', 'x', true) }, 1, random)).toMatchObject({
      kind: 'retry',
    });
    expect(
      decideWholeFailure({ status: null, error: err('network_error', 'x', false) }, 1, random),
    ).toMatchObject({ kind: 'retry' });
    expect(
      decideWholeFailure({ status: 500, error: err('internal_error', 'x', false) }, 1, random),
    ).toMatchObject({ kind: 'retry' });
  });

  it('gives up after the cap, saying so', () => {
    const f = { status: 503, error: err('service_unavailable', 'down', true) };
    expect(decideWholeFailure(f, MAX_CHUNK_SENDS - 1, random).kind).toBe('retry');
    expect(decideWholeFailure(f, MAX_CHUNK_SENDS, random)).toEqual({
      kind: 'fail',
      note: `Gave up after ${MAX_CHUNK_SENDS} attempts under the same key`,
    });
  });

  it('treats 429 rate limit and 409 still-in-flight as "wait", capped far higher', () => {
    const limited = {
      status: 429,
      error: err('rate_limit_exceeded', 'slow down', true),
      retryAfterMs: 4_000,
    };
    expect(decideWholeFailure(limited, MAX_CHUNK_SENDS + 5, random)).toEqual({
      kind: 'retry',
      delayMs: 4_000,
      waiting: true,
    });
    expect(decideWholeFailure(limited, MAX_CHUNK_SENDS_WAITING, random).kind).toBe('fail');
    const inFlight = {
      status: 409,
      error: err('idempotency_conflict', 'A request with this Idempotency-Key is still in progress', true),
    };
    expect(decideWholeFailure(inFlight, 3, random)).toEqual({ kind: 'retry', delayMs: 1_000, waiting: true });
  });

  it('fails at once for the catalog’s non-retryable codes and for a 409 with a changed body', () => {
    for (const [status, code] of [
      [422, 'validation_error'],
      [402, 'insufficient_credits'],
      [401, 'authentication_required'],
      [413, 'payload_too_large'],
      [403, 'insufficient_permissions'],
    ] as const) {
      expect(decideWholeFailure({ status, error: err(code) }, 1, random)).toEqual({ kind: 'fail' });
    }
    const changed = {
      status: 409,
      error: err('idempotency_conflict', 'This Idempotency-Key was used with a different request body'),
    };
    expect(decideWholeFailure(changed, 1, random)).toEqual({ kind: 'fail' });
  });

  it('backs off exponentially with jitter, capped at five minutes', () => {
    expect(chunkBackoffMs(1, () => 0)).toBe(1_000);
    expect(chunkBackoffMs(1, () => 1)).toBe(2_000);
    expect(chunkBackoffMs(4, () => 0)).toBe(8_000);
    expect(chunkBackoffMs(30, () => 1)).toBe(300_000);
  });
});

describe('needsChange', () => {
  it('lists what a re-send cannot fix; everything else is retried', () => {
    for (const code of [
      'validation_error',
      'invalid_parameter',
      'missing_parameter',
      'not_found',
      'payload_too_large',
    ]) {
      expect(needsChange(code)).toBe(true);
    }
    // Fixed on the key or the account, after which the same rows go through.
    for (const code of [
      'insufficient_permissions',
      'authentication_required',
      'billing_restricted',
      'insufficient_credits',
      'rate_limit_exceeded',
      'service_unavailable',
      'timeout',
      'network_error',
      'idempotency_conflict',
      'internal_error',
      null,
    ]) {
      expect(needsChange(code)).toBe(false);
    }
  });
});
