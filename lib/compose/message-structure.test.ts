import { describe, expect, it } from 'vitest';
import { messageHeaders, mimeParts, wireMessageStructure } from '@/lib/compose/message-structure';
import type { MessageInput } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';

const base = (): MessageInput => ({
  ...emptyMessage(),
  from: { email: 'news@example.com', name: 'Shop, Inc.' },
  to: { email: 'ada@example.com', name: 'Ada' },
  subject: 'Hello é',
  htmlBody: '<p>é</p>',
});

describe('the message as Sendmux will build it', () => {
  it('writes the headers the fields decide, quoting names with specials, Bcc never', () => {
    const m: MessageInput = {
      ...base(),
      cc: [
        { email: 'bob@example.com', name: '' },
        { email: 'carol@example.com', name: 'Carol' },
      ],
      bcc: [{ email: 'hidden@example.com', name: '' }],
      replyTo: { email: 'help@example.com', name: '' },
      headers: [{ name: 'X-Campaign', value: 'spring' }],
    };
    expect(messageHeaders(m)).toEqual([
      { name: 'From', value: '"Shop, Inc." <news@example.com>' },
      { name: 'To', value: 'Ada <ada@example.com>' },
      { name: 'Cc', value: 'bob@example.com, Carol <carol@example.com>' },
      { name: 'Reply-To', value: 'help@example.com' },
      { name: 'Subject', value: 'Hello é' },
      { name: 'X-Campaign', value: 'spring' },
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: 'text/html; charset=utf-8' },
    ]);
    expect(JSON.stringify(messageHeaders(m))).not.toContain('hidden@example.com');
  });

  it('nests text and HTML in multipart/alternative and attachments in multipart/mixed, with sizes in bytes', () => {
    expect(mimeParts(base())).toEqual([
      { depth: 0, type: 'text/html; charset=utf-8', bytes: 9, label: 'HTML body' },
    ]);
    const parts = mimeParts({
      ...base(),
      textBody: 'é',
      attachments: [
        { id: 'a', kind: 'inline', filename: 'report.pdf', contentType: '', size: 1234, content: 'YQ==' },
      ],
    });
    expect(parts.map((p) => [p.depth, p.type, p.bytes])).toEqual([
      [0, 'multipart/mixed', null],
      [1, 'multipart/alternative', null],
      [2, 'text/plain; charset=utf-8', 2],
      [2, 'text/html; charset=utf-8', 9],
      [1, 'application/pdf', 1234],
    ]);
    expect(parts[4]!.label).toBe('Attachment “report.pdf”');
  });
});

describe('the same structure from a JSON body as received or logged', () => {
  const wire = {
    from: { email: 'news@example.com', name: 'Shop, Inc.' },
    to: { email: 'ada@example.com' },
    cc: [{ email: 'bob@example.com', name: 'Bob' }],
    bcc: [{ email: 'hidden@example.com' }],
    subject: 'Hello é',
    html_body: '<p>é</p>',
    text_body: 'é',
    custom_headers: { 'X-Campaign': 'spring' },
    attachments: [
      { filename: 'report.pdf', content: 'YWJj' },
      { filename: 'logged.png', type: 'image/png', size_bytes: 2048 },
      { attachment_id: 'att_abc123' },
    ],
  };

  it('agrees with the form for the same message', () => {
    const { headers, parts } = wireMessageStructure(wire);
    expect(headers).toEqual([
      { name: 'From', value: '"Shop, Inc." <news@example.com>' },
      { name: 'To', value: 'ada@example.com' },
      { name: 'Cc', value: 'Bob <bob@example.com>' },
      { name: 'Subject', value: 'Hello é' },
      { name: 'X-Campaign', value: 'spring' },
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: 'multipart/mixed' },
    ]);
    expect(parts.map((p) => [p.depth, p.type, p.bytes, p.label])).toEqual([
      [0, 'multipart/mixed', null, 'The message and its attachments'],
      [1, 'multipart/alternative', null, 'Text and HTML, the client picks one'],
      [2, 'text/plain; charset=utf-8', 2, 'Text body'],
      [2, 'text/html; charset=utf-8', 9, 'HTML body'],
      [1, 'application/pdf', 3, 'Attachment “report.pdf”'],
      [1, 'image/png', 2048, 'Attachment “logged.png”'],
      [1, 'application/octet-stream', null, 'Attachment att_abc123 (uploaded)'],
    ]);
  });

  it('takes what the page knows of uploaded attachments, and hides body sizes from a viewer without content', () => {
    const { parts } = wireMessageStructure(wire, {
      contentHidden: true,
      attachments: [
        { filename: 'report.pdf', contentType: 'application/pdf', bytes: 3 },
        { filename: 'logged.png', contentType: 'image/png', bytes: 2048 },
        { filename: 'big.zip', contentType: 'application/zip', bytes: 5_000_000 },
      ],
    });
    expect(parts.filter((p) => p.type.startsWith('text/')).map((p) => [p.bytes, p.label])).toEqual([
      [null, 'Text body (hidden from support)'],
      [null, 'HTML body (hidden from support)'],
    ]);
    expect(parts[6]).toEqual({
      depth: 1,
      type: 'application/zip',
      bytes: 5_000_000,
      label: 'Attachment “big.zip” (uploaded, att_abc123)',
    });
  });
});
