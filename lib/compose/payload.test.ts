import { describe, expect, it } from 'vitest';
import { type MessageInput } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';
import {
  elideAttachmentContent,
  fromSendPayload,
  restoreAttachmentContent,
  toSendPayload,
} from '@/lib/compose/payload';

const full: MessageInput = {
  from: { email: 'sender@example.com', name: 'Sender' },
  to: { email: 'ada@example.com', name: '' },
  cc: [
    { email: 'bob@example.com', name: 'Bob' },
    { email: 'carol@example.com', name: '' },
  ],
  bcc: [{ email: 'audit@example.com', name: '' }],
  replyTo: { email: 'reply@example.com', name: '' },
  returnPath: 'bounce@example.com',
  subject: 'Hello [DP_NAME]',
  htmlBody: '<p>Hi [DP_NAME]</p>',
  textBody: 'Hi [DP_NAME]',
  headers: [
    { name: 'X-Campaign', value: 'spring' },
    { name: 'X-Ref', value: '42' },
  ],
  attachments: [
    {
      id: 'a1',
      kind: 'inline',
      filename: 'notes.txt',
      contentType: 'text/plain',
      size: 11,
      content: Buffer.from('hello world').toString('base64'),
    },
    {
      id: 'a2',
      kind: 'uploaded',
      filename: 'big.pdf',
      contentType: 'application/pdf',
      size: 2_000_000,
      attachmentId: 'att_abc123',
      expiresAt: '2026-12-01T00:00:00Z',
      profile: 'default',
    },
  ],
  deliveryGroup: 'dgrp_main, dgrp_backup-1',
};

describe('payload ↔ form', () => {
  it('builds the wire payload: snake_case, one to, headers as a map, refs by id, no empty fields', () => {
    expect(toSendPayload(full)).toEqual({
      from: { email: 'sender@example.com', name: 'Sender' },
      to: { email: 'ada@example.com' },
      subject: 'Hello [DP_NAME]',
      html_body: '<p>Hi [DP_NAME]</p>',
      text_body: 'Hi [DP_NAME]',
      cc: [{ email: 'bob@example.com', name: 'Bob' }, { email: 'carol@example.com' }],
      bcc: [{ email: 'audit@example.com' }],
      reply_to: { email: 'reply@example.com' },
      return_path: 'bounce@example.com',
      custom_headers: { 'X-Campaign': 'spring', 'X-Ref': '42' },
      attachments: [
        { filename: 'notes.txt', content: 'aGVsbG8gd29ybGQ=', type: 'text/plain' },
        { attachment_id: 'att_abc123' },
      ],
      delivery_group: ['dgrp_main', 'dgrp_backup-1'],
    });
    expect(toSendPayload({ ...full, deliveryGroup: ' dgrp_main ' }).delivery_group).toBe('dgrp_main');
    const minimal = toSendPayload({
      ...emptyMessage(),
      from: { email: 'a@b.co', name: '' },
      to: { email: 'c@d.co', name: '' },
      subject: 's',
      htmlBody: 'h',
    });
    expect(Object.keys(minimal)).toEqual(['from', 'to', 'subject', 'html_body']);
  });

  it('round-trips: form → payload → form gives the same message', () => {
    const back = fromSendPayload(JSON.parse(JSON.stringify(toSendPayload(full))), full);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.message).toEqual(full);
  });

  it('round-trips through the abbreviated display form', () => {
    const shown = JSON.parse(JSON.stringify(elideAttachmentContent(toSendPayload(full))));
    expect(JSON.stringify(shown)).not.toContain('aGVsbG8gd29ybGQ=');
    expect(JSON.stringify(shown)).toContain('<base64 of notes.txt — 16 characters, sent in full>');
    const back = fromSendPayload(restoreAttachmentContent(shown, full), full);
    expect(back.ok && back.message).toEqual(full);
  });

  it('applies edits made in the JSON to the form', () => {
    const edited = {
      ...toSendPayload(full),
      subject: 'Edited',
      to: { email: 'zoe@example.com', name: 'Zoe' },
    };
    const back = fromSendPayload(edited, full);
    expect(back.ok && back.message.subject).toBe('Edited');
    expect(back.ok && back.message.to).toEqual({ email: 'zoe@example.com', name: 'Zoe' });
  });

  it('reads delivery_group as one id or a list', () => {
    const one = fromSendPayload({ ...toSendPayload(full), delivery_group: 'dgrp_eu' }, full);
    expect(one.ok && one.message.deliveryGroup).toBe('dgrp_eu');
    const bad = fromSendPayload({ ...toSendPayload(full), delivery_group: 7 }, full);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems).toEqual(['delivery_group must be one id ("dgrp_main") or a list of ids']);
  });

  it('explains what cannot be applied', () => {
    expect(fromSendPayload('nope')).toEqual({ ok: false, problems: ['The payload must be a JSON object'] });
    const r = fromSendPayload(
      { ...toSendPayload(full), idempotency_key: 'k', colour: 'red', to: [{ email: 'a@b.co' }] },
      full,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.join('\n')).toMatch(/Idempotency-Key header/);
      expect(r.problems.join('\n')).toMatch(/Unknown field "colour"/);
      expect(r.problems.join('\n')).toMatch(/to must be one address object/);
    }
  });

  it('reports attachments whose content is not in the payload (redacted log bodies) instead of inventing them', () => {
    const redacted = {
      ...toSendPayload(full),
      attachments: [{ filename: 'notes.txt', size_bytes: 11 }, { attachment_id: 'att_unknown' }],
    };
    const r = fromSendPayload(redacted);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.message.attachments).toEqual([]);
      expect(r.notes.join('\n')).toMatch(
        /notes.txt: its content is not in this payload; attach the file again/,
      );
      expect(r.notes.join('\n')).toMatch(/att_unknown/);
    }
  });
});
