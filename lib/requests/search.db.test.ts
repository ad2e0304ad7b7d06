// Why one long file: one seeded request log (set up once, it is slow to build) that every search is checked against.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '@/lib/db';
import { apiRequests, batchJobs } from '@/lib/db/schema';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';
import { loadComposeDraftFromRequest } from '@/lib/requests/open-in-compose';
import { pruneAndMaintain, pruneRequestLog } from '@/lib/requests/prune';
import { completeAttempt, startAttempt, type AttemptStart } from '@/lib/requests/record';
import {
  findByRequestId,
  resetSearchCaches,
  getAttempts,
  getRequest,
  listFilterOptions,
  searchRequests,
  type RequestFilters,
} from '@/lib/requests/search';

const getDb = useTestDatabase();

const message = (to: string, extra: Record<string, unknown> = {}) => ({
  from: { email: 'team@example.com', name: 'Team' },
  to: { email: to },
  subject: `Hello ${to}`,
  html_body: '<p>Hi</p>',
  ...extra,
});

async function call(
  start: Partial<AttemptStart> & { body: unknown },
  done: {
    status: number | null;
    ok: boolean;
    errorCode?: string;
    errorMessage?: string;
    requestId?: string;
    responseBody?: unknown;
  } | null,
) {
  const id = await startAttempt({
    keyProfile: 'transactional',
    method: 'POST',
    path: '/emails/send',
    context: { source: 'compose', userId: 'u-ada', userEmail: 'ada@console.test' },
    attempt: 1,
    waitMs: 0,
    ...start,
  });
  if (done) {
    await completeAttempt(id, {
      status: done.status,
      ok: done.ok,
      errorCode: done.errorCode,
      errorMessage: done.errorMessage,
      requestId: done.requestId,
      durationMs: 42,
      responseBody:
        done.responseBody ?? (done.ok ? { ok: true, data: {}, meta: { request_id: done.requestId } } : null),
    });
  }
  return id;
}

const ids = async (filters: RequestFilters) => (await searchRequests(filters)).items.map((i) => i.id);

let single: number;
let failed: number;
let batch: number;
let retry1: number;
let retry2: number;
let pending: number;
let upload: number;
let jobChunk0: number;
let jobChunk1: number;

beforeAll(async () => {
  single = await call(
    {
      body: message('Ada@Example.com', {
        cc: [{ email: 'Carol@Example.com' }],
        bcc: [{ email: 'dave@example.com' }],
      }),
      idempotencyKey: 'compose-single-1',
    },
    {
      status: 200,
      ok: true,
      requestId: 'req_single000000000000000001',
      responseBody: {
        ok: true,
        data: { message_id: 'eml_single0000000000000001', status: 'queued' },
        meta: { request_id: 'req_single000000000000000001' },
      },
    },
  );
  failed = await call(
    {
      body: message('fail+insufficient_credits@example.com'),
      idempotencyKey: 'compose-failed-1',
      keyProfile: 'marketing',
      context: { source: 'compose', userEmail: 'bob@console.test' },
    },
    {
      status: 402,
      ok: false,
      errorCode: 'insufficient_credits',
      errorMessage: 'Not enough credits',
      requestId: 'req_failed000000000000000001',
      responseBody: {
        ok: false,
        error: { code: 'insufficient_credits', message: 'Not enough credits', retryable: false },
        meta: { request_id: 'req_failed000000000000000001' },
      },
    },
  );
  batch = await call(
    {
      path: '/emails/send/batch',
      body: { messages: [message('eve@example.com'), message('frank@example.com')] },
      idempotencyKey: 'manual-batch-1',
      context: { source: 'manual_batch', userEmail: 'ada@console.test' },
    },
    {
      status: 200,
      ok: true,
      requestId: 'req_batch0000000000000000001',
      responseBody: {
        ok: true,
        data: {
          results: [
            { index: 1, message_id: 'eml_batch0000000000000000002', status: 'queued' },
            { index: 0, message_id: 'eml_batch0000000000000000001', status: 'queued' },
          ],
          summary: { total: 2, queued: 2, failed: 0 },
        },
        meta: { request_id: 'req_batch0000000000000000001' },
      },
    },
  );
  retry1 = await call(
    { body: message('flaky+503@example.com'), idempotencyKey: 'compose-flaky-1' },
    { status: 503, ok: false, errorCode: 'service_unavailable', requestId: 'req_flaky0000000000000000001' },
  );
  retry2 = await call(
    { body: message('flaky+503@example.com'), idempotencyKey: 'compose-flaky-1', attempt: 2, waitMs: 2000 },
    { status: 200, ok: true, requestId: 'req_flaky0000000000000000002' },
  );
  pending = await call({ body: message('slow+9000@example.com'), idempotencyKey: 'compose-pending-1' }, null);
  upload = await call(
    {
      path: '/emails/attachments',
      body: new Uint8Array(12),
      query: { filename: 'a.pdf', content_type: 'application/pdf' },
      context: { source: 'upload', userEmail: 'ada@console.test' },
    },
    { status: 201, ok: true, requestId: 'req_upload000000000000000001' },
  );
  const db = getDb().db;
  await db.insert(batchJobs).values({
    id: 'jb7k2m',
    name: 'May newsletter',
    status: 'running',
    keyProfile: 'marketing',
    totalRows: 200,
    columns: ['email'],
    spec: {},
  });
  jobChunk0 = await call(
    {
      path: '/emails/send/batch',
      body: { messages: [message('row0@example.com')] },
      idempotencyKey: 'job:jb7k2m:chunk:0:try:1',
      context: { source: 'batch', jobId: 'jb7k2m', chunkNo: 0 },
    },
    { status: 200, ok: true, requestId: 'req_job00000000000000000000' },
  );
  jobChunk1 = await call(
    {
      path: '/emails/send/batch',
      body: { messages: [message('row1@example.com')] },
      idempotencyKey: 'job:jb7k2m:chunk:1:try:1',
      context: { source: 'batch', jobId: 'jb7k2m', chunkNo: 1 },
    },
    { status: 429, ok: false, errorCode: 'rate_limit_exceeded', requestId: 'req_job00000000000000000001' },
  );
});

