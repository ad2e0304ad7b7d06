import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryRows, tables } from '@/lib/db';
import { correlatePending, correlationIdle } from '@/lib/delivery/correlate';
import { ingestWebhook, rejectedSignatureCount } from '@/lib/delivery/ingest';
import {
  addressWarnings,
  deliveryStatuses,
  deliveryTimelines,
  messageIdsForEvent,
} from '@/lib/delivery/queries';
import { signBody } from '@/lib/delivery/signature';
import { resetEnvForTests } from '@/lib/env';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';

const SECRET = 'whsec_test_0123456789abcdef';
const handle = useTestDatabase();
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-webhook-'));
  vi.stubEnv('DATA_DIR', dataDir);
  vi.stubEnv('SENDMUX_WEBHOOK_SECRETS', `whsec_rotated_out_00000000,${SECRET}`);
  resetEnvForTests();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await correlationIdle();
  const db = handle().db;
  await db.delete(tables.deliveryEvents);
  await db.delete(tables.deliveryStatus);
  await db.delete(tables.apiRequests);
});

let seq = 0;
const nextId = (prefix: string) => `${prefix}${(++seq).toString().padStart(24, '0')}`;

function event(type: string, data: Record<string, unknown>, occurredAt: string, id = nextId('evt_')) {
  return {
    id,
    type,
    team_public_id: 'team_test',
    occurred_at: occurredAt,
    data: {
      message_id: 'provider-123@mail.example',
      message_id_kind: 'provider',
      sendmux_message_id: null,
      sender: 'team@example.com',
      recipients: ['ada@example.com'],
      mailbox_id: null,
      bounce_type: null,
      bounce_subtype: null,
      complaint_type: null,
      complaint_subtype: null,
      reject_reason: null,
      delay_type: null,
      delay_expires_at: null,
      is_spam: null,
      webhook_id: null,
      ...data,
    },
  };
}

function post(body: object | string, options: { secret?: string | null; attempt?: number } = {}) {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.secret !== null) headers.set('x-sendmux-signature', signBody(options.secret ?? SECRET, raw));
  if (typeof body === 'object' && 'id' in body) headers.set('x-sendmux-event-id', String(body.id));
  if (options.attempt) headers.set('x-sendmux-delivery-attempt', String(options.attempt));
  return ingestWebhook(raw, headers);
}

const eventCount = async () =>
  (await queryRows<{ n: number }>(handle().db, sql`SELECT count(*)::int AS n FROM delivery_events`))[0]!.n;

async function logSend(options: {
  path?: string;
  body: Record<string, unknown>;
  response: Record<string, unknown>;
  recipients: string[];
  messageIds: string[];
  minutesAgo?: number;
}) {
  await handle()
    .db.insert(tables.apiRequests)
    .values({
      createdAt: new Date(Date.now() - (options.minutesAgo ?? 1) * 60_000),
      keyProfile: 'sandbox',
      method: 'POST',
      path: options.path ?? '/emails/send',
      source: options.path ? 'manual_batch' : 'compose',
      status: 200,
      ok: true,
      requestBody: options.body,
      responseBody: options.response,
      recipients: options.recipients,
      messageIds: options.messageIds,
      messageCount: options.messageIds.length,
    });
}

