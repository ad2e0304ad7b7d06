import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '@/lib/db';
import { lookUpDeliveryLog } from '@/lib/delivery/logs-lookup';
import { resetEnvForTests, SANDBOX_API_PATH, SANDBOX_MANAGEMENT_PATH } from '@/lib/env';
import { MANAGEMENT_OPENAPI_PATH, loadOpenApi } from '@/lib/testing/openapi';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { handleManagementRequest } from '@/lib/sandbox/delivery-logs';
import { handleSandboxRequest } from '@/lib/sandbox/handler';
import { getSandboxManagementKey } from '@/lib/sandbox/key';
import { TEST_SANDBOX_KEY } from '@/lib/sandbox/test-client';
import {
  describeManagementTarget,
  getDeliveryLog,
  listDeliveryLogs,
  managementTarget,
} from '@/lib/sendmux/management';
import { sendEmail } from '@/lib/sendmux/operations';

// The management client over real HTTP against the sandbox's management API, served by a plain
// node:http server on the port the console's env names (so the sandbox treats it as its own).

const database = useTestDatabase();
const contract = loadOpenApi(MANAGEMENT_OPENAPI_PATH);
const MANAGEMENT_KEY = 'smx_root_mgmt_test_key_7f3a9c2e1b0d4e5f';
let server: http.Server;
/** The same sandbox on a second port: a management URL that is not "this console's own". */
let elsewhere: http.Server;
let port = 0;
let otherPort = 0;
let dataDir: string;
const seenAuth: string[] = [];
/** The request_id of every management answer, in the order they were sent. */
const answeredIds: (string | null)[] = [];

