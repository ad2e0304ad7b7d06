import { describe, expect, it } from 'vitest';
import { toSendPayload } from '@/lib/compose/payload';
import { parseCsv } from '@/lib/mail-merge/csv';
import { emptyBatchSpec, type BatchSpec } from '@/lib/mail-merge/mapping';
import { mergeRow } from '@/lib/mail-merge/merge';
import {
  errorsCsv,
  formatRowProblem,
  preflight,
  sendableRows,
  type PreflightResult,
} from '@/lib/mail-merge/preflight';

const spec = (over: Partial<BatchSpec> = {}): BatchSpec => ({
  ...emptyBatchSpec(),
  fields: {
    toEmail: { kind: 'column', column: 'email' },
    toName: { kind: 'column', column: 'name' },
    fromEmail: { kind: 'fixed', value: 'news@example.com' },
    fromName: { kind: 'fixed', value: 'News' },
  },
  subject: 'Hello {{name|there}}',
  htmlBody: '<p>Hi {{name}}, see you in {{city}}</p>',
  textBody: 'Hi {{name}}',
  ...over,
});

const csv = (rows: string[]) => parseCsv(['email,name,city', ...rows].join('\n'));
const emails = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `user${from + i}@example.com,User ${from + i},Paris`);

function bothWays(parsed: ReturnType<typeof csv>, s: BatchSpec): PreflightResult {
  const fast = preflight(parsed, s);
  const slow = preflight(parsed, s, { validation: 'schema' });
  // The pre-check is an optimisation only: both routes must agree on everything they report.
  expect({ ...fast.plan, validation: 'x' }).toEqual({ ...slow.plan, validation: 'x' });
  expect(fast.rows.map(({ message: _m, ...r }) => r)).toEqual(slow.rows.map(({ message: _m, ...r }) => r));
  expect(fast.problems).toEqual(slow.problems);
  return fast;
}

