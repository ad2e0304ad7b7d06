import { expect, test, type Page } from '@playwright/test';
import { E2E } from './support/constants';

// Takes docs/screenshots/*.png for the README. Run with `npm run screenshots`.
test.use({ storageState: E2E.storageState('sender') });
test.describe.configure({ mode: 'serial' });

async function shot(page: Page, name: string) {
  // Toasts are transient; the screenshot is of the page.
  await page.locator('[data-sonner-toaster]').evaluateAll((els) => els.forEach((el) => el.remove()));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `docs/screenshots/${name}.png`, animations: 'disabled' });
}
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const FROM = 'sandbox@sendmux.test';

test('compose', async ({ page }) => {
  await page.goto('/compose');
  await field(page, 'From email').fill(FROM);
  await field(page, 'From name').fill('Acme Billing');
  await field(page, 'To email').fill('ada@example.com');
  await field(page, 'To name').fill('Ada Lovelace');
  await field(page, 'Cc').fill('Bob Builder <bob@example.com>,');
  await field(page, 'Subject').fill('Your invoice for November');
  await field(page, 'HTML body').fill(
    '<h1 style="font-family:sans-serif">Hello [DP_NAME]</h1>\n<p style="font-family:sans-serif">Your invoice for November is attached. Thank you for your business.</p>',
  );
  await page.getByRole('button', { name: 'Generate text from HTML' }).click();
  await page.getByRole('button', { name: 'Add header' }).click();
  await field(page, 'Header 1 name').fill('X-Campaign');
  await field(page, 'Header 1 value').fill('invoices-2026-11');
  await page.locator('#attachment-input').setInputFiles([
    {
      name: 'invoice-2026-11.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n'.padEnd(48_000, ' ') + '\n%%EOF\n'),
    },
  ]);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('region', { name: /^Sent/ })).toBeVisible({ timeout: 30_000 });
  await shot(page, 'compose');
});

test('compose check', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1200 });
  await page.goto('/compose');
  await page.getByRole('button', { name: 'New message' }).click();
  await field(page, 'From email').fill(FROM);
  await field(page, 'To email').fill('ada@example.com');
  await field(page, 'Subject').fill('Spring sale: 20% off everything');
  await field(page, 'HTML body').fill(
    [
      '<style>@media (max-width: 600px) { .cols { display: block } }</style>',
      '<div class="cols" style="display: flex; gap: 16px; border-radius: 12px; background-image: url(https://example.com/bg.png)">',
      '  <h1 style="font-family: sans-serif">Spring sale</h1>',
      '  <a href="https://shop.example.com/sale">Shop the sale</a>',
      '  <a href="javascript:openCoupon()">Reveal your coupon</a>',
      '  <a href="/account/preferences">Email preferences</a>',
      '</div>',
    ].join('\n'),
  );
  const preview = page.getByRole('tablist', { name: 'Preview' });
  await preview.getByRole('tab', { name: 'Check' }).click();
  await expect(page.getByText(/^Score \d+%$/)).toBeVisible({ timeout: 30_000 });
  await page.locator('[data-sonner-toaster]').evaluateAll((els) => els.forEach((el) => el.remove()));
  await preview
    .locator('..')
    .screenshot({ path: 'docs/screenshots/compose-check.png', animations: 'disabled' });
});

