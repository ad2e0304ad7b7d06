import { describe, expect, it } from 'vitest';
import { templateChanges, templateRecipients } from '@/lib/compose/template-diff';
import type { TemplateMessage } from '@/lib/schemas/template';

const base: TemplateMessage = {
  from: { email: 'news@example.com', name: 'News' },
  to: { email: '{{email}}', name: '' },
  cc: [],
  bcc: [],
  replyTo: { email: '', name: '' },
  returnPath: '',
  subject: 'Hello {{name}}',
  htmlBody: '<p>Hi</p>',
  textBody: 'Hi',
  headers: [{ name: 'X-Campaign', value: 'autumn' }],
};

describe('templateChanges', () => {
  it('is empty when nothing changed', () => {
    expect(templateChanges(base, structuredClone(base))).toEqual([]);
  });

  it('names a quietly added Bcc by address, and every other change by field', () => {
    const after: TemplateMessage = {
      ...base,
      bcc: [{ email: 'Leak@Evil.example', name: '' }],
      subject: 'Hello again',
      from: { email: 'news@example.com', name: 'The News' },
      headers: [
        { name: 'X-Campaign', value: 'winter' },
        { name: 'X-Extra', value: '1' },
      ],
    };
    expect(templateChanges(base, after)).toEqual([
      'From: News <news@example.com> → The News <news@example.com>',
      'Bcc added: leak@evil.example',
      'Subject changed',
      'Header x-campaign changed',
      'Header x-extra added',
    ]);
  });

  it('reports removed recipients and headers', () => {
    const before: TemplateMessage = { ...base, cc: [{ email: 'a@example.com', name: '' }] };
    expect(templateChanges(before, { ...base, headers: [] })).toEqual([
      'Cc removed: a@example.com',
      'Header x-campaign removed',
    ]);
  });

  it('lists the envelope of a new template', () => {
    expect(
      templateRecipients({
        ...base,
        cc: [{ email: 'c@example.com', name: '' }],
        bcc: [{ email: 'b@example.com', name: '' }],
      }),
    ).toEqual(['To {{email}}', 'Cc c@example.com', 'Bcc b@example.com']);
  });
});
