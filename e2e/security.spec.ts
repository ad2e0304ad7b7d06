// The console's security promises, checked from the browser: where sign-in may send you, the
// script policy, remote images in previews, cookies and headers under https, and the audit log.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, request as playwrightRequest, test, type Page } from '@playwright/test';
import { startConsole } from './support/console-server';
import { E2E } from './support/constants';
import { addUser, expectAccessible, openCompose, signIn } from './support/fixtures';
import { uniqueAddress } from './support/sandbox';

const CONSOLE_ORIGIN = new URL(E2E.baseUrl).origin;
const root = path.resolve(import.meta.dirname, '..');

// As the issue lists them, written into the query string as-is (Next decodes them once).
const HOSTILE_NEXT = [
  '//evil.example',
  '/\\evil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  '/%09/evil.example',
  '/%2F%2Fevil.example',
  'https://evil.example',
  'javascript:alert(document.domain)',
  '/%0d%0aLocation:%20https://evil.example',
  // The same, percent-encoded once more: the page then receives the literal escapes.
  encodeURIComponent('/%5Cevil.example'),
  encodeURIComponent('//evil.example'),
];

/** Fails the test if the browser so much as asks for evil.example. */
async function watchForEvil(page: Page) {
  const asked: string[] = [];
  await page.context().route(
    (url) => url.hostname.endsWith('evil.example'),
    async (route) => {
      asked.push(route.request().url());
      await route.abort();
    },
  );
  return asked;
}

test.describe('after sign-in, only the console’s own pages', () => {
  test('each hostile next lands on the console', async ({ browser }) => {
    test.setTimeout(HOSTILE_NEXT.length * 45_000);
    const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await ctx.newPage();
    const asked = await watchForEvil(page);
    for (const next of HOSTILE_NEXT) {
      await page.goto(`/sign-in?next=${next}`);
      await page.getByLabel('Email').fill(E2E.admin.email);
      await page.getByLabel('Password').fill(E2E.admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page, `next=${next}`).not.toHaveURL(/\/sign-in/, { timeout: 30_000 });
      expect(new URL(page.url()).origin, `next=${next}`).toBe(CONSOLE_ORIGIN);
      await ctx.clearCookies({ name: 'smx_session' });
    }
    expect(asked).toEqual([]);
    await ctx.close();
  });

  test('a signed-in visitor to /sign-in?next=… is sent to the console too', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: E2E.storageState('admin') });
    const page = await ctx.newPage();
    const asked = await watchForEvil(page);
    for (const next of HOSTILE_NEXT) {
      await page.goto(`/sign-in?next=${next}`);
      expect(new URL(page.url()).origin, `next=${next}`).toBe(CONSOLE_ORIGIN);
      expect(new URL(page.url()).pathname, `next=${next}`).not.toBe('/sign-in');
    }
    // A real page of the console still works as a way back.
    await page.goto('/sign-in?next=%2Frequests%3Foutcome%3Dfailed');
    await expect(page).toHaveURL(`${E2E.baseUrl}/requests?outcome=failed`);
    expect(asked).toEqual([]);
    await ctx.close();
  });
});

test.describe('content security policy', () => {
  test.use({ storageState: E2E.storageState('admin') });

  test('scripts need this response’s nonce: Next’s carry it, an injected one does not run', async ({
    page,
  }) => {
    const response = await page.goto('/settings');
    const csp = response!.headers()['content-security-policy'] ?? '';
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonces = await page
      .locator('script')
      .evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
    expect(nonces.length).toBeGreaterThan(0);
    expect(new Set(nonces)).toEqual(new Set([nonce]));
    // A fresh nonce for every response.
    const again = await page.request.get('/settings');
    expect(again.headers()['content-security-policy']).not.toContain(nonce);

    // An attacker's inline script in the HTML (as a stored XSS would put it) is refused; the page still works.
    await page.route('**/settings/users', async (route) => {
      const original = await route.fetch();
      const body = (await original.text()).replace(
        '</body>',
        '<script>window.__injected = true</script><img src=x onerror="window.__injected = true"></body>',
      );
      const headers = { ...original.headers() };
      delete headers['content-encoding'];
      delete headers['content-length'];
      await route.fulfill({ status: original.status(), headers, body });
    });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/.test(m.text())) violations.push(m.text());
    });
    await page.goto('/settings/users');
    await expect(page.getByRole('button', { name: 'Add user' })).toBeVisible();
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
    // Hydrated: the client-side form validation answers.
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByText('Enter an email address', { exact: true })).toBeVisible();
  });

  test('route handlers answer under a policy that allows nothing', async ({ request }) => {
    const res = await request.get('/api/health');
    expect(res.headers()['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'; sandbox",
    );
  });
});

