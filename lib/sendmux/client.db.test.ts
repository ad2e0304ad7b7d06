// Why one long file: the client's behaviour under every fault the sandbox can inject (timeouts,
// resets, 429/5xx, replays) against one sandbox server and one database, set up once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryRows } from '@/lib/db';
import { apiRequests, auditEvents } from '@/lib/db/schema';
import { resetEnvForTests } from '@/lib/env';
import { loadOpenApi } from '@/lib/testing/openapi';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { sendmuxRequest } from '@/lib/sendmux/client';
import { getConnection, sendBatch, sendEmail, uploadAttachment } from '@/lib/sendmux/operations';
import { UnknownProfileError } from '@/lib/sendmux/profiles';
import type { EmailSendRequest } from '@/lib/sendmux/wire';

// ---------------------------------------------------------------------------------------------
// A real HTTP server on 127.0.0.1:0 answering scripted responses.
// ---------------------------------------------------------------------------------------------

type Reply =
  | { status: number; headers?: Record<string, string>; json?: unknown; text?: string }
  | { destroy: true }
  | { hang: true };

type Received = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
};

const CANARY = `smx_mbx_canary${randomBytes(12).toString('hex')}`;
const OTHER_KEY = `smx_mbx_other${randomBytes(12).toString('hex')}`;

let server: http.Server;
let script: Reply[] = [];
const received: Received[] = [];
const everyRequest: Received[] = [];
const returned: unknown[] = [];

function reply(res: http.ServerResponse, r: Reply, req: http.IncomingMessage) {
  if ('destroy' in r) return void req.socket.destroy();
  if ('hang' in r) return;
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let body = r.text ?? '';
  if (r.json !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(r.json);
  }
  res.writeHead(r.status, headers);
  res.end(body);
}

const reqId = () => `req_${randomBytes(8).toString('hex')}`;
const emlId = () => `eml_${randomBytes(12).toString('hex')}`;
const ok = (data: unknown, status = 200, headers: Record<string, string> = {}): Reply => {
  const id = reqId();
  return {
    status,
    headers: { 'X-Request-Id': id, ...headers },
    json: { ok: true, data, meta: { request_id: id } },
  };
};
const err = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): Reply => {
  const id = reqId();
  return {
    status,
    headers: { 'X-Request-Id': id, ...headers },
    json: { ok: false, error, meta: { request_id: id } },
  };
};
const sent = () => ok({ message_id: emlId(), status: 'queued' });

// ---------------------------------------------------------------------------------------------

const getDbHandle = useTestDatabase();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const entry = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(entry);
      everyRequest.push(entry);
      const next = script.shift() ?? { status: 500, text: 'test script exhausted' };
      reply(res, next, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  vi.stubEnv('SENDMUX_API_KEY', undefined);
  vi.stubEnv('SENDMUX_API_URL', `http://127.0.0.1:${port}/api/v1`);
  vi.stubEnv('SENDMUX_KEYS', `primary=${CANARY},other=${OTHER_KEY}`);
  resetEnvForTests();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.unstubAllEnvs();
  resetEnvForTests();
});

beforeEach(async () => {
  script = [];
  received.length = 0;
  await getDbHandle().db.delete(apiRequests);
});

const rows = () => getDbHandle().db.select().from(apiRequests).orderBy(asc(apiRequests.id));

/** Records every wait instead of sleeping, and moves a fake clock forward by it. */
function fakeTime(start = Date.now()) {
  let t = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    random: () => 0.5,
  };
}

const PDF_B64 = Buffer.from('%PDF-1.7 a small but real-looking invoice body').toString('base64');

function message(to = 'Alice@Example.com', extra: Partial<EmailSendRequest> = {}): EmailSendRequest {
  return {
    from: { email: 'sender@example.com', name: 'Sender' },
    to: { email: to },
    subject: 'Hello [DP_NAME]',
    html_body: '<p>Hi</p>',
    ...extra,
  };
}

async function track<T>(p: Promise<T>): Promise<T> {
  const value = await p;
  returned.push(value);
  return value;
}

