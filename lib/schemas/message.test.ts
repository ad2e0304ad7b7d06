import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from '@/lib/schemas/action-result';
import { messageSchema, sendEmailInputSchema, type MessageInput } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';

const valid = (): MessageInput => ({
  ...emptyMessage(),
  from: { email: 'sender@example.com', name: 'Sender' },
  to: { email: 'ada@example.com', name: 'Ada' },
  subject: 'Hello',
  htmlBody: '<p>Hello</p>',
});
const recipients = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ email: `r${i}@example.com`, name: '' }));

function errorsFor(m: MessageInput) {
  const r = messageSchema.safeParse(m);
  return r.success ? {} : fieldErrorsOf(r.error);
}

describe('the shared message schema', () => {
  it('accepts a minimal message and a full one', () => {
    expect(messageSchema.safeParse(valid()).success).toBe(true);
    const full: MessageInput = {
      ...valid(),
      cc: recipients(2),
      bcc: recipients(1),
      replyTo: { email: 'reply@example.com', name: 'Replies' },
      returnPath: 'bounces@example.com',
      textBody: 'Hello',
      headers: [{ name: 'X-Campaign', value: 'spring' }],
      attachments: [
        {
          id: 'a',
          kind: 'inline',
          filename: 'a.pdf',
          contentType: 'application/pdf',
          size: 3,
          content: 'YWJj',
        },
      ],
    };
    expect(errorsFor(full)).toEqual({});
  });

  it('requires exactly the required fields with messages that say what to do', () => {
    const e = errorsFor(emptyMessage());
    expect(e['from.email']).toEqual(['Enter the sender’s email address']);
    expect(e['to.email']).toEqual(['Enter the recipient’s email address']);
    expect(e.subject).toEqual(['Enter a subject']);
    expect(e.htmlBody).toEqual(['Write the HTML body: Sendmux requires one']);
    expect(errorsFor({ ...valid(), htmlBody: '   ' }).htmlBody).toBeDefined();
  });

  it('checks email syntax and the 254-character limit', () => {
    expect(errorsFor({ ...valid(), to: { email: 'not-an-email', name: '' } })['to.email']).toEqual([
      'Enter a valid email address, like name@example.com',
    ]);
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(58)}.com`; // 184: labels stay ≤ 63
    const long = `${local}@${domain}`; // 249
    expect(errorsFor({ ...valid(), to: { email: long, name: '' } })['to.email']).toBeUndefined();
    const tooLong = `${local}@x${'b'.repeat(5)}${domain}`; // 255
    expect(errorsFor({ ...valid(), to: { email: tooLong, name: '' } })['to.email']?.[0]).toMatch(
      /at most 254/,
    );
    expect(errorsFor({ ...valid(), replyTo: { email: 'nope', name: '' } })['replyTo.email']).toBeDefined();
    expect(errorsFor({ ...valid(), returnPath: 'nope' }).returnPath).toBeDefined();
    expect(
      errorsFor({ ...valid(), replyTo: { email: '', name: 'Only a name' } })['replyTo.email'],
    ).toBeDefined();
  });

  it('limits subjects to 1–998 characters without line breaks', () => {
    expect(errorsFor({ ...valid(), subject: 'x'.repeat(998) }).subject).toBeUndefined();
    expect(errorsFor({ ...valid(), subject: 'x'.repeat(999) }).subject?.[0]).toMatch(/at most 998/);
    expect(errorsFor({ ...valid(), subject: 'Hello\r\nBcc: victim@example.com' }).subject).toEqual([
      "Subjects can't contain line breaks or other control characters",
    ]);
    expect(errorsFor({ ...valid(), subject: 'Hello\nthere' }).subject).toBeDefined();
    expect(errorsFor({ ...valid(), subject: 'Hello\0there' }).subject).toBeDefined();
  });

  it('refuses control characters in every header-bound value (tab only where a header allows it)', () => {
    expect(
      errorsFor({ ...valid(), from: { email: 'a@example.com', name: 'Evil\r\nBcc: x@y.z' } })['from.name'],
    ).toEqual(["Names can't contain line breaks, tabs or other control characters"]);
    expect(errorsFor({ ...valid(), to: { email: 'a@example.com', name: 'a\nb' } })['to.name']).toBeDefined();
    expect(
      errorsFor({ ...valid(), cc: [{ email: 'c@example.com', name: 'c\rd' }] })['cc.0.name'],
    ).toBeDefined();
    expect(
      errorsFor({ ...valid(), headers: [{ name: 'X-A', value: 'one\r\ntwo' }] })['headers.0.value'],
    ).toEqual(["Header values can't contain line breaks or other control characters"]);
    for (const bad of ['\x01', '\x1b[31m', '\x7f', '\v', '\f'])
      expect(errorsFor({ ...valid(), subject: `Hi${bad}` }).subject, JSON.stringify(bad)).toBeDefined();
    expect(errorsFor({ ...valid(), subject: 'Tab\tallowed' }).subject).toBeUndefined();
    expect(errorsFor({ ...valid(), headers: [{ name: 'X-A', value: 'a\tb' }] })).toEqual({});
    expect(errorsFor({ ...valid(), to: { email: 'a@example.com', name: 'a\tb' } })['to.name']).toBeDefined();
  });

  it('caps custom headers by number and total size', () => {
    const headers = (n: number, value = 'v') =>
      Array.from({ length: n }, (_, i) => ({ name: `X-H${i}`, value }));
    expect(errorsFor({ ...valid(), headers: headers(50) })).toEqual({});
    expect(errorsFor({ ...valid(), headers: headers(51) }).headers).toEqual(['At most 50 custom headers']);
    expect(errorsFor({ ...valid(), headers: headers(25, 'x'.repeat(400)) }).headers).toEqual([
      'Custom headers are at most 10,000 characters in all',
    ]);
  });

  it('wants a MIME type and a plain file name on attachments', () => {
    const inline = (over: Record<string, string>) => ({
      ...valid(),
      attachments: [
        {
          id: 'a1',
          kind: 'inline' as const,
          filename: 'a.pdf',
          contentType: 'application/pdf',
          size: 3,
          content: 'YWJj',
          ...over,
        },
      ],
    });
    expect(errorsFor(inline({}))).toEqual({});
    expect(errorsFor(inline({ contentType: '' }))).toEqual({});
    expect(errorsFor(inline({ contentType: 'text/plain; charset=utf-8' }))).toEqual({});
    expect(
      errorsFor(inline({ contentType: 'application/pdf\r\nX-Evil: 1' }))['attachments.0.contentType'],
    ).toEqual(['Not a MIME type (like application/pdf)']);
    expect(errorsFor(inline({ contentType: 'pdf' }))['attachments.0.contentType']).toBeDefined();
    expect(errorsFor(inline({ filename: 'a\tb.pdf' }))['attachments.0.filename']).toBeDefined();
    expect(errorsFor(inline({ filename: '../../etc/passwd.pdf' }))['attachments.0.filename']).toBeDefined();
  });

  it('takes delivery groups as dgrp_ ids (the OpenAPI pattern), up to 50, each once', () => {
    const groups = (deliveryGroup: string) => errorsFor({ ...valid(), deliveryGroup }).deliveryGroup;
    expect(groups('')).toBeUndefined();
    expect(groups('dgrp_main')).toBeUndefined();
    expect(groups('dgrp_main, dgrp_backup-1\ndgrp_eu_2')).toBeUndefined();
    expect(groups(`dgrp_${'a'.repeat(123)}`)).toBeUndefined();
    expect(groups(`dgrp_${'a'.repeat(124)}`)?.[0]).toMatch(/is not a delivery group id/);
    expect(groups('main')).toEqual([
      '“main” is not a delivery group id: ids look like dgrp_main (dgrp_ then lowercase letters, digits, _ or -)',
    ]);
    expect(groups('dgrp_ok DGRP_B dgrp_-x')?.[0]).toMatch(/^“DGRP_B”, “dgrp_-x” are not delivery group ids/);
    expect(groups(Array.from({ length: 51 }, (_, i) => `dgrp_${i}`).join(','))).toEqual([
      'At most 50 delivery groups (this has 51)',
    ]);
    expect(groups(Array.from({ length: 50 }, (_, i) => `dgrp_${i}`).join(','))).toBeUndefined();
    expect(groups('dgrp_a, dgrp_a')).toEqual(['Each delivery group once: remove the repeated id']);
  });

  it('limits names to 100 characters', () => {
    expect(
      errorsFor({ ...valid(), to: { email: 'a@example.com', name: 'n'.repeat(100) } })['to.name'],
    ).toBeUndefined();
    expect(
      errorsFor({ ...valid(), to: { email: 'a@example.com', name: 'n'.repeat(101) } })['to.name'],
    ).toBeDefined();
  });

  it('allows 49 cc and 49 bcc but at most 50 recipients in all', () => {
    expect(errorsFor({ ...valid(), cc: recipients(49) }).cc).toBeUndefined();
    expect(errorsFor({ ...valid(), cc: recipients(50) }).cc?.[0]).toMatch(/At most 49 Cc/);
    expect(errorsFor({ ...valid(), bcc: recipients(50) }).bcc?.[0]).toMatch(/At most 49 Bcc/);
    expect(errorsFor({ ...valid(), cc: recipients(25), bcc: recipients(24) })).toEqual({});
    expect(errorsFor({ ...valid(), cc: recipients(25), bcc: recipients(25) }).bcc).toEqual([
      'At most 50 recipients across To, Cc and Bcc (this message has 51)',
    ]);
  });

  it('wants X-* custom headers, not reserved ones, each once, values up to 500 characters', () => {
    expect(errorsFor({ ...valid(), headers: [{ name: 'Reply-To', value: 'x' }] })['headers.0.name']).toEqual([
      'Custom header names must start with X- (e.g. X-Campaign)',
    ]);
    expect(
      errorsFor({ ...valid(), headers: [{ name: 'X-Sendmux-Route', value: 'x' }] })['headers.0.name'],
    ).toEqual(['X-Sendmux-* headers are reserved for Sendmux itself']);
    expect(
      errorsFor({ ...valid(), headers: [{ name: 'X-Bad Name', value: 'x' }] })['headers.0.name'],
    ).toBeDefined();
    expect(errorsFor({ ...valid(), headers: [{ name: 'X-A', value: 'v'.repeat(500) }] })).toEqual({});
    expect(
      errorsFor({ ...valid(), headers: [{ name: 'X-A', value: 'v'.repeat(501) }] })['headers.0.value'],
    ).toBeDefined();
    expect(
      errorsFor({
        ...valid(),
        headers: [
          { name: 'X-A', value: '1' },
          { name: 'x-a', value: '2' },
        ],
      })['headers.1.name'],
    ).toEqual(['x-a is already set above']);
  });

  it('allows 10 attachments of allowed types and refuses the 11th, executables and archives', () => {
    const att = (i: number, filename = `f${i}.pdf`) => ({
      id: String(i),
      kind: 'inline' as const,
      filename,
      contentType: 'application/pdf',
      size: 3,
      content: 'YWJj',
    });
    expect(errorsFor({ ...valid(), attachments: Array.from({ length: 10 }, (_, i) => att(i)) })).toEqual({});
    expect(
      errorsFor({ ...valid(), attachments: Array.from({ length: 11 }, (_, i) => att(i)) }).attachments,
    ).toEqual(['At most 10 attachments']);
    expect(
      errorsFor({ ...valid(), attachments: [att(0, 'setup.exe')] })['attachments.0.filename']?.[0],
    ).toMatch(/executable/);
    expect(
      errorsFor({ ...valid(), attachments: [att(0, 'photos.zip')] })['attachments.0.filename']?.[0],
    ).toMatch(/archive/);
    expect(
      errorsFor({ ...valid(), attachments: [{ ...att(0), content: 'not base64!' }] })[
        'attachments.0.content'
      ],
    ).toBeDefined();
  });

  it('refuses a message over 25 MB in total', () => {
    const big = 'A'.repeat(13_200_000);
    const a = (id: string) => ({
      id,
      kind: 'inline' as const,
      filename: `${id}.pdf`,
      contentType: 'application/pdf',
      size: 9_900_000,
      content: big,
    });
    expect(errorsFor({ ...valid(), attachments: [a('one')] }).attachments).toBeUndefined();
    expect(errorsFor({ ...valid(), attachments: [a('one'), a('two')] }).attachments?.[0]).toMatch(
      /Sendmux accepts at most 25\.0 MB/,
    );
  });

  it('validates the send action input: key, profile, uploads from another profile', () => {
    const base = { profile: 'default', idempotencyKey: 'compose-abc', message: valid() };
    expect(sendEmailInputSchema.safeParse(base).success).toBe(true);
    expect(sendEmailInputSchema.safeParse({ ...base, idempotencyKey: '' }).success).toBe(false);
    expect(sendEmailInputSchema.safeParse({ ...base, idempotencyKey: 'has space' }).success).toBe(false);
    expect(sendEmailInputSchema.safeParse({ ...base, idempotencyKey: 'k'.repeat(256) }).success).toBe(false);
    const uploaded = {
      id: 'u',
      kind: 'uploaded' as const,
      filename: 'big.pdf',
      contentType: 'application/pdf',
      size: 2_000_000,
      attachmentId: 'att_abc',
      expiresAt: '',
      profile: 'marketing',
    };
    const r = sendEmailInputSchema.safeParse({ ...base, message: { ...valid(), attachments: [uploaded] } });
    expect(r.success).toBe(false);
    if (!r.success)
      expect(fieldErrorsOf(r.error)['message.attachments.0']?.[0]).toMatch(
        /uploaded with the “marketing” key/,
      );
  });
});