test.describe('email previews', () => {
  test.use({ storageState: E2E.storageState('sender') });

  test('fetch no remote image until “Load remote images”', async ({ page }) => {
    let hits = 0;
    await page.route('http://tracker.example/**', async (route) => {
      hits++;
      await route.fulfill({
        contentType: 'image/gif',
        body: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
      });
    });
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/tracker\.example/.test(m.text()) && /Content Security Policy/.test(m.text()))
        blocked.push(m.text());
    });
    await openCompose(page);
    await page
      .getByLabel('HTML body', { exact: true })
      .fill('<p>Hello</p><img alt="pixel" src="http://tracker.example/open.gif?u=42">');
    const frame = page.getByTitle('HTML preview at desktop width');
    await expect(frame).toBeVisible();
    // The frame tried, and its policy refused: no request left the browser.
    await expect.poll(() => blocked.length).toBeGreaterThan(0);
    expect(hits).toBe(0);

    const tracked = page.waitForRequest(/tracker\.example\/open\.gif/);
    await page.getByRole('button', { name: 'Load remote images' }).first().click();
    await tracked;
    await expect.poll(() => hits).toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: 'Load remote images' })).toHaveCount(0);
  });
});

/** The build's id for a server action, by name (as Next's client would post it). */
function actionId(name: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, e]) => e.exportedName === name)?.[0];
  if (!id) throw new Error(`no server action named ${name} in the build`);
  return id;
}