test('batch job', async ({ page }) => {
  const rows = ['email,first_name,plan'];
  for (let i = 1; i <= 240; i++) {
    const email =
      i === 37
        ? 'fail+insufficient_credits@example.com'
        : i === 120
          ? 'fail+validation_error@example.com'
          : `customer${i}@example.com`;
    rows.push(`${email},Customer ${i},${i % 3 === 0 ? 'pro' : 'starter'}`);
  }
  rows.splice(58, 0, 'customer58.example.com,Customer 58b,pro');
  rows.splice(171, 0, ',Customer without address,starter');
  await page.goto('/batches/new');
  const panel = page.getByRole('tabpanel', { name: 'CSV mail merge' });
  await panel.locator('#csv-input').setInputFiles({
    name: 'november-customers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(rows.join('\n')),
  });
  await panel.getByRole('button', { name: 'Next: map the columns' }).click();
  await panel.getByLabel('From email', { exact: true }).selectOption({ label: 'Fixed value for every row…' });
  await panel.getByLabel('From email, fixed value').fill(FROM);
  await panel.getByLabel('Subject', { exact: true }).fill('{{first_name}}, your {{plan}} plan renews soon');
  await panel
    .getByLabel('HTML body', { exact: true })
    .fill('<p>Hi {{first_name|there}},</p><p>Your {{plan}} plan renews on 1 December.</p>');
  await panel.getByRole('button', { name: 'Next: preview and check every row' }).click();
  await expect(panel.getByRole('checkbox', { name: /^Exclude line/ })).toHaveCount(2);
  await panel.getByRole('button', { name: 'Exclude the 2 rows with errors' }).click();
  await shot(page, 'batch-preflight');
  await panel.getByRole('button', { name: 'Next: name and send' }).click();
  await panel.getByLabel('Job name').fill('November renewals');
  await panel.getByRole('button', { name: /^Send [\d,]+ messages?$/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();
  await expect(page).toHaveURL(/\/batches\/(?!new$)[a-z0-9]+$/, { timeout: 30_000 });
  await expect(page.getByText('Done', { exact: true }).first()).toBeVisible({ timeout: 60_000 });
  // The sandbox's delivery events arrive over the next seconds; shoot once every message has one.
  await expect(page.getByTestId('delivery-count-none')).toHaveText('0', { timeout: 60_000 });
  await shot(page, 'batch-job');
});

test('request detail', async ({ page }) => {
  await page.goto('/compose');
  await page.getByRole('button', { name: 'New message' }).click();
  await field(page, 'From email').fill(FROM);
  await field(page, 'To email').fill('fail+insufficient_credits@example.com');
  await field(page, 'Subject').fill('Order confirmation #1042');
  await field(page, 'HTML body').fill('<p>Thanks for your order.</p>');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const requestId = await page
    .getByText(/^req_[a-z0-9]+$/)
    .first()
    .textContent();
  await page.goto('/requests');
  await page.getByLabel('Search requests').fill(requestId!);
  await page.getByLabel('Search requests').press('Enter');
  await expect(page.getByRole('link', { name: 'Open request' })).toBeVisible();
  await shot(page, 'request-search');
  await page.getByRole('link', { name: 'Open request' }).click();
  await expect(page.getByRole('region', { name: 'What went wrong' })).toBeVisible();
  await shot(page, 'request-detail');
});

test('sandbox outbox message', async ({ page }) => {
  await page.goto('/sandbox');
  await page.getByPlaceholder(/^To, subject/).fill('Your invoice for November');
  await page.getByPlaceholder(/^To, subject/).press('Enter');
  await page.getByRole('link', { name: 'Your invoice for November' }).first().click();
  await expect(page.getByText('invoice-2026-11.pdf').first()).toBeVisible();
  await shot(page, 'sandbox-message');
  await page.getByRole('tablist', { name: 'Body views' }).getByRole('tab', { name: 'Headers' }).click();
  await expect(page.getByRole('list', { name: 'MIME structure' })).toBeVisible();
  await shot(page, 'sandbox-message-headers');
});

test('smtp transcript', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1100 });
  await page.goto('/settings/smtp');
  const send = page.getByRole('button', { name: 'Send test over SMTP' });
  await expect(send).toBeEnabled();
  await field(page, 'From email').fill(FROM);
  await field(page, 'From name').fill('Acme Billing');
  await field(page, 'To email').fill('ada@example.com');
  await field(page, 'Subject').fill('SMTP settings check');
  await field(page, 'Text body').fill('If you can read this, the SMTP settings work.');
  await page.locator('#smtp-attachment').setInputFiles({
    name: 'invoice-2026-11.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n'.padEnd(24_000, ' ') + '\n%%EOF\n'),
  });
  await send.click();
  await expect(page.getByRole('status').filter({ hasText: 'Accepted over SMTP' })).toBeVisible({
    timeout: 30_000,
  });
  await page.locator('[data-sonner-toaster]').evaluateAll((els) => els.forEach((el) => el.remove()));
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Test send over SMTP' }) });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: 'docs/screenshots/smtp-transcript.png', animations: 'disabled' });
});

test('webhooks', async ({ page }) => {
  // An event to show as the last one received: a send whose delivery event the sandbox posts.
  await page.goto('/compose');
  await field(page, 'From email').fill(FROM);
  await field(page, 'To email').fill('bounce+ada@example.com');
  await field(page, 'Subject').fill('Your invoice for November');
  await field(page, 'HTML body').fill('<p>Your invoice is attached.</p>');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Delivery status' })).toContainText('Bounced', {
    timeout: 20_000,
  });
  await page.goto('/settings/webhooks');
  await expect(page.getByTestId('webhook-last-event')).toContainText('message.bounced');
  await shot(page, 'webhooks');
});

test('keyboard shortcuts and an error summary', async ({ page }) => {
  await page.goto('/batches/new');
  const panel = page.getByRole('tabpanel', { name: 'CSV mail merge' });
  await panel.locator('#csv-input').setInputFiles({
    name: 'customers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('email,first_name\nada@example.com,Ada\n'),
  });
  await panel.getByRole('button', { name: 'Next: map the columns' }).click();
  await panel.getByLabel('Subject', { exact: true }).fill('Hello {{frist_name}}');
  await panel.getByRole('button', { name: 'Next: preview and check every row' }).click();
  await expect(panel.getByRole('alert').filter({ hasText: 'before the preview' })).toBeFocused();
  await shot(page, 'mapping-errors');
  await page.keyboard.press('Escape');
  await page.locator('body').press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/keyboard-shortcuts.png', animations: 'disabled' });
});
