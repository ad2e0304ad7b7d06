import { expect, test, type Page } from '@playwright/test';
import { E2E } from './support/constants';
import { expectAccessible } from './support/fixtures';

test.use({ storageState: E2E.storageState('sender') });

const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const result = (page: Page) => page.getByRole('region', { name: /^Sent/ });

async function composeTo(page: Page, to: string) {
  await page.goto('/compose');
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
  await field(page, 'From email').fill('sandbox@sendmux.test');
  await field(page, 'To email').fill(to);
  await field(page, 'Subject').fill('Delivery status');
  await field(page, 'HTML body').fill('<p>Hello</p>');
}

test('a Permanent bounce shows live in Compose, as a timeline in the request log, and warns the next send', async ({
  page,
}) => {
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