function configure(env: Record<string, string>) {
  vi.unstubAllEnvs();
  vi.stubEnv('DATA_DIR', dataDir);
  vi.stubEnv('PORT', String(port));
  vi.stubEnv('SANDBOX_API_KEY', TEST_SANDBOX_KEY);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  resetEnvForTests();
}
const own = () => `http://127.0.0.1:${port}`;
const configured = (key = MANAGEMENT_KEY) =>
  configure({
    SENDMUX_API_KEY: TEST_SANDBOX_KEY,
    SENDMUX_API_URL: `${own()}${SANDBOX_API_PATH}`,
    SENDMUX_MANAGEMENT_KEY: key,
    SENDMUX_MANAGEMENT_API_URL: `${own()}${SANDBOX_MANAGEMENT_PATH}`,
  });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-management-'));
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      if (req.url?.startsWith(SANDBOX_MANAGEMENT_PATH)) seenAuth.push(headers.get('authorization') ?? '');
      const request = new Request(`${own()}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
      });
      const handler = req.url?.startsWith(SANDBOX_MANAGEMENT_PATH)
        ? handleManagementRequest
        : handleSandboxRequest;
      void handler(request).then(async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        if (req.url?.startsWith(SANDBOX_MANAGEMENT_PATH))
          answeredIds.push(
            body.length
              ? ((JSON.parse(body.toString('utf8')) as { meta?: { request_id?: string } }).meta?.request_id ??
                  null)
              : null,
          );
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(body);
      });
    });
  };
  server = http.createServer(serve);
  elsewhere = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  otherPort = (elsewhere.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of [server, elsewhere]) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  vi.unstubAllEnvs();
  resetEnvForTests();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  seenAuth.length = 0;
  answeredIds.length = 0;
});

const context = { source: 'compose' as const, userEmail: 'support@example.com' };
async function send(to: string, cc: string[] = [], subject = `Logs ${to}`) {
  const sent = await sendEmail(
    'default',
    {
      from: { email: 'sandbox@sendmux.test' },
      to: { email: to },
      ...(cc.length ? { cc: cc.map((email) => ({ email })) } : {}),
      subject,
      html_body: '<p>x</p>',
    },
    { context },
  );
  if (!sent.ok) throw new Error(`send failed: ${sent.error.code} ${sent.error.message}`);
  return { messageId: sent.data.messageId, logId: sent.logId };
}

describe(`Sendmux management client: delivery logs (${testEngine()})`, () => {
  it('lists, details and matches logs with the configured key; answers validate against the subset spec', async () => {
    configured();
    expect(managementTarget()?.source).toBe('configured');
    expect(describeManagementTarget()).toEqual({
      baseUrl: `${own()}${SANDBOX_MANAGEMENT_PATH}`,
      maskedKey: 'smx_root_…4e5f',
      source: 'configured',
    });
    const ok = await send('logs-ada@example.com', ['reject+cc@example.com']);
    await send('logs-ada@example.com', [], 'Another subject to the same address');
    const rejected = await send('reject+logs@example.com');

    const list = await listDeliveryLogs({ search: 'logs-ada@example.com', limit: 10 });
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.requestId).toMatch(/^req_/);
    expect(list.data.logs).toHaveLength(2);
    expect(list.data.hasMore).toBe(false);
    if ('validator' in contract)
      for (const item of list.data.logs)
        expect(contract.validator.component('DeliveryLogItem', item)).toEqual([]);
    expect(seenAuth.every((a) => a === `Bearer ${MANAGEMENT_KEY}`)).toBe(true);

    const lookup = await lookUpDeliveryLog(ok.logId, ok.messageId, { role: 'support' });
    expect(lookup).toMatchObject({ ok: true, data: { found: true, candidates: 2 } });
    if (!lookup?.ok || !lookup.data.found) return;
    expect(lookup.data.matchedBy).toBe('recipient, subject and time');
    expect(lookup.data.log).toMatchObject({
      to_email: 'logs-ada@example.com',
      subject: 'Logs logs-ada@example.com',
    });
    expect(lookup.data.log.recipients).toEqual([
      { email: 'logs-ada@example.com', type: 'to', status: 'accepted', reason: null },
      {
        email: 'reject+cc@example.com',
        type: 'cc',
        status: 'rejected',
        reason: expect.stringMatching(/Bad content/),
      },
    ]);
    if ('validator' in contract)
      expect(contract.validator.component('DeliveryLogDetail', lookup.data.log)).toEqual([]);

    const bad = await lookUpDeliveryLog(rejected.logId, rejected.messageId, { role: 'sender' });
    expect(bad).toMatchObject({
      ok: true,
      data: { found: true, log: { status: 'rejected', status_reason: expect.stringMatching(/Bad content/) } },
    });
    // Another entry's message id is not in this entry: nothing is looked up.
    expect(await lookUpDeliveryLog(ok.logId, rejected.messageId, { role: 'admin' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('sends the ETag back and reads a 304 for an unchanged log', async () => {
    configured();
    const { logId, messageId } = await send('etag@example.com');
    const lookup = await lookUpDeliveryLog(logId, messageId, { role: 'support' });
    if (!lookup?.ok || !lookup.data.found) throw new Error('no log found');
    const first = await getDeliveryLog(lookup.data.log.id);
    expect(first.ok && first.etag).toMatch(/^W\/"/);
    const again = await getDeliveryLog(lookup.data.log.id, first.ok ? first.etag : undefined);
    expect(again).toMatchObject({ ok: true, status: 304 });
  });

  it('explains a refused key with code, status and request_id, and never repeats the key', async () => {
    // Served from another port, the sandbox does not take the configured key as its own: a key
    // the management API does not know.
    const wrong = 'smx_root_wrong_key_for_management_0000';
    configure({
      SENDMUX_MANAGEMENT_KEY: wrong,
      SENDMUX_MANAGEMENT_API_URL: `http://127.0.0.1:${otherPort}${SANDBOX_MANAGEMENT_PATH}`,
    });
    const list = await listDeliveryLogs({ search: 'anyone@example.com' });
    expect(list).toMatchObject({
      ok: false,
      status: 401,
      error: { code: 'authentication_required' },
      requestId: expect.stringMatching(/^req_/),
    });
    expect(JSON.stringify(list)).not.toContain(wrong);
    const missing = await getDeliveryLog('dlog_000000000000000000000000');
    expect(missing.ok).toBe(false);
  });

  it('reads a missing log as not_found and an unreachable API as a network error', async () => {
    configured();
    const missing = await getDeliveryLog('dlog_000000000000000000000000');
    expect(missing).toMatchObject({ ok: false, status: 404, error: { code: 'not_found' } });
    configure({
      SENDMUX_API_KEY: TEST_SANDBOX_KEY,
      SENDMUX_MANAGEMENT_KEY: MANAGEMENT_KEY,
      // A port nothing listens on.
      SENDMUX_MANAGEMENT_API_URL: 'http://127.0.0.1:9/api/v1',
    });
    const down = await listDeliveryLogs({});
    expect(down).toMatchObject({
      ok: false,
      status: null,
      error: { code: 'network_error', retryable: true },
    });
    expect(JSON.stringify(down)).not.toContain(MANAGEMENT_KEY);
  });

  it('uses the sandbox’s own key in sandbox mode, and is off in live mode without a management key', async () => {
    configure({});
    expect(managementTarget()).toMatchObject({
      baseUrl: `${own()}${SANDBOX_MANAGEMENT_PATH}`,
      source: 'sandbox',
    });
    const list = await listDeliveryLogs({ limit: 1 });
    expect(list.ok).toBe(true);
    expect(seenAuth.at(-1)).toMatch(/^Bearer smx_root_sbx/);

    configure({ SENDMUX_API_KEY: 'smx_mbx_live_key_not_the_sandbox_0000' });
    expect(managementTarget()).toBeUndefined();
    expect(await listDeliveryLogs({})).toMatchObject({ ok: false, error: { code: 'not_configured' } });
  });
});

