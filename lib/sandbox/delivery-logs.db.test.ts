import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvForTests, SANDBOX_MANAGEMENT_PATH } from '@/lib/env';
import { MANAGEMENT_OPENAPI_PATH, loadOpenApi } from '@/lib/testing/openapi';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { handleManagementRequest, logIdOf } from '@/lib/sandbox/delivery-logs';
import { getSandboxManagementKey } from '@/lib/sandbox/key';
import { sandboxClient, TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';

useTestDatabase();
const { call } = sandboxClient();
const contract = loadOpenApi(MANAGEMENT_OPENAPI_PATH);
let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-sandbox-logs-'));
  vi.stubEnv('SANDBOX_API_KEY', TEST_SANDBOX_KEY);
  vi.stubEnv('DATA_DIR', dataDir);
  resetEnvForTests();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Answer = { status: number; body: Record<string, unknown> & { data?: unknown }; headers: Headers };
const answered: { path: string; status: number; body: unknown }[] = [];

async function get(
  apiPath: string,
  options: { key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers = new Headers(options.headers);
  const key = options.key === undefined ? getSandboxManagementKey() : options.key;
  if (key) headers.set('authorization', `Bearer ${key}`);
  const res = await handleManagementRequest(
    new Request(`http://sandbox.test${SANDBOX_MANAGEMENT_PATH}${apiPath}`, { headers }),
  );
  const text = await res.text();
  const body = (text ? JSON.parse(text) : undefined) as Answer['body'];
  answered.push({ path: apiPath.split('?')[0]!, status: res.status, body });
  return { status: res.status, body, headers: res.headers };
}

const send = (to: string, cc: string[] = []) =>
  call('POST', '/emails/send', {
    json: {
      from: { email: 'sandbox@sendmux.test' },
      to: { email: to },
      cc: cc.map((email) => ({ email })),
      subject: `Logs ${to}`,
      html_body: '<p>x</p>',
    },
  });

describe(`sandbox delivery logs (${testEngine()})`, () => {
  it('lists and details logs from the outbox, with per-recipient outcomes, ETag and pagination', async () => {
    const ok = (await send('logs-ada@example.com', ['reject+cc@example.com'])).body.data!.message_id!;
    const rejected = (await send('reject+logs@example.com')).body.data!.message_id!;
    await send('logs-bob@example.com');

    const all = await get('/emails/logs?limit=2');
    expect(all.status).toBe(200);
    expect(all.body.pagination).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const next = await get(
      `/emails/logs?limit=2&cursor=${(all.body.pagination as { next_cursor: string }).next_cursor}`,
    );
    expect((next.body.data as unknown[]).length).toBeGreaterThan(0);

    const search = await get('/emails/logs?search=reject%2Blogs@example.com');
    expect(search.body.data).toEqual([
      expect.objectContaining({
        id: logIdOf(rejected),
        status: 'rejected',
        status_reason: expect.stringMatching(/Bad content/),
      }),
    ]);
    const onlyRejected = await get('/emails/logs?status=rejected');
    expect((onlyRejected.body.data as { id: string }[]).map((d) => d.id)).toContain(logIdOf(rejected));

    const detail = await get(`/emails/logs/${logIdOf(ok)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.data).toMatchObject({
      status: 'sent',
      recipient_count: 2,
      rejected_recipient_count: 1,
      recipients: [
        { email: 'logs-ada@example.com', type: 'to', status: 'accepted', reason: null },
        {
          email: 'reject+cc@example.com',
          type: 'cc',
          status: 'rejected',
          reason: expect.stringMatching(/Bad content/),
        },
      ],
    });
    const etag = detail.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
    const again = await get(`/emails/logs/${logIdOf(ok)}`, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('answers errors in the management envelope: 401 without or with a wrong key, 403 for a sending key, 404, 400', async () => {
    expect((await get('/emails/logs', { key: null })).status).toBe(401);
    expect((await get('/emails/logs', { key: 'smx_root_not_the_key_000000' })).status).toBe(401);
    const sending = await get('/emails/logs', { key: TEST_SANDBOX_KEY });
    expect(sending.status).toBe(403);
    expect(sending.body).toMatchObject({ ok: false, error: { code: 'insufficient_permissions' } });
    expect((await get('/emails/logs/dlog_000000000000000000000000')).status).toBe(404);
    expect((await get('/emails/logs?limit=500')).status).toBe(400);
  });

  it.skipIf('skip' in contract)('every answer above validates against the management subset spec', () => {
    if (!('validator' in contract)) return;
    expect(answered.length).toBeGreaterThan(8);
    for (const a of answered) {
      if (a.status === 304) continue;
      const template = a.path.startsWith('/emails/logs/') ? '/emails/logs/x' : '/emails/logs';
      // 400 is not documented for these operations; its body must still be an ApiError.
      const problems =
        a.status === 400
          ? contract.validator.component('ApiError', a.body)
          : contract.validator.response('GET', template, a.status, a.body);
      expect(problems, `${a.path} ${a.status}`).toEqual([]);
    }
  });
});
