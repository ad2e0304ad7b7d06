import { describe, expect, it } from 'vitest';
import { underMessage, unstorableTextPath, validateBatch, validateMessage } from '@/lib/sandbox/validate';

const message = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  from: { email: 'sender@example.com', name: 'Sender' },
  to: { email: 'rcpt@example.com' },
  subject: 'Hello',
  html_body: '<p>Hi</p>',
  ...extra,
});

const without = (key: string) => {
  const m = message();
  delete m[key];
  return m;
};

const recipients = (n: number, tag = 'r') =>
  Array.from({ length: n }, (_, i) => ({ email: `${tag}${i}@example.com` }));
const pdf = (i = 0) => ({ filename: `file-${i}.pdf`, content: 'JVBERi0xLjQK' });

/** The issues for a message, as "field code" strings; [] when valid. */
function problems(value: unknown): string[] {
  const result = validateMessage(value);
  return result.ok ? [] : result.issues.map((i) => `${i.field} ${i.code}`);
}

function issue(value: unknown, field: string) {
  const result = validateMessage(value);
  return result.ok ? undefined : result.issues.find((i) => i.field === field);
}

describe('validateMessage', () => {
  it('accepts a minimal message and a full one', () => {
    expect(problems(message())).toEqual([]);
    expect(
      problems(
        message({
          text_body: '',
          reply_to: { email: 'reply@example.com', name: 'Replies' },
          return_path: 'bounces@example.com',
          cc: recipients(2, 'c'),
          bcc: recipients(2, 'b'),
          custom_headers: { 'X-Campaign': 'spring', 'x-lower': 'ok' },
          attachments: [pdf(), { attachment_id: 'att_abcdefghijklmnopqrstuvwx' }],
          delivery_group: ['dgrp_main', 'dgrp_backup-1'],
        }),
      ),
    ).toEqual([]);
  });

  it('takes to as ONE address object, and says so when given a list', () => {
    expect(problems(message({ to: [{ email: 'a@example.com' }] }))).toEqual(['to invalid_type']);
    expect(issue(message({ to: [{ email: 'a@example.com' }] }), 'to')?.message).toMatch(/ONE address object/);
    expect(problems(without('to'))).toEqual(['to required']);
    expect(problems(message({ to: 'a@example.com' }))).toEqual(['to invalid_type']);
    expect(problems(message({ to: {} }))).toEqual(['to.email required']);
  });

  it('requires from with a valid email', () => {
    expect(problems(without('from'))).toEqual(['from required']);
    expect(problems(message({ from: { email: 'not-an-email' } }))).toEqual(['from.email invalid_string']);
  });

  it('allows 49 cc and 49 bcc, but not 50', () => {
    expect(problems(message({ cc: recipients(49) }))).toEqual([]);
    expect(problems(message({ cc: recipients(50) }))).toEqual(['cc too_big']);
    expect(problems(message({ bcc: recipients(49) }))).toEqual([]);
    expect(problems(message({ bcc: recipients(50) }))).toEqual(['bcc too_big']);
  });

  it('allows 50 recipients across to, cc and bcc, but not 51', () => {
    expect(problems(message({ cc: recipients(25, 'c'), bcc: recipients(24, 'b') }))).toEqual([]);
    expect(problems(message({ cc: recipients(25, 'c'), bcc: recipients(25, 'b') }))).toEqual(['bcc too_big']);
    expect(problems(message({ cc: recipients(49, 'c'), bcc: recipients(1, 'b') }))).toEqual(['bcc too_big']);
  });

  it('reports a bad cc address by its index', () => {
    const cc = recipients(5);
    cc[3] = { email: 'broken' };
    expect(problems(message({ cc }))).toEqual(['cc.3.email invalid_string']);
    expect(problems(message({ cc: { email: 'a@example.com' } }))).toEqual(['cc invalid_type']);
  });

  it('limits the subject to 1–998 characters on one line', () => {
    expect(problems(message({ subject: 'x'.repeat(998) }))).toEqual([]);
    expect(problems(message({ subject: 'x'.repeat(999) }))).toEqual(['subject too_big']);
    expect(problems(message({ subject: '' }))).toEqual(['subject too_small']);
    expect(problems(message({ subject: 'a\rb' }))).toEqual(['subject invalid_string']);
    expect(problems(message({ subject: 'a\nb' }))).toEqual(['subject invalid_string']);
    expect(problems(without('subject'))).toEqual(['subject required']);
  });

  it('counts subject characters as code points, like JSON Schema', () => {
    expect(problems(message({ subject: '😀'.repeat(998) }))).toEqual([]);
    expect(problems(message({ subject: '😀'.repeat(999) }))).toEqual(['subject too_big']);
  });

  it('requires a non-empty html_body; text_body is optional', () => {
    expect(problems(without('html_body'))).toEqual(['html_body required']);
    expect(problems(message({ html_body: '' }))).toEqual(['html_body too_small']);
    expect(problems(message({ text_body: 42 }))).toEqual(['text_body invalid_type']);
  });

  it('checks custom header names and values', () => {
    expect(problems(message({ custom_headers: { 'Reply-To': 'x' } }))).toEqual([
      'custom_headers.Reply-To invalid_string',
    ]);
    expect(problems(message({ custom_headers: { 'X-Bad Name': 'x' } }))).toEqual([
      'custom_headers.X-Bad Name invalid_string',
    ]);
    expect(problems(message({ custom_headers: { 'X-Foo': 'a\r\nBcc: evil@example.com' } }))).toEqual([
      'custom_headers.X-Foo invalid_string',
    ]);
    expect(problems(message({ custom_headers: { 'X-Foo': 'a\nb' } }))).toEqual([
      'custom_headers.X-Foo invalid_string',
    ]);
    expect(problems(message({ custom_headers: { 'X-Foo': 'v'.repeat(500) } }))).toEqual([]);
    expect(problems(message({ custom_headers: { 'X-Foo': 'v'.repeat(501) } }))).toEqual([
      'custom_headers.X-Foo too_big',
    ]);
    expect(problems(message({ custom_headers: { 'X-Foo': 1 } }))).toEqual([
      'custom_headers.X-Foo invalid_type',
    ]);
    expect(problems(message({ custom_headers: [] }))).toEqual(['custom_headers invalid_type']);
  });

  it('allows 10 attachments, not 11', () => {
    const files = Array.from({ length: 11 }, (_, i) => pdf(i));
    expect(problems(message({ attachments: files.slice(0, 10) }))).toEqual([]);
    expect(problems(message({ attachments: files }))).toEqual(['attachments too_big']);
  });

  it('rejects content that is not base64', () => {
    expect(problems(message({ attachments: [{ filename: 'a.pdf', content: 'not base64!' }] }))).toEqual([
      'attachments.0.content invalid_string',
    ]);
    expect(problems(message({ attachments: [{ filename: 'a.pdf', content: 'abc' }] }))).toEqual([
      'attachments.0.content invalid_string',
    ]);
    expect(problems(message({ attachments: [{ filename: 'a.pdf', content: '' }] }))).toEqual([
      'attachments.0.content too_small',
    ]);
    expect(problems(message({ attachments: [{ filename: 'a.pdf' }] }))).toEqual([
      'attachments.0.content required',
    ]);
  });

  it('rejects executables and archives, accepts documents', () => {
    const named = (filename: string) => message({ attachments: [pdf(), { filename, content: 'aGVsbG8=' }] });
    expect(problems(named('setup.exe'))).toEqual(['attachments.1.filename invalid_file_type']);
    expect(problems(named('photos.zip'))).toEqual(['attachments.1.filename invalid_file_type']);
    expect(problems(named('invoice.pdf.exe'))).toEqual(['attachments.1.filename invalid_file_type']);
    expect(problems(named('backup.tar.gz'))).toEqual(['attachments.1.filename invalid_file_type']);
    expect(problems(named('README'))).toEqual(['attachments.1.filename invalid_file_type']);
    expect(issue(named('setup.exe'), 'attachments.1.filename')?.message).toMatch(/executables/);
    expect(issue(named('photos.zip'), 'attachments.1.filename')?.message).toMatch(/archives are rejected/);
    for (const ok of [
      'invoice.pdf',
      'photo.JPG',
      'sheet.xlsx',
      'deck.pptx',
      'notes.md',
      'invite.ics',
      'card.vcf',
    ])
      expect(problems(named(ok)), ok).toEqual([]);
  });

  it('checks attachment references and the attachment shape', () => {
    expect(problems(message({ attachments: [{ attachment_id: 'att_123' }] }))).toEqual([
      'attachments.0.attachment_id invalid_string',
    ]);
    expect(
      problems(
        message({ attachments: [{ attachment_id: 'att_abcdefghijklmnopqrstuvwx', filename: 'a.pdf' }] }),
      ),
    ).toEqual(['attachments.0.filename unrecognized_key']);
    expect(problems(message({ attachments: [{ ...pdf(), content_id: 'logo' }] }))).toEqual([
      'attachments.0.content_id unrecognized_key',
    ]);
    expect(problems(message({ attachments: [{ ...pdf(), encoding: 'hex' }] }))).toEqual([
      'attachments.0.encoding invalid_enum_value',
    ]);
    expect(problems(message({ attachments: [{ ...pdf(), type: 'pdf' }] }))).toEqual([
      'attachments.0.type invalid_string',
    ]);
    expect(
      problems(message({ attachments: [{ ...pdf(), type: 'application/pdf', encoding: 'base64' }] })),
    ).toEqual([]);
  });

  it('rejects unknown fields, with a hint for near misses', () => {
    expect(problems(message({ html: '<p>x</p>' }))).toEqual(['html unrecognized_key']);
    expect(issue(message({ html: '<p>x</p>' }), 'html')?.message).toMatch(/html_body/);
    expect(problems(message({ to: { email: 'a@example.com', display: 'A' } }))).toEqual([
      'to.display unrecognized_key',
    ]);
  });

  it('rejects the old idempotency_key body field and points to the header', () => {
    expect(problems(message({ idempotency_key: 'k1' }))).toEqual(['idempotency_key unrecognized_key']);
    expect(issue(message({ idempotency_key: 'k1' }), 'idempotency_key')?.message).toMatch(
      /Idempotency-Key header/,
    );
  });

  it('limits display names to 100 characters without line breaks', () => {
    expect(problems(message({ to: { email: 'a@example.com', name: 'n'.repeat(100) } }))).toEqual([]);
    expect(problems(message({ to: { email: 'a@example.com', name: 'n'.repeat(101) } }))).toEqual([
      'to.name too_big',
    ]);
    expect(problems(message({ from: { email: 'a@example.com', name: 'a\nb' } }))).toEqual([
      'from.name invalid_string',
    ]);
    expect(problems(message({ to: { email: 'a@example.com', name: null } }))).toEqual([
      'to.name invalid_type',
    ]);
  });

  it('limits email addresses to 254 characters', () => {
    const domain = ['b'.repeat(61), 'c'.repeat(61), 'd'.repeat(61)].join('.') + '.com';
    const longest = `${'a'.repeat(64)}@${domain}`;
    expect(longest).toHaveLength(254);
    expect(problems(message({ to: { email: longest } }))).toEqual([]);
    expect(problems(message({ to: { email: `x${longest}` } }))).toEqual(['to.email too_big']);
  });

  it('checks address syntax', () => {
    for (const bad of [
      'plain',
      '@example.com',
      'a@',
      'a@@example.com',
      'a b@example.com',
      'a..b@example.com',
      'a@example',
      'a@-x.com',
    ])
      expect(problems(message({ to: { email: bad } })), bad).toEqual(['to.email invalid_string']);
    for (const good of [
      'a+tag@example.com',
      'first.last@sub.example.co.uk',
      "o'brien@example.ie",
      'fail+503@example.com',
    ])
      expect(problems(message({ to: { email: good } })), good).toEqual([]);
  });

  it('checks reply_to and return_path', () => {
    expect(problems(message({ reply_to: [{ email: 'a@example.com' }] }))).toEqual(['reply_to invalid_type']);
    expect(problems(message({ reply_to: { email: 'nope' } }))).toEqual(['reply_to.email invalid_string']);
    expect(problems(message({ return_path: 'nope' }))).toEqual(['return_path invalid_string']);
    expect(problems(message({ return_path: { email: 'a@example.com' } }))).toEqual([
      'return_path invalid_type',
    ]);
  });

  it('checks delivery_group against the spec pattern', () => {
    expect(problems(message({ delivery_group: 'dgrp_main' }))).toEqual([]);
    expect(problems(message({ delivery_group: 'main' }))).toEqual(['delivery_group invalid_string']);
    expect(problems(message({ delivery_group: [] }))).toEqual(['delivery_group too_small']);
    expect(problems(message({ delivery_group: ['dgrp_a', 'DGRP_B'] }))).toEqual([
      'delivery_group.1 invalid_string',
    ]);
    expect(problems(message({ delivery_group: Array.from({ length: 51 }, (_, i) => `dgrp_${i}`) }))).toEqual([
      'delivery_group too_big',
    ]);
  });

  it('collects every problem, not only the first', () => {
    const cc = recipients(3);
    cc[2] = { email: 'bad' };
    expect(
      problems({
        from: { email: 'bad' },
        to: [{ email: 'a@example.com' }],
        subject: '',
        cc,
        custom_headers: { Subject: 'x' },
        extra: true,
      }),
    ).toEqual([
      'extra unrecognized_key',
      'from.email invalid_string',
      'to invalid_type',
      'subject too_small',
      'html_body required',
      'cc.2.email invalid_string',
      'custom_headers.Subject invalid_string',
    ]);
  });

  it('rejects a message that is not an object', () => {
    expect(problems([message()])).toEqual([' invalid_type']);
    expect(problems(null)).toEqual([' invalid_type']);
  });
});

