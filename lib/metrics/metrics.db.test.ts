import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { GET as readyRoute } from '@/app/api/health/ready/route';
import { createJob } from '@/lib/batch/create-job';
import { fixtureRows } from '@/lib/batch/testing/fixtures';
import { resetEnvForTests } from '@/lib/env';
import { drain, isDraining, resetDrainForTests } from '@/lib/lifecycle/drain';
import { recordSignInFailure } from '@/lib/metrics/registry';
import { observeRateLimit } from '@/lib/sendmux/budget';
import { testEngine, useTestDatabase } from '@/lib/testing/test-db';

const engine = testEngine();
useTestDatabase();
const TOKEN = 'metrics-token-for-tests-0123456789';

beforeAll(() => {
  vi.stubEnv('SENDMUX_KEYS', 'metered=smx_mbx_metrics_test_key_0123456789');
  vi.stubEnv('SENDMUX_API_URL', 'http://127.0.0.1:9/api/v1');
  resetEnvForTests();
});
afterAll(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});
afterEach(() => {
  vi.stubEnv('METRICS_TOKEN', undefined);
  resetEnvForTests();
  resetDrainForTests();
});

const scrape = (authorization?: string) =>
  metricsRoute(
    new Request('http://console.test/api/metrics', {
      headers: authorization ? { authorization } : {},
    }),
  );

describe(`GET /api/metrics (${engine})`, () => {
  it('is 404 while METRICS_TOKEN is unset, token or not', async () => {
    expect((await scrape()).status).toBe(404);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('refuses without the token, with a wrong one or another scheme (401), and says nothing', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    resetEnvForTests();
    for (const header of [
      undefined,
      'Bearer',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      const res = await scrape(header);
      expect(res.status, String(header)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await res.text()).not.toContain('sendmux_console');
    }
  });

  it('with the token: Prometheus text with the budget, job rows and sign-in failures as they are', async () => {
    vi.stubEnv('METRICS_TOKEN', TOKEN);
    resetEnvForTests();
    await createJob({
      name: 'metrics',
      profile: 'metered',
      user: null,
      columns: ['email', 'name'],
      rows: fixtureRows('metrics', 7),
      spec: {},
    });
    await observeRateLimit('metered', {
      rateLimit: { limit: 40, remaining: 33, reset: Math.ceil(Date.now() / 1000) + 50 },
      status: 200,
    });
    recordSignInFailure('bad_password');
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('sendmux_console_rate_budget_limit{profile="metered"} 40');
    expect(text).toContain('sendmux_console_rate_budget_remaining{profile="metered"} 33');
    expect(text).toContain('sendmux_console_batch_rows{status="pending"} 7');
    expect(text).toContain('sendmux_console_batch_jobs{status="running"} 1');
    expect(text).toMatch(/sendmux_console_sign_in_failures_total\{reason="bad_password"\} [1-9]/);
    expect(text).toContain('# TYPE sendmux_console_upstream_request_duration_seconds histogram');
    expect(text).toContain('sendmux_console_draining 0');
    expect(text).not.toContain('smx_mbx_metrics_test_key');
  });
});

describe(`GET /api/health/ready (${engine})`, () => {
  it('is ready with the database migrated, and turns 503 as soon as draining starts', async () => {
    const ok = await readyRoute();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ready: true, draining: false, db: 'ok', migrations: 'applied' });

    let finishStop!: () => void;
    const runner = { stop: () => new Promise<void>((resolve) => (finishStop = resolve)) };
    const drained = drain({ runner, boundMs: 10_000, log: () => undefined });
    expect(isDraining()).toBe(true);
    const during = await readyRoute();
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual({ ready: false, draining: true, db: 'ok', migrations: 'applied' });
    finishStop();
    expect(await drained).toBe(true);
  });

  it('drain gives up at its bound when the work does not finish', async () => {
    const runner = { stop: () => new Promise<void>(() => undefined) };
    const t0 = Date.now();
    expect(await drain({ runner, boundMs: 300, log: () => undefined })).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});
