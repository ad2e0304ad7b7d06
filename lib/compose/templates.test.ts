import { describe, expect, it } from 'vitest';
import { messageFromTemplate, toTemplateMessage } from '@/lib/compose/templates';
import { messageSchema, type MessageInput } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';
import { templateMessageSchema } from '@/lib/schemas/template';

const message: MessageInput = {
  ...emptyMessage(),
  from: { email: 'news@example.com', name: 'News' },
  to: { email: 'ada@example.com', name: '' },
  cc: [{ email: 'cc@example.com', name: 'Cc' }],
  subject: 'Hello',
  htmlBody: '<p>Hi</p>',
  headers: [{ name: 'X-Campaign', value: 'spring' }],
  attachments: [
    { id: 'a1', kind: 'inline', filename: 'a.txt', contentType: 'text/plain', size: 2, content: 'aGk=' },
  ],
};

describe('templates', () => {
  it('keep everything of a message but its attachments', () => {
    const t = toTemplateMessage(message);
    expect(t).not.toHaveProperty('attachments');
    expect(templateMessageSchema.safeParse(t).success).toBe(true);
    expect(messageFromTemplate(t)).toEqual({ ...message, attachments: [] });
  });

  it('fill the names and header values a stored template may leave out', () => {
    const stored = templateMessageSchema.parse({
      ...toTemplateMessage(message),
      cc: [{ email: 'cc@example.com' }],
      bcc: [{ email: 'bcc@example.com' }],
      headers: [{ name: 'X-Empty' }],
    });
    const m = messageFromTemplate(stored);
    expect(m.cc).toEqual([{ email: 'cc@example.com', name: '' }]);
    expect(m.bcc).toEqual([{ email: 'bcc@example.com', name: '' }]);
    expect(m.headers).toEqual([{ name: 'X-Empty', value: '' }]);
    expect(messageSchema.safeParse(m).success).toBe(true);
  });
});
