import { describe, expect, it } from 'vitest';
import { emptyMessage } from '@/lib/schemas/message-values';
import { formPathForUpstreamField } from '@/lib/compose/field-paths';

const message = {
  ...emptyMessage(),
  headers: [
    { name: 'X-One', value: '1' },
    { name: 'X-Campaign', value: 'spring' },
  ],
};

describe('upstream field paths onto the form', () => {
  it.each([
    ['to.email', 'to.email'],
    ['from.name', 'from.name'],
    ['cc.3.email', 'cc.3.email'],
    ['bcc.0', 'bcc.0.email'],
    ['cc[2].email', 'cc.2.email'],
    ['html_body', 'htmlBody'],
    ['text_body', 'textBody'],
    ['return_path', 'returnPath'],
    ['delivery_group', 'deliveryGroup'],
    ['delivery_group[1]', 'deliveryGroup'],
    ['reply_to.email', 'replyTo.email'],
    ['subject', 'subject'],
    ['custom_headers.x-campaign', 'headers.1.name'],
    ['custom_headers.X-Unknown', 'headers'],
    ['attachments.2.filename', 'attachments.2'],
    ['attachments.0', 'attachments.0'],
  ])('%s → %s', (field, expected) => {
    expect(formPathForUpstreamField(field, message)).toBe(expected);
  });

  it('returns null for paths the form has no field for', () => {
    expect(formPathForUpstreamField('messages.4.to.email', message)).toBeNull();
  });
});
