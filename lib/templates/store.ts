import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '@/lib/auth/audit';
import type { SessionUser } from '@/lib/auth/session';
import { getDb, tables } from '@/lib/db';
import { randomId } from '@/lib/ids';
import type { TemplateMessage } from '@/lib/schemas/template';

export type TemplateSummary = {
  id: string;
  name: string;
  updatedAt: string;
  createdBy: string | null;
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
    message: r.message as TemplateMessage,
  }));
}

/** Saves under `name`, replacing a template of the same name when `overwrite` is set. */
export async function saveTemplate(
  name: string,
  message: TemplateMessage,
  overwrite: boolean,
  user: SessionUser,
) {
  const db = await getDb();
  const [existing] = await db
    .select({ id: tables.templates.id })
    .from(tables.templates)
    .where(eq(tables.templates.name, name))
    .limit(1);
  if (existing && !overwrite)
    return {
      ok: false as const,
      error: {
        code: 'name_taken',
        message: `A template named “${name}” exists. Save again to replace it, or pick another name.`,
      },
    };
  if (existing) {
    await db
      .update(tables.templates)
      .set({ message, updatedAt: new Date(), createdBy: user.email })
      .where(eq(tables.templates.id, existing.id));
  } else {
    await db.insert(tables.templates).values({ id: randomId(), name, message, createdBy: user.email });
  }
  await recordAudit({ action: 'template.saved', actor: user, target: name });
  return { ok: true as const };
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
