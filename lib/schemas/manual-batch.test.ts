import { describe, expect, it } from 'vitest';
import { emptyManualRow } from '@/lib/mail-merge/manual-input';
import { manualBatchFormSchema, type ManualBatchForm } from '@/lib/schemas/manual-batch';

const FROM = { email: 'news@example.com', name: 'News' };
const base: ManualBatchForm = {
  idempotencyKey: 'manual-abc',
  profile: 'default',
  mode: 'rows',
  from: FROM,
  rows: [{ toEmail: 'ada@example.com', toName: 'Ada', subject: 'Hi', html: '<p>Hi</p>' }],
  json: '',
};
const issues = (form: ManualBatchForm) => {
  const r = manualBatchFormSchema.safeParse(form);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('manualBatchFormSchema', () => {
  it('turns rows into the send action’s input: wire messages from one sender', () => {
    const r = manualBatchFormSchema.parse(base);
    expect(r.profile).toBe('default');
    expect(r.idempotencyKey).toBe('manual-abc');
    expect(r.messages).toEqual([
      {
        from: { email: 'news@example.com', name: 'News' },
        to: { email: 'ada@example.com', name: 'Ada' },
        subject: 'Hi',
        html_body: '<p>Hi</p>',
      },
    ]);
  });

  it('takes the JSON text, as an array or {"messages": […]}', () => {
    const message = { from: FROM, to: { email: 'bob@example.com' }, subject: 'S', html_body: '<p>x</p>' };
    for (const json of [JSON.stringify([message]), JSON.stringify({ messages: [message, message] })]) {
      const r = manualBatchFormSchema.parse({ ...base, mode: 'json', json });
      expect(r.messages.map((m) => m.to.email)).toContain('bob@example.com');
    }
  });

  it('puts each row’s problem on that row’s input, and the sender’s on the sender', () => {
    expect(
      issues({
        ...base,
        from: { email: 'nope', name: '' },
        rows: [base.rows[0]!, { ...emptyManualRow(), toEmail: 'bad', html: '<p>x</p>' }],
      }),
    ).toEqual([
      ['from.email', 'Enter a valid email address, like name@example.com'],
      ['from.email', 'Enter a valid email address, like name@example.com'],
      ['rows.1.toEmail', 'Enter a valid email address, like name@example.com'],
      ['rows.1.subject', 'Enter a subject'],
    ]);
  });

  it('places JSON problems by message index and field, and unreadable JSON on the text', () => {
    expect(
      issues({
        ...base,
        mode: 'json',
        json: JSON.stringify([{ from: FROM, to: { email: 'nope' }, subject: 'x', html_body: '<p>x</p>' }]),
      }),
    ).toEqual([['json.0.to.email', 'Enter a valid email address, like name@example.com']]);
    expect(issues({ ...base, mode: 'json', json: '{' })[0]![0]).toBe('json');
    expect(issues({ ...base, mode: 'json', json: '[]' })).toEqual([['json', 'Add at least one message']]);
  });

  it('checks the idempotency key first, as the action does', () => {
    expect(issues({ ...base, idempotencyKey: 'has space', rows: [emptyManualRow()] })).toEqual([
      ['idempotencyKey', 'Idempotency keys use printable ASCII without spaces'],
    ]);
  });
});
