// One line that says what an audit event's detail holds, for the audit page and its CSV export.

const SIGN_IN_REASONS: Record<string, string> = {
  bad_password: 'wrong password',
  unknown_account: 'no such account',
  throttled: 'too many attempts (throttled)',
  disabled: 'account disabled',
  busy: 'server busy checking other sign-ins',
};

type Detail = Record<string, unknown> | null | undefined;

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
const plural = (n: unknown, one: string, many = `${one}s`) =>
  typeof n === 'number' ? `${n.toLocaleString('en-US')} ${n === 1 ? one : many}` : null;
const join = (parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' · ');

export function describeAuditDetail(action: string, detail: Detail): string {
  const d = detail ?? {};
  switch (action) {
    case 'sign_in.failure':
      return join([
        SIGN_IN_REASONS[str(d.reason) ?? ''] ?? str(d.reason),
        d.trustedDevice === true && 'from a browser that signed in before',
      ]);
    case 'sign_in.success':
      return d.trustedDevice === true ? 'from a browser that signed in before' : '';
    case 'user.created':
    case 'user.bootstrap':
    case 'setup.admin_created':
      return str(d.role) ? `role ${str(d.role)}` : '';
    case 'user.role_changed':
      return `${str(d.from) ?? '?'} → ${str(d.to) ?? '?'}`;
    case 'compose.send':
      return join([
        str(d.outcome),
        str(d.errorCode),
        typeof d.cc === 'number' && d.cc > 0 && `cc ${d.cc}`,
        typeof d.bcc === 'number' && d.bcc > 0 && `bcc ${d.bcc}`,
        str(d.messageId),
        str(d.requestId),
        str(d.profile) && `profile ${str(d.profile)}`,
      ]);
    case 'batch.manual_send':
      return join([
        plural(d.messages, 'message'),
        typeof d.queued === 'number' && `${d.queued} queued`,
        typeof d.failed === 'number' && d.failed > 0 && `${d.failed} failed`,
        str(d.errorCode),
        str(d.requestId),
        str(d.profile) && `profile ${str(d.profile)}`,
      ]);
    case 'batch.started':
      return join([plural(d.rows, 'row'), str(d.profile) && `profile ${str(d.profile)}`]);
    case 'batch.retry_failed':
      return join([str(d.try) && `try ${str(d.try)}`, plural(d.rows, 'row')]);
    case 'template.changed':
      return Array.isArray(d.changes)
        ? d.changes.length
          ? d.changes.filter((c): c is string => typeof c === 'string').join('; ')
          : 'saved unchanged'
        : '';
    case 'template.created':
      return Array.isArray(d.recipients)
        ? d.recipients.filter((c): c is string => typeof c === 'string').join(', ')
        : '';
    case 'sandbox.outbox_cleared':
      return plural(d.deleted, 'message') ? `${plural(d.deleted, 'message')} deleted` : '';
    default:
      return join(
        Object.entries(d)
          .filter(([, v]) => v !== null && v !== undefined && v !== '')
          .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
      );
  }
}
