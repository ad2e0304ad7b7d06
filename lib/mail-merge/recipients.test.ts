import { describe, expect, it } from 'vitest';
import { formatRecipientList, parseRecipientList } from '@/lib/mail-merge/recipients';

describe('parseRecipientList', () => {
  it('reads Name <email>, quoted names with commas, bare emails, and , ; newline separators', () => {
    const list = parseRecipientList(
      'Ada <ada@x.com>, "Lovelace, Ada" <ada@y.com>;bob@y.com\ncarol@z.com\r\n<dan@z.com>',
    );
    expect(list.invalid).toEqual([]);
    expect(list.entries).toEqual([
      { email: 'ada@x.com', name: 'Ada' },
      { email: 'ada@y.com', name: 'Lovelace, Ada' },
      { email: 'bob@y.com', name: '' },
      { email: 'carol@z.com', name: '' },
      { email: 'dan@z.com', name: '' },
    ]);
  });

  it('unescapes quoted names and ignores empty pieces', () => {
    expect(parseRecipientList(' , "Ada \\"the first\\" L" <ada@x.com> ;; ').entries).toEqual([
      { email: 'ada@x.com', name: 'Ada "the first" L' },
    ]);
    expect(parseRecipientList('  ')).toEqual({ entries: [], invalid: [] });
  });

  it('joins Outlook-style unquoted "Last, First <email>"', () => {
    expect(parseRecipientList('Lovelace, Ada <ada@x.com>, bob@y.com').entries).toEqual([
      { email: 'ada@x.com', name: 'Lovelace, Ada' },
      { email: 'bob@y.com', name: '' },
    ]);
  });

  it('returns fragments it cannot read, and leaves address validity to the schema', () => {
    const list = parseRecipientList('Ada Lovelace, Bob <bob@y.com, <>, carol@z.com extra, not-an-email');
    expect(list.invalid).toEqual(['Ada Lovelace', 'Bob <bob@y.com', '<>', 'carol@z.com extra']);
    expect(list.entries).toEqual([{ email: 'not-an-email', name: '' }]);
  });

  it('rejects text after the closing bracket', () => {
    expect(parseRecipientList('Ada <ada@x.com> trailing').invalid).toEqual(['Ada <ada@x.com> trailing']);
  });

  it('formats a list that reads back the same', () => {
    const entries = [
      { email: 'ada@x.com', name: 'Lovelace, Ada' },
      { email: 'bob@y.com', name: '' },
      { email: 'c@z.com', name: 'Say "hi"' },
      { email: 'd@z.com', name: 'Dan' },
    ];
    const text = formatRecipientList(entries);
    expect(text).toBe('"Lovelace, Ada" <ada@x.com>, bob@y.com, "Say \\"hi\\"" <c@z.com>, Dan <d@z.com>');
    expect(parseRecipientList(text)).toEqual({ entries, invalid: [] });
  });
});
