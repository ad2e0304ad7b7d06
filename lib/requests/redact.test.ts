import { describe, expect, it } from 'vitest';
import {
  base64DecodedSize,
  countMessages,
  extractMessageIds,
  extractRecipients,
  HIDDEN,
  redactRequestBody,
  withoutContent,
} from '@/lib/requests/redact';

const pdfBytes = Buffer.from('%PDF-1.7 pretend this is a whole invoice, long enough to matter');
const PDF = pdfBytes.toString('base64');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).toString('base64');

const message = (to: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  from: { email: 'sender@example.com' },
  to: { email: to, name: 'Someone' },
  subject: 'Hello',
  html_body: '<p>Hi</p>',
  ...extra,
});

describe('redactRequestBody', () => {
  it('replaces inline attachment content with filename, type and decoded size in a single send', () => {
    const body = message('a@example.com', {
      attachments: [
        { filename: 'invoice.pdf', content: PDF, type: 'application/pdf', encoding: 'base64' },
        { attachment_id: 'att_aaaaaaaaaaaaaaaaaaaaaaaa' },
      ],
    });
    const redacted = redactRequestBody('/emails/send', body) as { attachments: unknown[]; subject: string };
    expect(redacted.attachments).toEqual([
      { filename: 'invoice.pdf', type: 'application/pdf', size_bytes: pdfBytes.length },
      { attachment_id: 'att_aaaaaaaaaaaaaaaaaaaaaaaa' },
    ]);
    expect(redacted.subject).toBe('Hello');
    expect(JSON.stringify(redacted)).not.toContain(PDF);
    // The caller's object is left as it was.
    expect((body.attachments as { content?: string }[])[0]?.content).toBe(PDF);
  });

  it('redacts every message of a batch', () => {
    const body = {
      messages: [
        message('a@example.com', { attachments: [{ filename: 'a.pdf', content: PDF }] }),
        message('b@example.com'),
        message('c@example.com', {
          attachments: [
            { filename: 'c.png', content: PNG, type: 'image/png' },
            { attachment_id: 'att_bbbbbbbbbbbbbbbbbbbbbbbb' },
          ],
        }),
      ],
    };
    const redacted = redactRequestBody('/emails/send/batch', body) as {
      messages: { attachments?: unknown[] }[];
    };
    expect(redacted.messages[0]?.attachments).toEqual([{ filename: 'a.pdf', size_bytes: pdfBytes.length }]);
    expect(redacted.messages[1]?.attachments).toBeUndefined();
    expect(redacted.messages[2]?.attachments).toEqual([
      { filename: 'c.png', type: 'image/png', size_bytes: 7 },
      { attachment_id: 'att_bbbbbbbbbbbbbbbbbbbbbbbb' },
    ]);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(PDF);
    expect(text).not.toContain(PNG);
  });

  it('records an upload as filename, content type and size instead of the bytes', () => {
    const bytes = new Uint8Array(pdfBytes);
    expect(
      redactRequestBody('/emails/attachments', bytes, {
        filename: 'invoice.pdf',
        content_type: 'application/pdf',
      }),
    ).toEqual({
      filename: 'invoice.pdf',
      content_type: 'application/pdf',
      size_bytes: pdfBytes.length,
    });
    expect(redactRequestBody('/emails/attachments', bytes, { filename: 'x.pdf' })).toEqual({
      filename: 'x.pdf',
      content_type: null,
      size_bytes: pdfBytes.length,
    });
    expect(redactRequestBody('/emails/attachment-uploads/upl_1', bytes)).toEqual({
      size_bytes: pdfBytes.length,
    });
  });

  it('leaves bodies without attachments alone, and no body as null', () => {
    expect(redactRequestBody('/emails/send', message('a@example.com'))).toEqual(message('a@example.com'));
    expect(redactRequestBody('/me', undefined)).toBeNull();
  });
});

