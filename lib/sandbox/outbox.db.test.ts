import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sandboxAttachments } from '@/lib/db/schema';
import { resetEnvForTests } from '@/lib/env';
import { loadOpenApi } from '@/lib/testing/openapi';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import {
  clearOutbox,
  getOutboxAttachmentContent,
  getOutboxMessage,
  listOutbox,
  outboxCount,
} from '@/lib/sandbox/outbox';
import { contractProblems, sandboxClient, TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';

const getDatabase = useTestDatabase();
const { call, recorded } = sandboxClient();
const openapi = loadOpenApi();

const msg = (to: string, subject: string, extra: Record<string, unknown> = {}) => ({
  from: { email: 'noreply@sendmux.test' },
  to: { email: to },
  subject,
  html_body: '<p>Hi</p>',
  ...extra,
});

beforeAll(() => {
  vi.stubEnv('SANDBOX_API_KEY', TEST_SANDBOX_KEY);
  resetEnvForTests();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe(`sandbox outbox library (${testEngine()})`, () => {
  const ids: string[] = [];

  it('starts empty', async () => {
    expect(await outboxCount()).toBe(0);
    expect(await listOutbox({ limit: 10 })).toEqual([]);
  });

  it('lists newest first with summaries, pages by seq, and searches to and subject', async () => {
    const single = await call('POST', '/emails/send', {
      json: msg('alice@example.com', 'Invoice 100% ready', {
        attachments: [
          { filename: 'invoice.pdf', content: 'JVBERi0xLjQK' },
          { filename: 'notes.txt', content: 'aGVsbG8gd29ybGQ=', type: 'text/plain; charset=utf-8' },
        ],
      }),
      headers: { 'Idempotency-Key': 'outbox-1' },
    });
    ids.push(single.body.data?.message_id ?? '');
    const batch = await call('POST', '/emails/send/batch', {
      json: { messages: [msg('bob@example.com', 'Welcome'), msg('carol@example.com', 'Welcome back')] },
    });
    ids.push(...(batch.body.data?.results ?? []).map((r) => r.message_id ?? ''));
    expect(await outboxCount()).toBe(3);

    const all = await listOutbox({ limit: 10 });
    expect(all.map((m) => m.toEmail)).toEqual(['carol@example.com', 'bob@example.com', 'alice@example.com']);
    expect(all[2]).toEqual({
      id: ids[0],
      seq: expect.any(Number),
      createdAt: expect.any(Date),
      requestId: single.body.meta.request_id,
      idempotencyKey: 'outbox-1',
      endpoint: '/emails/send',
      batchIndex: null,
      fromEmail: 'noreply@sendmux.test',
      toEmail: 'alice@example.com',
      subject: 'Invoice 100% ready',
      attachmentCount: 2,
    });
    expect(all[0]).toMatchObject({ batchIndex: 1, endpoint: '/emails/send/batch', attachmentCount: 0 });

    const firstPage = await listOutbox({ limit: 2 });
    const nextPage = await listOutbox({ limit: 2, before: firstPage.at(-1)?.seq });
    expect([...firstPage, ...nextPage].map((m) => m.id)).toEqual(all.map((m) => m.id));

    expect((await listOutbox({ limit: 10, q: 'welcome' })).map((m) => m.toEmail)).toEqual([
      'carol@example.com',
      'bob@example.com',
    ]);
    expect((await listOutbox({ limit: 10, q: 'BOB@' })).map((m) => m.toEmail)).toEqual(['bob@example.com']);
    // LIKE wildcards in the search are literal characters.
    expect((await listOutbox({ limit: 10, q: '100%' })).map((m) => m.toEmail)).toEqual(['alice@example.com']);
    expect(await listOutbox({ limit: 10, q: '%' })).toHaveLength(1);
    expect((await listOutbox({ limit: 10, q: single.body.meta.request_id })).map((m) => m.id)).toEqual([
      ids[0],
    ]);
  });

  it('gives a message in full with its inline attachments described, and their bytes', async () => {
    const detail = await getOutboxMessage(ids[0] ?? '');
    expect(detail?.message).toMatchObject({
      subject: 'Invoice 100% ready',
      to: { email: 'alice@example.com' },
    });
    expect(detail?.attachments).toEqual([
      {
        index: 0,
        source: 'inline',
        filename: 'invoice.pdf',
        contentType: 'application/pdf',
        sizeBytes: 9,
        available: true,
      },
      {
        index: 1,
        source: 'inline',
        filename: 'notes.txt',
        contentType: 'text/plain; charset=utf-8',
        sizeBytes: 11,
        available: true,
      },
    ]);
    const notes = await getOutboxAttachmentContent(ids[0] ?? '', 1);
    expect(notes?.filename).toBe('notes.txt');
    expect(Buffer.from(notes?.bytes ?? []).toString()).toBe('hello world');
    expect(await getOutboxAttachmentContent(ids[0] ?? '', 2)).toBeNull();
    expect(await getOutboxMessage('eml_000000000000000000000000')).toBeNull();
  });

  it('shows an uploaded attachment that is gone as unavailable', async () => {
    const res = await call('POST', '/emails/attachments?filename=gone.pdf', { raw: '%PDF' });
    const id = res.body.data?.attachment_id ?? '';
    const sent = await call('POST', '/emails/send', {
      json: msg('dave@example.com', 'Gone', { attachments: [{ attachment_id: id }] }),
    });
    const messageId = sent.body.data?.message_id ?? '';
    expect((await getOutboxMessage(messageId))?.attachments[0]).toMatchObject({
      available: true,
      filename: 'gone.pdf',
      sizeBytes: 4,
    });
    expect(Buffer.from((await getOutboxAttachmentContent(messageId, 0))?.bytes ?? []).toString()).toBe(
      '%PDF',
    );
    await getDatabase().db.delete(sandboxAttachments).where(eq(sandboxAttachments.id, id));
    expect((await getOutboxMessage(messageId))?.attachments).toEqual([
      {
        index: 0,
        source: 'uploaded',
        attachmentId: id,
        filename: id,
        contentType: 'application/octet-stream',
        sizeBytes: null,
        available: false,
      },
    ]);
    expect(await getOutboxAttachmentContent(messageId, 0)).toBeNull();
    await clearOutbox();
    expect(await getOutboxMessage(messageId)).toBeNull();
  });

  it('clears the outbox', async () => {
    await call('POST', '/emails/send', { json: msg('erin@example.com', 'One more') });
    expect(await outboxCount()).toBe(1);
    expect(await clearOutbox()).toBe(1);
    expect(await outboxCount()).toBe(0);
  });

  it.skipIf('skip' in openapi)('every Sending API response above matches the OpenAPI document', () => {
    if ('skip' in openapi) return;
    expect(recorded.length).toBeGreaterThan(4);
    expect(contractProblems(openapi.validator, recorded)).toEqual({ problems: [], gaps: [] });
  });
});
