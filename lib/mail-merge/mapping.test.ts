import { describe, expect, it } from 'vitest';
import { emptyMessage } from '@/lib/schemas/message-values';
import { autoMap, emptyBatchSpec, missingColumns, specFromMessage } from '@/lib/mail-merge/mapping';
import { batchSpecSchema } from '@/lib/schemas/batch-spec';

describe('autoMap', () => {
  it('maps columns by name, ignoring case, spaces, underscores and hyphens', () => {
    const { fields } = autoMap(['E-Mail', 'Full Name', 'CC', 'bcc', 'Reply_To', 'return-path', 'City']);
    expect(fields).toEqual({
      toEmail: { kind: 'column', column: 'E-Mail' },
      toName: { kind: 'column', column: 'Full Name' },
      cc: { kind: 'column', column: 'CC' },
      bcc: { kind: 'column', column: 'bcc' },
      replyToEmail: { kind: 'column', column: 'Reply_To' },
      returnPath: { kind: 'column', column: 'return-path' },
    });
  });

  it.each(['email', 'e-mail', 'to', 'To_Email', 'recipient', 'Email Address'])(
    'maps %s to the To email',
    (column) => {
      expect(autoMap([column]).fields.toEmail).toEqual({ kind: 'column', column });
    },
  );

  it.each(['name', 'full_name', 'to_name', 'Recipient Name'])('maps %s to the To name', (column) => {
    expect(autoMap([column]).fields.toName).toEqual({ kind: 'column', column });
  });

  it('prefers the better-named column when two match one field', () => {
    expect(autoMap(['to', 'email']).fields.toEmail).toEqual({ kind: 'column', column: 'email' });
    expect(autoMap(['recipient', 'to_email']).fields.toEmail).toEqual({ kind: 'column', column: 'to_email' });
  });

  it('does not combine first and last name columns', () => {
    expect(autoMap(['email', 'first_name', 'last_name']).fields.toName).toBeUndefined();
  });

  it('maps sender and reply-to name columns', () => {
    expect(autoMap(['from', 'from_name', 'reply_to_name']).fields).toEqual({
      fromEmail: { kind: 'column', column: 'from' },
      fromName: { kind: 'column', column: 'from_name' },
      replyToName: { kind: 'column', column: 'reply_to_name' },
    });
  });

  it('maps X- columns to custom headers, but not X-Sendmux-*', () => {
    expect(autoMap(['email', 'X-Campaign', 'X-Sendmux-Foo', 'Xylophone']).headers).toEqual([
      { name: 'X-Campaign', source: { kind: 'column', column: 'X-Campaign' } },
    ]);
  });

  it('maps nothing it does not recognise', () => {
    expect(autoMap(['city', 'amount'])).toEqual({ fields: {}, headers: [] });
  });
});

describe('batchSpecSchema', () => {
  it('accepts an empty spec and a full one', () => {
    expect(batchSpecSchema.safeParse(emptyBatchSpec()).success).toBe(true);
    const full = {
      ...emptyBatchSpec(),
      fields: { toEmail: { kind: 'column', column: 'email' }, fromEmail: { kind: 'fixed', value: 'a@b.co' } },
      headers: [{ name: 'X-Campaign', source: { kind: 'fixed', value: 'spring' } }],
      attachments: [
        {
          attachmentId: 'att_abc123',
          filename: 'a.pdf',
          contentType: 'application/pdf',
          size: 10,
          expiresAt: '2030-01-01T00:00:00Z',
          profile: 'default',
        },
      ],
      excludedLines: [3, 7],
    };
    expect(batchSpecSchema.safeParse(full).success).toBe(true);
  });

  it('rejects a column source without a column, a bad attachment id and non-integer lines', () => {
    const base = emptyBatchSpec();
    expect(
      batchSpecSchema.safeParse({ ...base, fields: { toEmail: { kind: 'column', column: '' } } }).success,
    ).toBe(false);
    expect(batchSpecSchema.safeParse({ ...base, excludedLines: [1.5] }).success).toBe(false);
    const att = {
      attachmentId: 'nope',
      filename: 'a.pdf',
      contentType: 'application/pdf',
      size: 10,
      expiresAt: 'x',
      profile: 'p',
    };
    expect(batchSpecSchema.safeParse({ ...base, attachments: [att] }).success).toBe(false);
  });
});

describe('missingColumns', () => {
  it('lists columns the spec reads that the file lacks', () => {
    const spec = {
      ...emptyBatchSpec(),
      fields: {
        toEmail: { kind: 'column' as const, column: 'email' },
        toName: { kind: 'column' as const, column: 'name' },
      },
      headers: [{ name: 'X-A', source: { kind: 'column' as const, column: 'camp' } }],
    };
    expect(missingColumns(spec, ['email'])).toEqual(['name', 'camp']);
  });
});

describe('specFromMessage', () => {
  it('turns a saved Compose message into fixed values and templates', () => {
    const message = {
      ...emptyMessage(),
      from: { email: 'news@example.com', name: 'News' },
      cc: [{ email: 'a@x.com', name: 'Lovelace, Ada' }],
      subject: 'Hi {{name}}',
      htmlBody: '<p>Hi</p>',
      headers: [{ name: 'X-Campaign', value: 'spring' }],
    };
    const spec = specFromMessage(message, {
      ...emptyBatchSpec(),
      fields: { toEmail: { kind: 'column', column: 'email' } },
    });
    expect(spec.fields).toEqual({
      toEmail: { kind: 'column', column: 'email' },
      fromEmail: { kind: 'fixed', value: 'news@example.com' },
      fromName: { kind: 'fixed', value: 'News' },
      cc: { kind: 'fixed', value: '"Lovelace, Ada" <a@x.com>' },
    });
    expect(spec.headers).toEqual([{ name: 'X-Campaign', source: { kind: 'fixed', value: 'spring' } }]);
    expect([spec.subject, spec.htmlBody, spec.textBody]).toEqual(['Hi {{name}}', '<p>Hi</p>', '']);
  });
});
