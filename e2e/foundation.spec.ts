import { expect, request as playwrightRequest, test } from '@playwright/test';
import { E2E } from './support/constants';
import { startConsole } from './support/console-server';
import { expectAccessible, signIn, signOut } from './support/fixtures';

const CONSOLE_PAGES = [
  '/',
  '/compose',
  '/batches',
  '/requests',
  '/sandbox',
  '/settings',
  '/settings/users',
  '/settings/keys',
  '/settings/audit',
  '/settings/smtp',
];

test.describe('first run', () => {
  test('setup link → admin → support user → support is refused Settings → Users', async ({
    page,
  }, testInfo) => {
    // A server start and three scrypt runs at OWASP cost: over a minute on a busy machine.
    test.setTimeout(150_000);
    const server = await startConsole({ port: E2E.extraPortBase + testInfo.workerIndex });
    try {
      const link = /Setup link: (\S+)/.exec(server.log())?.[1];
      expect(link, `the first-run server prints a setup link:\n${server.log()}`).toBeTruthy();
      // The link names localhost; the server listens on 127.0.0.1.
      const setupUrl = link!.replace('localhost', '127.0.0.1');

      await page.goto(`${server.url}/sign-in`);
      await expect(page.getByText('First run: create the admin')).toBeVisible();
      await page.goto(`${server.url}/setup?token=wrong-token`);
      await expect(page.getByText('This setup link is not valid')).toBeVisible();

      await page.goto(setupUrl);
      // Bad input first: the summary takes focus and its link (followed by keyboard) focuses the field.
      await page.getByLabel('Email').fill('first-admin@example.com');
      await page.getByLabel('Password', { exact: true }).fill('first-admin-password');
      await page.getByLabel('Repeat password').fill('first-admin-passwrod');
      await page.getByLabel('Repeat password').press('Enter');
      const summary = page.getByRole('alert').filter({ hasText: 'Fix this to create the admin' });
      await expect(summary).toBeFocused();
      await page.keyboard.press('Tab');
      await expect(
        summary.getByRole('link', { name: 'Repeat password: The two passwords do not match' }),
      ).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.getByLabel('Repeat password')).toBeFocused();
      await expect(page.getByLabel('Email')).toHaveValue('first-admin@example.com');
      await expect(page.getByLabel('Repeat password')).toHaveValue('first-admin-passwrod');
      await expectAccessible(page, 'setup with an error summary');

      await page.getByLabel('Email').fill('first-admin@example.com');
      await page.getByLabel('Password', { exact: true }).fill('first-admin-password');
      await page.getByLabel('Repeat password').fill('first-admin-password');
      await page.getByRole('button', { name: 'Create admin and sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Welcome' })).toBeVisible({ timeout: 30_000 });

      // The link is single-use.
      await page.goto(setupUrl);
      await expect(page.getByText('Setup is already done')).toBeVisible();

      await page.goto(`${server.url}/settings/users`);
      const form = page.locator('form', { has: page.getByRole('button', { name: 'Add user' }) });
      await form.getByLabel('Email').fill('helpdesk@example.com');
      await form.getByLabel('Role').selectOption('support');
      await form.getByLabel('Initial password').fill('helpdesk-password');
      await form.getByRole('button', { name: 'Add user' }).click();
      await expect(page.getByRole('cell', { name: 'helpdesk@example.com', exact: true })).toBeVisible();

      await signOut(page);
      await signIn(page, { email: 'helpdesk@example.com', password: 'helpdesk-password' }, server.url);
      await expect(
        page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }),
      ).toHaveCount(0);
      await page.goto(`${server.url}/settings/users`);
      await expect(page).toHaveURL(/\/forbidden\?need=admin/);
      await expect(page.getByText('You don’t have access to that page')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Add user' })).toHaveCount(0);
    } finally {
      await server.stop();
    }
  });
});

test.describe('signed out', () => {
  for (const path of [...CONSOLE_PAGES, '/batches/new', '/requests/1']) {
    test(`GET ${path} redirects to sign-in`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    });
  }

  test('a wrong password is refused with a clear message and the email is kept', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(E2E.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveValue(E2E.admin.email);
  });

  test('sign-in page has no serious accessibility violations', async ({ page }) => {
    await page.goto('/sign-in');
    await expectAccessible(page);
  });
});