describe('validateBatch', () => {
  it('checks each message on its own, with paths relative to the message', () => {
    const result = validateBatch({ messages: [message(), message({ to: { email: 'bad' } })] });
    expect(result.issues).toEqual([]);
    expect(result.messages.map((m) => m.ok)).toEqual([true, false]);
    const second = result.messages[1];
    expect(second && !second.ok && second.issues.map((i) => i.field)).toEqual(['to.email']);
  });

  it('needs 1 to 100 messages and nothing else in the body', () => {
    expect(validateBatch({ messages: Array.from({ length: 100 }, () => message()) }).issues).toEqual([]);
    expect(
      validateBatch({ messages: Array.from({ length: 101 }, () => message()) }).issues.map((i) => i.code),
    ).toEqual(['too_big']);
    expect(validateBatch({ messages: [] }).issues.map((i) => i.code)).toEqual(['too_small']);
    expect(validateBatch({}).issues.map((i) => `${i.field} ${i.code}`)).toEqual(['messages required']);
    expect(validateBatch({ messages: message() }).issues.map((i) => i.code)).toEqual(['invalid_type']);
    expect(validateBatch({ messages: [message()], idempotency_key: 'k' }).issues.map((i) => i.field)).toEqual(
      ['idempotency_key'],
    );
  });

  it('re-roots message issues under messages.<index>', () => {
    expect(underMessage(3, [{ field: 'cc.1.email', code: 'invalid_string', message: 'x' }])[0]?.field).toBe(
      'messages.3.cc.1.email',
    );
    expect(underMessage(0, [{ field: '', code: 'invalid_type', message: 'x' }])[0]?.field).toBe('messages.0');
  });
});

describe('unstorableTextPath', () => {
  it('finds NUL characters and unpaired surrogates that PostgreSQL cannot store', () => {
    expect(unstorableTextPath({ messages: [message(), message({ subject: 'a\u0000b' })] })).toBe(
      'messages.1.subject',
    );
    expect(unstorableTextPath(message({ html_body: 'x\ud800y' }))).toBe('html_body');
    expect(unstorableTextPath({ 'bad\u0000key': 1 })).toBe('body');
    expect(unstorableTextPath(message({ subject: 'emoji 😀 and \\u0000 as text' }))).toBeUndefined();
  });
});
