import { describe, expect, it } from 'vitest';
import { checkManualMessages, manualRowsToValues, parseManualJson } from '@/lib/mail-merge/manual-input';

const ok = (to: string) => ({
  from: { email: 'me@example.com' },
  to: { email: to },
  subject: 'Hi',
  html_body: '<p>Hi</p>',
});

describe('parseManualJson', () => {
  it('takes an array or {messages: [...]}', () => {
    expect(parseManualJson(JSON.stringify([ok('a@example.com')]))).toEqual({
      ok: true,
      values: [ok('a@example.com')],
    });
    expect(parseManualJson(JSON.stringify({ messages: [ok('a@example.com')] }))).toEqual({
      ok: true,
      values: [ok('a@example.com')],
    });
  });

  it('names what is wrong with the JSON', () => {
    expect(parseManualJson('')).toMatchObject({ ok: false });
    expect(parseManualJson('[{')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Not valid JSON'),
    });
    expect(parseManualJson('{"messages": [], "extra": 1}')).toMatchObject({
      ok: false,
      message: expect.stringContaining('"extra"'),
    });
    expect(parseManualJson('{"to": "x"}')).toMatchObject({ ok: false });
  });
});

describe('checkManualMessages', () => {
  it('returns wire messages exactly as the schema and toSendPayload make them', () => {
    const result = checkManualMessages([
      { ...ok(' a@example.com '), text_body: 'Hi', custom_headers: { 'X-Tag': 'v' } },
    ]);
    expect(result).toEqual({
      ok: true,
      messages: [
        {
          from: { email: 'me@example.com' },
          to: { email: 'a@example.com' },
          subject: 'Hi',
          html_body: '<p>Hi</p>',
          text_body: 'Hi',
          custom_headers: { 'X-Tag': 'v' },
        },
      ],
    });
  });

  it('reports problems by index and field, and sends nothing when one message is wrong', () => {
    const result = checkManualMessages([
      ok('a@example.com'),
      ok('not-an-address'),
      { ...ok('b@example.com'), subject: '' },
      'text',
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { index: 1, field: 'to.email', message: expect.stringContaining('valid email') },
      { index: 2, field: 'subject', message: 'Enter a subject' },
      { index: 3, field: '', message: expect.stringContaining('JSON object') },
    ]);
  });

  it('keeps uploaded attachment refs and delivery_group, refuses malformed refs, groups and unknown fields', () => {
    const good = checkManualMessages([
      {
        ...ok('a@example.com'),
        attachments: [{ attachment_id: 'att_abc123' }],
        delivery_group: ['dgrp_promo', 'dgrp_eu'],
      },
    ]);
    expect(good).toMatchObject({
      ok: true,
      messages: [
        { attachments: [{ attachment_id: 'att_abc123' }], delivery_group: ['dgrp_promo', 'dgrp_eu'] },
      ],
    });
    const group = checkManualMessages([{ ...ok('a@example.com'), delivery_group: ['promo'] }]);
    expect(group).toMatchObject({ ok: false, problems: [{ index: 0, field: 'deliveryGroup' }] });
    const bad = checkManualMessages([
      { ...ok('a@example.com'), attachments: [{ attachment_id: 'nope' }], colour: 'red' },
    ]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.field)).toContain('attachments.0');
    expect(bad.problems.some((p) => p.message.includes('"colour"'))).toBe(true);
  });

  it('holds 1 to 100 messages', () => {
    expect(checkManualMessages([])).toMatchObject({ ok: false });
    expect(checkManualMessages(Array.from({ length: 101 }, (_, i) => ok(`m${i}@example.com`)))).toMatchObject(
      { ok: false, problems: [{ index: null }] },
    );
    expect(checkManualMessages(Array.from({ length: 100 }, (_, i) => ok(`m${i}@example.com`))).ok).toBe(true);
  });
});

describe('manualRowsToValues', () => {
  it('builds one message per row from one sender', () => {
    expect(
      manualRowsToValues({ email: 'me@example.com', name: 'Me' }, [
        { toEmail: 'a@example.com', toName: '', subject: 'S', html: '<p>x</p>' },
      ]),
    ).toEqual([
      {
        from: { email: 'me@example.com', name: 'Me' },
        to: { email: 'a@example.com' },
        subject: 'S',
        html_body: '<p>x</p>',
      },
    ]);
  });
});
