import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E } from './support/constants';
import { expectAccessible } from './support/fixtures';
import { csvPanel, stat, uploadCsv } from './support/wizard';

test.use({ storageState: E2E.storageState('sender') });

test('the sample CSV from the upload step maps itself and passes preflight with 0 errors', async ({
  page,
}) => {
  await page.goto('/batches/new');
  const panel = csvPanel(page);
  const link = panel.getByRole('link', { name: 'Download a sample CSV' });
  await expect(link).toBeVisible();
  await expectAccessible(page, '/batches/new with the sample CSV link');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('sample-recipients.csv');
  const text = fs.readFileSync((await download.path())!, 'utf8');

  await uploadCsv(page, download.suggestedFilename(), text);
  await expect(stat(panel, 'Rows')).toHaveText('3');
  await expect(stat(panel, 'Columns')).toHaveText('13');
  await expect(panel.getByRole('heading', { name: /in the file$/ })).toHaveCount(0);

  // Every field the mapping step offers is read from its column; X-Campaign becomes a header.
  await panel.getByRole('button', { name: 'Next: map the columns' }).click();
  const mapped: [string, string][] = [
    ['To email', 'email'],
    ['To name', 'name'],
    ['From email', 'from_email'],
    ['From name', 'from_name'],
    ['Cc', 'cc'],
    ['Bcc', 'bcc'],
    ['Reply-To email', 'reply_to'],
    ['Reply-To name', 'reply_to_name'],
    ['Return-Path', 'return_path'],
  ];
  for (const [label, column] of mapped)
    await expect(panel.getByLabel(label, { exact: true })).toHaveValue(`col:${column}`);
  await expect(panel.getByLabel('Header 1 name')).toHaveValue('X-Campaign');
  await expect(panel.getByLabel('Header 1 value')).toHaveValue('col:X-Campaign');

  await panel.getByLabel('Subject', { exact: true }).fill('{{first_name}}, your {{plan}} plan renews soon');
  await panel
    .getByLabel('HTML body', { exact: true })
    .fill('<p>Hi {{first_name}}, your {{plan}} plan renews on {{renewal_date}}.</p>');
  await expect(panel.getByText(/matches no column/)).toHaveCount(0);

  await panel.getByRole('button', { name: 'Next: preview and check every row' }).click();
  await expect(stat(panel, 'Rows in the file')).toHaveText('3');
  await expect(stat(panel, 'Ready to send')).toHaveText('3');
  await expect(stat(panel, 'With errors')).toHaveText('0');
  await panel.getByLabel('Show').selectOption('all');
  await panel.getByRole('button', { name: 'View line 4' }).click();
  await expect(
    panel
      .locator('iframe[title="HTML body for line 4"]')
      .contentFrame()
      .getByText('Hi Grace, your Enterprise plan renews on 2027-03-09.'),
  ).toBeVisible();
  await expectAccessible(page, '/batches/new preflight of the sample CSV');
});
