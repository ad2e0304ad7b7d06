import { describe, expect, it } from 'vitest';
import { messageHeaders, mimeParts } from '@/lib/compose/message-structure';
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