describe('the search box', () => {
  it('finds a request by request_id', async () => {
    const r = await searchRequests({ q: 'req_failed000000000000000001' });
    expect(r.query.kind).toBe('request_id');
    expect(r.items.map((i) => i.id)).toEqual([failed]);
    expect(r.items[0]).toMatchObject({
      status: 402,
      ok: false,
      errorCode: 'insufficient_credits',
      keyProfile: 'marketing',
      userEmail: 'bob@console.test',
    });
  });

  it('finds a single send and a batch by an eml_ id from their responses', async () => {
    expect(await ids({ q: 'eml_single0000000000000001' })).toEqual([single]);
    expect(await ids({ q: 'eml_batch0000000000000000002' })).toEqual([batch]);
    expect(await ids({ q: 'eml_nothing' })).toEqual([]);
  });

  it('finds every attempt under an idempotency key', async () => {
    expect(await ids({ q: 'compose-flaky-1' })).toEqual([retry2, retry1]);
  });

  it('falls back to the request_id for a bare value that is no idempotency key', async () => {
    await getDb().db.execute(
      sql`UPDATE api_requests SET request_id = 'odd-request-id-without-prefix' WHERE id = ${upload}`,
    );
    expect(await ids({ q: 'odd-request-id-without-prefix' })).toEqual([upload]);
    await getDb().db.execute(
      sql`UPDATE api_requests SET request_id = 'req_upload000000000000000001' WHERE id = ${upload}`,
    );
  });

  // Both query shapes: without planner statistics (GIN first) and with them (the planner picks).
  for (const stats of [false, true]) {
    it(`finds an address in to, cc and bcc, whatever its case (${stats ? 'with' : 'without'} planner statistics)`, async () => {
      const db = getDb().db;
      if (stats) await db.execute(sql`ANALYZE api_requests`);
      else await db.execute(sql`DELETE FROM pg_statistic WHERE starelid = 'api_requests'::regclass`);
      resetSearchCaches();
      expect(await ids({ q: 'ada@example.com' })).toEqual([single]);
      expect(await ids({ q: 'CAROL@example.COM' })).toEqual([single]);
      expect(await ids({ q: 'Dave@Example.Com' })).toEqual([single]);
      expect(await ids({ q: 'frank@example.com' })).toEqual([batch]);
      expect(await ids({ q: 'flaky+503@example.com' })).toEqual([retry2, retry1]);
      expect(await ids({ q: 'flaky+503@example.com', outcome: 'ok' })).toEqual([retry2]);
      expect(await ids({ q: 'nobody@example.com' })).toEqual([]);
      const first = await searchRequests({ q: 'flaky+503@example.com', limit: 1 });
      expect(first.items.map((i) => i.id)).toEqual([retry2]);
      expect(
        (await searchRequests({ q: 'flaky+503@example.com', limit: 1, before: first.nextCursor! })).items.map(
          (i) => i.id,
        ),
      ).toEqual([retry1]);
    });
  }

  it('finds a batch job by job:<id>, by one chunk, by its bare id, and a chunk try by its key', async () => {
    expect(await ids({ q: 'job:jb7k2m' })).toEqual([jobChunk1, jobChunk0]);
    expect(await ids({ q: 'job:jb7k2m:chunk:1' })).toEqual([jobChunk1]);
    const bare = await searchRequests({ q: 'jb7k2m' });
    expect(bare.query).toMatchObject({ kind: 'job', jobId: 'jb7k2m' });
    expect(bare.items.map((i) => i.id)).toEqual([jobChunk1, jobChunk0]);
    expect(await ids({ q: 'job:jb7k2m:chunk:0:try:1' })).toEqual([jobChunk0]);
  });

  it('lists everything newest first without a query, with a recipients summary', async () => {
    const r = await searchRequests({});
    expect(r.items.map((i) => i.id)).toEqual([
      jobChunk1,
      jobChunk0,
      upload,
      pending,
      retry2,
      retry1,
      batch,
      failed,
      single,
    ]);
    expect(r.nextCursor).toBeNull();
    const s = r.items.find((i) => i.id === single)!;
    expect(s.recipients).toEqual(['ada@example.com', 'carol@example.com', 'dave@example.com']);
    expect(s.recipientCount).toBe(3);
  });
});

