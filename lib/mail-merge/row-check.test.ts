import { describe, expect, it } from 'vitest';
import { messageSchema } from '@/lib/schemas/message';
import { emptyBatchSpec, type BatchSpec, type FieldSource } from '@/lib/mail-merge/mapping';
import { compileSpec, mergeCompiled } from '@/lib/mail-merge/merge';
import { exactWireBytes } from '@/lib/mail-merge/preflight';
import {
  compileRowCheck,
  jsonStringBytes,
  jsonValueBytes,
  type AcceptedRow,
} from '@/lib/mail-merge/row-check';

// The pre-check may only accept rows that messageSchema accepts, and must size them exactly as
// JSON.stringify(toSendPayload(message)) does. Fuzzed with values chosen to sit on every rule.

function prng(seed: number) {
  return (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
}

const list = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.com`).join(', ');
// Each pool: [values that pass, …values that sit on or over a rule]; most picks take a passing one
// so that whole messages are often valid and the tricky value is the only thing wrong.
type Pool = { good: string[]; bad: string[] };
const EMAILS: Pool = {
  good: [
    'ada@example.com',
    'Ada.Lovelace+tag@Example.CO.uk',
    '  padded@example.com ',
    `${'x'.repeat(242)}@example.com`,
  ],
  bad: [
    'no-at-sign',
    'a@-b.com',
    `${'x'.repeat(250)}@example.com`,
    '',
    'ü@example.com',
    'a b@example.com',
    'a@example.com\n',
  ],
};
const OPTIONAL_EMAILS: Pool = { good: ['', ...EMAILS.good], bad: EMAILS.bad.filter((e) => e !== '') };
const NAMES: Pool = {
  good: ['', 'Ada', 'x'.repeat(100), 'Zoë 😀', '  padded\t', '"quoted", name'],
  bad: ['x'.repeat(101), 'Line\nbreak', 'Nul\0'],
};
const LISTS: Pool = {
  good: [
    '',
    'a@example.com',
    'Bob <b@example.com>; c@example.com',
    list(24),
    'Ada <a@example.com>, "L, A" <l@example.com>',
  ],
  bad: ['bad one', 'x <not-an-email>', list(49), list(50)],
};
const HEADER_VALUES: Pool = {
  good: ['', 'tab\tv', 'x'.repeat(500), 'ünïcode 😀'],
  bad: ['x'.repeat(501), 'a\r\nb\x07'],
};
const VALUES: Pool = {
  good: ['', 'plain', `<&>"'`, '\u2028', '😀', '\t', '  ', 'Zoë', '\\ "q"', 'del\x7f'],
  bad: ['line\nbreak', '\uD83D', '\uDE00', 'x'.repeat(1000), 'nul\0'],
};
const SUBJECTS: Pool = {
  good: ['{{a}}', 'Hi {{a|there}}', '{{a}}{{b}}', `${'x'.repeat(990)}{{a}}`, 'Fixed', '{{a|}}'],
  bad: ['', '\uD83D{{a}}', '{{missing}}'],
};
const HTMLS: Pool = {
  good: ['{{a}}', '<p>{{a}}</p>', '  {{b}}  ', '<p>[DP_NAME] {{a}} {{b|x}}</p>', '{{missing|fine}}'],
  bad: ['{{a|}}', ''],
};
const TEXTS: Pool = { good: ['', '{{b}}', 'Hi {{a}}', '{{a|}}{{b|}}'], bad: [] };
const FIXED_FROM: Pool = { good: ['news@example.com'], bad: ['bad from', ''] };
const HEADER_NAMES: Pool = {
  good: ['X-Campaign', 'X-Other'],
  bad: ['X-Bad Name', 'X-Sendmux-No', 'x-campaign'],
};

