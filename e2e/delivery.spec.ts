import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { E2E } from './support/constants';
import { expectAccessible, openCompose } from './support/fixtures';
import { csvPanel, mapBasics, startJob, stat, uploadCsv, waitUntilDone } from './support/wizard';

test.use({ storageState: E2E.storageState('sender') });

const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const result = (page: Page) => page.getByRole('region', { name: /^Sent/ });

async function composeTo(page: Page, to: string) {
  await openCompose(page);
  await field(page, 'From email').fill('sandbox@sendmux.test');
  await field(page, 'To email').fill(to);
  await field(page, 'Subject').fill('Delivery status');
  await field(page, 'HTML body').fill('<p>Hello</p>');
}

test('a Permanent bounce shows live in Compose, as a timeline in the request log, and warns the next send', async ({
  page,
}) => {
  test.setTimeout(150_000);
  // Leaving a Compose draft asks for confirmation; accept it as a user would.
  page.on('dialog', (d) => void d.accept());
  const to = `bounce+${tag()}@example.com`;
  await composeTo(page, to);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(result(page)).toContainText('Sent: queued');
  const live = result(page).getByRole('status', { name: 'Delivery status' });
  await expect(live).toContainText('Bounced', { timeout: 10_000 });
  await expect(live).toContainText('Permanent bounce (General)');
  await expectAccessible(page, 'compose result with delivery status');

  await live.getByRole('link', { name: 'Timeline in the request log' }).click();
  const delivery = page.locator('#delivery');
  await expect(delivery).toContainText('Accepted');
  await expect(delivery).toContainText('Permanent bounce (General)');
  await expect(delivery).toContainText('message.bounced');
  await expectAccessible(page, 'request detail with delivery timeline');

  // The next message to that address is flagged (a warning, not a block), with the event linked.
  await composeTo(page, to);
  const warning = page.getByRole('status', { name: 'This recipient bounced or complained before' });
  await expect(warning).toContainText(to);
  await expect(warning).toContainText('Permanent bounce (General)');
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
  await expectAccessible(page, 'compose with a bounce warning');
  await warning.getByRole('link', { name: 'see the event' }).click();
  await expect(page).toHaveURL(/\/requests/);
  await expect(page.locator('#delivery')).toContainText('Permanent bounce (General)');
});

test('the receiver refuses a bad signature (401), a huge body (413) and a signed non-event (400); nothing changes', async ({
  request,
}) => {
  const url = `${E2E.baseUrl}/api/webhooks/sendmux`;
  const messageId = `eml_forged${tag()}`;
  const body = JSON.stringify({
    id: `evt_forged${tag()}`,
    type: 'message.bounced',
    team_public_id: 'team_x',
    occurred_at: new Date().toISOString(),
    data: { sendmux_message_id: messageId, recipients: ['victim@example.com'], bounce_type: 'Permanent' },
  });
  const forged = await request.post(url, {
    data: body,
    headers: { 'content-type': 'application/json', 'x-sendmux-signature': `sha256=${'0'.repeat(64)}` },
  });
  expect(forged.status()).toBe(401);
  const unsigned = await request.post(url, { data: body, headers: { 'content-type': 'application/json' } });
  expect(unsigned.status()).toBe(401);
  const huge = await request.post(url, {
    data: 'x'.repeat(1024 * 1024 + 1),
    headers: { 'content-type': 'application/json' },
  });
  expect(huge.status()).toBe(413);
  const status = await request.get(`${E2E.baseUrl}/api/delivery/status?id=${messageId}`);
  expect(await status.json()).toEqual({ statuses: {} });
});

