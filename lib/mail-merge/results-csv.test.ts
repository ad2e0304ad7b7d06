import { describe, expect, it } from 'vitest';
import { parseCsv } from '@/lib/mail-merge/csv';
import { chunkIdempotencyKey } from '@/lib/mail-merge/chunking';
import {
  hasResultColumns,
  neutraliseCell,
  parseResultsCsv,
  restoreCell,
  DELIVERY_COLUMNS,
  RESULT_COLUMNS,
  resultsCsv,
  resultsJobId,
  toCsv,
  type ResultRow,
} from '@/lib/mail-merge/results-csv';

describe('CSV injection neutralisation', () => {
  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil")'])(
    'prefixes %j with a quote and quotes the cell',
    (value) => {
      expect(neutraliseCell(value)).toBe(`'${value}`);
      const line = toCsv(['v'], [[value]], { bom: false }).split('\r\n')[1];
      expect(line?.startsWith(`"'`)).toBe(true);
    },
  );

  it.each(['plain', '1', "'quoted", 'a=b', ' =x', ''])('leaves %j alone', (value) => {
    expect(neutraliseCell(value)).toBe(value);
  });

  it('round-trips values that already start with quotes before a dangerous character', () => {
    for (const value of ["'=x", "''+1", '=x', "'plain"])
      expect(restoreCell(neutraliseCell(value))).toBe(value);
  });

  it('neutralises header names too', () => {
    expect(toCsv(['=evil', 'ok'], [], { bom: false })).toBe(`"'=evil",ok\r\n`);
  });

  it('quotes commas, quotes, line breaks and edge spaces; starts with a BOM unless told not to', () => {
    expect(toCsv(['a'], [['x,y'], ['say "hi"'], ['two\nlines'], [' pad']])).toBe(
      '\uFEFFa\r\n"x,y"\r\n"say ""hi"""\r\n"two\nlines"\r\n" pad"\r\n',
    );
  });
});

const columns = ['email', 'name', '=formula', 'status'];
const rows: ResultRow[] = [
  {
    values: { email: 'ada@example.com', name: 'Ada, "the first"', '=formula': '=1+1', status: 'vip' },
    status: 'queued',
    messageId: 'eml_1',
    requestId: 'req_1',
    idempotencyKey: 'job:j:chunk:0:try:1',
  },
  {
    values: { email: 'bob@example.com', name: '-Bob\nline two', '=formula': '@x', status: '' },
    status: 'failed',
    errorCode: 'validation_error',
    errorMessage: '+ bad address',
    requestId: 'req_1',
    idempotencyKey: 'job:j:chunk:0:try:1',
  },
  {
    values: { email: 'carol@example.com', name: 'Carol', '=formula': '', status: 'x' },
    status: 'failed',
    errorCode: 'service_unavailable',
    errorMessage: 'Try later',
    requestId: null,
    idempotencyKey: 'job:j:chunk:1:try:1',
  },
  { values: { email: 'dan@example.com', name: 'Dan', '=formula': '', status: '' }, status: 'pending' },
];

