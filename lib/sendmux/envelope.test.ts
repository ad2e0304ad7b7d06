import { describe, expect, it } from 'vitest';
import { parseEnvelope, type EnvelopeFailure, type EnvelopeSuccess } from '@/lib/sendmux/envelope';

const json = (v: unknown) => JSON.stringify(v);
const NOW = Date.parse('2026-10-01T12:00:00Z');

function ok(result: ReturnType<typeof parseEnvelope>): EnvelopeSuccess {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
}
function fail(result: ReturnType<typeof parseEnvelope>): EnvelopeFailure {
  if (result.ok) throw new Error('expected an error result');
  return result;
}

describe('parseEnvelope: success', () => {
  const body = json({
    ok: true,
    data: { message_id: 'eml_abcdefghijklmnopqrstuvwx', status: 'queued' },
    meta: { request_id: 'req_meta' },
  });

  it.each([200, 201])('accepts ok:true with HTTP %i', (status) => {
    const r = ok(
      parseEnvelope({ status, headers: new Headers({ 'X-Request-Id': 'req_header' }), bodyText: body }),
    );
    expect(r.status).toBe(status);
    expect(r.data).toEqual({ message_id: 'eml_abcdefghijklmnopqrstuvwx', status: 'queued' });
    expect(r.raw).toEqual(JSON.parse(body));
  });

  it('takes request_id from X-Request-Id, else from meta', () => {
    expect(
      parseEnvelope({ status: 200, headers: new Headers({ 'X-Request-Id': 'req_header' }), bodyText: body })
        .requestId,
    ).toBe('req_header');
    expect(parseEnvelope({ status: 200, headers: new Headers(), bodyText: body }).requestId).toBe('req_meta');
    expect(
      parseEnvelope({ status: 200, headers: { 'x-request-id': 'req_plain' }, bodyText: body }).requestId,
    ).toBe('req_plain');
  });

  it('returns a batch partial success as a success with per-item results', () => {
    const data = {
      results: [
        {
          index: 1,
          message_id: null,
          status: 'failed',
          error: { code: 'validation_error', message: 'bad', retryable: false },
        },
        { index: 0, message_id: 'eml_aaaaaaaaaaaaaaaaaaaaaaaa', status: 'queued' },
      ],
      summary: { total: 2, queued: 1, failed: 1 },
    };
    const r = ok(
      parseEnvelope({
        status: 200,
        headers: new Headers(),
        bodyText: json({ ok: true, data, meta: { request_id: 'req_b' } }),
      }),
    );
    expect(r.data).toEqual(data);
  });

  it('reads the rate-limit headers and Retry-After', () => {
    const r = parseEnvelope({
      status: 200,
      headers: new Headers({
        'X-RateLimit-Limit': '1800',
        'X-RateLimit-Remaining': '1799',
        'X-RateLimit-Reset': '1790000000',
        'Retry-After': '2',
      }),
      bodyText: body,
      now: NOW,
    });
    expect(r.rateLimit).toEqual({ limit: 1800, remaining: 1799, reset: 1790000000, retryAfter: 2 });
    expect(r.retryAfter).toBe('2');
    expect(
      parseEnvelope({ status: 200, headers: new Headers({ 'X-RateLimit-Limit': 'lots' }), bodyText: body })
        .rateLimit,
    ).toEqual({});
  });
});

describe('parseEnvelope: error envelopes', () => {
  it('keeps code, message, retryable, param, doc_url and errors[]', () => {
    const r = fail(
      parseEnvelope({
        status: 422,
        headers: new Headers({ 'X-Request-Id': 'req_e' }),
        bodyText: json({
          ok: false,
          error: {
            code: 'validation_error',
            message: 'Validation failed',
            retryable: false,
            param: 'to',
            doc_url: 'https://docs.sendmux.ai/errors#validation_error',
            errors: [
              { field: 'to.email', code: 'invalid_string', message: 'Invalid email' },
              { field: 'cc.3.email', code: 'invalid_string', message: 'Invalid email' },
            ],
          },
          meta: { request_id: 'req_e' },
        }),
      }),
    );
    expect(r.enveloped).toBe(true);
    expect(r.requestId).toBe('req_e');
    expect(r.error).toEqual({
      code: 'validation_error',
      message: 'Validation failed',
      retryable: false,
      param: 'to',
      docUrl: 'https://docs.sendmux.ai/errors#validation_error',
      errors: [
        { field: 'to.email', code: 'invalid_string', message: 'Invalid email' },
        { field: 'cc.3.email', code: 'invalid_string', message: 'Invalid email' },
      ],
    });
    expect(r.retryableStated).toBe(false);
  });

  it('keeps a param without errors[]', () => {
    const r = fail(
      parseEnvelope({
        status: 400,
        headers: new Headers(),
        bodyText: json({
          ok: false,
          error: {
            code: 'missing_parameter',
            message: 'subject is required',
            retryable: false,
            param: 'subject',
          },
          meta: { request_id: 'r' },
        }),
      }),
    );
    expect(r.error).toEqual({
      code: 'missing_parameter',
      message: 'subject is required',
      retryable: false,
      param: 'subject',
    });
  });

  it.each([
    [429, 'rate_limit_exceeded', true],
    [500, 'internal_error', true],
    [503, 'service_unavailable', true],
    [400, 'invalid_parameter', false],
    [401, 'authentication_required', false],
    [409, 'idempotency_conflict', false],
  ])('defaults retryable by status when absent (%i → %s)', (status, code, retryable) => {
    const r = fail(
      parseEnvelope({
        status,
        headers: new Headers(),
        bodyText: json({ ok: false, error: { code, message: 'm' }, meta: { request_id: 'r' } }),
      }),
    );
    expect(r.error.code).toBe(code);
    expect(r.error.retryable).toBe(retryable);
    expect(r.retryableStated).toBeUndefined();
  });

  it('keeps an explicit retryable over the default', () => {
    const r = fail(
      parseEnvelope({
        status: 503,
        headers: new Headers(),
        bodyText: json({
          ok: false,
          error: { code: 'no_active_providers', message: 'm', retryable: false },
          meta: { request_id: 'r' },
        }),
      }),
    );
    expect(r.error.retryable).toBe(false);
    expect(r.retryableStated).toBe(false);
  });

  it('keeps an unknown upstream code as is', () => {
    const r = fail(
      parseEnvelope({
        status: 418,
        headers: new Headers(),
        bodyText: json({ ok: false, error: { code: 'teapot', message: 'short and stout' }, meta: {} }),
      }),
    );
    expect(r.error).toMatchObject({ code: 'teapot', message: 'short and stout', retryable: false });
  });
});

