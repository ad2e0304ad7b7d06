import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '@/lib/db';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { attemptWriteStats, completeAttempt, startAttempt } from '@/lib/requests/record';

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

  it('attempts that start and finish together share statements, and each row keeps its own values', async () => {
    const before = await attemptWriteStats();
    const n = 40;
    const starts = Array.from({ length: n }, (_, i) =>
      startAttempt({
        keyProfile: i % 2 ? 'sandbox' : 'bulk',
        method: 'POST',
        path: '/emails/send',
        body:
          i === 7
            ? // PostgreSQL refuses a NUL in jsonb: this row fails, alone.
              { from: { email: 'team@example.com' }, to: { email: 'r7@example.com' }, subject: 'bad \u0000' }
            : {
                from: { email: 'team@example.com' },
                to: { email: `R${i}@example.com` },
                subject: `row ${i}`,
              },
        context:
          i % 3 ? { source: 'compose', userId: `usr_${i}` } : { source: 'batch', jobId: 'job_c', chunkNo: i },
        idempotencyKey: i % 5 ? `key-${i}` : undefined,
        attempt: 1 + (i % 2),
        waitMs: i,
      }),
    );
    const settled = await Promise.allSettled(starts);
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(1);
    expect(settled[7]!.status).toBe('rejected');
    const ids = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
    expect(new Set(ids.filter((id) => id !== null)).size).toBe(n - 1);
    const afterStarts = await attemptWriteStats();
    expect(afterStarts.starts.coalescedWrites).toBeGreaterThan(before.starts.coalescedWrites);

    await Promise.all(
      ids.map((id, i) =>
        id === null
          ? null
          : completeAttempt(id, {
              status: i % 4 ? 200 : 500,
              ok: i % 4 !== 0,
              errorCode: i % 4 ? undefined : 'internal_error',
              requestId: `req_${i}`,
              durationMs: i + 0.4,
              responseBody: i % 4 ? { ok: true, data: { message_id: `eml_${i}` } } : null,
              rateLimit: i % 2 ? { limit: 1800, remaining: i } : {},
            }),
      ),
    );
    const after = await attemptWriteStats();
    expect(after.completions.coalescedWrites).toBeGreaterThan(before.completions.coalescedWrites);

    for (const [i, id] of ids.entries()) {
      if (id === null) continue;
      const [row] = await queryRows<
        Stored & {
          key_profile: string;
          attempt: number;
          wait_ms: number;
          duration_ms: number;
          request_id: string;
        }
      >(
        handle().db,
        sql`select jsonb_typeof(request_body) as request_type, jsonb_typeof(response_body) as response_type,
          jsonb_typeof(rate_limit) as rate_limit_type, request_body, response_body, rate_limit, recipients, message_ids,
          user_id, job_id, chunk_no, idempotency_key, status, ok, error_code, completed_at, key_profile, attempt,
          wait_ms, duration_ms, request_id
          from api_requests where id = ${id}`,
      );
      expect(row).toMatchObject({
        key_profile: i % 2 ? 'sandbox' : 'bulk',
        attempt: 1 + (i % 2),
        wait_ms: i,
        user_id: i % 3 ? `usr_${i}` : null,
        job_id: i % 3 ? null : 'job_c',
        chunk_no: i % 3 ? null : i,
        idempotency_key: i % 5 ? `key-${i}` : null,
        request_type: 'object',
        status: i % 4 ? 200 : 500,
        ok: i % 4 !== 0,
        error_code: i % 4 ? null : 'internal_error',
        request_id: `req_${i}`,
        duration_ms: i,
        response_type: i % 4 ? 'object' : null,
        rate_limit_type: i % 2 ? 'object' : null,
      });
      expect(row!.completed_at).not.toBeNull();
      expect((row!.request_body as { subject: string }).subject).toBe(`row ${i}`);
      expect(row!.recipients).toEqual([`r${i}@example.com`]);
      expect(row!.message_ids).toEqual(i % 4 ? [`eml_${i}`] : []);
    }
  });
});