describe('base64DecodedSize', () => {
  it.each([0, 1, 2, 3, 4, 5, 100, 1001])('matches the decoded length for %i bytes', (n) => {
    const b64 = Buffer.alloc(n, 7).toString('base64');
    expect(base64DecodedSize(b64)).toBe(n);
  });

  it('ignores line breaks in wrapped base64', () => {
    const b64 = Buffer.alloc(200, 1)
      .toString('base64')
      .replace(/(.{76})/g, '$1\r\n');
    expect(base64DecodedSize(b64)).toBe(200);
  });
});

describe('extractRecipients / countMessages', () => {
  it('collects lower-cased to, cc and bcc of a single send', () => {
    const body = message('Alice@Example.com', {
      cc: [{ email: 'BOB@example.com' }],
      bcc: [{ email: 'carol@example.com' }, { email: 'alice@example.com' }],
    });
    expect(extractRecipients('/emails/send', body)).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
    ]);
    expect(countMessages('/emails/send', body)).toBe(1);
  });

  it('collects the recipients of every batch message', () => {
    const body = {
      messages: [message('a@example.com', { cc: [{ email: 'x@example.com' }] }), message('B@example.com')],
    };
    expect(extractRecipients('/emails/send/batch', body)).toEqual([
      'a@example.com',
      'x@example.com',
      'b@example.com',
    ]);
    expect(countMessages('/emails/send/batch', body)).toBe(2);
  });

  it('finds none in an upload or an empty body', () => {
    expect(extractRecipients('/emails/attachments', new Uint8Array(3))).toEqual([]);
    expect(countMessages('/me', undefined)).toBe(0);
  });
});

describe('extractMessageIds', () => {
  it('reads a send and a batch response', () => {
    expect(extractMessageIds({ ok: true, data: { message_id: 'eml_1', status: 'queued' } })).toEqual([
      'eml_1',
    ]);
    expect(
      extractMessageIds({
        ok: true,
        data: {
          results: [
            { index: 1, message_id: 'eml_2' },
            { index: 0, message_id: null },
            { index: 2, message_id: 'eml_3' },
          ],
          summary: {},
        },
      }),
    ).toEqual(['eml_2', 'eml_3']);
    expect(extractMessageIds('<html>')).toEqual([]);
    expect(extractMessageIds(null)).toEqual([]);
  });
});

describe('withoutContent', () => {
  it('keeps addresses, subject and shape; hides bodies, header values and attachment names', () => {
    const message = {
      from: { email: 'a@example.com', name: 'A' },
      to: { email: 'b@example.com' },
      subject: 'Quarterly numbers',
      html_body: '<p>secret</p>',
      text_body: 'secret',
      custom_headers: { 'X-Account': 'secret' },
      attachments: [{ filename: 'secret.pdf', size_bytes: 3 }, { attachment_id: 'att_1' }],
    };
    const hidden = {
      ...message,
      html_body: HIDDEN,
      text_body: HIDDEN,
      custom_headers: { 'X-Account': HIDDEN },
      attachments: [{ filename: HIDDEN, size_bytes: 3 }, { attachment_id: 'att_1' }],
    };
    expect(withoutContent(message)).toEqual(hidden);
    expect(withoutContent({ messages: [message, message] })).toEqual({ messages: [hidden, hidden] });
    expect(
      withoutContent({ filename: 'secret.pdf', content_type: 'application/pdf', size_bytes: 9 }),
    ).toEqual({
      filename: HIDDEN,
      content_type: 'application/pdf',
      size_bytes: 9,
    });
    expect(JSON.stringify(withoutContent({ messages: [message] }))).not.toContain('secret');
  });

  it('hides inline attachment content as the sandbox outbox keeps it', () => {
    const content = Buffer.from('secret payroll figures').toString('base64');
    const received = {
      to: { email: 'b@example.com' },
      attachments: [{ filename: 'pay.txt', type: 'text/plain', content }],
    };
    expect(withoutContent(received)).toEqual({
      to: { email: 'b@example.com' },
      attachments: [{ filename: HIDDEN, type: 'text/plain', content: HIDDEN }],
    });
    expect(JSON.stringify(withoutContent(received))).not.toContain(content.slice(0, 8));
  });
});
