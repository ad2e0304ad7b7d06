import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeAuditDetail } from '@/lib/format/audit';
import { tables } from '@/lib/db';
import type { TemplateMessage } from '@/lib/schemas/template';
import { deleteTemplate, listTemplates, saveTemplate } from '@/lib/templates/store';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';

const getDatabase = useTestDatabase();
const ada = { id: 'u-ada', email: 'ada@example.com', name: 'Ada', role: 'sender' as const };
const bob = { id: 'u-bob', email: 'bob@example.com', name: 'Bob', role: 'sender' as const };

const message: TemplateMessage = {
  from: { email: 'news@example.com', name: 'News' },
  to: { email: '{{email}}', name: '' },
  cc: [],
  bcc: [],
  replyTo: { email: '', name: '' },
  returnPath: '',
  subject: 'Hello {{name}}',
  htmlBody: '<p>Hi</p>',
  textBody: '',
  headers: [],
};

async function auditOf(target: string) {
  return getDatabase()
    .db.select()
    .from(tables.auditEvents)
    .where(eq(tables.auditEvents.target, target))
    .orderBy(desc(tables.auditEvents.id));
}

describe(`templates have an owner (${testEngine()})`, () => {
  it('keeps the creator on overwrite, records who changed it, and audits what changed', async () => {
    expect(await saveTemplate('Welcome', message, false, ada)).toEqual({ ok: true });
    const refused = await saveTemplate('Welcome', message, false, bob);
    expect(refused).toMatchObject({ ok: false, error: { code: 'name_taken' } });

    const leaked = { ...message, bcc: [{ email: 'leak@evil.example', name: '' }] };
    expect(await saveTemplate('Welcome', leaked, true, bob)).toEqual({ ok: true });

    const [t] = (await listTemplates()).filter((x) => x.name === 'Welcome');
    expect(t).toMatchObject({ createdBy: 'ada@example.com', updatedBy: 'bob@example.com' });
    expect(t!.message.bcc).toEqual([{ email: 'leak@evil.example', name: '' }]);

    const [changed, created] = await auditOf('Welcome');
    expect(created).toMatchObject({ action: 'template.created', actorEmail: 'ada@example.com' });
    expect(changed).toMatchObject({ action: 'template.changed', actorEmail: 'bob@example.com' });
    expect(describeAuditDetail(changed!.action, changed!.detail)).toBe('Bcc added: leak@evil.example');
  });

  it('audits a delete with who did it', async () => {
    await saveTemplate('Short-lived', message, false, ada);
    const [t] = (await listTemplates()).filter((x) => x.name === 'Short-lived');
    expect(await deleteTemplate(t!.id, bob)).toBe(true);
    const [deleted] = await auditOf('Short-lived');
    expect(deleted).toMatchObject({ action: 'template.deleted', actorEmail: 'bob@example.com' });
  });
});
