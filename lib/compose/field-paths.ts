import type { MessageInput } from '@/lib/schemas/message';

const DIRECT: Record<string, string> = {
  html_body: 'htmlBody',
  text_body: 'textBody',
  return_path: 'returnPath',
  'reply_to.email': 'replyTo.email',
  'reply_to.name': 'replyTo.name',
  reply_to: 'replyTo.email',
  from: 'from.email',
  to: 'to.email',
  subject: 'subject',
  cc: 'cc',
  bcc: 'bcc',
  attachments: 'attachments',
  custom_headers: 'headers',
  delivery_group: 'deliveryGroup',
};

/**
 * Where an upstream field error (a dot path of the wire body, like `cc.3.email`,
 * `custom_headers.X-Campaign` or `html_body`) belongs in the compose form. Unknown paths map to
 * null and are shown in the summary only.
 */
export function formPathForUpstreamField(field: string, message: MessageInput): string | null {
  const path = field.replace(/\[(\d+)\]/g, '.$1').replace(/^body\./, '');
  if (DIRECT[path]) return DIRECT[path];
  if (/^(from|to)\.(email|name)$/.test(path)) return path;
  if (/^(cc|bcc)\.\d+\.(email|name)$/.test(path)) return path;
  if (/^(cc|bcc)\.\d+$/.test(path)) return `${path}.email`;
  const header = /^custom_headers\.(.+)$/.exec(path);
  if (header) {
    const i = message.headers.findIndex((h) => h.name.trim().toLowerCase() === header[1]!.toLowerCase());
    return i >= 0 ? `headers.${i}.name` : 'headers';
  }
  if (/^delivery_group\.\d+$/.test(path)) return 'deliveryGroup';
  const attachment = /^attachments\.(\d+)/.exec(path);
  if (attachment) return `attachments.${attachment[1]}`;
  return null;
}
