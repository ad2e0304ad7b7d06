import { expect, type Locator, type Page } from '@playwright/test';

// The CSV wizard driven as a user would, shared by the batch specs.

export const FROM = 'sandbox@sendmux.test';
export const csvPanel = (page: Page) => page.getByRole('tabpanel', { name: 'CSV mail merge' });
export const stat = (scope: Page | Locator, label: string) => {
  const page = 'goto' in scope ? scope : scope.page();
  return scope
    .locator('dl > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd');
};
export async function uploadCsv(page: Page, name: string, text: string) {
  await csvPanel(page)
    .locator('#csv-input')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
}

export async function mapBasics(page: Page, subject = 'Hello {{name}}', html = '<p>Hi {{name}}</p>') {
  const panel = csvPanel(page);
  await panel.getByLabel('From email', { exact: true }).selectOption({ label: 'Fixed value for every row…' });
  await panel.getByLabel('From email, fixed value').fill(FROM);
  await panel.getByLabel('Subject', { exact: true }).fill(subject);
  await panel.getByLabel('HTML body', { exact: true }).fill(html);
}

/**
 * Through the wizard with the defaults, from `newBatchUrl`: upload → map → preflight → name; opens
 * the "Send now?" dialog and leaves it to the caller.
 */
export async function toSendDialog(
  page: Page,
  csv: string,
  jobName: string,
  {
    extraMapping,
    newBatchUrl = '/batches/new',
  }: { extraMapping?: () => Promise<void>; newBatchUrl?: string } = {},
) {
  await page.goto(newBatchUrl);
  await uploadCsv(page, `${jobName}.csv`, csv);
  await csvPanel(page).getByRole('button', { name: 'Next: map the columns' }).click();
  await mapBasics(page);
  await extraMapping?.();
  await csvPanel(page).getByRole('button', { name: 'Next: preview and check every row' }).click();
  await csvPanel(page).getByRole('button', { name: 'Next: name and send' }).click();
  await csvPanel(page).getByLabel('Job name').fill(jobName);
  await csvPanel(page)
    .getByRole('button', { name: /^Send [\d,]+ messages?$/ })
    .click();
}

/** Chromium sends at most `bytesPerSecond` from this page from now on (-1: as fast as it can). */
export async function throttleUpload(page: Page, bytesPerSecond: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

/** Through the wizard with the defaults: upload → map → preflight → send; returns the job id. */
export async function startJob(
  page: Page,
  csv: string,
  jobName: string,
  extraMapping?: () => Promise<void>,
): Promise<string> {
  await toSendDialog(page, csv, jobName, { extraMapping });
  await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();
  await expect(page).toHaveURL(/\/batches\/(?!new$)[a-z0-9]+$/, { timeout: 30_000 });
  return new URL(page.url()).pathname.split('/').pop()!;
}

export async function waitUntilDone(page: Page) {
  await expect(page.getByRole('main').getByText('Done', { exact: true }).first()).toBeVisible({
    timeout: 45_000,
  });
  await expect(stat(page, 'Pending')).toHaveText('0');
}