describe('filters', () => {
  it('outcome: ok, failed, pending', async () => {
    expect(await ids({ outcome: 'failed' })).toEqual([jobChunk1, retry1, failed]);
    expect(await ids({ outcome: 'pending' })).toEqual([pending]);
    expect(await ids({ outcome: 'ok' })).toEqual([jobChunk0, upload, retry2, batch, single]);
  });

  it('error code, endpoint, key profile, user', async () => {
    expect(await ids({ errorCode: 'service_unavailable' })).toEqual([retry1]);
    expect(await ids({ path: '/emails/attachments' })).toEqual([upload]);
    expect(await ids({ path: '/emails/send/batch', outcome: 'ok' })).toEqual([jobChunk0, batch]);
    expect(await ids({ keyProfile: 'marketing' })).toEqual([failed]);
    expect(await ids({ userEmail: 'bob@console.test' })).toEqual([failed]);
    expect(
      await ids({ userEmail: 'ada@console.test', q: 'flaky+503@example.com', outcome: 'failed' }),
    ).toEqual([retry1]);
  });

  it('time range: from inclusive, to exclusive', async () => {
    const db = getDb().db;
    await db.execute(sql`UPDATE api_requests SET created_at = '2020-01-01T10:00:00Z' WHERE id = ${failed}`);
    await db.execute(sql`UPDATE api_requests SET created_at = '2020-01-01T11:00:00Z' WHERE id = ${single}`);
    try {
      expect(
        await ids({ from: new Date('2020-01-01T10:00:00Z'), to: new Date('2020-01-01T11:00:00Z') }),
      ).toEqual([failed]);
      expect(
        await ids({ from: new Date('2020-01-01T10:00:01Z'), to: new Date('2020-01-02T00:00:00Z') }),
      ).toEqual([single]);
      expect(await ids({ to: new Date('2021-01-01T00:00:00Z') })).toEqual([single, failed]);
    } finally {
      await db.execute(sql`UPDATE api_requests SET created_at = now() WHERE id IN (${failed}, ${single})`);
    }
  });
});

