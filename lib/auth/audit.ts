import 'server-only';
import { getDb, tables } from '@/lib/db';

export type AuditAction =
  | 'sign_in.success'
  | 'sign_in.failure'
  | 'sign_out'
  | 'setup.admin_created'
  | 'user.bootstrap'
  | 'user.created'
  | 'user.role_changed'
  | 'user.disabled'
  | 'user.enabled'
  | 'sandbox.outbox_cleared'
  | 'template.saved'
  | 'template.deleted'
  | 'batch.started'
  | 'batch.paused'
  | 'batch.resumed'
  | 'batch.cancelled'
  | 'batch.retry_failed';

export async function recordAudit(event: {
  action: AuditAction;
  actor?: { id: string; email: string } | null;
  target?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}): Promise<void> {
  const db = await getDb();
  await db.insert(tables.auditEvents).values({
    action: event.action,
    actorId: event.actor?.id ?? null,
    actorEmail: event.actor?.email ?? null,
    target: event.target ?? null,
    ip: event.ip ?? null,
    detail: event.detail ?? null,
  });
}
