import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryRows, tables } from '@/lib/db';
import { correlatePending, correlationIdle } from '@/lib/delivery/correlate';
import { ingestWebhook } from '@/lib/delivery/ingest';
import { deliveryStatuses } from '@/lib/delivery/queries';
import { resetEnvForTests } from '@/lib/env';
import { MANAGEMENT_OPENAPI_PATH, loadOpenApi } from '@/lib/testing/openapi';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { sandboxClient, TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';
import {
  dispatchDue,
  POST_CONCURRENCY,
  queueTestEvent,
  type WebhookDeliveryRow,
} from '@/lib/sandbox/webhooks';

const handle = useTestDatabase();
const { call } = sandboxClient();
const send = (json: unknown) => call('POST', '/emails/send', { json });
const contract = loadOpenApi(MANAGEMENT_OPENAPI_PATH);

type Received = { headers: http.IncomingHttpHeaders; body: string; answered: number };
const received: Received[] = [];
let failNext = 0;
let server: http.Server;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-sandbox-webhooks-'));
  // The console's receiver behind a real HTTP server: the sandbox posts over the network to it.
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const reply = (status: number) => {
        received.push({ headers: req.headers, body: raw.toString('utf8'), answered: status });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      };
      if (failNext > 0) {
        failNext -= 1;
        return reply(503);
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      void ingestWebhook(raw, headers).then((r) =>
        reply(r.kind === 'unsigned' ? 401 : r.kind === 'malformed' ? 400 : 200),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vi.stubEnv('SANDBOX_API_KEY', TEST_SANDBOX_KEY);
  vi.stubEnv('DATA_DIR', dataDir);
  vi.stubEnv('PORT', String((server.address() as AddressInfo).port));
  resetEnvForTests();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.unstubAllEnvs();
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  received.length = 0;
  failNext = 0;
});

/** Makes every queued post due (keeping their order) and posts them, as the timer would a second or so later. */
async function postAllDue() {
  await handle().db.execute(
    sql`UPDATE sandbox_webhook_deliveries SET due_at = due_at - interval '1 hour' WHERE state = 'pending'`,
  );
  return dispatchDue();
}
const deliveriesOf = (messageId: string) =>
  queryRows<WebhookDeliveryRow & { event_id: string; state: string; attempts: number; last_status: number }>(
    handle().db,
    sql`SELECT * FROM sandbox_webhook_deliveries WHERE message_id = ${messageId} ORDER BY due_at, id`,
  );

const message = (to: string) => ({
  from: { email: 'sandbox@sendmux.test' },
  to: { email: to },
  subject: 'Delivery scenario',
  html_body: '<p>x</p>',
});

describe(`sandbox delivery events (${testEngine()})`, () => {
  it('posts signed events for every scenario; the receiver stores each once and derives the status', async () => {
    const cases = {
      'ada@example.com': 'delivered',
      'bounce+row-1@example.com': 'bounced',
      'softbounce+row-2@example.com': 'delivered',
      'complaint+row-3@example.com': 'complained',
      'reject+row-4@example.com': 'rejected',
      'dupe-events+row-5@example.com': 'delivered',
    } as const;
    const ids: Record<string, string> = {};
    for (const to of Object.keys(cases)) {
      const reply = await send(message(to));
      expect(reply.status).toBe(200);
      ids[to] = reply.body.data!.message_id!;
    }
    expect(await postAllDue()).toBe(1 + 1 + 2 + 2 + 1 + 4);
    expect(received.every((r) => r.answered === 200)).toBe(true);

    for (const r of received) {
      const body = JSON.parse(r.body) as { id: string; type: string };
      expect(r.headers['x-sendmux-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(r.headers['x-sendmux-event-id']).toBe(body.id);
      expect(r.headers['x-sendmux-event-type']).toBe(body.type);
      expect(r.headers['x-sendmux-delivery-attempt']).toBe('1');
      if ('validator' in contract)
        expect(contract.validator.component('WebhookEventPayload', body)).toEqual([]);
    }
    // dupe-events: the delivery is posted before the earlier delay, and each twice.
    const dupeTypes = received
      .map((r) => JSON.parse(r.body) as { type: string; data: { sendmux_message_id: string } })
      .filter((b) => b.data.sendmux_message_id === ids['dupe-events+row-5@example.com'])
      .map((b) => b.type);
    expect(dupeTypes).toEqual([
      'message.delivered',
      'message.delivery_delayed',
      'message.delivered',
      'message.delivery_delayed',
    ]);
    const stored = await queryRows<{ n: number }>(
      handle().db,
      sql`SELECT count(*)::int AS n FROM delivery_events WHERE sendmux_message_id = ${ids['dupe-events+row-5@example.com']}`,
    );
    expect(stored[0]!.n).toBe(2);

    await correlationIdle();
    await correlatePending();
    const statuses = await deliveryStatuses(Object.values(ids));
    for (const [to, status] of Object.entries(cases)) expect(statuses.get(ids[to]!)?.status, to).toBe(status);
    expect(statuses.get(ids['bounce+row-1@example.com']!)?.detail).toBe('Permanent bounce (General)');
  });

  it('retries a non-2xx answer with the same event id and records attempts, status and latency', async () => {
    const reply = await send(message('retry-me@example.com'));
    const id = reply.body.data!.message_id!;
    failNext = 1;
    await postAllDue();
    let [row] = await deliveriesOf(id);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_status: 503 });
    await postAllDue();
    [row] = await deliveriesOf(id);
    expect(row).toMatchObject({ state: 'delivered', attempts: 2, last_status: 200 });
    expect(received.map((r) => r.headers['x-sendmux-delivery-attempt'])).toEqual(['1', '2']);
    expect(new Set(received.map((r) => r.headers['x-sendmux-event-id'])).size).toBe(1);
    expect(received[0]!.body).toBe(received[1]!.body);
  });

  it('takes turns between requests: a single send’s event is not queued behind a big batch accepted first', async () => {
    const batch = await call('POST', '/emails/send/batch', {
      json: { messages: Array.from({ length: 40 }, (_, i) => message(`fair-batch-${i}@example.com`)) },
    });
    expect(batch.status).toBe(200);
    const single = (await send(message('fair-single@example.com'))).body.data!.message_id!;
    expect(await postAllDue()).toBe(41);
    const order = received.map(
      (r) => (JSON.parse(r.body) as { data: { sendmux_message_id: string } }).data.sendmux_message_id,
    );
    // Due order would post it 41st; in turns it is among the first wave of parallel posts.
    expect(order.indexOf(single)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(single)).toBeLessThan(POST_CONCURRENCY);
  });

  it('"Send test event" posts sendmux.test with empty recipients and the webhook id', async () => {
    const eventId = await queueTestEvent();
    await postAllDue();
    const body = JSON.parse(received.at(-1)!.body) as {
      id: string;
      type: string;
      data: { recipients: string[]; webhook_id: string };
    };
    expect(body).toMatchObject({ id: eventId, type: 'sendmux.test', data: { recipients: [] } });
    expect(body.data.webhook_id).toMatch(/^whk_/);
    if ('validator' in contract)
      expect(contract.validator.component('WebhookEventPayload', body)).toEqual([]);
    const [row] = await handle()
      .db.select()
      .from(tables.deliveryEvents)
      .where(sql`event_id = ${eventId}`);
    expect(row?.type).toBe('sendmux.test');
  });
});
