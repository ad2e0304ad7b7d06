import { base64Length, utf8Length } from '@/lib/schemas/limits';
import type { MessageInput } from '@/lib/schemas/message';

// A message's empty form and its sizes against Sendmux's limits: plain code beside the zod schema,
// so that pages which only hold or size a message do not load the validator.

export const emptyMessage = (): MessageInput => ({
  from: { email: '', name: '' },
  to: { email: '', name: '' },
  cc: [],
  bcc: [],
  replyTo: { email: '', name: '' },
  returnPath: '',
  subject: '',
  htmlBody: '',
  textBody: '',
  headers: [],
  attachments: [],
  deliveryGroup: '',
});

/** The delivery group ids typed in Compose's one field, separated by commas, spaces or new lines. */
export const deliveryGroupIds = (value: string): string[] => value.split(/[\s,]+/).filter(Boolean);

/** The final message's size: bodies plus every attachment base64-encoded, as it goes on the wire. */
export function estimatedMessageBytes(
  m: Pick<MessageInput, 'htmlBody' | 'textBody' | 'attachments'>,
): number {
  const bodies = utf8Length(m.htmlBody) + utf8Length(m.textBody);
  return (
    bodies +
    m.attachments.reduce((sum, a) => sum + (a.kind === 'inline' ? a.content.length : base64Length(a.size)), 0)
  );
}

/** Bytes of the JSON the browser hands the send action (inline attachments travel in it). */
export function actionPayloadBytes(m: MessageInput): number {
  return utf8Length(JSON.stringify(m));
}
