import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '@/lib/auth/audit';
import type { SessionUser } from '@/lib/auth/session';
import { getDb, tables } from '@/lib/db';
import { randomId } from '@/lib/ids';
import { templateChanges, templateRecipients } from '@/lib/compose/template-diff';
import type { TemplateMessage } from '@/lib/schemas/template';

export type TemplateSummary = {
  id: string;
  name: string;
  updatedAt: string;
  createdBy: string | null;
  /** Who last overwrote it; null while it is as its creator saved it. */
  updatedBy: string | null;
  message: TemplateMessage;
};

export async function listTemplates(): Promise<TemplateSummary[]> {
  const db = await getDb();
  const rows = await db.select().from(tables.templates).orderBy(asc(tables.templates.name));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    updatedAt: r.updatedAt.toISOString(),
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    message: r.message as TemplateMessage,
  }));
}

/**
 * Saves under `name`, replacing a template of the same name when `overwrite` is set. The creator
 * stays the owner; an overwrite records who changed it and, in the audit log, what changed (a Bcc
 * quietly added to a shared template is a leak an admin must be able to see).
 */
export async function saveTemplate(
  name: string,
  message: TemplateMessage,
  overwrite: boolean,
  user: SessionUser,
) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: tables.templates.id, message: tables.templates.message })
      .from(tables.templates)
      .where(eq(tables.templates.name, name))
      .limit(1)
      .for('update');
    if (existing && !overwrite)
      return {
        ok: false as const,
        error: {
          code: 'name_taken',
          message: `A template named “${name}” exists. Save again to replace it, or pick another name.`,
        },
      };
    if (existing) {
      await tx
        .update(tables.templates)
        .set({ message, updatedAt: new Date(), updatedBy: user.email })
        .where(eq(tables.templates.id, existing.id));
      const changes = templateChanges(existing.message as TemplateMessage, message);
      await recordAudit({ action: 'template.changed', actor: user, target: name, detail: { changes } }, tx);
    } else {
      await tx.insert(tables.templates).values({ id: randomId(), name, message, createdBy: user.email });
      await recordAudit(
        {
          action: 'template.created',
          actor: user,
          target: name,
          detail: { recipients: templateRecipients(message) },
        },
        tx,
      );
    }
    return { ok: true as const };
  });
}

export async function deleteTemplate(id: string, user: SessionUser) {
  const db = await getDb();
  const deleted = await db
    .delete(tables.templates)
    .where(eq(tables.templates.id, id))
    .returning({ name: tables.templates.name });
  if (deleted[0]) await recordAudit({ action: 'template.deleted', actor: user, target: deleted[0].name });
  return deleted.length > 0;
}
