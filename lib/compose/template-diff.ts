import type { TemplateMessage } from '@/lib/schemas/template';

const ADDRESS_FIELDS = [
  ['from', 'From'],
  ['to', 'To'],
  ['replyTo', 'Reply-To'],
] as const;
const TEXT_FIELDS = [
  ['returnPath', 'Return-Path'],
  ['subject', 'Subject'],
  ['htmlBody', 'HTML body'],
  ['textBody', 'Text body'],
] as const;

const address = (a: { email?: string; name?: string } | undefined) =>
  a?.email ? (a.name ? `${a.name} <${a.email}>` : a.email) : '(empty)';
const emails = (list: { email?: string }[] | undefined) =>
  new Set((list ?? []).map((r) => (r.email ?? '').trim().toLowerCase()).filter(Boolean));

/**
 * What overwriting a template changed, in words an admin reads in the audit log: recipients added
 * or removed by address ("Bcc added: x@example.com" is how a shared template leaks mail), other
 * fields by name. Empty when nothing changed.
 */
export function templateChanges(before: TemplateMessage, after: TemplateMessage): string[] {
  const changes: string[] = [];
  for (const [key, label] of ADDRESS_FIELDS)
    if (address(before[key]) !== address(after[key]))
      changes.push(`${label}: ${address(before[key])} → ${address(after[key])}`);
  for (const [key, label] of [
    ['cc', 'Cc'],
    ['bcc', 'Bcc'],
  ] as const) {
    const was = emails(before[key]);
    const now = emails(after[key]);
    const added = [...now].filter((e) => !was.has(e));
    const removed = [...was].filter((e) => !now.has(e));
    if (added.length) changes.push(`${label} added: ${added.join(', ')}`);
    if (removed.length) changes.push(`${label} removed: ${removed.join(', ')}`);
  }
  for (const [key, label] of TEXT_FIELDS)
    if ((before[key] ?? '') !== (after[key] ?? '')) changes.push(`${label} changed`);
  const headers = (m: TemplateMessage) =>
    new Map((m.headers ?? []).map((h) => [h.name.toLowerCase(), h.value ?? '']));
  const was = headers(before);
  const now = headers(after);
  for (const [name, value] of now)
    if (!was.has(name)) changes.push(`Header ${name} added`);
    else if (was.get(name) !== value) changes.push(`Header ${name} changed`);
  for (const name of was.keys()) if (!now.has(name)) changes.push(`Header ${name} removed`);
  return changes;
}

/** Who is on a template's envelope, for the audit entry of a new one. */
export function templateRecipients(m: TemplateMessage): string[] {
  return [
    m.to?.email && `To ${m.to.email}`,
    ...[...emails(m.cc)].map((e) => `Cc ${e}`),
    ...[...emails(m.bcc)].map((e) => `Bcc ${e}`),
  ].filter((x): x is string => Boolean(x));
}