describe('resultsCsv', () => {
  it('has the input columns then the result columns, every cell neutralised', () => {
    const text = resultsCsv(columns, rows);
    const parsed = parseCsv(text);
    expect(parsed.columns).toEqual([
      'email',
      'name',
      "'=formula",
      'status',
      'status_2',
      'message_id',
      'error_code',
      'error_message',
      'request_id',
      'idempotency_key',
      'delivery_status',
      'delivery_detail',
      'delivery_at',
    ]);
    expect(parsed.rows[1]?.values).toMatchObject({
      name: "'-Bob\nline two",
      "'=formula": "'@x",
      status_2: 'failed',
      error_message: "'+ bad address",
    });
    for (const row of parsed.rows)
      for (const v of Object.values(row.values)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('parseResultsCsv', () => {
  it('recognises a results CSV and returns its failed rows with their original input values', () => {
    const parsed = parseResultsCsv(resultsCsv(columns, rows));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.columns).toEqual(columns);
    expect(parsed.counts).toEqual({ queued: 1, failed: 2, pending: 1 });
    expect(parsed.rows.map((r) => [r.status, r.errorCode])).toEqual([
      ['queued', ''],
      ['failed', 'validation_error'],
      ['failed', 'service_unavailable'],
      ['pending', ''],
    ]);
    expect(parsed.failed.columns).toEqual(columns);
    expect(parsed.failed.rows.map((r) => r.values)).toEqual([rows[1]!.values, rows[2]!.values]);
    expect(parsed.failed.rows.map((r) => r.line)).toEqual([3, 5]);
  });

  it('says so when the file is not a results CSV', () => {
    const result = parseResultsCsv('email,name\nada@example.com,Ada\n');
    expect(result.ok).toBe(false);
    expect(parseResultsCsv(['email', ...RESULT_COLUMNS.slice(1)].join(',')).ok).toBe(false);
  });
});

describe('hasResultColumns and resultsJobId', () => {
  it('recognise the columns a results CSV ends with, renamed or not', () => {
    expect(hasResultColumns(['email', ...RESULT_COLUMNS])).toBe(true);
    expect(hasResultColumns(['status', 'email', 'status_2', ...RESULT_COLUMNS.slice(1)])).toBe(true);
    expect(hasResultColumns([...RESULT_COLUMNS])).toBe(true);
    expect(hasResultColumns(['email', ...RESULT_COLUMNS.slice(1)])).toBe(false);
    expect(hasResultColumns(['email', 'name'])).toBe(false);
    expect(hasResultColumns(['email', ...RESULT_COLUMNS, ...DELIVERY_COLUMNS])).toBe(true);
    expect(hasResultColumns(['email', ...RESULT_COLUMNS, 'delivery_status'])).toBe(false);
  });

  it('read results CSVs with and without the delivery columns', () => {
    const withDelivery = resultsCsv(
      ['email'],
      [
        {
          values: { email: 'a@example.com' },
          status: 'queued',
          idempotencyKey: chunkIdempotencyKey('job9', 0, 1),
          deliveryStatus: 'bounced',
          deliveryDetail: 'Permanent bounce (General)',
          deliveryAt: '2026-05-21T09:00:00.000Z',
        },
        { values: { email: 'b@example.com' }, status: 'failed', errorCode: 'validation_error' },
      ],
    );
    const parsedNew = parseResultsCsv(withDelivery);
    if (!parsedNew.ok) throw new Error(parsedNew.message);
    expect(parsedNew.columns).toEqual(['email']);
    expect(parsedNew.failed.rows.map((r) => r.values)).toEqual([{ email: 'b@example.com' }]);
    expect(resultsJobId(parseCsv(withDelivery))).toBe('job9');
    const old =
      ['email', ...RESULT_COLUMNS].join(',') +
      '\r\nc@example.com,failed,,bad_request,,,job:old:chunk:0:try:1\r\n';
    const parsedOld = parseResultsCsv(old);
    if (!parsedOld.ok) throw new Error(parsedOld.message);
    expect(parsedOld.failed.rows.map((r) => r.values)).toEqual([{ email: 'c@example.com' }]);
    expect(resultsJobId(parseCsv(old))).toBe('old');
  });

  it('find the job from the first row carrying a chunk key', () => {
    const text = resultsCsv(
      ['email'],
      [
        { values: { email: 'a@example.com' }, status: 'pending' },
        {
          values: { email: 'b@example.com' },
          status: 'queued',
          idempotencyKey: chunkIdempotencyKey('abc123', 1, 1),
        },
      ],
    );
    expect(resultsJobId(parseCsv(text))).toBe('abc123');
    expect(
      resultsJobId(parseCsv(resultsCsv(['email'], [{ values: { email: 'a@x.io' }, status: 'failed' }]))),
    ).toBeNull();
  });
});