describe('detail lookups', () => {
  it('getRequest returns the stored row with bodies; findByRequestId resolves a req_ id', async () => {
    const d = await getRequest(batch, { role: 'admin' });
    expect(d).toMatchObject({
      id: batch,
      path: '/emails/send/batch',
      source: 'manual_batch',
      messageCount: 2,
      messageIds: ['eml_batch0000000000000000002', 'eml_batch0000000000000000001'],
    });
    expect(d?.requestBody).toMatchObject({
      messages: [{ to: { email: 'eve@example.com' } }, { to: { email: 'frank@example.com' } }],
    });
    expect(await getRequest(999_999, { role: 'admin' })).toBeNull();
    expect(await findByRequestId('req_batch0000000000000000001')).toEqual([batch]);
  });

  it('getAttempts lists the attempts under one key on one endpoint, in the order they were made', async () => {
    const a = await getAttempts('compose-flaky-1', '/emails/send');
    expect(a.map((x) => [x.id, x.attempt, x.status, x.waitMs])).toEqual([
      [retry1, 1, 503, 0],
      [retry2, 2, 200, 2000],
    ]);
    // Same key on another endpoint is another request.
    expect(await getAttempts('compose-flaky-1', '/emails/send/batch')).toEqual([]);
    // created_at ties are broken by id.
    await getDb().db.execute(
      sql`UPDATE api_requests SET created_at = '2030-01-01T00:00:00Z' WHERE id IN (${retry1}, ${retry2})`,
    );
    expect((await getAttempts('compose-flaky-1', '/emails/send')).map((x) => x.id)).toEqual([retry1, retry2]);
    await getDb().db.execute(
      sql`UPDATE api_requests SET created_at = now() WHERE id IN (${retry1}, ${retry2})`,
    );
  });

  it('listFilterOptions offers the codes, endpoints, profiles and users seen', async () => {
    const o = await listFilterOptions();
    expect(o.errorCodes).toEqual(['insufficient_credits', 'rate_limit_exceeded', 'service_unavailable']);
    expect(o.paths).toEqual(['/emails/attachments', '/emails/send', '/emails/send/batch']);
    expect(o.keyProfiles).toEqual(['marketing', 'transactional']);
    expect(o.users).toEqual(['ada@console.test', 'bob@console.test']);
  });

  it('loadComposeDraftFromRequest turns a logged send into form values and says attachments need attaching again', async () => {
    const withAttachment = await call(
      {
        body: message('grace@example.com', {
          attachments: [{ filename: 'report.pdf', content: Buffer.from('pdf bytes').toString('base64') }],
          custom_headers: { 'X-Campaign': 'may' },
        }),
        idempotencyKey: 'compose-attach-1',
      },
      { status: 200, ok: true, requestId: 'req_attach00000000000000001' },
    );
    const draft = await loadComposeDraftFromRequest(withAttachment);
    expect(draft?.profile).toBe('transactional');
    expect(draft?.message).toMatchObject({
      to: { email: 'grace@example.com', name: '' },
      subject: 'Hello grace@example.com',
      headers: [{ name: 'X-Campaign', value: 'may' }],
      attachments: [],
    });
    expect(draft?.notes.join(' ')).toMatch(/attach the file again/);
    expect(draft?.notes.join(' ')).toContain('report.pdf');

    const second = await loadComposeDraftFromRequest(batch, 1);
    expect(second?.message.to.email).toBe('frank@example.com');
    expect(await loadComposeDraftFromRequest(batch, 5)).toBeNull();
    expect(await loadComposeDraftFromRequest(upload)).toBeNull();
    expect(await loadComposeDraftFromRequest(123_456)).toBeNull();
    await getDb().db.execute(sql`DELETE FROM api_requests WHERE id = ${withAttachment}`);
  });
});

describe('keyset pagination', () => {
  it('pages newest first; rows that arrive between pages neither repeat nor push older rows out', async () => {
    const db = getDb().db;
    await db.execute(sql`DELETE FROM api_requests`);
    // 60 rows share one created_at (one statement, one now()) and 60 more differ only in microseconds, so ties and sub-millisecond order both matter.
    await db.execute(sql`INSERT INTO api_requests (key_profile, method, path, source, idempotency_key, created_at)
      SELECT 'p', 'POST', '/emails/send', 'compose', 'tie-' || g, '2026-03-01T12:00:00.000000Z'::timestamptz FROM generate_series(1, 60) g`);
    await db.execute(sql`INSERT INTO api_requests (key_profile, method, path, source, idempotency_key, created_at)
      SELECT 'p', 'POST', '/emails/send', 'compose', 'us-' || g, '2026-03-01T12:00:00.000000Z'::timestamptz + (g || ' microseconds')::interval FROM generate_series(1, 60) g`);
    const expected = (
      await queryRows<{ id: string }>(db, sql`SELECT id FROM api_requests ORDER BY created_at DESC, id DESC`)
    ).map((r) => Number(r.id));
    expect(expected).toHaveLength(120);

    const page1 = await searchRequests({});
    expect(page1.items.map((i) => i.id)).toEqual(expected.slice(0, 50));
    expect(page1.nextCursor).toMatch(/^20260301T120000\.0000\d\dZ_\d+$/);

    // New traffic lands while the user reads page 1.
    for (let i = 0; i < 25; i++)
      await call({ body: message(`new${i}@example.com`) }, { status: 200, ok: true });

    const page2 = await searchRequests({ before: page1.nextCursor! });
    expect(page2.items.map((i) => i.id)).toEqual(expected.slice(50, 100));
    const page3 = await searchRequests({ before: page2.nextCursor! });
    expect(page3.items.map((i) => i.id)).toEqual(expected.slice(100));
    expect(page3.nextCursor).toBeNull();

    // Filters and the cursor combine.
    const filtered = await searchRequests({ outcome: 'pending', limit: 7, before: page1.nextCursor! });
    expect(filtered.items.map((i) => i.id)).toEqual(expected.slice(50, 57));
    expect((await searchRequests({})).items).toHaveLength(50);
    expect((await searchRequests({})).items[0]!.recipients[0]).toBe('new24@example.com');
  });

  it('a cursor works inside an exact search too', async () => {
    for (let i = 0; i < 5; i++)
      await call(
        { body: message('paged@example.com'), idempotencyKey: 'paged-key' },
        { status: 503, ok: false, errorCode: 'service_unavailable' },
      );
    const first = await searchRequests({ q: 'paged-key', limit: 2 });
    const second = await searchRequests({ q: 'paged-key', limit: 2, before: first.nextCursor! });
    const third = await searchRequests({ q: 'paged-key', limit: 2, before: second.nextCursor! });
    const all = [...first.items, ...second.items, ...third.items].map((i) => i.id);
    expect(new Set(all).size).toBe(5);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(third.nextCursor).toBeNull();
  });
});