test.describe('an https APP_URL', () => {
  test('gets __Host- Secure cookies and HSTS; the plain-http console gets neither', async ({}, testInfo) => {
    test.setTimeout(120_000);
    const port = E2E.extraPortBase + 50 + testInfo.workerIndex;
    const admin = { email: 'tls-admin@example.com', password: 'tls-admin-password' };
    const server = await startConsole({
      port,
      env: {
        APP_URL: `https://console.example.test:${port}`,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
      },
    });
    const { encodeReply } = createRequire(path.join(root, 'package.json'))(
      'next/dist/compiled/react-server-dom-turbopack/client.node',
    ) as { encodeReply: (args: unknown[]) => Promise<string> };
    const api = await playwrightRequest.newContext({ baseURL: server.url });
    try {
      const page = await api.get('/sign-in');
      expect(page.headers()['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(page.headers()['content-security-policy']).toContain('upgrade-insecure-requests');

      const signedIn = await api.post('/sign-in', {
        headers: {
          'Next-Action': actionId('signInAction'),
          Accept: 'text/x-component',
          Origin: server.url,
          'Content-Type': 'text/plain;charset=UTF-8',
        },
        data: await encodeReply([{ ...admin, next: '/settings' }]),
        maxRedirects: 0,
      });
      const cookies = signedIn
        .headersArray()
        .filter((h) => h.name.toLowerCase() === 'set-cookie')
        .map((h) => h.value);
      const session = cookies.find((c) => c.startsWith('__Host-smx_session='));
      const device = cookies.find((c) => c.startsWith('__Host-smx_device='));
      for (const c of [session, device]) {
        expect(c, cookies.join('\n')).toBeDefined();
        expect(c).toMatch(/; Secure/i);
        expect(c).toMatch(/; Path=\//i);
        expect(c).toMatch(/; HttpOnly/i);
        expect(c).not.toMatch(/; Domain=/i);
      }
      expect(cookies.some((c) => /^smx_(session|device)=/.test(c))).toBe(false);

      // The prefixed cookie is the session; the plain name is not read (each asked by a fresh client).
      const token = /^__Host-smx_session=([^;]+)/.exec(session!)![1]!;
      for (const [cookie, status] of [
        [`__Host-smx_session=${token}`, 200],
        [`smx_session=${token}`, 307],
      ] as const) {
        const fresh = await playwrightRequest.newContext({ baseURL: server.url });
        const res = await fresh.get('/settings', { headers: { Cookie: cookie }, maxRedirects: 0 });
        expect(res.status(), cookie.split('=')[0]).toBe(status);
        if (status === 200) expect(await res.text()).toContain(admin.email);
        await fresh.dispose();
      }
    } finally {
      await api.dispose();
      await server.stop();
    }
    const plain = await playwrightRequest.newContext({ baseURL: E2E.baseUrl });
    const res = await plain.get('/sign-in');
    expect(res.headers()['strict-transport-security']).toBeUndefined();
    expect(res.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    await plain.dispose();
  });
});

test.describe('audit log', () => {
  test('an admin finds their own sign-in, a role change and a send; a spoofed address is not believed', async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    // A refused sign-in claiming to come from elsewhere: the log records the real peer.
    const anon = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.99', 'X-Real-IP': '203.0.113.99' },
    });
    const anonPage = await anon.newPage();
    const probed = `-1+1.${Date.now().toString(36)}@example.com`;
    await anonPage.goto('/sign-in');
    await anonPage.getByLabel('Email').fill(probed);
    await anonPage.getByLabel('Password').fill('not the password');
    await anonPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(anonPage.getByText('The email or password is incorrect.')).toBeVisible({ timeout: 30_000 });
    await anon.close();

    const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await ctx.newPage();
    await signIn(page, E2E.admin);
    const member = {
      email: uniqueAddress('audited'),
      password: 'audited-password-1',
      role: 'sender' as const,
    };
    await addUser(page, member);
    await page.getByLabel(`Role of ${member.email}`).selectOption('support');
    await expect(page.getByText(`${member.email} is now support`)).toBeVisible();

    const to = uniqueAddress('audit-send');
    await openCompose(page);
    await page.getByLabel('From email', { exact: true }).fill('sandbox@sendmux.test');
    await page.getByLabel('To email', { exact: true }).fill(to);
    await page.getByLabel('Subject', { exact: true }).fill('Audited send');
    await page.getByLabel('HTML body', { exact: true }).fill('<p>Audited</p>');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByRole('region', { name: /^Sent/ })).toContainText('Sent: queued');

    await page.goto('/settings');
    await page.getByRole('link', { name: /Audit log/ }).click();
    await expect(page).toHaveURL(/\/settings\/audit$/);
    await expect(page.getByText(/Entries are kept for 365 days/)).toBeVisible();
    const rows = page.getByRole('row');
    await expect(rows.filter({ hasText: 'Email sent from Compose' }).filter({ hasText: to })).toHaveCount(1);
    const send = rows.filter({ hasText: to });
    await expect(send).toContainText(E2E.admin.email);
    await expect(send).toContainText('queued');
    await expect(send).toContainText('127.0.0.1');
    await expect(rows.filter({ hasText: 'Role changed' }).filter({ hasText: member.email })).toContainText(
      'sender → support',
    );
    await expectAccessible(page, '/settings/audit');
    await page.screenshot({ path: test.info().outputPath('audit-page.png'), fullPage: true });

    // Filters live in the URL: the admin's own sign-ins.
    await page.getByLabel('Who').selectOption(E2E.admin.email);
    await page.getByLabel('Action').selectOption('sign_in.success');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(
      `${E2E.baseUrl}/settings/audit?actor=${encodeURIComponent(E2E.admin.email)}&action=sign_in.success`,
    );
    await expect(rows.filter({ hasText: 'Signed in' }).first()).toContainText('127.0.0.1');
    await expect(rows.filter({ hasText: 'Role changed' })).toHaveCount(0);

    await page.goto('/settings/audit?action=sign_in.failure');
    const refused = rows.filter({ hasText: probed });
    await expect(refused).toContainText('no such account');
    await expect(refused).toContainText('127.0.0.1');
    await expect(refused).not.toContainText('203.0.113.99');

    // The CSV export has the same entries, with formula-looking cells neutralised.
    const download = await page.request.get('/api/audit/events.csv?action=sign_in.failure');
    expect(download.headers()['content-type']).toContain('text/csv');
    const csv = await download.text();
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFtime_utc,actor,action,action_label,target,address,summary,detail_json',
    );
    expect(csv).toContain(`"'${probed}"`);
    expect(csv).not.toContain('203.0.113.99');
    await ctx.close();
  });

  test('is for admins only, page and export alike', async ({ browser }) => {
    for (const role of ['sender', 'support'] as const) {
      const ctx = await browser.newContext({ storageState: E2E.storageState(role) });
      const page = await ctx.newPage();
      await page.goto('/settings/audit');
      await expect(page).toHaveURL(/\/forbidden\?need=admin/);
      const csv = await page.request.get('/api/audit/events.csv', { maxRedirects: 0 });
      expect(csv.status()).toBe(307);
      expect(csv.headers()['location']).toContain('/forbidden?need=admin');
      await page.goto('/settings');
      await expect(page.getByRole('link', { name: /Audit log/ })).toHaveCount(0);
      await ctx.close();
    }
    const anonymous = await playwrightRequest.newContext({ baseURL: E2E.baseUrl });
    const res = await anonymous.get('/api/audit/events.csv', { maxRedirects: 0 });
    expect(res.headers()['location']).toMatch(/\/sign-in/);
    await anonymous.dispose();
  });
});
