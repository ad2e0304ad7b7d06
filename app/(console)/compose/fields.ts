// Ids and human labels for every compose field path, shared by the inputs, the error summary
// and the mapping of upstream errors onto fields.

export function fieldId(path: string): string {
  const cc = /^(cc|bcc)\.(\d+)(\.(email|name))?$/.exec(path);
  if (cc) return `field-${cc[1]}-${cc[2]}`;
  const att = /^attachments\.(\d+)/.exec(path);
  if (att) return `field-attachments-${att[1]}`;
  return `field-${path.replace(/\./g, '-')}`;
}

const LABELS: Record<string, string> = {
  'from.email': 'From email',
  'from.name': 'From name',
  'to.email': 'To email',
  'to.name': 'To name',
  cc: 'Cc',
  bcc: 'Bcc',
  'replyTo.email': 'Reply-To email',
  'replyTo.name': 'Reply-To name',
  returnPath: 'Return-Path',
  subject: 'Subject',
  htmlBody: 'HTML body',
  textBody: 'Text body',
  headers: 'Custom headers',
  attachments: 'Attachments',
  deliveryGroup: 'Delivery group',
  profile: 'Key profile',
  idempotencyKey: 'Idempotency key',
};

export function fieldLabel(path: string): string {
  if (LABELS[path]) return LABELS[path];
  const cc = /^(cc|bcc)\.(\d+)/.exec(path);
  if (cc) return `${cc[1] === 'cc' ? 'Cc' : 'Bcc'} recipient ${Number(cc[2]) + 1}`;
  const header = /^headers\.(\d+)\.(name|value)$/.exec(path);
  if (header) return `Header ${Number(header[1]) + 1} ${header[2]}`;
  const att = /^attachments\.(\d+)/.exec(path);
  if (att) return `Attachment ${Number(att[1]) + 1}`;
  return path;
}
