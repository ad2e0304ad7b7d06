import { describe, expect, it } from 'vitest';
import { emptyBatchSpec, type BatchSpec } from '@/lib/mail-merge/mapping';
import { mergeRow } from '@/lib/mail-merge/merge';

const columns = ['email', 'name', 'cc', 'city', 'campaign', 'amount'];
const spec: BatchSpec = {
  ...emptyBatchSpec(),
  fields: {
    toEmail: { kind: 'column', column: 'email' },
    toName: { kind: 'column', column: 'name' },
    fromEmail: { kind: 'fixed', value: 'billing@example.com' },
    fromName: { kind: 'fixed', value: 'Billing' },
    cc: { kind: 'column', column: 'cc' },
    replyToEmail: { kind: 'fixed', value: 'help@example.com' },
  },
  headers: [
    { name: 'X-Campaign', source: { kind: 'column', column: 'campaign' } },
    { name: ' X-Source ', source: { kind: 'fixed', value: 'csv' } },
  ],
  subject: 'Invoice for {{name|you}}',
  htmlBody: '<p>{{name}} owes {{amount}} in {{city}}</p>',
  textBody: '{{name}} owes {{amount}}',
  attachments: [
    {
      attachmentId: 'att_1',
      filename: 'terms.pdf',
      contentType: 'application/pdf',
      size: 100,
      expiresAt: '2030-01-01T00:00:00Z',
      profile: 'default',
    },
  ],
};

const row = (values: Partial<Record<string, string>>, line = 2) => ({
  line,
  values: { email: '', name: '', cc: '', city: '', campaign: '', amount: '', ...values } as Record<
    string,
    string
  >,
});

describe('mergeRow', () => {
  it('builds the message from columns, fixed values and templates', () => {
    const { message, issues } = mergeRow(
      row({
        email: ' ada@example.com ',
        name: 'Ada <3',
        cc: 'Bob <bob@example.com>; carol@example.com',
        city: 'Paris',
        campaign: 'spring',
        amount: '12 €',
      }),
      spec,
      columns,
    );
    expect(issues).toEqual([]);
    expect(message).toEqual({
      from: { email: 'billing@example.com', name: 'Billing' },
      to: { email: 'ada@example.com', name: 'Ada <3' },
      cc: [
        { email: 'bob@example.com', name: 'Bob' },
        { email: 'carol@example.com', name: '' },
      ],
      bcc: [],
      replyTo: { email: 'help@example.com', name: '' },
      returnPath: '',
      deliveryGroup: '',
      subject: 'Invoice for Ada <3',
      htmlBody: '<p>Ada &lt;3 owes 12 € in Paris</p>',
      textBody: 'Ada <3 owes 12 €',
      headers: [
        { name: 'X-Campaign', value: 'spring' },
        { name: 'X-Source', value: 'csv' },
      ],
      attachments: [
        {
          id: 'att_1',
          kind: 'uploaded',
          attachmentId: 'att_1',
          filename: 'terms.pdf',
          contentType: 'application/pdf',
          size: 100,
          expiresAt: '2030-01-01T00:00:00Z',
          profile: 'default',
        },
      ],
    });
  });

  it('reports empty variables per field and column, and leaves out headers whose cell is empty', () => {
    const { message, issues } = mergeRow(row({ email: 'ada@example.com', amount: '5' }), spec, columns);
    expect(message.subject).toBe('Invoice for you');
    expect(message.headers).toEqual([{ name: 'X-Source', value: 'csv' }]);
    expect(issues.map((i) => [i.field, i.column, i.kind, i.severity])).toEqual([
      ['htmlBody', 'name', 'empty_variable', 'warning'],
      ['htmlBody', 'city', 'empty_variable', 'warning'],
      ['textBody', 'name', 'empty_variable', 'warning'],
    ]);
  });

  it('reports Cc fragments it cannot read as errors on cc, with the column', () => {
    const { message, issues } = mergeRow(
      row({ email: 'ada@example.com', name: 'Ada', city: 'x', amount: '1', cc: 'Bob Smith, ok@example.com' }),
      spec,
      columns,
    );
    expect(message.cc).toEqual([{ email: 'ok@example.com', name: '' }]);
    expect(issues).toEqual([
      expect.objectContaining({
        field: 'cc',
        kind: 'unparseable_recipient',
        severity: 'error',
        column: 'cc',
      }),
    ]);
    expect(issues[0]?.message).toContain('Bob Smith');
  });

  it('reads a missing column as empty', () => {
    const { message } = mergeRow(
      { line: 2, values: { email: 'ada@example.com' } },
      { ...spec, fields: { ...spec.fields, toName: { kind: 'column', column: 'gone' } } },
      ['email'],
    );
    expect(message.to).toEqual({ email: 'ada@example.com', name: '' });
  });

  it('gives every row its own arrays (no shared state between messages)', () => {
    const a = mergeRow(row({ email: 'a@example.com' }), spec, columns).message;
    const b = mergeRow(row({ email: 'b@example.com' }), spec, columns).message;
    a.attachments.pop();
    a.headers.push({ name: 'X-More', value: '1' });
    expect(b.attachments).toHaveLength(1);
    expect(b.headers).toHaveLength(1);
  });

  it('picks up a changed spec object (no stale cache)', () => {
    const first = mergeRow(row({ email: 'a@example.com', name: 'Ada' }), spec, columns).message.subject;
    const second = mergeRow(
      row({ email: 'a@example.com', name: 'Ada' }),
      { ...spec, subject: 'Hello {{name}}' },
      columns,
    ).message.subject;
    expect([first, second]).toEqual(['Invoice for Ada', 'Hello Ada']);
  });
});