describe(`sendmuxRequest against a real HTTP server (${testEngine()})`, () => {
  it('logs one completed row for a success, with request_id, duration, status and the redacted body', async () => {
    script = [
      ok({ message_id: 'eml_aaaaaaaaaaaaaaaaaaaaaaaa', status: 'queued' }, 200, {
        'X-RateLimit-Limit': '1800',
        'X-RateLimit-Remaining': '1799',
        'X-RateLimit-Reset': '1790000000',
      }),
    ];
    const msg = message('Alice@Example.com', {
      cc: [{ email: 'Bob@Example.com' }],
      attachments: [
        { filename: 'invoice.pdf', content: PDF_B64, type: 'application/pdf' },
        { attachment_id: 'att_bbbbbbbbbbbbbbbbbbbbbbbb' },
      ],
    });
    const result = await track(
      sendEmail('primary', msg, {
        idempotencyKey: 'compose-1',
        context: { source: 'compose', userId: 'usr_1', userEmail: 'op@example.com' },
      }),
    );

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data).toEqual({ messageId: 'eml_aaaaaaaaaaaaaaaaaaaaaaaa', status: 'queued' });
    expect(result.attempts).toBe(1);
    expect(result.rateLimit).toEqual({ limit: 1800, remaining: 1799, reset: 1790000000 });

    const [row, ...more] = await rows();
    expect(more).toHaveLength(0);
    expect(row).toBeDefined();
    expect(result.logId).toBe(row!.id);
    expect(result.requestId).toBe(row!.requestId);
    expect(row).toMatchObject({
      keyProfile: 'primary',
      method: 'POST',
      path: '/emails/send',
      source: 'compose',
      userId: 'usr_1',
      userEmail: 'op@example.com',
      idempotencyKey: 'compose-1',
      attempt: 1,
      waitMs: 0,
      nextRetryAt: null,
      status: 200,
      ok: true,
      errorCode: null,
      recipients: ['alice@example.com', 'bob@example.com'],
      messageIds: ['eml_aaaaaaaaaaaaaaaaaaaaaaaa'],
      messageCount: 1,
      rateLimit: { limit: 1800, remaining: 1799, reset: 1790000000 },
    });
    expect(row!.requestId).toMatch(/^req_/);
    expect(row!.completedAt).toBeInstanceOf(Date);
    expect(typeof row!.durationMs).toBe('number');
    expect((row!.requestBody as { attachments: unknown[] }).attachments).toEqual([
      { filename: 'invoice.pdf', type: 'application/pdf', size_bytes: Buffer.from(PDF_B64, 'base64').length },
      { attachment_id: 'att_bbbbbbbbbbbbbbbbbbbbbbbb' },
    ]);
    expect(JSON.stringify(row)).not.toContain(PDF_B64);
    expect(row!.responseBody).toMatchObject({
      ok: true,
      data: { message_id: 'eml_aaaaaaaaaaaaaaaaaaaaaaaa' },
    });

    // What went over the wire: bearer key, JSON, the key as a header only, the message untouched.
    const [req] = received;
    expect(req!.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(req!.headers['idempotency-key']).toBe('compose-1');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers.accept).toBe('application/json');
    expect(req!.path).toBe('/api/v1/emails/send');
    const body = JSON.parse(req!.body.toString('utf8')) as Record<string, unknown>;
    expect(body).toEqual(msg);
    expect(body).not.toHaveProperty('idempotency_key');
    expect(req!.body.toString('utf8')).not.toContain('compose-1');
  });

  it('retries a 503 under the same Idempotency-Key and records both attempts', async () => {
    script = [err(503, { code: 'service_unavailable', message: 'Try again' }), sent()];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), { idempotencyKey: 'k-503', context: { source: 'compose' }, ...time }),
    );

    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(time.waits).toEqual([125]);
    const [first, second, ...more] = await rows();
    expect(more).toHaveLength(0);
    expect(first).toMatchObject({
      attempt: 1,
      status: 503,
      ok: false,
      errorCode: 'service_unavailable',
      idempotencyKey: 'k-503',
      waitMs: 0,
    });
    expect(first!.nextRetryAt?.getTime()).toBe(time.now());
    expect(second).toMatchObject({
      attempt: 2,
      status: 200,
      ok: true,
      idempotencyKey: 'k-503',
      waitMs: 125,
      nextRetryAt: null,
    });
    expect(result.logId).toBe(second!.id);
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual(['k-503', 'k-503']);
    expect(received[0]!.body.equals(received[1]!.body)).toBe(true);
  });

  it('hands only the last attempt’s completion to deferLogWrite; earlier attempts are completed before the retry', async () => {
    script = [err(503, { code: 'service_unavailable', message: 'Try again' }), sent()];
    const deferred: (() => Promise<void>)[] = [];
    const result = await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-defer',
        context: { source: 'compose' },
        ...fakeTime(),
        deferLogWrite: (write) => deferred.push(write),
      }),
    );
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(deferred).toHaveLength(1);
    const [first, pending] = await rows();
    expect(first).toMatchObject({ attempt: 1, status: 503, ok: false });
    expect(first!.completedAt).toBeInstanceOf(Date);
    // The pending row of the last attempt was written before the call; its outcome waits for the write.
    expect(pending).toMatchObject({ attempt: 2, status: null, ok: null, completedAt: null });
    await deferred[0]!();
    const [, second] = await rows();
    expect(second).toMatchObject({
      attempt: 2,
      status: 200,
      ok: true,
      messageIds: [expect.stringMatching(/^eml_/)],
    });
    expect(second!.completedAt).toBeInstanceOf(Date);

    // A final failure is deferred the same way.
    script = [err(422, { code: 'validation_error', message: 'Validation failed', retryable: false })];
    const failed = await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-defer-422',
        context: { source: 'compose' },
        deferLogWrite: (write) => deferred.push(write),
      }),
    );
    expect(failed).toMatchObject({ ok: false, status: 422 });
    expect(deferred).toHaveLength(2);
    await deferred[1]!();
    expect((await rows()).at(-1)).toMatchObject({ status: 422, ok: false, errorCode: 'validation_error' });
  });

  it('does not retry a 503 without an Idempotency-Key', async () => {
    script = [err(503, { code: 'service_unavailable', message: 'Try again' }), sent()];
    const time = fakeTime();
    const result = await track(sendEmail('primary', message(), { context: { source: 'compose' }, ...time }));

    expect(result).toMatchObject({
      ok: false,
      status: 503,
      attempts: 1,
      error: { code: 'service_unavailable', retryable: true },
    });
    expect(time.waits).toEqual([]);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['idempotency-key']).toBeUndefined();
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ idempotencyKey: null, nextRetryAt: null });
  });

  it('never retries a 422, and returns its field errors', async () => {
    script = [
      err(422, {
        code: 'validation_error',
        message: 'Validation failed',
        retryable: false,
        errors: [{ field: 'to.email', code: 'invalid_string', message: 'Invalid email' }],
      }),
    ];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), { idempotencyKey: 'k-422', context: { source: 'compose' }, ...time }),
    );

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({
      code: 'validation_error',
      message: 'Validation failed',
      retryable: false,
      errors: [{ field: 'to.email', code: 'invalid_string', message: 'Invalid email' }],
    });
    expect(result.requestId).toMatch(/^req_/);
    expect(time.waits).toEqual([]);
    expect(await rows()).toHaveLength(1);
  });

  it('honours Retry-After: 1 on a 429', async () => {
    script = [
      err(
        429,
        { code: 'rate_limit_exceeded', message: 'Slow down', retryable: true },
        { 'Retry-After': '1', 'X-RateLimit-Remaining': '0' },
      ),
      sent(),
    ];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), { idempotencyKey: 'k-429', context: { source: 'compose' }, ...time }),
    );

    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(time.waits).toEqual([1000]);
    const [first, second] = await rows();
    expect(first).toMatchObject({
      status: 429,
      errorCode: 'rate_limit_exceeded',
      rateLimit: { remaining: 0, retryAfter: 1 },
    });
    // The 429 also paused the key's shared budget for that real second (this test's clock is
    // virtual), so the second attempt's recorded wait holds both.
    expect(second).toMatchObject({ ok: true });
    expect(second!.waitMs).toBeGreaterThanOrEqual(1000);
    expect(second!.waitMs).toBeLessThan(3000);
  });

  it('returns a Retry-After beyond the cap to the caller instead of waiting it out', async () => {
    script = [err(429, { code: 'rate_limit_exceeded', message: 'Slow down' }, { 'Retry-After': '120' })];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), { idempotencyKey: 'k-long', context: { source: 'batch' }, ...time }),
    );
    expect(result).toMatchObject({
      ok: false,
      attempts: 1,
      retryAfterMs: 120_000,
      error: { code: 'rate_limit_exceeded' },
    });
    expect(time.waits).toEqual([]);
  });

  it('retries after the server drops the connection', async () => {
    script = [{ destroy: true }, sent()];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), { idempotencyKey: 'k-net', context: { source: 'compose' }, ...time }),
    );

    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const [first, second] = await rows();
    expect(first).toMatchObject({ status: null, ok: false, errorCode: 'network_error', attempt: 1 });
    expect(first!.errorMessage).toMatch(/Could not reach Sendmux at http:\/\/127\.0\.0\.1/);
    expect(first!.completedAt).toBeInstanceOf(Date);
    expect(second).toMatchObject({ ok: true, attempt: 2 });
  });

  it('gives up on a dropped connection without a key', async () => {
    script = [{ destroy: true }];
    const result = await track(
      sendEmail('primary', message(), { context: { source: 'compose' }, ...fakeTime() }),
    );
    expect(result).toMatchObject({
      ok: false,
      status: null,
      attempts: 1,
      error: { code: 'network_error', retryable: true },
    });
  });

  it('times out a hanging attempt and retries it', async () => {
    script = [{ hang: true }, sent()];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-slow',
        timeoutMs: 300,
        context: { source: 'compose' },
        ...time,
      }),
    );

    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const [first] = await rows();
    expect(first).toMatchObject({
      status: null,
      ok: false,
      errorCode: 'timeout',
      errorMessage: 'Sendmux did not answer within 300 ms',
    });
    expect(first!.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('stops retrying at the deadline', async () => {
    const busy = () => err(503, { code: 'service_unavailable', message: 'Busy' }, { 'Retry-After': '20' });
    script = [busy(), busy(), busy(), busy()];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-deadline',
        maxAttempts: 5,
        deadlineMs: 30_000,
        context: { source: 'compose' },
        ...time,
      }),
    );

    // 0 s: attempt 1, wait 20 s; 20 s: attempt 2, a second wait would end at 40 s > 30 s.
    expect(result).toMatchObject({ ok: false, attempts: 2, status: 503, retryAfterMs: 20_000 });
    expect(time.waits).toEqual([20_000]);
    const all = await rows();
    expect(all.map((r) => r.attempt)).toEqual([1, 2]);
    expect(all[1]!.nextRetryAt).toBeNull();
  });

  it('stops at the attempt limit', async () => {
    script = [
      err(500, { code: 'internal_error', message: 'x' }),
      err(500, { code: 'internal_error', message: 'x' }),
      err(500, { code: 'internal_error', message: 'x' }),
      sent(),
    ];
    const time = fakeTime();
    const result = await track(
      sendEmail('primary', message(), { idempotencyKey: 'k-limit', context: { source: 'compose' }, ...time }),
    );
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { code: 'internal_error' } });
    expect(time.waits).toHaveLength(2);
    expect(received).toHaveLength(3);
  });

  it('retries a gateway HTML 502 and logs the page as text', async () => {
    script = [
      {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
        text: '<html><h1>502 Bad Gateway</h1></html>',
      },
      sent(),
    ];
    const result = await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-502',
        context: { source: 'compose' },
        ...fakeTime(),
      }),
    );
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    const [first] = await rows();
    expect(first).toMatchObject({
      status: 502,
      errorCode: 'service_unavailable',
      responseBody: '<html><h1>502 Bad Gateway</h1></html>',
    });
  });

  it('turns a success it cannot read into invalid_response, recorded as a failure', async () => {
    script = [ok({ something: 'else' })];
    const result = await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-odd',
        context: { source: 'compose' },
        ...fakeTime(),
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      status: 200,
      attempts: 1,
      error: { code: 'invalid_response', retryable: false },
    });
    expect(await rows()).toMatchObject([{ ok: false, status: 200, errorCode: 'invalid_response' }]);
  });

  it('keeps the key out of every row and every returned value, even when the server echoes it', async () => {
    script = [
      {
        status: 401,
        headers: { 'X-Request-Id': 'req_echo' },
        json: {
          ok: false,
          error: { code: 'authentication_required', message: `Key ${CANARY} was revoked` },
          meta: { request_id: 'req_echo' },
        },
      },
      err(401, { code: 'authentication_required', message: 'Invalid key' }),
    ];
    const result = await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-echo',
        context: { source: 'compose' },
        ...fakeTime(),
      }),
    );
    expect(result).toMatchObject({
      ok: false,
      status: 401,
      error: { code: 'authentication_required', retryable: false },
    });
    if (result.ok) return;
    expect(result.error.message).toBe('Key smx_mbx_…' + CANARY.slice(-4) + ' was revoked');
    expect(received[0]!.headers.authorization).toBe(`Bearer ${CANARY}`);

    const other = await track(getConnection('other', { ...fakeTime() }));
    expect(other.ok).toBe(false);
    expect(received[1]!.headers.authorization).toBe(`Bearer ${OTHER_KEY}`);
  });

  it('sends a batch and returns results keyed by index, whatever their order', async () => {
    const ids = [emlId(), emlId()];
    script = [
      ok({
        results: [
          { index: 2, message_id: ids[1], status: 'queued' },
          {
            index: 1,
            message_id: null,
            status: 'failed',
            error: {
              code: 'validation_error',
              message: 'Invalid email',
              retryable: false,
              errors: [{ field: 'to.email', code: 'invalid_string', message: 'Invalid email' }],
            },
          },
          { index: 0, message_id: ids[0], status: 'queued' },
        ],
        summary: { total: 3, queued: 2, failed: 1 },
      }),
    ];
    const messages = [
      message('a@example.com'),
      message('b@example.org'),
      message('c@example.com', { bcc: [{ email: 'Audit@Example.com' }] }),
    ];
    const result = await track(
      sendBatch('primary', messages, {
        idempotencyKey: 'job:j1:chunk:0:try:1',
        context: { source: 'batch', jobId: 'j1', chunkNo: 0 },
        ...fakeTime(),
      }),
    );

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.results.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(result.data.results[0]).toEqual({ index: 0, ok: true, messageId: ids[0], status: 'queued' });
    expect(result.data.results[1]).toMatchObject({
      index: 1,
      ok: false,
      error: { code: 'validation_error', errors: [{ field: 'to.email' }] },
    });
    expect(result.data.results[2]).toEqual({ index: 2, ok: true, messageId: ids[1], status: 'queued' });
    expect(result.data.summary).toEqual({ total: 3, queued: 2, failed: 1 });

    const [row] = await rows();
    expect(row).toMatchObject({
      path: '/emails/send/batch',
      source: 'batch',
      jobId: 'j1',
      chunkNo: 0,
      messageCount: 3,
      recipients: ['a@example.com', 'b@example.org', 'c@example.com', 'audit@example.com'],
    });
    expect([...row!.messageIds].sort()).toEqual([...ids].sort());
    expect(JSON.parse(received[0]!.body.toString('utf8'))).toEqual({ messages });
  });

  it('puts Compose and manual batch sends in the audit log with their outcome, and batch chunks not', async () => {
    const db = getDbHandle().db;
    await db.delete(auditEvents);
    const user = { userId: 'usr_9', userEmail: 'sender@example.com' };
    script = [ok({ message_id: 'eml_cccccccccccccccccccccccc', status: 'queued' })];
    const deferred: (() => Promise<void>)[] = [];
    await track(
      sendEmail('primary', message('Ada@Example.com', { cc: [{ email: 'b@example.com' }] }), {
        idempotencyKey: 'audit-compose',
        context: { source: 'compose', ...user },
        deferLogWrite: (write) => deferred.push(write),
      }),
    );
    // Deferred with the outcome row, in the one write the caller runs after answering.
    expect(deferred).toHaveLength(1);
    expect(await db.select().from(auditEvents)).toHaveLength(0);
    await deferred[0]!();
    script = [err(422, { code: 'validation_error', message: 'Validation failed', retryable: false })];
    await track(
      sendBatch('primary', [message('x@example.com'), message('y@example.com')], {
        idempotencyKey: 'audit-manual',
        context: { source: 'manual_batch', ...user },
      }),
    );
    script = [
      ok({
        results: [{ index: 0, message_id: emlId(), status: 'queued' }],
        summary: { total: 1, queued: 1, failed: 0 },
      }),
    ];
    await track(sendBatch('primary', [message()], { context: { source: 'batch', jobId: 'j9', chunkNo: 0 } }));

    const entries = await db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      action: 'compose.send',
      actorId: 'usr_9',
      actorEmail: 'sender@example.com',
      target: 'Ada@Example.com',
      ip: null,
      detail: {
        outcome: 'queued',
        messageId: 'eml_cccccccccccccccccccccccc',
        requestId: expect.stringMatching(/^req_/),
        cc: 1,
        bcc: 0,
        profile: 'primary',
        idempotencyKey: 'audit-compose',
      },
    });
    expect(entries[1]).toMatchObject({
      action: 'batch.manual_send',
      target: 'x@example.com and 1 more',
      detail: {
        messages: 2,
        queued: 0,
        failed: 2,
        errorCode: 'validation_error',
        idempotencyKey: 'audit-manual',
      },
    });
    expect(JSON.stringify(entries)).not.toContain(CANARY);
  });

  it('marks a batch result that never came back as failed instead of guessing', async () => {
    script = [
      ok({
        results: [{ index: 1, message_id: emlId(), status: 'queued' }],
        summary: { total: 2, queued: 1, failed: 0 },
      }),
    ];
    const result = await track(
      sendBatch('primary', [message('a@example.com'), message('b@example.com')], {
        idempotencyKey: 'k-gap',
        context: { source: 'batch' },
        ...fakeTime(),
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.results[0]).toMatchObject({
      index: 0,
      ok: false,
      error: { code: 'invalid_response' },
    });
    expect(result.data.summary).toEqual({ total: 2, queued: 1, failed: 1 });
  });

  it('rejects a batch outside 1..100 messages before sending', () => {
    expect(() => sendBatch('primary', [], { context: { source: 'batch' } })).toThrow(RangeError);
    expect(() =>
      sendBatch(
        'primary',
        Array.from({ length: 101 }, () => message()),
        { context: { source: 'batch' } },
      ),
    ).toThrow(RangeError);
  });

  it('uploads raw bytes and logs name, type and size instead of the bytes', async () => {
    const bytes = new Uint8Array(Buffer.from('%PDF-1.7 uploaded file content'));
    script = [
      ok(
        {
          attachment_id: 'att_cccccccccccccccccccccccc',
          filename: 'report.pdf',
          content_type: 'application/pdf',
          size_bytes: bytes.length,
          expires_at: '2026-10-02T12:00:00.000Z',
        },
        201,
      ),
    ];
    const result = await track(
      uploadAttachment(
        'primary',
        { filename: 'report.pdf', contentType: 'application/pdf', bytes },
        { ...fakeTime() },
      ),
    );

    expect(result).toMatchObject({
      ok: true,
      status: 201,
      data: { attachmentId: 'att_cccccccccccccccccccccccc', sizeBytes: bytes.length },
    });
    const [req] = received;
    expect(req!.path).toBe('/api/v1/emails/attachments');
    expect(req!.query.get('filename')).toBe('report.pdf');
    expect(req!.query.get('content_type')).toBe('application/pdf');
    expect(req!.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(req!.body, Buffer.from(bytes))).toBe(0);
    const [row] = await rows();
    expect(row).toMatchObject({
      source: 'upload',
      requestBody: { filename: 'report.pdf', content_type: 'application/pdf', size_bytes: bytes.length },
    });
  });

  it('reads GET /me into app types', async () => {
    script = [
      ok({
        team: { id: 'team_1', name: 'Acme' },
        credential: { id: 'key_1', type: 'api_key', name: 'Console' },
        label: 'Acme / Console',
        permissions: ['email.send'],
        mailboxes: [{ id: 'mbx_1', email: 'hello@acme.test' }],
      }),
    ];
    const result = await track(getConnection('primary', { ...fakeTime() }));
    expect(result).toMatchObject({
      ok: true,
      data: {
        team: { name: 'Acme' },
        credential: { type: 'api_key' },
        permissions: ['email.send'],
        mailboxes: [{ email: 'hello@acme.test' }],
      },
    });
    expect(received[0]).toMatchObject({ method: 'GET', path: '/api/v1/me' });
    expect(received[0]!.headers['content-type']).toBeUndefined();
    expect(await rows()).toMatchObject([
      { method: 'GET', path: '/me', source: 'settings', requestBody: null, messageCount: 0 },
    ]);
  });

  it('throws for an unknown profile without calling Sendmux', async () => {
    await expect(
      sendmuxRequest({ profile: 'nope', method: 'GET', path: '/me', context: { source: 'other' } }),
    ).rejects.toBeInstanceOf(UnknownProfileError);
    expect(received).toHaveLength(0);
    expect(await rows()).toHaveLength(0);
  });

  it('leaves no trace of the key in the request log or in anything returned', async () => {
    // Runs after the others in this file: the table is cleared per test, so fill it once more.
    script = [err(503, { code: 'service_unavailable', message: 'x' }), sent(), { destroy: true }, sent()];
    await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-final-1',
        context: { source: 'compose' },
        ...fakeTime(),
      }),
    );
    await track(
      sendEmail('primary', message(), {
        idempotencyKey: 'k-final-2',
        context: { source: 'compose' },
        ...fakeTime(),
      }),
    );
    const db = getDbHandle().db;
    const all = await queryRows<Record<string, unknown>>(db, sql`select * from api_requests`);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const asText = await queryRows<{ t: string }>(db, sql`select api_requests::text as t from api_requests`);
    for (const secret of [CANARY, OTHER_KEY, CANARY.slice('smx_mbx_'.length)]) {
      expect(JSON.stringify(all)).not.toContain(secret);
      expect(asText.map((r) => r.t).join('\n')).not.toContain(secret);
      expect(JSON.stringify(returned)).not.toContain(secret);
    }
    expect(returned.length).toBeGreaterThanOrEqual(2);
  });
});

