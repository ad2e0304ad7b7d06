import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, parseCsv, type CsvRow, type CsvRowList } from '@/lib/mail-merge/csv';
import {
  PackedRowList,
  PackedRowsBuilder,
  readCsvFile,
  transferables,
  unpackCsv,
} from '@/lib/mail-merge/packed-rows';

const all = (rows: CsvRowList): CsvRow[] => Array.from({ length: rows.length }, (_, i) => rows.at(i)!);

/** A Blob that streams its bytes in pieces of `size`, as a browser's file stream does. */
function fileOf(bytes: Uint8Array, size: number): Blob {
  return {
    size: bytes.length,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size));
          controller.close();
        },
      }),
  } as unknown as Blob;
}

async function bothWays(bytes: Uint8Array, options: { maxRows?: number; delimiter?: ';' } = {}) {
  const decoded = decodeCsvBytes(bytes);
  const whole = parseCsv(decoded.text, options);
  if (decoded.problem) whole.problems.unshift(decoded.problem);
  const got = [];
  for (const [size, pieceChars] of [
    [1, 1],
    [3, 5],
    [64, 100],
    [1 << 16, 1 << 20],
  ] as const) {
    const { csv, encoding } = await readCsvFile(fileOf(bytes, size), { ...options, pieceChars });
    expect(encoding).toBe(decoded.encoding);
    const table = unpackCsv(csv);
    got.push({ ...table, rows: all(table.rows) });
  }
  return { whole, got };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

const SAMPLES: [string, string][] = [
  ['plain', 'email,name\nada@example.com,Ada\nbob@example.com,Bob\n'],
  ['CRLF and a BOM', '\uFEFFemail,name\r\nada@example.com,Ada\r\nbob@example.com,Bob'],
  ['quoted line breaks', 'email,note\na@x.io,"one\ntwo\r\nthree"\nb@x.io,"say ""hi"""\n\nc@x.io,x\n'],
  ['blank lines first', '\n\n  \nemail,name\na@x.io,A\n\n\nb@x.io,B\n'],
  ['ragged rows', 'email,name,city\na@x.io\nb@x.io,B,C,D\nc@x.io,C,,\n'],
  ['repeated and empty header names', 'email,Email,,email\na@x.io,b,c,d\n'],
  ['a stray quote', 'email,name\na@x.io,"A"x"\nb@x.io,B\n'],
  ['semicolons, detected', 'email;name;city\na@x.io;Zoë;Köln\nb@x.io;Émile;Paris\n'],
  ['letters outside Latin-1', 'email,name\na@x.io,Łukasz 🎉\nb@x.io,李\nc@x.io,plain\n'],
  ['a column named __proto__', 'email,__proto__\na@x.io,x\n'],
  ['no rows', 'email,name\n\n'],
  ['an empty file', '\n\n'],
  ['too many columns', `${Array.from({ length: 501 }, (_, i) => `c${i}`).join(',')}\nx\n`],
];

describe('readCsvFile', () => {
  it.each(SAMPLES)('gives what parseCsv gives: %s', async (_, text) => {
    const { whole, got } = await bothWays(utf8(text));
    for (const g of got) expect(g).toEqual(whole);
  });

  it('reads a file that is not UTF-8 as Windows-1252, with the warning parseCsv gets', async () => {
    const bytes = new Uint8Array([...utf8('email,name\na@x.io,'), 0xe9, 0x6d, 0x69, 0x6c, 0x65, 0x0a]);
    const { whole, got } = await bothWays(bytes);
    expect(whole.problems[0]?.kind).toBe('encoding');
    expect(got[0]!.rows[0]!.values.name).toBe('émile');
    for (const g of got) expect(g).toEqual(whole);
  });

  it('stops at the row cap with the rows before it and the message parseCsv gives', async () => {
    const text = ['email', ...Array.from({ length: 12 }, (_, i) => `r${i}@x.io`)].join('\n');
    const { whole, got } = await bothWays(utf8(text), { maxRows: 5 });
    expect(whole.rows).toHaveLength(5);
    expect(whole.problems.at(-1)?.kind).toBe('too_many_rows');
    for (const g of got) expect(g).toEqual(whole);
  });

  it('keeps a chosen delimiter and says it was not detected', async () => {
    const { whole, got } = await bothWays(utf8('a;b\n1;2\n'), { delimiter: ';' });
    expect(whole.delimiterDetected).toBe(false);
    for (const g of got) expect(g).toEqual(whole);
  });

  it('reads rows across many blocks, with every line number and value in place', async () => {
    const lines = ['email,name,n'];
    for (let i = 0; i < 40_000; i++)
      lines.push(`r${i}@x.io,${i % 7 ? `Row ${i}` : ''},${i % 3 ? i : '"a\nb"'}`);
    const text = lines.join('\n');
    const whole = parseCsv(text);
    const { csv } = await readCsvFile(fileOf(utf8(text), 4096), { pieceChars: 50_000 });
    const rows = unpackCsv(csv).rows;
    expect(rows.length).toBe(40_000);
    expect(all(rows)).toEqual(whole.rows);
    expect(rows.at(-1)).toEqual(whole.rows.at(-1));
    expect(rows.at(40_000)).toBeUndefined();
  });

  it('hands each block over as it is packed, and says which were read before the file proved not UTF-8', async () => {
    const lines = ['email,name'];
    for (let i = 0; i < 20_000; i++) lines.push(`r${i}@x.io,Name ${i}`);
    const bytes = new Uint8Array([...utf8(lines.join('\n')), ...utf8('\nlast@x.io,'), 0xe9, 0x0a]);
    const blocks: { values: string[]; encoding: string }[] = [];
    const { csv, encoding } = await readCsvFile(fileOf(bytes, 8192), {
      pieceChars: 100_000,
      onBlock: (values, encoding) => blocks.push({ values, encoding }),
    });
    expect(encoding).toBe('windows-1252');
    expect(csv.rows.blocks).toEqual([[], []]);
    expect(blocks.map((b) => b.encoding)).toEqual(['utf-8', 'windows-1252', 'windows-1252']);
    const kept = blocks.filter((b) => b.encoding === encoding);
    const table = unpackCsv({
      ...csv,
      rows: { ...csv.rows, blocks: [0, 1].map((c) => kept.map((b) => b.values[c]!)) },
    });
    const whole = parseCsv(decodeCsvBytes(bytes).text);
    expect(all(table.rows)).toEqual(whole.rows);
    expect(table.rows.at(-1)!.values).toEqual({ email: 'last@x.io', name: 'é' });
  });
});

describe('PackedRowList', () => {
  it('packs the values into a few strings and typed arrays that transfer', () => {
    const builder = new PackedRowsBuilder(['email', 'name']);
    for (let i = 0; i < 20_000; i++)
      builder.add({ line: i + 2, values: { email: `r${i}@x.io`, name: `Name ${i}` } });
    const packed = builder.finish();
    expect(packed.blocks.map((b) => b.length)).toEqual([2, 2]);
    expect(packed.lines.length).toBe(20_000);
    const list = new PackedRowList(packed);
    expect(list.at(16_384)).toEqual({ line: 16_386, values: { email: 'r16384@x.io', name: 'Name 16384' } });
    expect(list.at(0)).toEqual({ line: 2, values: { email: 'r0@x.io', name: 'Name 0' } });
    const csv = {
      columns: packed.columns,
      rows: packed,
      delimiter: ',' as const,
      delimiterDetected: true,
      problems: [],
    };
    expect(transferables(csv)).toHaveLength(3);
  });
});
