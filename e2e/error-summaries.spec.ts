import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E } from './support/constants';
import { expectAccessible } from './support/fixtures';

// Every form answers bad input the same way (Compose's way): a summary at the top takes focus, each
// entry is a link that puts focus on its field, and nothing typed is lost. Links are followed with
// the keyboard.

const summaryOf = (scope: Page | Locator, title: RegExp | string) =>
  scope.getByRole('alert').filter({ hasText: title });

/** From the summary, Tab to its link named `name` and press Enter. */
async function followLink(page: Page, summary: Locator, name: string | RegExp) {
  const link = summary.getByRole('link', { name });
  await summary.focus();
  for (let i = 0; i < 10 && !(await link.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
  await page.keyboard.press('Enter');
}

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('sign-in: the summary links to the email field; a refused password links to the password', async ({
    page,
  }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').press('Enter');
    const summary = summaryOf(page, 'Fix these to sign in');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'Email: Enter a valid email address, like name@example.com',
      'Password: Enter your password',
    ]);
    await expectAccessible(page, 'sign-in with an error summary');
    await followLink(page, summary, /^Email:/);
    await expect(page.getByLabel('Email')).toBeFocused();
    await expect(page.getByLabel('Email')).toHaveValue('not-an-email');

    await page.getByLabel('Email').fill(E2E.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByLabel('Password').press('Enter');
    const refused = summaryOf(page, 'Fix this to sign in');
    await expect(refused).toBeFocused({ timeout: 30_000 });
    await followLink(page, refused, 'The email or password is incorrect.');
    await expect(page.getByLabel('Password')).toBeFocused();
    await expect(page.getByLabel('Email')).toHaveValue(E2E.admin.email);
    await expectAccessible(page, 'sign-in refused');
  });
});

test.describe('as an admin', () => {
  test.use({ storageState: E2E.storageState('admin') });

  test('Settings → Users: the summary links to each bad field and keeps what was typed', async ({ page }) => {
    await page.goto('/settings/users');
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Email').fill('helpdesk');
    await form.getByLabel('Name').fill('Help Desk');
    await form.getByLabel('Initial password').fill('short');
    await form.getByLabel('Initial password').press('Enter');
    const summary = summaryOf(form, 'Fix these to add the user');
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link')).toHaveText([
      'Email: Enter a valid email address, like name@example.com',
      /^Initial password: Use at least \d+ characters$/,
    ]);
    await expectAccessible(page, 'add user with an error summary');
    await followLink(page, summary, /^Initial password:/);
    await expect(form.getByLabel('Initial password')).toBeFocused();
    await expect(form.getByLabel('Email')).toHaveValue('helpdesk');
    await expect(form.getByLabel('Name')).toHaveValue('Help Desk');
  });
});

test.describe('as a sender', () => {
  test.use({ storageState: E2E.storageState('sender') });

  test('manual batch: the summary links to the row field and the sender', async ({ page }) => {
    await page.goto('/batches/new?tab=manual');
    const panel = page.getByRole('tabpanel', { name: 'Manual batch' });
    await panel.getByLabel('From email', { exact: true }).fill('nope');
    await panel.getByLabel('Row 1 To email').fill('also-nope');
    await panel.getByLabel('Row 1 Subject').fill('Kept');
    await panel.getByRole('button', { name: 'Send in one request' }).press('Enter');
    const summary = summaryOf(panel, /before sending; nothing was sent/);
    await expect(summary).toBeFocused();
    await expect(summary.getByRole('link', { name: /^Row 1 · to\.email:/ })).toBeVisible();
    await expectAccessible(page, 'manual batch with an error summary');
    await followLink(page, summary, /^Row 1 · to\.email:/);
    await expect(panel.getByLabel('Row 1 To email')).toBeFocused();
    await followLink(page, summaryOf(panel, /before sending/), /^from\.email:/);
    await expect(panel.getByLabel('From email', { exact: true })).toBeFocused();
    await expect(panel.getByLabel('Row 1 To email')).toHaveValue('also-nope');
    await expect(panel.getByLabel('Row 1 Subject')).toHaveValue('Kept');
  });

  test('Settings → SMTP test send: the summary takes focus and links to the field', async ({ page }) => {
    await page.goto('/settings/smtp');
    const form = page.getByRole('form', { name: 'SMTP test send' });
    const send = form.getByRole('button', { name: 'Send test over SMTP' });
    await expect(send).toBeEnabled();
    await form.getByLabel('To email', { exact: true }).fill('not-an-address');
    await send.press('Enter');
    const summary = summaryOf(form, 'Fix these to send the test');
    await expect(summary).toBeFocused();
    await expectAccessible(page, 'SMTP test send with an error summary');
    await followLink(page, summary, /^To email:/);
    await expect(form.getByLabel('To email', { exact: true })).toBeFocused();
    await expect(form.getByLabel('To email', { exact: true })).toHaveValue('not-an-address');
    // A second attempt with the same problem takes focus again.
    await send.press('Enter');
    await expect(summary).toBeFocused();
  });
});