describe('contract: what the client sends is what the vendor document accepts', () => {
  const loaded = loadOpenApi();
  if ('skip' in loaded) console.warn(loaded.skip);

  it.skipIf('skip' in loaded)(
    'every /emails/send and /emails/send/batch body sent in this file validates',
    async () => {
      if ('skip' in loaded) return;
      const full = message('full@example.com', {
        text_body: 'Hi',
        reply_to: { email: 'reply@example.com', name: 'Replies' },
        return_path: 'bounces@example.com',
        cc: [{ email: 'cc@example.com', name: 'Cc' }],
        bcc: [{ email: 'bcc@example.com' }],
        custom_headers: { 'X-Campaign': 'autumn' },
        attachments: [
          { filename: 'invoice.pdf', content: PDF_B64, type: 'application/pdf', encoding: 'base64' },
          { attachment_id: 'att_dddddddddddddddddddddddd' },
        ],
        delivery_group: 'dgrp_main',
      });
      script = [
        sent(),
        ok({
          results: [{ index: 0, message_id: emlId(), status: 'queued' }],
          summary: { total: 1, queued: 1, failed: 0 },
        }),
      ];
      await sendEmail('primary', full, { idempotencyKey: 'contract-1', context: { source: 'compose' } });
      await sendBatch('primary', [full], { idempotencyKey: 'contract-2', context: { source: 'batch' } });

      const checked = { send: 0, batch: 0 };
      for (const req of everyRequest) {
        const apiPath = req.path.replace(/^\/api\/v1/, '');
        if (req.method !== 'POST' || (apiPath !== '/emails/send' && apiPath !== '/emails/send/batch'))
          continue;
        const problems = loaded.validator.request('POST', apiPath, JSON.parse(req.body.toString('utf8')));
        expect(problems, `${apiPath}: ${problems.join('; ')}`).toEqual([]);
        checked[apiPath === '/emails/send' ? 'send' : 'batch'] += 1;
      }
      expect(checked.send).toBeGreaterThan(1);
      expect(checked.batch).toBeGreaterThan(0);
    },
  );

  it.skipIf('skip' in loaded)('the scripted answers used above match the vendor document', () => {
    if ('skip' in loaded) return;
    const body = (r: Reply) => ('json' in r ? r.json : undefined);
    const v = loaded.validator;
    expect(v.response('POST', '/emails/send', 200, body(sent()))).toEqual([]);
    expect(
      v.response(
        'POST',
        '/emails/send',
        422,
        body(
          err(422, {
            code: 'validation_error',
            message: 'm',
            retryable: false,
            errors: [{ field: 'to.email', code: 'invalid_string', message: 'm' }],
          }),
        ),
      ),
    ).toEqual([]);
    expect(
      v.response(
        'POST',
        '/emails/send/batch',
        200,
        body(
          ok({
            results: [
              {
                index: 0,
                message_id: null,
                status: 'failed',
                error: { code: 'validation_error', message: 'm', retryable: false },
              },
            ],
            summary: { total: 1, queued: 0, failed: 1 },
          }),
        ),
      ),
    ).toEqual([]);
    expect(
      v.response(
        'POST',
        '/emails/attachments',
        201,
        body(
          ok(
            {
              attachment_id: 'att_cccccccccccccccccccccccc',
              filename: 'r.pdf',
              content_type: 'application/pdf',
              size_bytes: 3,
              expires_at: '2026-10-02T12:00:00.000Z',
            },
            201,
          ),
        ),
      ),
    ).toEqual([]);
  });
});
