import type { BatchSpec } from '@/lib/schemas/batch-spec';

/** The mail merge both batch benches use: the generated CSV's email/name/n columns, sandbox sender. */
export const BENCH_SPEC = {
  fields: {
    toEmail: { kind: 'column', column: 'email' },
    toName: { kind: 'column', column: 'name' },
    fromEmail: { kind: 'fixed', value: 'sandbox@sendmux.test' },
    fromName: { kind: 'fixed', value: 'Batch test' },
  },
  headers: [],
  subject: 'bench row {{n}}',
  htmlBody: '<p>Hello {{name}}, this is bench.</p>',
  textBody: 'Hello {{name}}, this is bench.',
  attachments: [],
  excludedLines: [],
} as unknown as BatchSpec;