type LoggedRow = {
  id: number;
  method: string;
  path: string;
  source: string;
  key_profile: string;
  user_id: string | null;
  user_email: string | null;
  status: number | null;
  ok: boolean | null;
  error_code: string | null;
  error_message: string | null;
  request_id: string | null;
  duration_ms: number | null;
  completed: boolean;
  response_body: unknown;
  message_ids: string[];
  recipients: string[];
  /** The whole row as the database serialises it. */
  whole: string;
};

/** The delivery-logs entries written after entry `after`, oldest first. */
async function loggedSince(after: number): Promise<LoggedRow[]> {
  const rows = await queryRows<LoggedRow & { id: number | string }>(
    database().db,
    sql`SELECT a.id, a.method, a.path, a.source, a.key_profile, a.user_id, a.user_email, a.status, a.ok, a.error_code,
          a.error_message, a.request_id, a.duration_ms, a.completed_at IS NOT NULL AS completed, a.response_body,
          a.message_ids, a.recipients, row_to_json(a)::text AS whole
        FROM api_requests a WHERE a.id > ${after} AND a.source = 'delivery_logs' ORDER BY a.id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
async function lastId(): Promise<number> {
  const [row] = await queryRows<{ id: number | string | null }>(
    database().db,
    sql`SELECT max(id) AS id FROM api_requests`,
  );
  return Number(row?.id ?? 0);
}

describe(`Sendmux management client: the request log (${testEngine()})`, () => {
  const support = { role: 'support' as const, id: 'user_support_1', email: 'support@example.com' };

  it('logs each GET of a lookup as its own entry: path, status, request_id, duration, who, never the key', async () => {
    configured();
    const { logId, messageId } = await send('logged-lookup@example.com');
    const before = await lastId();
    const lookup = await lookUpDeliveryLog(logId, messageId, support);
    if (!lookup.ok || !lookup.data.found) throw new Error('no log found');
    const rows = await loggedSince(before);
    expect(rows).toHaveLength(2);
    expect(answeredIds).toHaveLength(2);
    const [list, detail] = rows as [LoggedRow, LoggedRow];
    expect(list.path).toMatch(/^\/emails\/logs\?/);
    const query = new URLSearchParams(list.path.slice(list.path.indexOf('?')));
    expect(query.get('search')).toBe('logged-lookup@example.com');
    expect(query.get('limit')).toBe('100');
    expect(detail.path).toBe(`/emails/logs/${lookup.data.log.id}`);
    for (const [i, row] of rows.entries()) {
      expect(row).toMatchObject({
        method: 'GET',
        source: 'delivery_logs',
        key_profile: 'management',
        user_id: support.id,
        user_email: support.email,
        status: 200,
        ok: true,
        error_code: null,
        completed: true,
        message_ids: [],
        recipients: [],
      });
      expect(row.request_id).toMatch(/^req_/);
      expect(row.request_id).toBe(answeredIds[i]);
      expect(row.duration_ms).toEqual(expect.any(Number));
      expect(row.whole).not.toContain(MANAGEMENT_KEY);
      expect(row.whole).not.toContain(MANAGEMENT_KEY.slice(-12));
    }
    expect(detail.response_body).toMatchObject({ ok: true, data: { id: lookup.data.log.id } });
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(2);

    // An unchanged log's 304 is logged too, with no body.
    const first = await getDeliveryLog(lookup.data.log.id, undefined, { userEmail: support.email });
    const again = await getDeliveryLog(lookup.data.log.id, first.ok ? first.etag : undefined, {
      userEmail: support.email,
    });
    expect(again).toMatchObject({ ok: true, status: 304, logId: expect.any(Number) });
    const [, notModified] = await loggedSince(detail.id);
    expect(notModified).toMatchObject({
      id: again.logId,
      status: 304,
      ok: true,
      response_body: null,
      completed: true,
    });
  });

  it('logs a refused key with its error code, and the failed lookup names that entry', async () => {
    configured();
    const { logId, messageId } = await send('refused-lookup@example.com');
    const wrong = 'smx_root_wrong_key_for_the_request_log_0000';
    configure({
      SENDMUX_MANAGEMENT_KEY: wrong,
      SENDMUX_MANAGEMENT_API_URL: `http://127.0.0.1:${otherPort}${SANDBOX_MANAGEMENT_PATH}`,
    });
    const before = await lastId();
    const lookup = await lookUpDeliveryLog(logId, messageId, support);
    expect(lookup).toMatchObject({
      ok: false,
      error: { code: 'authentication_required', httpStatus: 401, requestId: expect.stringMatching(/^req_/) },
    });
    if (lookup.ok) return;
    const rows = await loggedSince(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: lookup.error.logId,
      path: expect.stringMatching(/^\/emails\/logs\?/),
      status: 401,
      ok: false,
      error_code: 'authentication_required',
      request_id: lookup.error.requestId,
      user_email: support.email,
      completed: true,
    });
    expect(rows[0]!.error_message).toBeTruthy();
    expect(rows[0]!.whole).not.toContain(wrong);
  });

  it('logs a call that got no answer, and a log that cannot be written does not fail the lookup', async () => {
    configure({
      SENDMUX_API_KEY: TEST_SANDBOX_KEY,
      SENDMUX_MANAGEMENT_KEY: MANAGEMENT_KEY,
      SENDMUX_MANAGEMENT_API_URL: 'http://127.0.0.1:9/api/v1',
    });
    const down = await listDeliveryLogs({ search: 'nobody@example.com' });
    const [row] = await loggedSince((down.logId ?? 1) - 1);
    expect(row).toMatchObject({ id: down.logId, status: null, ok: false, error_code: 'network_error' });

    configured();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await database().db.execute(
      sql`ALTER TABLE api_requests ADD CONSTRAINT refuse_lookups CHECK (source <> 'delivery_logs') NOT VALID`,
    );
    try {
      const list = await listDeliveryLogs({ search: 'anyone@example.com' });
      expect(list).toMatchObject({ ok: true, status: 200 });
      expect(list.logId).toBeUndefined();
      expect(errors).toHaveBeenCalledWith(
        'sendmux: could not log a management API call:',
        expect.stringMatching(/refuse_lookups/),
      );
    } finally {
      await database().db.execute(sql`ALTER TABLE api_requests DROP CONSTRAINT refuse_lookups`);
      errors.mockRestore();
    }
  });

  it('no entry holds a management key, the sandbox’s own included', async () => {
    configure({});
    await listDeliveryLogs({ limit: 1 });
    const rows = await queryRows<{ whole: string }>(
      database().db,
      sql`SELECT row_to_json(a)::text AS whole FROM api_requests a`,
    );
    expect(rows.filter((r) => r.whole.includes('"delivery_logs"')).length).toBeGreaterThan(5);
    for (const key of [MANAGEMENT_KEY, getSandboxManagementKey()])
      expect(rows.filter((r) => r.whole.includes(key))).toEqual([]);
  });
});
