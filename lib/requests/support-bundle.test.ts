import { describe, expect, it } from 'vitest';
import type { AttemptSummary, RequestDetail } from '@/lib/requests/search';
import { buildSupportBundle, scrubSecrets } from '@/lib/requests/support-bundle';

const CANARY = 'smx_mbx_canary_9f3b2c7d1e4a5b6c7d8e9f00';
const AGENT = 'smx_agent_Zz9_abcdefghijkl';
const PDF_BASE64 = Buffer.from('%PDF-1.7 secret attachment bytes '.repeat(20)).toString('base64');

function row(overrides: Partial<RequestDetail> = {}): RequestDetail {
  return {
    id: 42,
    createdAt: '2026-05-01T14:03:22.123456Z',
    completedAt: '2026-05-01T14:03:22.250000Z',
    method: 'POST',
    path: '/emails/send',
    source: 'compose',
    keyProfile: 'transactional',
    userId: 'u1',
    userEmail: 'ada@example.com',
    status: 402,
    ok: false,
    errorCode: 'insufficient_credits',
    errorMessage: 'Team balance too low',
    requestId: 'req_abc123def456ghi789jkl012',
    idempotencyKey: 'compose-7f3a',
    durationMs: 127,
    attempt: 1,
    waitMs: 0,
    nextRetryAt: null,
    recipients: ['fail+insufficient_credits@example.com'],
    recipientCount: 1,
    messageCount: 1,
    jobId: null,
    chunkNo: null,
    messageIds: [],
    rateLimit: null,
    transport: 'http',
    transcript: null,
    requestBody: {
      from: { email: 'team@example.com' },
      to: { email: 'fail+insufficient_credits@example.com' },
      subject: 'Invoice',
      html_body: `<p>Ref ${CANARY}</p>`,
      attachments: [{ filename: 'invoice.pdf', type: 'application/pdf', size_bytes: 680 }],
    },
    responseBody: {
      ok: false,
      error: { code: 'insufficient_credits', message: 'Team balance too low', retryable: false },
      meta: { request_id: 'req_abc123def456ghi789jkl012' },
    },
    ...overrides,
  };
}

describe('buildSupportBundle', () => {
  it('carries what support needs: request_id, time, endpoint, status, error meaning, key, profile name, user', () => {
    const text = buildSupportBundle(row(), []);
    expect(text).toContain('req_abc123def456ghi789jkl012');
    expect(text).toContain('2026-05-01T14:03:22.123Z');
    expect(text).toContain('POST /emails/send');
    expect(text).toMatch(/HTTP status:\s+402/);
    expect(text).toContain('insufficient_credits — Not enough credits');
    expect(text).toContain("The team's balance is too low");
    expect(text).toMatch(/idempotency key:\s+compose-7f3a/);
    expect(text).toMatch(/key profile:\s+transactional/);
    expect(text).toContain('ada@example.com');
    expect(text).toContain('"subject": "Invoice"');
    expect(text).toContain('"size_bytes": 680');
  });

  it('never contains a key, even one planted in the stored request and response', () => {
    const planted = row({
      errorMessage: `Bad key ${AGENT}`,
      responseBody: {
        ok: false,
        error: {
          code: 'authentication_required',
          message: `Key ${CANARY} revoked`,
          note: `Authorization: Bearer ${CANARY}`,
        },
      },
      errorCode: 'authentication_required',
    });
    const text = buildSupportBundle(planted, []);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(AGENT);
    expect(text).not.toMatch(/smx_(mbx|agent|root)_[A-Za-z0-9_]{6,}/);
    expect(text).toContain('smx_mbx_…9f00');
  });

  it('never contains attachment content, even if a body slipped into the log unredacted', () => {
    const leaked = row({
      requestBody: {
        messages: [
          {
            from: { email: 'a@example.com' },
            to: { email: 'b@example.com' },
            subject: 's',
            html_body: 'h',
            attachments: [{ filename: 'q3.pdf', content: PDF_BASE64 }],
          },
        ],
      },
      path: '/emails/send/batch',
    });
    const text = buildSupportBundle(leaked, []);
    expect(text).not.toContain(PDF_BASE64.slice(0, 40));
    expect(text).toContain('"filename": "q3.pdf"');
    expect(text).toContain(
      `"size_bytes": ${Buffer.from('%PDF-1.7 secret attachment bytes '.repeat(20)).length}`,
    );
  });

  it('summarises every attempt under the idempotency key, marking this one', () => {
    const attempts: AttemptSummary[] = [
      {
        id: 41,
        createdAt: '2026-05-01T14:03:20.000000Z',
        completedAt: null,
        attempt: 1,
        waitMs: 0,
        status: 503,
        ok: false,
        errorCode: 'service_unavailable',
        requestId: 'req_first',
        durationMs: 120,
        nextRetryAt: '2026-05-01T14:03:22Z',
      },
      {
        id: 42,
        createdAt: '2026-05-01T14:03:22.123456Z',
        completedAt: null,
        attempt: 2,
        waitMs: 2000,
        status: 200,
        ok: true,
        errorCode: null,
        requestId: 'req_second',
        durationMs: 45,
        nextRetryAt: null,
      },
    ];
    const text = buildSupportBundle(
      row({ ok: true, status: 200, errorCode: null, errorMessage: null, attempt: 2 }),
      attempts,
    );
    expect(text).toContain('Attempts under this idempotency key (2):');
    expect(text).toMatch(
      / {3}2026-05-01T14:03:20\.000Z {2}attempt 1 · 503 service_unavailable · 120 ms {2}\(req_first\)/,
    );
    expect(text).toMatch(/ {2}\* 2026-05-01T14:03:22\.123Z {2}waited 2\.0 s → attempt 2 · 200 · 45 ms/);
  });

  it('says so when no response was recorded', () => {
    const text = buildSupportBundle(
      row({ ok: null, status: null, errorCode: null, requestId: null, responseBody: null }),
      [],
    );
    expect(text).toMatch(/HTTP status:\s+no response recorded/);
    expect(text).toContain('(no response recorded)');
  });

  it('lists field errors by field and failed batch messages by index', () => {
    const batch = row({
      path: '/emails/send/batch',
      status: 200,
      ok: true,
      errorCode: null,
      requestBody: { messages: [{ to: { email: 'ok@example.com' } }, { to: { email: 'bad@example' } }] },
      responseBody: {
        ok: true,
        data: {
          results: [
            {
              index: 1,
              message_id: null,
              status: 'failed',
              error: {
                code: 'validation_error',
                message: 'Invalid email',
                errors: [{ field: 'to.email', code: 'invalid_email', message: 'not an address' }],
              },
            },
            { index: 0, message_id: 'eml_1', status: 'queued' },
          ],
        },
      },
    });
    const text = buildSupportBundle(batch, []);
    expect(text).toContain('Messages not queued (1):');
    expect(text).toContain('[1] bad@example: failed validation_error — Invalid email');
  });
});

