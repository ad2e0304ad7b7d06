import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { startConsole } from './support/console-server';
import { E2E } from './support/constants';
import { expectAccessible, fetchForRoute } from './support/fixtures';

// "Check Sendmux delivery logs" on a message's detail, against the sandbox's management API.

const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
// One extra console per worker, clear of the blocks other specs use.
const portFor = (testInfo: TestInfo) => E2E.extraPortBase + 70 + testInfo.workerIndex;

/** Sends from Compose to `to` with `cc`, then opens the message's request-log entry from the result panel. */
async function sendAndOpenEntry(page: Page, baseUrl: string, to: string, cc: string) {
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${baseUrl}/compose`);
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled({ timeout: 30_000 });
  await field(page, 'From email').fill('sandbox@sendmux.test');
  await field(page, 'To email').fill(to);
  await field(page, 'Cc').fill(`${cc},`);
  await field(page, 'Subject').fill('Delivery logs');
  await field(page, 'HTML body').fill('<p>Hello</p>');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const result = page.getByRole('region', { name: /^Sent/ });
  await expect(result).toContainText('Sent: queued', { timeout: 30_000 });
  // The reject+ Cc makes the sandbox post message.rejected; its link opens the entry.
  const live = result.getByRole('status', { name: 'Delivery status' });
  await live.getByRole('link', { name: 'Timeline in the request log' }).click({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/requests\/\d+/);
  return page.url().replace(/#.*$/, '');
}

test.describe('Check Sendmux delivery logs', () => {
  test.use({ storageState: E2E.storageState('sender') });

  test('support finds the message’s log: its status and each recipient accepted or rejected with the reason', async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000);
    const t = tag();
    const to = `logs.${t}@example.com`;
    const cc = `reject+logs${t}@example.com`;
    const entry = await sendAndOpenEntry(page, '', to, cc);

    const context = await browser.newContext({ storageState: E2E.storageState('support') });
    const support = await context.newPage();
    await support.goto(entry);
    const message = support.getByRole('region', { name: /^Delivery of eml_/ });
    await message.getByRole('button', { name: 'Check Sendmux delivery logs' }).click();
    const log = message.getByRole('region', { name: 'Sendmux delivery log' });
    await expect(log).toContainText(/dlog_[a-z0-9]{24}/);
    await expect(log).toContainText('Bad content (sandbox scenario)');
    // The message's webhook event arrived first, so its provider message id picks the log.
    await expect(
      log.getByRole('definition').filter({ hasText: /^provider message id \(searched/ }),
    ).toBeVisible();
    const rows = log.getByRole('table', { name: 'Recipients in the delivery log' }).getByRole('row');
    await expect(rows.filter({ hasText: to })).toContainText('Accepted');
    await expect(rows.filter({ hasText: cc })).toContainText('Rejected');
    await expect(rows.filter({ hasText: cc })).toContainText('Bad content (sandbox scenario)');
    await expect(rows.filter({ hasText: cc })).toContainText('cc');
    await expectAccessible(support, 'request detail with the Sendmux delivery log');
    const dlog = (await log.locator('code').first().textContent())?.trim() ?? '';
    expect(dlog).toMatch(/^dlog_[a-z0-9]{24}$/);

    // Both GETs are in the request log under support's name, found with the Endpoint filter.
    const managementKey = fs.readFileSync(path.join(E2E.dataDir, 'sandbox-management-key'), 'utf8').trim();
    expect(managementKey).toMatch(/^smx_root_/);
    await support.goto(`/requests?user=${encodeURIComponent(E2E.support.email)}`);
    await support.getByLabel('Endpoint').selectOption('/emails/logs');
    await support.getByRole('button', { name: 'Apply filters' }).click();
    await expect(support).toHaveURL(/endpoint=%2Femails%2Flogs(&|$)/);
    const search = support.getByRole('row').nth(1);
    await expect(search).toContainText('GET /emails/logs?…');
    await expect(search).toContainText('200');
    await expect(search).toContainText(/req_[A-Za-z0-9]+/);
    await expect(search).toContainText('management');
    expect(await support.content()).not.toContain(managementKey);

    await support.goto(`/requests?endpoint=${encodeURIComponent(`/emails/logs/${dlog}`)}`);
    const entries = support.getByRole('row').filter({ hasText: `/emails/logs/${dlog}` });
    await expect(entries).toHaveCount(1);
    await expect(entries).toContainText(E2E.support.email);
    await entries.getByRole('link').first().click();
    await expect(support.getByRole('main').getByRole('heading', { level: 1 })).toHaveText(
      `GET /emails/logs/${dlog}`,
    );
    await expect(support.getByText('Check Sendmux delivery logs (management API)').first()).toBeVisible();
    await expect(support.getByLabel('Response body')).toContainText(dlog);
    const curl = support.getByLabel('curl command');
    await expect(curl).toContainText(`curl -X GET`);
    await expect(curl).toContainText(`/emails/logs/${dlog}`);
    await expect(curl).toContainText('Authorization: Bearer $SENDMUX_MANAGEMENT_KEY');
    await expect(curl).not.toContainText('SENDMUX_API_KEY');
    await expect(support.getByRole('link', { name: /Open in Compose/ })).toHaveCount(0);
    await expect(support.getByRole('button', { name: /Resend|Send again/ })).toHaveCount(0);
    expect(await support.content()).not.toContain(managementKey);
    await context.close();
  });
});

test.describe('a refused management key', () => {
  test.setTimeout(240_000);

  test('the failed lookup links to its entry in the request log, which holds the 401 and its request_id', async ({
    browser,
  }, testInfo) => {
    const wrong = `smx_root_WRONG${randomBytes(12).toString('hex')}`;
    const port = E2E.extraPortBase + 80 + testInfo.workerIndex;
    // The main console's sandbox does not know this key: its management API answers 401.
    const server = await startConsole({
      port,
      env: {
        ADMIN_EMAIL: E2E.admin.email,
        ADMIN_PASSWORD: E2E.admin.password,
        SENDMUX_MANAGEMENT_KEY: wrong,
        SENDMUX_MANAGEMENT_API_URL: `${E2E.baseUrl}/sandbox/management/v1`,
      },
    });
    try {
      const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email').fill(E2E.admin.email);
      await page.getByLabel('Password').fill(E2E.admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 45_000 });
      const entry = await sendAndOpenEntry(
        page,
        server.url,
        `refused.${tag()}@example.com`,
        `reject+r${tag()}@example.com`,
      );
      await page.goto(entry);
      const message = page.getByRole('region', { name: /^Delivery of eml_/ });
      await message.getByRole('button', { name: 'Check Sendmux delivery logs' }).click();
      const failure = message.getByRole('alert');
      await expect(failure).toContainText('The delivery-logs lookup failed');
      await expect(failure).toContainText('401');
      const requestId =
        (await failure.locator('code').filter({ hasText: /^req_/ }).textContent())?.trim() ?? '';
      expect(requestId).toMatch(/^req_/);
      await failure.getByRole('link', { name: 'Open in the request log' }).click();
      await expect(page).toHaveURL(/\/requests\/\d+$/);
      await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toHaveText('GET /emails/logs');
      await expect(page.getByRole('main')).toContainText(
        /GET \/emails\/logs\?\S*search=refused\.\S+%40example\.com/,
      );
      await expect(page.getByRole('main')).toContainText('authentication_required');
      await expect(page.getByRole('main')).toContainText(requestId);
      await expect(page.getByRole('main')).toContainText('401');
      expect(await page.content()).not.toContain(wrong);
      await context.close();
      expect(server.log()).not.toContain(wrong);
    } finally {
      await server.stop();
    }
  });
});

test.describe('a canary management key', () => {
  test.setTimeout(240_000);

  test('is used for the lookup but appears in no page, action answer or static asset', async ({
    browser,
  }, testInfo) => {
    const canary = `smx_root_CANARY${randomBytes(12).toString('hex')}`;
    const encodings = [0, 1, 2].map((shift) => {
      const b64 = Buffer.from(`${'x'.repeat(shift)}${canary}`).toString('base64');
      return b64.slice(shift === 0 ? 0 : 4, -4);
    });
    const needles = [
      canary,
      canary.slice('smx_root_'.length),
      Buffer.from(canary).toString('hex'),
      ...encodings,
    ];
    const port = portFor(testInfo);
    // The canary is the only management key, pointed at this console's own sandbox, which takes it.
    const server = await startConsole({
      port,
      env: {
        ADMIN_EMAIL: E2E.admin.email,
        ADMIN_PASSWORD: E2E.admin.password,
        SENDMUX_MANAGEMENT_KEY: canary,
        SENDMUX_MANAGEMENT_API_URL: `http://127.0.0.1:${port}/sandbox/management/v1`,
      },
    });
    const bodies: { url: string; text: string }[] = [];
    try {
      const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      // Every response the browser gets, whole, headers included.
      await context.route('**/*', async (route) => {
        const req = route.request();
        const response = await fetchForRoute(route);
        const body = await response.body();
        const head = Object.entries(response.headers())
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n');
        bodies.push({
          url: `${req.method()} ${req.url()} ${response.status()}`,
          text: `${head}\n\n${body.toString('latin1')}`,
        });
        await route.fulfill({ response, body });
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email').fill(E2E.admin.email);
      await page.getByLabel('Password').fill(E2E.admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 45_000 });

      await page.goto(`${server.url}/settings/webhooks`);
      await expect(page.locator('main h1').first()).toBeVisible();
      const entry = await sendAndOpenEntry(
        page,
        server.url,
        `canary.${tag()}@example.com`,
        `reject+c${tag()}@example.com`,
      );
      await page.goto(entry);
      const message = page.getByRole('region', { name: /^Delivery of eml_/ });
      await message.getByRole('button', { name: 'Check Sendmux delivery logs' }).click();
      await expect(message.getByRole('region', { name: 'Sendmux delivery log' })).toContainText(/dlog_/);
      // The lookup's own request-log entries are among the pages searched for the key.
      await page.goto(`${server.url}/requests?profile=management`);
      const lookups = page.getByRole('row').filter({ hasText: 'GET /emails/logs' });
      await expect(lookups).toHaveCount(2);
      for (const i of [0, 1]) {
        await page.goto(`${server.url}/requests?profile=management`);
        await lookups.nth(i).getByRole('link').first().click();
        await expect(page.getByLabel('curl command')).toContainText('$SENDMUX_MANAGEMENT_KEY');
      }

      // Every static chunk the pages named, fetched and searched too.
      const seen = new Set<string>();
      for (const b of [...bodies])
        for (const m of b.text.matchAll(/\/_next\/static\/[A-Za-z0-9_\-./~]+?\.(?:js|css)/g)) seen.add(m[0]);
      for (const asset of seen) {
        const res = await context.request.get(`${server.url}${asset}`);
        if (res.ok())
          bodies.push({ url: `GET ${asset} (static)`, text: (await res.body()).toString('latin1') });
      }
      await context.close();

      expect([...seen].filter((p) => p.endsWith('.js')).length, 'static chunks were fetched').toBeGreaterThan(
        0,
      );
      expect(
        bodies.some((b) => b.text.includes(Buffer.from(`smx_root_…${canary.slice(-4)}`).toString('latin1'))),
        'the masked key was among the captured responses (Settings → Webhooks)',
      ).toBe(true);
      expect(
        bodies.some((b) => b.url.startsWith('POST') && /dlog_[a-z0-9]{24}/.test(b.text)),
        'the lookup action’s answer was captured',
      ).toBe(true);
      const leaking = bodies.flatMap((b) =>
        needles
          .filter((n) => b.text.includes(n))
          .map((n) => `${b.url} contains ${n === canary ? 'the key' : n}`),
      );
      expect(leaking, `${bodies.length} responses checked`).toEqual([]);
      expect(server.log()).not.toContain(canary);
    } finally {
      await server.stop();
    }
  });
});