describe(`webhook receiver and correlation (${testEngine()})`, () => {
  it('stores a retried event once, even when the duplicates arrive at the same moment', async () => {
    const e = event('message.delivered', { sendmux_message_id: 'eml_dupe' }, '2026-05-21T09:00:00Z');
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => post(e, { attempt: i + 1 })));
    expect(results.filter((r) => r.kind === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(23);
    expect(await eventCount()).toBe(1);
    await correlationIdle();
    await correlatePending();
    const status = (await deliveryStatuses(['eml_dupe'])).get('eml_dupe');
    expect(status).toMatchObject({ status: 'delivered', eventId: e.id, match: 'id' });
    const [row] = await handle()
      .db.select()
      .from(tables.deliveryStatus)
      .where(eq(tables.deliveryStatus.messageId, 'eml_dupe'));
    expect(row?.eventCount).toBe(1);
  });

  it('refuses a missing or wrong signature: nothing stored, the counter goes up', async () => {
    const before = await rejectedSignatureCount();
    const e = event('message.delivered', { sendmux_message_id: 'eml_forged' }, '2026-05-21T09:00:00Z');
    expect(await post(e, { secret: null })).toEqual({ kind: 'unsigned' });
    expect(await post(e, { secret: 'whsec_attacker_guess_000' })).toEqual({ kind: 'unsigned' });
    expect(await eventCount()).toBe(0);
    expect(await rejectedSignatureCount()).toBe(before + 2);
  });

  it('answers malformed JSON and a non-event with a reason, storing nothing', async () => {
    expect(await post('{"id": "evt_x", ')).toMatchObject({ kind: 'malformed', reason: /not valid JSON/ });
    expect(await post({ id: 'evt_y', type: 'message.delivered' })).toMatchObject({ kind: 'malformed' });
    expect(await post(event('message.received', {}, '2026-05-21T09:00:00Z'))).toMatchObject({
      kind: 'ignored',
    });
    expect(await eventCount()).toBe(0);
  });

  it('links by eml_ id and derives the status in occurred_at order, not arrival order', async () => {
    const id = 'eml_soft';
    const delivered = event('message.delivered', { sendmux_message_id: id }, '2026-05-21T09:10:00Z');
    const delayed = event(
      'message.delivery_delayed',
      { sendmux_message_id: id, delay_type: 'MailboxFull' },
      '2026-05-21T09:00:00Z',
    );
    await post(delivered);
    await correlationIdle();
    await post(delayed);
    await correlationIdle();
    await correlatePending();
    expect((await deliveryStatuses([id])).get(id)).toMatchObject({
      status: 'delivered',
      eventId: delivered.id,
    });
    const timeline = (await deliveryTimelines([id])).get(id) ?? [];
    expect(timeline.map((t) => t.type)).toEqual(['message.delivery_delayed', 'message.delivered']);
    expect(await messageIdsForEvent(delayed.id)).toEqual([id]);
    expect(await messageIdsForEvent('provider-123@mail.example')).toEqual([id]);
  });

  it('links by recipient, sender and time when Sendmux has no eml_ id: single sends and batch messages', async () => {
    await logSend({
      body: {
        from: { email: 'team@example.com' },
        to: { email: 'ada@example.com' },
        subject: 's',
        html_body: 'x',
      },
      response: { ok: true, data: { message_id: 'eml_single', status: 'queued' } },
      recipients: ['ada@example.com'],
      messageIds: ['eml_single'],
    });
    await logSend({
      path: '/emails/send/batch',
      body: {
        messages: [
          { from: { email: 'team@example.com' }, to: { email: 'bob@example.com' } },
          {
            from: { email: 'team@example.com' },
            to: { email: 'cy@example.com' },
            cc: [{ email: 'dee@example.com' }],
          },
        ],
      },
      response: {
        ok: true,
        data: {
          results: [
            { index: 0, message_id: 'eml_b0', status: 'queued' },
            { index: 1, message_id: 'eml_b1', status: 'queued' },
          ],
        },
      },
      recipients: ['bob@example.com', 'cy@example.com', 'dee@example.com'],
      messageIds: ['eml_b0', 'eml_b1'],
    });
    const now = new Date().toISOString();
    const bounce = event(
      'message.bounced',
      { recipients: ['Ada@Example.com'], bounce_type: 'Permanent', bounce_subtype: 'General' },
      now,
    );
    const complaint = event(
      'message.complained',
      { recipients: ['dee@example.com'], complaint_type: 'abuse' },
      now,
    );
    const otherSender = event(
      'message.delivered',
      { recipients: ['bob@example.com'], sender: 'someone@else.example' },
      now,
    );
    for (const e of [bounce, complaint, otherSender]) await post(e);
    await correlationIdle();
    await correlatePending();
    const statuses = await deliveryStatuses(['eml_single', 'eml_b0', 'eml_b1']);
    expect(statuses.get('eml_single')).toMatchObject({
      status: 'bounced',
      match: 'address',
      detail: 'Permanent bounce (General)',
    });
    expect(statuses.get('eml_b1')).toMatchObject({ status: 'complained', match: 'address' });
    // A different envelope sender is not the console's send.
    expect(statuses.has('eml_b0')).toBe(false);
    const [unmatched] = await handle()
      .db.select()
      .from(tables.deliveryEvents)
      .where(eq(tables.deliveryEvents.eventId, otherSender.id));
    expect(unmatched).toMatchObject({ match: 'none', messageId: null });
    expect(await addressWarnings(['ADA@example.com', 'dee@example.com', 'bob@example.com'])).toEqual([
      expect.objectContaining({ address: 'ada@example.com', kind: 'bounced', eventId: bounce.id }),
      expect.objectContaining({ address: 'dee@example.com', kind: 'complained', eventId: complaint.id }),
    ]);
  });

  it('links batch rows by eml_ id', async () => {
    const db = handle().db;
    await db.insert(tables.batchJobs).values({
      id: 'job_delivery',
      name: 'd',
      status: 'done',
      keyProfile: 'sandbox',
      totalRows: 2,
      columns: ['email'],
      spec: {},
    });
    await db.insert(tables.batchRows).values(
      [0, 1].map((rowNo) => ({
        jobId: 'job_delivery',
        rowNo,
        csvLine: rowNo + 2,
        input: {},
        message: {},
        toEmail: `r${rowNo}@example.com`,
        status: 'queued' as const,
        messageId: `eml_row${rowNo}`,
      })),
    );
    await post(
      event(
        'message.rejected',
        { sendmux_message_id: 'eml_row1', reject_reason: 'Bad content' },
        '2026-05-21T09:00:00Z',
      ),
    );
    await correlationIdle();
    await correlatePending();
    const rows = await queryRows<{ row_no: number; status: string | null; detail: string | null }>(
      db,
      sql`SELECT r.row_no, s.status, s.detail FROM batch_rows r LEFT JOIN delivery_status s ON s.message_id = r.message_id
          WHERE r.job_id = 'job_delivery' ORDER BY r.row_no`,
    );
    expect(rows).toEqual([
      { row_no: 0, status: null, detail: null },
      { row_no: 1, status: 'rejected', detail: 'Rejected: Bad content' },
    ]);
  });
});