describe('pruning', () => {
  it('deletes only rows older than the retention window, in batches', async () => {
    const db = getDb().db;
    await db.execute(sql`DELETE FROM api_requests`);
    const now = new Date('2026-06-30T12:00:00Z');
    await db.execute(sql`INSERT INTO api_requests (key_profile, method, path, source, created_at)
      SELECT 'p', 'POST', '/emails/send', 'compose', ${now.toISOString()}::timestamptz - (g || ' hours')::interval FROM generate_series(1, 24 * 40) g`);
    // 30 days = 720 hours: rows 1..719 h old stay, 720 h is exactly at the cutoff and stays, older ones go.
    const deleted = await pruneRequestLog({ retentionDays: 30, now, batchSize: 17 });
    expect(deleted).toBe(24 * 40 - 720);
    const [left] = await queryRows<{ n: string; oldest: string }>(
      db,
      sql`SELECT count(*) AS n, min(created_at)::text AS oldest FROM api_requests`,
    );
    expect(Number(left!.n)).toBe(720);
    expect(new Date(left!.oldest).toISOString()).toBe(
      new Date(now.getTime() - 720 * 3_600_000).toISOString(),
    );
    expect(await pruneRequestLog({ retentionDays: 30, now })).toBe(0);
    const all = await db.select({ id: apiRequests.id }).from(apiRequests);
    expect(all).toHaveLength(720);
  });

  it('the scheduled run prunes with the configured retention and leaves the planner statistics fresh', async () => {
    const db = getDb().db;
    await db.execute(sql`DELETE FROM api_requests`);
    await db.execute(sql`INSERT INTO api_requests (key_profile, method, path, source, created_at)
      VALUES ('p', 'GET', '/me', 'settings', now() - interval '31 days'), ('p', 'GET', '/me', 'settings', now() - interval '29 days')`);
    expect(await pruneAndMaintain()).toBe(1);
    const [stats] = await queryRows<{ n: string }>(
      db,
      sql`SELECT count(*) AS n FROM pg_stats WHERE tablename = 'api_requests'`,
    );
    // PGlite has no autovacuum, so the run analyzes it; PostgreSQL is left to its own daemon.
    if (testEngine() === 'pglite') expect(Number(stats!.n)).toBeGreaterThan(0);
  });
});

describe('management calls in the request log', () => {
  it('the endpoint filter and its options take a path whose query string was kept', async () => {
    const db = getDb().db;
    await db.execute(sql`DELETE FROM api_requests`);
    const lookup = (path: string, source: 'delivery_logs' | 'settings' = 'delivery_logs') =>
      call(
        { keyProfile: 'management', method: 'GET', path, body: undefined, context: { source } },
        {
          status: 200,
          ok: true,
          requestId: `req_${path.length}`,
        },
      );
    const list = await lookup('/emails/logs?search=ada%40example.com&limit=100');
    const detail = await lookup('/emails/logs/dlog_0000000000000000000000ab');
    // A different endpoint that merely starts with the same characters is not matched.
    await lookup('/emails/logsx', 'settings');
    resetSearchCaches();
    expect(await ids({ path: '/emails/logs' })).toEqual([list]);
    expect(await ids({ path: '/emails/logs?search=ada%40example.com&limit=100' })).toEqual([list]);
    expect(await ids({ path: '/emails/logs/dlog_0000000000000000000000ab' })).toEqual([detail]);
    expect((await listFilterOptions()).paths).toEqual([
      '/emails/logs',
      '/emails/logs/dlog_0000000000000000000000ab',
      '/emails/logsx',
    ]);
  });
});
