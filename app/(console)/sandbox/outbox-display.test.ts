import { describe, expect, it } from 'vitest';
import {
  abbreviateAttachmentContent,
  attachmentDisposition,
  customHeadersOf,
  decodedSize,
  formatAddress,
  formatAddressList,
  inWireOrder,
  safeDownloadName,
} from './outbox-display';

describe('decodedSize', () => {
  it('counts padding', () => {
    expect(decodedSize(Buffer.from('hello world').toString('base64'))).toBe(11);
    expect(decodedSize(Buffer.from('hello worl').toString('base64'))).toBe(10);
    expect(decodedSize(Buffer.from('hello wor').toString('base64'))).toBe(9);
    expect(decodedSize('')).toBe(0);
  });
});

describe('abbreviateAttachmentContent', () => {
  const long = Buffer.alloc(3000, 7).toString('base64');

  it('cuts inline content to a prefix with its size and leaves everything else as received', () => {
    const message = {
      to: { email: 'a@example.com' },
      attachments: [
        { filename: 'big.pdf', content: long },
        { filename: 'tiny.txt', content: 'aGk=' },
        { attachment_id: 'att_x' },
      ],
    };
    const out = abbreviateAttachmentContent(message);
    const [big, tiny, ref] = out.attachments as Record<string, unknown>[];
    expect(big?.content).toBe(`${long.slice(0, 32)}… (4,000 base64 characters, 3,000 bytes)`);
    expect(big?.filename).toBe('big.pdf');
    expect(tiny).toEqual({ filename: 'tiny.txt', content: 'aGk=' });
    expect(ref).toEqual({ attachment_id: 'att_x' });
    expect(out.to).toEqual({ email: 'a@example.com' });
    expect((message.attachments[0] as { content: string }).content).toBe(long);
  });

  it('returns a message without attachments unchanged', () => {
    const message = { subject: 'Hi' };
    expect(abbreviateAttachmentContent(message)).toBe(message);
  });
});

describe('addresses and headers', () => {
  it('formats names and bare addresses, skipping junk', () => {
    expect(formatAddress({ email: 'ada@example.com', name: 'Ada' })).toBe('Ada <ada@example.com>');
    expect(formatAddress({ email: 'ada@example.com', name: ' ' })).toBe('ada@example.com');
    expect(formatAddress('ada@example.com')).toBeNull();
    expect(formatAddressList([{ email: 'a@x.test' }, 3, { email: 'b@x.test', name: 'B' }])).toEqual([
      'a@x.test',
      'B <b@x.test>',
    ]);
    expect(formatAddressList(undefined)).toEqual([]);
  });

  it('lists custom headers as name/value pairs', () => {
    expect(customHeadersOf({ custom_headers: { 'X-Campaign': 'spring', 'X-N': 3 } })).toEqual([
      ['X-Campaign', 'spring'],
      ['X-N', '3'],
    ]);
    expect(customHeadersOf({})).toEqual([]);
  });
});

describe('download names', () => {
  it('drops directories, control characters, quotes and leading dots', () => {
    expect(safeDownloadName('../../etc/passwd')).toBe('passwd');
    expect(safeDownloadName('C:\\Users\\x\\report.pdf')).toBe('report.pdf');
    expect(safeDownloadName('a"b\r\nc.txt')).toBe('abc.txt');
    expect(safeDownloadName('.htaccess')).toBe('htaccess');
    expect(safeDownloadName('...')).toBe('attachment');
    expect(safeDownloadName('')).toBe('attachment');
  });

  it('always says attachment, with an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('report.pdf')).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
    expect(attachmentDisposition('Übersicht (1).pdf')).toBe(
      `attachment; filename="_bersicht (1).pdf"; filename*=UTF-8''%C3%9Cbersicht%20%281%29.pdf`,
    );
    expect(attachmentDisposition('a";b.txt')).toBe(
      `attachment; filename="a_b.txt"; filename*=UTF-8''a%3Bb.txt`,
    );
  });
});

describe('inWireOrder', () => {
  it('puts fields in the API order, unknown ones last, without changing any value', () => {
    // The order jsonb hands back: shorter keys first.
    const stored = {
      cc: [{ name: 'C', email: 'c@x.test' }],
      to: { name: 'T', email: 't@x.test' },
      from: { email: 'f@x.test' },
      extra: 1,
      subject: 'S',
      html_body: '<p>h</p>',
      attachments: [{ content: 'aGk=', filename: 'a.txt' }],
    };
    const out = inWireOrder(stored);
    expect(Object.keys(out)).toEqual(['from', 'to', 'cc', 'subject', 'html_body', 'attachments', 'extra']);
    expect(Object.keys(out.to as object)).toEqual(['email', 'name']);
    expect(Object.keys((out.cc as object[])[0] as object)).toEqual(['email', 'name']);
    expect(Object.keys((out.attachments as object[])[0] as object)).toEqual(['filename', 'content']);
    expect(out).toEqual(stored);
  });
});