function randomCase(rand: (n: number) => number) {
  const pick = (pool: Pool): string =>
    rand(100) < 95 || pool.bad.length === 0
      ? pool.good[rand(pool.good.length)]!
      : pool.bad[rand(pool.bad.length)]!;
  const columns = [
    'to',
    'name',
    'from',
    'fromName',
    'cc',
    'bcc',
    'rEmail',
    'rName',
    'rp',
    'h1',
    'h2',
    'a',
    'b',
  ];
  const col = (column: string): FieldSource => ({ kind: 'column', column });
  const maybe = (column: string, fixed: Pool): FieldSource | undefined => {
    const r = rand(3);
    return r === 0 ? undefined : r === 1 ? col(column) : { kind: 'fixed', value: pick(fixed) };
  };
  const spec: BatchSpec = {
    ...emptyBatchSpec(),
    fields: {
      toEmail: rand(10) ? col('to') : { kind: 'fixed', value: pick(EMAILS) },
      toName: maybe('name', NAMES),
      fromEmail: rand(4) ? { kind: 'fixed', value: pick(FIXED_FROM) } : col('from'),
      fromName: maybe('fromName', NAMES),
      cc: maybe('cc', LISTS),
      bcc: maybe('bcc', LISTS),
      replyToEmail: maybe('rEmail', OPTIONAL_EMAILS),
      replyToName: maybe('rName', NAMES),
      returnPath: maybe('rp', OPTIONAL_EMAILS),
    },
    headers: [
      ...(rand(2)
        ? [
            {
              name: pick(HEADER_NAMES),
              source: rand(2) ? col('h1') : { kind: 'fixed' as const, value: pick(HEADER_VALUES) },
            },
          ]
        : []),
      ...(rand(2) ? [{ name: pick(HEADER_NAMES), source: col('h2') }] : []),
    ],
    subject: pick(SUBJECTS),
    htmlBody: pick(HTMLS),
    textBody: pick(TEXTS),
  };
  const values: Record<string, string> = {
    to: pick(EMAILS),
    name: pick(NAMES),
    from: pick(EMAILS),
    fromName: pick(NAMES),
    cc: pick(LISTS),
    bcc: pick(LISTS),
    rEmail: pick(OPTIONAL_EMAILS),
    rName: pick(NAMES),
    rp: pick(OPTIONAL_EMAILS),
    h1: pick(HEADER_VALUES),
    h2: pick(HEADER_VALUES),
    a: pick(VALUES),
    b: pick(VALUES),
  };
  return { spec, columns, values };
}

describe('compileRowCheck', () => {
  it('never accepts a row messageSchema rejects, and sizes accepted rows exactly', () => {
    const rand = prng(20260101);
    const out: AcceptedRow = { wireBytes: 0, toEmail: '', empty: null };
    let accepted = 0;
    let valid = 0;
    for (let i = 0; i < 6000; i++) {
      const { spec, columns, values } = randomCase(rand);
      const compiled = compileSpec(spec, columns);
      const check = compileRowCheck(compiled);
      const { message, issues } = mergeCompiled(compiled, values);
      const schemaOk =
        messageSchema.safeParse(message).success && !issues.some((x) => x.severity === 'error');
      if (schemaOk) valid++;
      if (!check?.accept(values, out)) continue;
      accepted++;
      expect({ i, schemaOk }).toEqual({ i, schemaOk: true });
      expect({ i, bytes: out.wireBytes }).toEqual({ i, bytes: exactWireBytes(message) });
      expect(out.toEmail).toBe(message.to.email);
      expect(out.empty ?? []).toEqual(
        issues.filter((x) => x.kind === 'empty_variable').map((x) => ({ field: x.field, column: x.column })),
      );
    }
    // Not vacuous: plenty of valid rows, and the pre-check takes most of them.
    expect(valid).toBeGreaterThan(600);
    expect(accepted / valid).toBeGreaterThan(0.75);
  });

  it('declines the whole spec when its fixed parts are invalid', () => {
    const base = {
      ...emptyBatchSpec(),
      fields: {
        toEmail: { kind: 'column' as const, column: 'email' },
        fromEmail: { kind: 'fixed' as const, value: 'news@example.com' },
      },
      subject: 's',
      htmlBody: 'h',
    };
    expect(compileRowCheck(compileSpec(base, ['email']))).not.toBeNull();
    expect(
      compileRowCheck(
        compileSpec({ ...base, fields: { ...base.fields, fromEmail: { kind: 'fixed', value: 'nope' } } }, [
          'email',
        ]),
      ),
    ).toBeNull();
    expect(
      compileRowCheck(
        compileSpec({ ...base, headers: [{ name: 'Campaign', source: { kind: 'fixed', value: 'x' } }] }, [
          'email',
        ]),
      ),
    ).toBeNull();
    expect(
      compileRowCheck(
        compileSpec(
          {
            ...base,
            headers: ['X-A', 'x-a'].map((name) => ({
              name,
              source: { kind: 'column' as const, column: 'email' },
            })),
          },
          ['email'],
        ),
      ),
    ).toBeNull();
  });
});

describe('JSON sizes', () => {
  it('match JSON.stringify in UTF-8 bytes', () => {
    const samples: unknown[] = [
      '',
      'plain',
      '"\\\b\f\n\r\t\u0001\u001f\u007f',
      'Zoë €',
      '😀',
      '\uD83D',
      '\uDE00x',
      { a: [1, true, null, 'x'], 'k"': { b: undefined, c: 'd' } },
      [],
    ];
    for (const s of samples) {
      const expected = new TextEncoder().encode(JSON.stringify(s)).length;
      expect(jsonValueBytes(s)).toBe(expected);
      if (typeof s === 'string') expect(jsonStringBytes(s)).toBe(expected - 2);
    }
  });
});