describe('parseEnvelope: answers that are not envelopes', () => {
  it('turns a non-JSON 200 into invalid_response, keeping the text for the log', () => {
    const r = fail(
      parseEnvelope({
        status: 200,
        headers: new Headers({ 'Content-Type': 'text/plain' }),
        bodyText: 'hello',
      }),
    );
    expect(r.error.code).toBe('invalid_response');
    expect(r.error.retryable).toBe(false);
    expect(r.enveloped).toBe(false);
    expect(r.raw).toBe('hello');
  });

  it('turns an empty body into invalid_response', () => {
    const r = fail(parseEnvelope({ status: 200, headers: new Headers(), bodyText: '' }));
    expect(r.error.code).toBe('invalid_response');
    expect(r.error.message).toMatch(/empty/);
    expect(r.raw).toBeNull();
  });

  it('turns an HTML 502 into a retryable error and truncates the page', () => {
    const page = `<html><body><h1>502 Bad Gateway</h1>${'x'.repeat(5000)}</body></html>`;
    const r = fail(
      parseEnvelope({
        status: 502,
        headers: new Headers({ 'Content-Type': 'text/html; charset=utf-8' }),
        bodyText: page,
      }),
    );
    expect(r.error.code).toBe('service_unavailable');
    expect(r.error.retryable).toBe(true);
    expect(r.error.message).toMatch(/HTTP 502.*text\/html/);
    expect(typeof r.raw === 'string' && r.raw.length).toBe(2000);
  });

  it('turns an empty 500 into a retryable internal_error', () => {
    const r = fail(parseEnvelope({ status: 500, headers: new Headers(), bodyText: '' }));
    expect(r.error).toMatchObject({ code: 'internal_error', retryable: true });
  });

  it('turns JSON that is not an envelope into invalid_response', () => {
    const r = fail(
      parseEnvelope({ status: 200, headers: new Headers(), bodyText: json({ message_id: 'eml_x' }) }),
    );
    expect(r.error.code).toBe('invalid_response');
    expect(r.raw).toEqual({ message_id: 'eml_x' });
    const arr = fail(parseEnvelope({ status: 200, headers: new Headers(), bodyText: '[1,2]' }));
    expect(arr.error.code).toBe('invalid_response');
  });

  it('turns a 2xx with ok:false into invalid_response that mentions the inner error', () => {
    const r = fail(
      parseEnvelope({
        status: 200,
        headers: new Headers(),
        bodyText: json({
          ok: false,
          error: { code: 'internal_error', message: 'boom', retryable: true },
          meta: { request_id: 'r' },
        }),
      }),
    );
    expect(r.error.code).toBe('invalid_response');
    expect(r.error.retryable).toBe(false);
    expect(r.error.message).toContain('internal_error: boom');
  });

  it('turns an error envelope without a usable error object into a status-derived error', () => {
    const r = fail(
      parseEnvelope({
        status: 503,
        headers: new Headers(),
        bodyText: json({ ok: false, meta: { request_id: 'req_x' } }),
      }),
    );
    expect(r.error).toMatchObject({ code: 'service_unavailable', retryable: true });
    expect(r.requestId).toBe('req_x');
  });

  it('reports a redirect instead of following it', () => {
    const r = fail(
      parseEnvelope({
        status: 301,
        headers: new Headers({ Location: 'https://elsewhere.example/' }),
        bodyText: '',
      }),
    );
    expect(r.error.code).toBe('invalid_response');
    expect(r.error.message).toContain('https://elsewhere.example/');
  });
});
