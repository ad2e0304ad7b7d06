import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '@/lib/db';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { completeAttempt, startAttempt } from '@/lib/requests/record';

// The attempt rows are written by prepared statements with raw placeholders (see record.ts):
// these read back exactly what landed in each column, SQL NULL vs JSON null included.
describe(`request-log rows (${testEngine()})`, () => {
  const handle = useTestDatabase();

  type Stored = {
    request_type: string | null;
    response_type: string | null;
    rate_limit_type: string | null;
    request_body: unknown;
    response_body: unknown;
    rate_limit: unknown;
    recipients: string[];
    message_ids: string[];
    user_id: string | null;
    job_id: string | null;
    chunk_no: number | null;
    idempotency_key: string | null;
    status: number | null;
    ok: boolean | null;
    error_code: string | null;
    completed_at: unknown;
  };
  const read = async (id: number) => {
    const [row] = await queryRows<Stored>(
      handle().db,
      sql`select jsonb_typeof(request_body) as request_type, jsonb_typeof(response_body) as response_type,
        jsonb_typeof(rate_limit) as rate_limit_type, request_body, response_body, rate_limit, recipients, message_ids,
        user_id, job_id, chunk_no, idempotency_key, status, ok, error_code, completed_at
        from api_requests where id = ${id}`,
    );
    return row!;
  };

  it('stores a successful send: JSON objects as objects, recipients and message ids as arrays', async () => {
    const id = await startAttempt({
      keyProfile: 'sandbox',
      method: 'POST',
      path: '/emails/send',
      body: {
        from: { email: 'team@example.com' },
        to: { email: 'Ada@Example.com' },
        cc: [{ email: 'bob@example.com' }],
        subject: 'Hi "there"',
        html_body: '<p>x</p>',
      },
      context: { source: 'compose', userId: 'usr_1', userEmail: 'me@example.com' },
      idempotencyKey: 'key-1',
      attempt: 1,
      waitMs: 0,
    });
    let row = await read(id);
    expect(row).toMatchObject({
      request_type: 'object',
      response_type: null,
      rate_limit_type: null,
      status: null,
      ok: null,
      completed_at: null,
    });
    expect(row.request_body).toMatchObject({ subject: 'Hi "there"', to: { email: 'Ada@Example.com' } });
    expect(row.recipients).toEqual(['ada@example.com', 'bob@example.com']);
    expect(row).toMatchObject({ user_id: 'usr_1', job_id: null, chunk_no: null, idempotency_key: 'key-1' });

    await completeAttempt(id, {
      status: 200,
      ok: true,
      requestId: 'req_1',
      durationMs: 12.4,
      responseBody: { success: true, data: { message_id: 'eml_abc', status: 'queued' } },
      rateLimit: { limit: 10, remaining: 9 },
    });
    row = await read(id);
    expect(row).toMatchObject({
      response_type: 'object',
      rate_limit_type: 'object',
      status: 200,
      ok: true,
      error_code: null,
    });
    expect(row.response_body).toEqual({ success: true, data: { message_id: 'eml_abc', status: 'queued' } });
    expect(row.rate_limit).toEqual({ limit: 10, remaining: 9 });
    expect(row.message_ids).toEqual(['eml_abc']);
    expect(row.completed_at).not.toBeNull();
  });

  it('stores a network failure with SQL NULLs, not JSON null, and an empty rate limit as NULL', async () => {
    const id = await startAttempt({
      keyProfile: 'sandbox',
      method: 'GET',
      path: '/me',
      body: undefined,
      context: { source: 'batch', jobId: 'job_1', chunkNo: 3 },
      attempt: 2,
      waitMs: 250,
    });
    await completeAttempt(id, {
      status: null,
      ok: false,
      errorCode: 'network_error',
      errorMessage: 'down',
      durationMs: 3,
      responseBody: null,
      rateLimit: {},
    });
    const row = await read(id);
    expect(row).toMatchObject({
      request_type: null,
      response_type: null,
      rate_limit_type: null,
      request_body: null,
      response_body: null,
      rate_limit: null,
    });
    expect(row).toMatchObject({
      job_id: 'job_1',
      chunk_no: 3,
      user_id: null,
      idempotency_key: null,
      status: null,
      ok: false,
      error_code: 'network_error',
    });
    expect(row.recipients).toEqual([]);
    expect(row.message_ids).toEqual([]);
  });
});