test('a batch shows delivery counts beside the send counts, filters rows by outcome, and its results CSV carries them', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const t = tag();
  const people = {
    delivered: `ada.${t}@example.com`,
    // Distinct tags: softbounce+… must not contain the bounce+… address as a substring.
    bounced: `bounce+b${t}@example.com`,
    complained: `complaint+c${t}@example.com`,
    softbounce: `softbounce+s${t}@example.com`,
  };
  const csv = `email,name\n${Object.values(people)
    .map((e, i) => `${e},Person ${i}`)
    .join('\n')}\n`;
  await startJob(page, csv, `Delivery ${t}`);
  await waitUntilDone(page);
  const counts = page.getByRole('list', { name: 'Delivery counts' });
  // softbounce: delayed first, delivered two seconds later; complaint: delivered, then complained.
  await expect(counts.getByTestId('delivery-count-delivered')).toHaveText('2', { timeout: 20_000 });
  await expect(counts.getByTestId('delivery-count-bounced')).toHaveText('1');
  await expect(counts.getByTestId('delivery-count-complained')).toHaveText('1');
  await expect(counts.getByTestId('delivery-count-none')).toHaveText('0');
  await expectAccessible(page, 'batch job page with delivery counts');

  await counts.getByRole('button', { name: /^Bounced: 1/ }).click();
  const rows = page.getByRole('region', { name: /Rows of this job/ });
  await expect(page.getByRole('search', { name: 'Filter rows' }).getByLabel('Delivery')).toHaveValue(
    'bounced',
  );
  await expect(rows.getByRole('row').filter({ hasText: people.bounced })).toBeVisible();
  await expect(rows.getByRole('row').filter({ hasText: people.delivered })).toHaveCount(0);
  await page.getByRole('search', { name: 'Filter rows' }).getByLabel('Delivery').selectOption('delivered');
  await expect(rows.getByRole('row').filter({ hasText: people.softbounce })).toBeVisible();
  await expect(rows.getByRole('row').filter({ hasText: people.delivered })).toBeVisible();
  await expect(rows.getByRole('row').filter({ hasText: people.bounced })).toHaveCount(0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download results CSV' }).click(),
  ]);
  const raw = fs.readFileSync((await download.path())!, 'utf8');
  const [header, ...lines] = Papa.parse<string[]>(raw.slice(1), { skipEmptyLines: true }).data;
  expect(header!.slice(-3)).toEqual(['delivery_status', 'delivery_detail', 'delivery_at']);
  const byEmail = new Map(lines.map((r) => [r[0], r.slice(-3)]));
  expect(byEmail.get(people.bounced)!.slice(0, 2)).toEqual(['bounced', 'Permanent bounce (General)']);
  expect(byEmail.get(people.complained)![0]).toBe('complained');
  expect(byEmail.get(people.softbounce)![0]).toBe('delivered');
  expect(byEmail.get(people.delivered)![2]).toMatch(/^\d{4}-\d\d-\d\dT/);

  // The same file again: preflight warns about the bounced and complained rows and excludes them in one click.
  await page.goto('/batches/new');
  await uploadCsv(page, 'again.csv', csv);
  const panel = csvPanel(page);
  await panel.getByRole('button', { name: 'Next: map the columns' }).click();
  await mapBasics(page);
  await panel.getByRole('button', { name: 'Next: preview and check every row' }).click();
  const history = panel.getByRole('status', {
    name: /2 rows go to addresses that bounced or complained before/,
  });
  await expect(history).toContainText(people.bounced);
  await expect(history).toContainText(people.complained);
  await expectAccessible(page, 'preflight with delivery history warnings');
  await history.getByRole('button', { name: 'Exclude the 2 previously bounced/complained rows' }).click();
  await expect(stat(panel, 'Excluded')).toHaveText('2');
});

test.describe('admin and support', () => {
  test.use({ storageState: E2E.storageState('admin') });

  test('"Send test event" posts sendmux.test, recorded on the Sandbox page and shown in Settings → Webhooks', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    await page.goto('/sandbox');
    const card = page.getByRole('region', { name: 'Delivery events' });
    await card.getByRole('button', { name: 'Send test event' }).click();
    await expect(card.getByRole('table', { name: 'Webhook posts' })).toContainText('sendmux.test', {
      timeout: 15_000,
    });
    await expect(card.getByRole('row').filter({ hasText: 'sendmux.test' }).first()).toContainText('HTTP 200');
    await expectAccessible(page, '/sandbox with delivery events');

    // A forged post, so the rejected-signature count has something to show.
    const forged = await page.request.post(`${E2E.baseUrl}/api/webhooks/sendmux`, {
      data: '{"id":"evt_forged"}',
      headers: { 'content-type': 'application/json', 'x-sendmux-signature': `sha256=${'1'.repeat(64)}` },
    });
    expect(forged.status()).toBe(401);
    await page.goto('/settings/webhooks');
    await expect(page.getByTestId('webhook-url')).toHaveText(
      `http://localhost:${E2E.port}/api/webhooks/sendmux`,
    );
    await expect(page.getByTestId('webhook-last-event')).toContainText(/message\.|sendmux\.test/);
    await expect(page.getByTestId('webhook-rejected')).not.toHaveText('0');
    await expectAccessible(page, '/settings/webhooks');
  });
});

test.describe('support', () => {
  test.use({ storageState: E2E.storageState('support') });

  test('support sees a message’s delivery timeline but no controls', async ({ page, browser }) => {
    test.setTimeout(150_000);
    // A sender sends; support looks it up by address.
    const sender = await browser.newContext({ storageState: E2E.storageState('sender') });
    const senderPage = await sender.newPage();
    const to = `complaint+${tag()}@example.com`;
    await composeTo(senderPage, to);
    await senderPage.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(result(senderPage).getByRole('status', { name: 'Delivery status' })).toContainText(
      'Complained',
      {
        timeout: 15_000,
      },
    );
    await sender.close();

    await page.goto(`/requests?q=${encodeURIComponent(to)}`);
    await page.getByRole('table').first().locator('tbody tr').first().getByRole('link').first().click();
    const delivery = page.locator('#delivery');
    await expect(delivery).toContainText('Complaint: abuse');
    await expect(delivery).toContainText('Delivered to the receiving server');
    await expect(page.getByRole('link', { name: 'Open in Compose' })).toHaveCount(0);
    // The one button is the read-only delivery-logs lookup, which support may run.
    await expect(delivery.getByRole('button')).toHaveText(['Check Sendmux delivery logs']);
    await expectAccessible(page, 'request detail as support');
    await page.goto('/settings/webhooks');
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  });
});
