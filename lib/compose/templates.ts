import { type MessageInput } from '@/lib/schemas/message';
import { emptyMessage } from '@/lib/schemas/message-values';
import type { TemplateMessage } from '@/lib/schemas/template';

// Templates keep a whole message but its attachments; Compose and the batch wizard both load them.

/** What a template keeps of the message in the form. */
export function toTemplateMessage(m: MessageInput): TemplateMessage {
  const { attachments: _attachments, ...rest } = m;
  return rest;
}

/** A template as a form message: optional names and header values filled in, no attachments. */
export function messageFromTemplate(t: TemplateMessage): MessageInput {
  return {
    ...emptyMessage(),
    ...t,
    cc: t.cc.map((r) => ({ email: r.email, name: r.name ?? '' })),
    bcc: t.bcc.map((r) => ({ email: r.email, name: r.name ?? '' })),
    headers: t.headers.map((h) => ({ name: h.name, value: h.value ?? '' })),
    attachments: [],
  };
}
