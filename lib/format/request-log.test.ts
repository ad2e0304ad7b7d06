import { describe, expect, it } from 'vitest';
import {
  attemptLine,
  batchMessages,
  outcomeOf,
  prettyBody,
  redactedAttachments,
  responseError,
} from '@/lib/format/request-log';

describe('format', () => {
  it('writes one attempt the way the timeline shows it', () => {
    expect(
      attemptLine({ attempt: 1, status: 503, ok: false, errorCode: 'service_unavailable', durationMs: 120 }),
    ).toBe('attempt 1 · 503 service_unavailable · 120 ms');
    expect(attemptLine({ attempt: 3, status: null, ok: null, errorCode: null, durationMs: null })).toBe(
      'attempt 3 · no response recorded',
    );
  });

  it('tells a retried failure from a final one', () => {
    expect(outcomeOf({ ok: false, nextRetryAt: '2026-01-01T00:00:00Z' })).toBe('retried');
    expect(outcomeOf({ ok: false, nextRetryAt: null })).toBe('failed');
    expect(outcomeOf({ ok: null, nextRetryAt: null })).toBe('pending');
  });

  it('finds redacted attachments in single sends, batches and uploads', () => {
    const single = {
      to: { email: 'a@x.test' },
      attachments: [{ filename: 'a.pdf', size_bytes: 10 }, { attachment_id: 'att_1' }],
    };
    expect(redactedAttachments('/emails/send', single)).toEqual([
      { message: null, filename: 'a.pdf', sizeBytes: 10 },
    ]);
    expect(redactedAttachments('/emails/send/batch', { messages: [{ to: {} }, single] })).toEqual([
      { message: 1, filename: 'a.pdf', sizeBytes: 10 },
    ]);
    expect(
      redactedAttachments('/emails/attachments', {
        filename: 'b.png',
        content_type: 'image/png',
        size_bytes: 5,
      }),
    ).toEqual([{ message: null, filename: 'b.png', sizeBytes: 5 }]);
  });

  it('matches batch results by their index field, not their order', () => {
    const body = {
      messages: [{ to: { email: 'a@x.test' } }, { to: { email: 'b@x.test' } }, { to: { email: 'c@x.test' } }],
    };
    const response = {
      ok: true,
      data: {
        results: [
          { index: 2, message_id: 'eml_c', status: 'queued' },
          {
            index: 0,
            message_id: null,
            status: 'failed',
            error: {
              code: 'validation_error',
              message: 'bad',
              errors: [{ field: 'to.email', code: 'invalid', message: 'no' }],
            },
          },
        ],
      },
    };
    expect(batchMessages(body, response, true)).toEqual([
      {
        index: 0,
        to: 'a@x.test',
        subject: '',
        status: 'failed',
        messageId: null,
        error: {
          code: 'validation_error',
          message: 'bad',
          fields: [{ field: 'to.email', code: 'invalid', message: 'no' }],
        },
      },
      { index: 1, to: 'b@x.test', subject: '', status: 'no result', messageId: null, error: null },
      { index: 2, to: 'c@x.test', subject: '', status: 'queued', messageId: 'eml_c', error: null },
    ]);
    const whole = { ok: false, error: { code: 'insufficient_credits', message: 'low' } };
    expect(batchMessages(body, whole, false).map((m) => [m.status, m.error?.code])).toEqual([
      ['not sent', 'insufficient_credits'],
      ['not sent', 'insufficient_credits'],
      ['not sent', 'insufficient_credits'],
    ]);
  });

  it('lists field errors, including a lone param', () => {
    expect(
      responseError({
        error: { code: 'invalid_parameter', message: 'subject has a line break', param: 'subject' },
      })?.fields,
    ).toEqual([{ field: 'subject', code: 'invalid_parameter', message: 'subject has a line break' }]);
    expect(responseError('<html>bad gateway</html>')).toBeNull();
  });

  it('prints bodies with keys in the documented order, and text answers as they came', () => {
    const stored = {
      to: { name: 'Ada', email: 'a@x.test' },
      from: { email: 'b@x.test' },
      subject: 's',
      html_body: 'h',
      x_custom: 1,
    };
    expect(
      prettyBody(stored)
        .split('\n')
        .filter((l) => /^ {2}"/.test(l))
        .map((l) => l.trim().split('"')[1]),
    ).toEqual(['from', 'to', 'subject', 'html_body', 'x_custom']);
    expect(prettyBody(stored)).toContain('"email": "a@x.test",\n    "name": "Ada"');
    expect(prettyBody('<html>502 Bad Gateway</html>')).toBe('<html>502 Bad Gateway</html>');
  });
});
