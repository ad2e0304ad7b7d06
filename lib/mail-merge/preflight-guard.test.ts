import { describe, expect, it, vi } from 'vitest';
import { parseCsv } from '@/lib/mail-merge/csv';
import { emptyBatchSpec, type BatchSpec } from '@/lib/mail-merge/mapping';
import { preflight } from '@/lib/mail-merge/preflight';
import type * as RowCheckModule from '@/lib/mail-merge/row-check';

// A pre-check that drifted from messageSchema must not decide anything: preflight samples accepted
// rows through the schema and, on any disagreement, validates the whole file with the schema.
const drift = vi.hoisted(() => ({ mode: 'none' as 'none' | 'size' | 'accept-all' }));

vi.mock('@/lib/mail-merge/row-check', async (importOriginal) => {
  const actual = await importOriginal<typeof RowCheckModule>();
  return {
    ...actual,
    compileRowCheck: (c: Parameters<typeof actual.compileRowCheck>[0]) => {
      const real = actual.compileRowCheck(c);
      if (!real) return real;
      return {
        accept(values: Record<string, string>, out: RowCheckModule.AcceptedRow) {
          if (drift.mode === 'accept-all') {
            Object.assign(out, { wireBytes: 1, toEmail: values.email ?? '', empty: null });
            return true;
          }
          const ok = real.accept(values, out);
          if (ok && drift.mode === 'size') out.wireBytes += 1;
          return ok;
        },
      };
    },
  };
});

const spec: BatchSpec = {
  ...emptyBatchSpec(),
  fields: {
    toEmail: { kind: 'column', column: 'email' },
    fromEmail: { kind: 'fixed', value: 'news@example.com' },
  },
  subject: 'Hi',
  htmlBody: '<p>Hi</p>',
};
const parsed = parseCsv(
  ['email', 'not-an-email', ...Array.from({ length: 2500 }, (_, i) => `u${i}@example.com`)].join('\n'),
);

describe('preflight guard against pre-check drift', () => {
  it.each(['size', 'accept-all'] as const)(
    'falls back to messageSchema for every row when a sampled row disagrees (%s)',
    (mode) => {
      drift.mode = mode;
      const result = preflight(parsed, spec);
      drift.mode = 'none';
      const reference = preflight(parsed, spec, { validation: 'schema' });
      expect(result.plan.validation).toBe('schema-after-disagreement');
      expect({ ...result.plan, validation: 'schema' }).toEqual(reference.plan);
      expect(result.rows).toEqual(reference.rows);
      expect(result.plan.invalid).toBe(1);
    },
  );

  it('keeps the fast route when the pre-check agrees', () => {
    drift.mode = 'none';
    expect(preflight(parsed, spec).plan.validation).toBe('fast');
  });
});
