import { expect, test, type Browser, type Page } from '@playwright/test';
import { startConsole, type ConsoleServer } from './support/console-server';
import { E2E } from './support/constants';
import { openCompose, signIn } from './support/fixtures';
import { outboxFor } from './support/sandbox';
import { startJob, waitUntilDone } from './support/wizard';

// SUPPORT_SEES_BODIES=false: support keeps metadata, subjects and recipients, and loses bodies,
// custom header values and attachment names everywhere a message shows.
const SUPPORT = { email: 'privacy-support@e2e.test', password: 'privacy-support-password' };
const SECRET = 'secret-body-8d1f';
// The attachment's own bytes: inline base64 the sandbox outbox keeps as received.
const FILE_TEXT = 'payroll figures 8d1f';

let server: ConsoleServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({}, testInfo) => {
  // A second console starts (build already there, database migrated fresh): slow on 2 busy cores.
  testInfo.setTimeout(180_000);
  server = await startConsole({
    port: E2E.extraPortBase + 10 + testInfo.workerIndex,
    env: {
      ADMIN_EMAIL: E2E.admin.email,
      ADMIN_PASSWORD: E2E.admin.password,
      SANDBOX_API_KEY: E2E.sandboxKey,
      SUPPORT_SEES_BODIES: 'false',
    },
  });
});

test.afterAll(async () => {
  await server?.stop();
});

async function as(browser: Browser, user: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await signIn(page, user, server.url);
  return page;
}

test('support sees who, what subject and the outcome, never the content', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const admin = await as(browser, E2E.admin);
  await admin.goto('/settings/users');
  const form = admin.locator('form', { has: admin.getByRole('button', { name: 'Add user' }) });
  await form.getByLabel('Email').fill(SUPPORT.email);
  await form.getByLabel('Role').selectOption('support');
  await form.getByLabel('Initial password').fill(SUPPORT.password);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(admin.getByRole('cell', { name: SUPPORT.email, exact: true })).toBeVisible();

  const to = `privacy-${Date.now().toString(36)}@example.com`;
  await openCompose(admin);
  const field = (label: string) => admin.getByLabel(label, { exact: true });
  await field('From email').fill('sandbox@sendmux.test');
  await field('To email').fill(to);
  await field('Subject').fill('Quarterly numbers');
  await field('HTML body').fill(`<p>${SECRET}</p>`);
  await admin.getByRole('button', { name: 'Add header' }).click();
  await field('Header 1 name').fill('X-Account');
  await field('Header 1 value').fill(`${SECRET}-header`);
  await admin.locator('#attachment-input').setInputFiles({
    name: `${SECRET}-file.txt`,
    mimeType: 'text/plain',
    buffer: Buffer.from(FILE_TEXT),
  });
  await expect(admin.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveCount(1);
  await admin.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(admin.getByRole('region', { name: /^Sent/ })).toContainText('Sent: queued');

  const csv = `email,name\nrow-${to},Row\n`;
  const jobId = await startJob(admin, csv, 'privacy');
  await waitUntilDone(admin);
  await admin.context().close();

  const support = await as(browser, SUPPORT);
  await support.goto(`/requests?q=${encodeURIComponent(to)}`);
  await support.getByRole('table').first().locator('tbody tr').first().getByRole('link').click();
  await expect(support.getByRole('heading', { name: 'POST /emails/send' })).toBeVisible();
  const detail = await support.content();
  expect(detail).toContain(to);
  expect(detail).toContain('Quarterly numbers');
  expect(detail).toContain('X-Account');
  expect(detail).not.toContain(SECRET);
  const logged = support.getByRole('region', { name: 'Message', exact: true });
  await logged.getByRole('tab', { name: 'Source' }).click();
  await expect(logged.getByText('support does not see message bodies')).toBeVisible();
  await logged.getByRole('tab', { name: 'Headers' }).click();
  await expect(logged.getByRole('table', { name: 'Message headers' })).toContainText(
    'X-Account:[hidden from support]',
  );
  await expect(logged.getByRole('list', { name: 'MIME structure' })).toContainText(
    'HTML body (hidden from support)',
  );
  expect(await support.content()).not.toContain(SECRET);

  const [received] = await outboxFor(request, to, server.url);
  const messageId = received!.id;
  await support.goto(`/sandbox/${messageId}`);
  await expect(support.getByText('hidden from support on this console')).toBeVisible();
  expect(await support.content()).not.toContain(SECRET);
  for (const tab of ['Mobile', 'Text', 'Source', 'Raw JSON', 'Headers']) {
    await support.getByRole('tab', { name: tab }).click();
    expect(await support.content()).not.toContain(SECRET);
    expect(await support.content()).not.toContain(Buffer.from(FILE_TEXT).toString('base64').slice(0, 12));
  }
  await expect(support.getByRole('list', { name: 'MIME structure' })).toContainText(
    'Attachment “[hidden from support]”',
  );
  const download = await support.request.get(`/sandbox/${messageId}/attachments/0`);
  expect(download.status()).toBe(403);

  const results = await support.request.get(`/api/batches/${jobId}/results.csv`);
  expect(results.status()).toBe(200);
  const header = (await results.text()).replace(/^\uFEFF/, '').split('\r\n')[0];
  // Delivery status is metadata too: support answers "did it arrive?" from it.
  expect(header).toBe(
    'to,status,message_id,error_code,error_message,request_id,idempotency_key,delivery_status,delivery_detail,delivery_at',
  );
  await support.context().close();
});
