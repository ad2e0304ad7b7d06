import { describe, expect, it } from 'vitest';
import { emptyBatchSpec, type BatchSpec } from './mapping';
import { mappingProblems } from './mapping-check';

const ready = (): BatchSpec => ({
  ...emptyBatchSpec(),
  fields: {
    toEmail: { kind: 'column', column: 'email' },
    fromEmail: { kind: 'fixed', value: 'sandbox@sendmux.test' },
  },
  subject: 'Hi {{name}}',
  htmlBody: '<p>{{name|friend}}</p>',
});

describe('mappingProblems', () => {
  it('finds nothing in a complete mapping', () => {
    expect(mappingProblems(ready(), ['email', 'name'])).toEqual([]);
  });

  it('names each required field without a source, an empty fixed value, subject and HTML body', () => {
    const spec = { ...emptyBatchSpec(), fields: { fromEmail: { kind: 'fixed' as const, value: ' ' } } };
    expect(mappingProblems(spec, ['email']).map((p) => [p.label, p.message])).toEqual([
      ['To email', 'Choose a column or a fixed value'],
      ['From email', 'Enter the fixed value'],
      ['Subject', 'Enter a subject'],
      ['HTML body', 'Write the HTML body: Sendmux requires one'],
    ]);
    expect(mappingProblems(spec, ['email'])[1]).toMatchObject({
      kind: 'field',
      field: 'fromEmail',
      fixed: true,
    });
  });

  it('flags columns the file lacks, in fields and headers', () => {
    const spec: BatchSpec = {
      ...ready(),
      fields: { ...ready().fields, replyToEmail: { kind: 'column', column: 'city' } },
      headers: [{ name: 'X-Town', source: { kind: 'column', column: 'town' } }],
    };
    expect(mappingProblems(spec, ['email', 'name'])).toEqual([
      expect.objectContaining({
        kind: 'field',
        field: 'replyToEmail',
        message: 'This file has no column “city”',
      }),
      expect.objectContaining({ kind: 'header', index: 0, message: 'This file has no column “town”' }),
    ]);
  });

  it('flags a tag with no column and no fallback, not one with a fallback', () => {
    const spec = { ...ready(), subject: 'Hi {{nmae}}', textBody: '{{city|there}}' };
    expect(mappingProblems(spec, ['email', 'name'])).toEqual([
      expect.objectContaining({
        kind: 'template',
        field: 'subject',
        message: expect.stringContaining('{{nmae}}'),
      }),
    ]);
  });
});