describe('preflight', () => {
  it('reports an invalid address with its CSV line, field and column', () => {
    const parsed = csv([
      'ada@example.com,Ada,London',
      '"bad, ""quoted""\naddress",Bob,Paris',
      'carol@example.com,Carol,Rome',
    ]);
    const result = bothWays(parsed, spec());
    const bad = result.rows.find((r) => r.status === 'invalid');
    expect(bad?.line).toBe(3);
    expect(bad?.errors).toEqual([
      {
        field: 'to.email',
        kind: 'invalid',
        column: 'email',
        message: 'Enter a valid email address, like name@example.com',
      },
    ]);
    expect(formatRowProblem(bad!.errors[0]!)).toBe(
      'to.email: Enter a valid email address, like name@example.com',
    );
    expect(bad?.message?.to.email).toBe('bad, "quoted"\naddress');
    expect(result.rows.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(result.plan).toMatchObject({ rows: 3, valid: 2, invalid: 1, messages: 2, requests: 1 });
    expect(result.ready).toBe(false);
  });

  it('reports every schema error of a row, e.g. a name too long and a subject with a line break', () => {
    const result = bothWays(
      csv([`ada@example.com,${'x'.repeat(101)},"Lon\ndon"`]),
      spec({ subject: 'Trip to {{city}}' }),
    );
    expect(result.rows[0]?.errors.map((e) => [e.field, e.column])).toEqual([
      ['to.name', 'name'],
      ['subject', undefined],
    ]);
  });

  it('flags every later row with the same To address (case-insensitively) with the first line', () => {
    const result = bothWays(
      csv([
        'ada@example.com,Ada,x',
        'bob@example.com,Bob,x',
        'ADA@example.com ,Ada again,x',
        'ada@example.com,Ada thrice,x',
      ]),
      spec(),
    );
    expect(result.rows.map((r) => r.duplicateOfLine)).toEqual([null, null, 2, 2]);
    expect(result.rows[3]?.warnings).toEqual([
      expect.objectContaining({
        kind: 'duplicate',
        field: 'to.email',
        column: 'email',
        message: expect.stringContaining('line 2'),
      }),
    ]);
    expect(result.plan).toMatchObject({ duplicates: 2, valid: 4, withWarnings: 2 });
  });

  it('skips excluded rows: not validated, not counted, not the first of a duplicate', () => {
    const parsed = csv(['ada@example.com,Ada,x', 'not-an-email,Bob,x', 'ada@example.com,Ada,x']);
    const result = bothWays(parsed, spec({ excludedLines: [2, 3, 99] }));
    expect(result.rows.map((r) => [r.line, r.status, r.errors.length, r.duplicateOfLine])).toEqual([
      [2, 'excluded', 0, null],
      [3, 'excluded', 0, null],
      [4, 'valid', 0, null],
    ]);
    expect(result.plan).toMatchObject({ excluded: 2, valid: 1, invalid: 0, messages: 1, requests: 1 });
    expect(result.ready).toBe(true);
  });

  it('plans N messages in ceil(N / 100) requests, with the exact wire size', () => {
    const parsed = csv([...emails(247), 'bad,x,y', ...emails(3, 247)]);
    const s = spec({ excludedLines: [100] });
    const result = bothWays(parsed, s);
    expect(result.plan).toMatchObject({
      rows: 251,
      valid: 249,
      invalid: 1,
      excluded: 1,
      messages: 249,
      requests: 3,
      requestSize: 100,
    });
    let total = 0;
    for (const r of result.rows) {
      if (r.status !== 'valid') continue;
      const bytes = new TextEncoder().encode(
        JSON.stringify(toSendPayload(mergeRow(parsed.rows[r.index]!, s, parsed.columns).message)),
      ).length;
      expect(r.wireBytes).toBe(bytes);
      total += bytes;
    }
    expect(result.plan.totalBytes).toBe(total);
    expect(result.plan.largestRequestBytes).toBeGreaterThan(total / 3);
    expect(result.plan.validation).toBe('fast');
  });

  it.each([
    [0, 0],
    [1, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])('%i valid rows need %i requests', (n, requests) => {
    expect(preflight(csv(emails(n)), spec()).plan.requests).toBe(requests);
  });

  it('warns about empty variables per row and counts those rows', () => {
    const result = bothWays(
      csv(['ada@example.com,Ada,', 'bob@example.com,,Paris', 'carol@example.com,Carol,Rome']),
      spec(),
    );
    expect(result.rows.map((r) => r.warnings.map((w) => `${w.field}:${w.column}`))).toEqual([
      ['htmlBody:city'],
      ['htmlBody:name', 'textBody:name'],
      [],
    ]);
    expect(result.plan).toMatchObject({ withEmptyVariables: 2, withWarnings: 2, valid: 3 });
  });

  it('turns CSV row problems into row errors and warnings on the right line', () => {
    const parsed = csv([
      'ada@example.com,Ada',
      'bob@example.com,Bob,Paris,extra',
      'carol@example.com,Carol,Rome',
    ]);
    const result = bothWays(parsed, spec());
    expect(
      result.rows.map((r) => [r.line, r.status, r.errors.map((e) => e.field), r.warnings.map((w) => w.kind)]),
    ).toEqual([
      [2, 'valid', [], ['csv', 'empty_variable']],
      [3, 'invalid', ['csv'], []],
      [4, 'valid', [], []],
    ]);
  });

  it('reports problems with the spec once, not on every row', () => {
    const parsed = csv(emails(3));
    const result = bothWays(
      parsed,
      spec({
        fields: {
          toEmail: { kind: 'column', column: 'email' },
          toName: { kind: 'column', column: 'gone' },
          fromEmail: { kind: 'fixed', value: 'news@example.com' },
        },
        subject: 'Hi {{frist_name}} {{nick|friend}}',
        htmlBody: '<p>{{name</p>',
        attachments: [
          {
            attachmentId: 'att_1',
            filename: 'a.pdf',
            contentType: 'application/pdf',
            size: 10,
            expiresAt: '2000-01-01T00:00:00Z',
            profile: 'marketing',
          },
        ],
      }),
    );
    expect(result.problems.map((p) => [p.kind, p.severity, p.field])).toEqual([
      ['missing_column', 'error', undefined],
      ['unknown_variable', 'error', 'subject'],
      ['unknown_variable', 'warning', 'subject'],
      ['template_syntax', 'warning', 'htmlBody'],
      ['attachment_expired', 'error', 'attachments'],
    ]);
    expect(result.ready).toBe(false);
    expect(
      preflight(
        parsed,
        spec({
          attachments: [
            {
              attachmentId: 'att_1',
              filename: 'a.pdf',
              contentType: 'application/pdf',
              size: 10,
              expiresAt: '2999-01-01T00:00:00Z',
              profile: 'marketing',
            },
          ],
        }),
        { profile: 'default' },
      ).problems.map((p) => p.kind),
    ).toEqual(['attachment_profile']);
  });

  it('needs a To column, and something to send', () => {
    const result = preflight(csv(emails(2)), spec({ fields: {} }));
    expect(result.problems.map((p) => p.kind)).toContain('missing_column');
    expect(result.problems.map((p) => p.kind)).toContain('nothing_to_send');
    expect(result.plan.validation).toBe('schema');
  });

  it('keeps merged messages only when asked (invalid rows always keep theirs)', () => {
    const parsed = csv(['ada@example.com,Ada,x', 'bad,Bob,x']);
    expect(preflight(parsed, spec()).rows.map((r) => r.message?.to.email ?? null)).toEqual([null, 'bad']);
    const kept = preflight(parsed, spec(), { keepMessages: true }).rows;
    expect(kept[0]?.message).toEqual(mergeRow(parsed.rows[0]!, spec(), parsed.columns).message);
  });

  it('validates uploaded attachments and fixed Cc lists the same way on both routes', () => {
    const s = spec({
      fields: {
        ...spec().fields,
        cc: { kind: 'fixed', value: 'Boss <boss@example.com>' },
        bcc: { kind: 'column', column: 'city' },
      },
      attachments: [
        {
          attachmentId: 'att_1',
          filename: 'a.pdf',
          contentType: 'application/pdf',
          size: 10,
          expiresAt: '2999-01-01T00:00:00Z',
          profile: 'default',
        },
      ],
    });
    const result = bothWays(
      csv(['ada@example.com,Ada,x@example.com; y@example.com', 'bob@example.com,Bob,Paris Office']),
      s,
    );
    expect(result.rows.map((r) => r.status)).toEqual(['valid', 'invalid']);
    expect(result.rows[1]?.errors).toEqual([
      expect.objectContaining({ field: 'bcc', kind: 'unparseable_recipient', column: 'city' }),
    ]);
  });
});

describe('errorsCsv', () => {
  it('lists each problem with line, To, field and message, neutralising formulas', () => {
    const parsed = csv(['@SUM(1+1),Ada,x', 'ok@example.com,,Paris']);
    const result = preflight(parsed, spec());
    const text = errorsCsv(result);
    expect(text.startsWith('\uFEFFline,to,field,message,severity,column\r\n')).toBe(true);
    expect(text).toContain(
      `2,"'@SUM(1+1)",to.email,"Enter a valid email address, like name@example.com",error,email\r\n`,
    );
    expect(text).not.toContain('textBody');
    expect(errorsCsv(result, { includeWarnings: true })).toContain(
      '3,ok@example.com,textBody,{{name}} is empty on this row and has no fallback,warning,name\r\n',
    );
  });
});

describe('sendableRows', () => {
  it('gives the valid rows in file order as wire JSON with their line and input', () => {
    const parsed = csv(['ada@example.com,Ada,London', 'bad,Bob,x', 'carol@example.com,Carol,Rome']);
    const s = spec({ excludedLines: [4] });
    const rows = sendableRows(parsed, s, preflight(parsed, s));
    expect(rows).toEqual([
      {
        csvLine: 2,
        input: { email: 'ada@example.com', name: 'Ada', city: 'London' },
        message: {
          from: { email: 'news@example.com', name: 'News' },
          to: { email: 'ada@example.com', name: 'Ada' },
          subject: 'Hello Ada',
          html_body: '<p>Hi Ada, see you in London</p>',
          text_body: 'Hi Ada',
        },
      },
    ]);
  });
});