describe('scrubSecrets', () => {
  it('masks every key kind and bearer tokens but leaves the $SENDMUX_API_KEY placeholder', () => {
    expect(scrubSecrets(`a smx_root_ABCdef_123456 b`)).toBe('a smx_root_…3456 b');
    expect(scrubSecrets('Bearer abcdefghijklmnop')).toBe('Bearer [redacted]');
    expect(scrubSecrets('Bearer $SENDMUX_API_KEY')).toBe('Bearer $SENDMUX_API_KEY');
  });

  it('an SMTP test send carries its server, reply code, queued id and the redacted transcript', () => {
    const text = buildSupportBundle(
      row({
        method: 'SMTP',
        path: 'SMTP',
        transport: 'smtp',
        source: 'smtp_test',
        status: 535,
        errorCode: 'smtp_auth_failed',
        errorMessage: null,
        requestId: null,
        idempotencyKey: null,
        requestBody: {
          server: 'smtp://smtp.sendmux.ai:587',
          username: 'sendmux',
          to: { email: 'a@example.com' },
        },
        responseBody: { reply: '535 5.7.8 Authentication credentials invalid', queued_id: null },
        transcript: [
          { at: 0, kind: 'info', text: 'Connecting to smtp://smtp.sendmux.ai:587 (STARTTLS required)' },
          { at: 20, kind: 'client', text: 'AUTH PLAIN ***' },
          { at: 31, kind: 'server', text: '535 5.7.8 Authentication credentials invalid' },
          // Defence in depth: a key that slipped into a stored line is masked in the bundle.
          { at: 32, kind: 'info', text: `leaked ${CANARY}` },
        ],
      }),
      [],
    );
    expect(text).toMatch(/^Sendmux SMTP test send — support bundle/);
    expect(text).toMatch(/endpoint:\s+SMTP\n/);
    expect(text).toMatch(/server:\s+smtp:\/\/smtp\.sendmux\.ai:587/);
    expect(text).toMatch(/reply code:\s+535/);
    expect(text).toContain('smtp_auth_failed — Key not accepted (535)');
    expect(text).toContain('Transcript (the AUTH secret is shown as ***):');
    expect(text).toContain('+    20 ms  C: AUTH PLAIN ***');
    expect(text).toContain('+    31 ms  S: 535 5.7.8 Authentication credentials invalid  (11 ms)');
    expect(text).not.toContain('request_id');
    expect(text).not.toContain(CANARY);
  });
});
