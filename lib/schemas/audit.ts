import { z } from 'zod';
import { CURSOR_PATTERN, LOCAL_TIME, urlText } from '@/lib/schemas/url-params';

/**
 * Every action the audit log records, with the label people read. An action missing here (one a
 * newer console wrote, say) is still shown, under a label made from its name.
 */
export const AUDIT_ACTIONS = {
  'sign_in.success': 'Signed in',
  'sign_in.failure': 'Sign-in refused',
  sign_out: 'Signed out',
  'setup.admin_created': 'First admin created (setup link)',
  'user.bootstrap': 'First admin created (ADMIN_EMAIL)',
  'user.created': 'User created',
  'user.role_changed': 'Role changed',
  'user.disabled': 'User disabled',
  'user.enabled': 'User enabled',
  'template.created': 'Template created',
  'template.changed': 'Template changed',
  'template.saved': 'Template saved',
  'template.deleted': 'Template deleted',
  'compose.send': 'Email sent from Compose',
  'batch.manual_send': 'Manual batch sent',
  'batch.started': 'Batch started',
  'batch.paused': 'Batch paused',
  'batch.resumed': 'Batch resumed',
  'batch.cancelled': 'Batch cancelled',
  'batch.retry_failed': 'Batch: failed rows retried',
  'sandbox.outbox_cleared': 'Sandbox outbox cleared',
  'webhook.signature_rejected': 'Webhook signature rejected',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function auditActionLabel(action: string): string {
  if (action in AUDIT_ACTIONS) return AUDIT_ACTIONS[action as AuditAction];
  const words = action.replace(/[._]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : action;
}

/** The audit page's filters as they live in the URL (/settings/audit?action=user.role_changed). */
export const auditSearchSchema = z.object({
  actor: urlText(254),
  action: urlText(64, /^[a-z0-9_.]+$/),
  from: urlText(19, LOCAL_TIME),
  to: urlText(19, LOCAL_TIME),
  before: urlText(60, CURSOR_PATTERN),
});

export type AuditSearchParams = z.infer<typeof auditSearchSchema>;

export const AUDIT_FILTER_KEYS = ['actor', 'action', 'from', 'to'] as const;

export function auditSearchQuery(params: AuditSearchParams): string {
  const sp = new URLSearchParams();
  for (const key of [...AUDIT_FILTER_KEYS, 'before'] as const) {
    const value = params[key];
    if (value) sp.set(key, value);
  }
  return sp.toString();
}

export function auditSearchHref(params: AuditSearchParams): string {
  const qs = auditSearchQuery(params);
  return qs ? `/settings/audit?${qs}` : '/settings/audit';
}