test.describe('server actions check the session and role themselves', () => {
  test.use({ storageState: E2E.storageState('admin') });

  test('replaying the admin "add user" action without a session, or with a support session, changes nothing', async ({
    page,
    browser,
  }) => {
    await page.goto('/settings/users');
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Add user' }) });
    const victim = `replayed-${Date.now()}@example.com`;
    await form.getByLabel('Email').fill(victim);
    await form.getByLabel('Role').selectOption('admin');
    await form.getByLabel('Initial password').fill('replayed-password');

    // Capture the browser's real action request, without letting it reach the server.
    let captured: { url: string; headers: Record<string, string>; body: string } | undefined;
    await page.route('**/settings/users', async (route) => {
      const req = route.request();
      if (req.method() === 'POST' && req.headers()['next-action']) {
        captured = { url: req.url(), headers: req.headers(), body: req.postData() ?? '' };
        await route.abort();
      } else await route.continue();
    });
    await form.getByRole('button', { name: 'Add user' }).click();
    await expect.poll(() => captured).toBeTruthy();
    await page.unroute('**/settings/users');
    const { cookie: _cookie, ...headers } = captured!.headers;

    // 1. No session at all.
    const anonymous = await playwrightRequest.newContext({ storageState: { cookies: [], origins: [] } });
    const anon = await anonymous.post(captured!.url, { headers, data: captured!.body, maxRedirects: 0 });
    expect(await anon.text()).not.toContain(victim);
    // …and sends the user back to the page the action was called from once signed in.
    expect(anon.headers()['x-action-redirect'] ?? anon.headers()['location'] ?? '').toContain(
      '/sign-in?next=%2Fsettings%2Fusers',
    );
    await anonymous.dispose();

    // 2. A support user's session.
    const supportCtx = await browser.newContext({ storageState: E2E.storageState('support') });
    const supportCookies = (await supportCtx.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const asSupport = await supportCtx.request.post(captured!.url, {
      headers: { ...headers, cookie: supportCookies },
      data: captured!.body,
      maxRedirects: 0,
    });
    expect(await asSupport.text()).not.toContain(victim);
    expect(asSupport.headers()['x-action-redirect'] ?? asSupport.headers()['location'] ?? '').toContain(
      '/forbidden',
    );
    await supportCtx.close();

    // Nothing was created.
    await page.reload();
    await expect(page.getByRole('cell', { name: victim, exact: true })).toHaveCount(0);
  });
});

test.describe('roles', () => {
  test('a sender cannot open Settings → Users but can open the rest', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: E2E.storageState('sender') });
    const page = await ctx.newPage();
    await page.goto('/settings/users');
    await expect(page).toHaveURL(/\/forbidden\?need=admin/);
    await page.goto('/compose');
    await expect(page).toHaveURL(/\/compose/);
    await ctx.close();
  });

  test('support cannot open Compose', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: E2E.storageState('support') });
    const page = await ctx.newPage();
    await page.goto('/compose');
    await expect(page).toHaveURL(/\/forbidden\?need=sender/);
    await ctx.close();
  });
});

test.describe('accessibility of every console page', () => {
  test.use({ storageState: E2E.storageState('admin') });
  for (const path of CONSOLE_PAGES) {
    test(`${path} has no serious or critical axe violations`, async ({ page }) => {
      await page.goto(path);
      await expect(page.locator('main h1').first()).toBeVisible();
      await expectAccessible(page);
    });
  }
});

test('health answers without auth and without secrets', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true, mode: 'sandbox', db: 'pglite' });
});

test('readiness at /api/health/ready; /api/metrics is 404 without METRICS_TOKEN', async ({ request }) => {
  const ready = await request.get('/api/health/ready');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ ready: true, draining: false, db: 'ok', migrations: 'applied' });
  expect((await request.get('/api/metrics')).status()).toBe(404);
});

test('metrics need the bearer token; SIGTERM drains and exits 0', async ({}, testInfo) => {
  const token = 'e2e-metrics-token-0123456789';
  const server = await startConsole({
    port: E2E.extraPortBase + 50 + testInfo.workerIndex,
    env: { METRICS_TOKEN: token, NEXT_MANUAL_SIG_HANDLE: 'true' },
  });
  try {
    const get = (authorization?: string) =>
      fetch(`${server.url}/api/metrics`, { headers: authorization ? { authorization } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('Bearer not-the-token-at-all-000')).status).toBe(401);
    const res = await get(`Bearer ${token}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE sendmux_console_upstream_requests_total counter');
    expect(text).toContain('sendmux_console_draining 0');
  } finally {
    await server.stop('SIGTERM');
  }
  expect(await server.exited).toBe(0);
  expect(server.log()).toContain('Drained: exiting');
});

test('a second console on the same PGlite directory refuses to start', async ({}, testInfo) => {
  const second = await startConsole({
    port: E2E.extraPortBase + 10 + testInfo.workerIndex,
    dataDir: E2E.dataDir,
    waitForReady: false,
  });
  // The refusal happens when the database is first opened, at start-up or on the first request.
  await new Promise((r) => setTimeout(r, 3000));
  await fetch(`${second.url}/api/health`).catch(() => undefined);
  const code = await Promise.race([
    second.exited,
    new Promise<'running'>((r) => setTimeout(() => r('running'), 30_000)),
  ]);
  await second.stop();
  expect(code).not.toBe('running');
  expect(code).not.toBe(0);
  expect(second.log()).toContain('Another Sendmux Console process');
});
