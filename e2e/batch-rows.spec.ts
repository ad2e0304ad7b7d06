import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hashPassword } from '../lib/auth/password';
import { seedFinishedJob, type SeededJob } from '../lib/batch/testing/seed-job';
import { openDatabase } from '../lib/db/connection';
import { users } from '../lib/db/schema';
import { E2E } from './support/constants';
import { startConsole, type ConsoleServer } from './support/console-server';
import { expectAccessible, signIn } from './support/fixtures';

// A 100,000-row finished job, seeded straight into a second console's embedded database (running
// it through the sandbox would take minutes), to show the job page stays small: the table holds
// only the rows on screen and fetches pages by keyset, whatever the filter. Times are printed,
// never asserted.

const JOB = { id: 'bulk100000rows', name: 'Spring sale (100,000 rows)', rows: 100_000 };
const PEOPLE = {
  sender: { email: 'sender@rows.test', password: 'sender-password-rows' },
  support: { email: 'support@rows.test', password: 'support-password-rows' },
};
/** Far more than a screen of rows, far fewer than the job: what "only the visible rows" allows. */
const MAX_DOM_ROWS = 80;
const address = (i: number) => `row-${i}@bulk.example.com`;

let server: ConsoleServer;
let seeded: SeededJob;

async function seed(dataDir: string): Promise<SeededJob> {
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const cheap = { N: 2 ** 12, r: 8, p: 1 };
    for (const [role, who] of Object.entries(PEOPLE))
      await handle.db.insert(users).values({
        id: `u-${role}`,
        email: who.email,
        role: role as 'sender' | 'support',
        passwordHash: await hashPassword(who.password, cheap),
      });
    return await seedFinishedJob(handle.db, { ...JOB, createdByEmail: PEOPLE.sender.email });
  } finally {
    await handle.close();
  }
}

async function signedIn(browser: Browser, role: keyof typeof PEOPLE): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await signIn(page, PEOPLE[role]);
  return page;
}

/** The table's own count line ("100,000 rows", "900 of 100,000 rows match"). */
const rowCount = (page: Page, text: string) =>
  page.getByRole('region', { name: 'Rows', exact: true }).getByText(text, { exact: true });
const rowsRegion = (page: Page) => page.getByRole('region', { name: /Rows of this job/ });
/** Every row element the table holds, header and loading placeholders included. */
const domRows = (page: Page) => rowsRegion(page).locator('tr');
const bodyRow = (page: Page, text: string) => rowsRegion(page).locator('tbody tr').filter({ hasText: text });

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await step();
  console.log(`job page, ${label}: ${Math.round(performance.now() - start)} ms`);
  return result;
}

async function scrollToEnd(page: Page) {
  await rowsRegion(page).evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
}

async function expectFewRows(page: Page) {
  const n = await domRows(page).count();
  expect(n, `the table holds ${n} row elements`).toBeGreaterThan(1);
  expect(n, `the table holds ${n} row elements`).toBeLessThanOrEqual(MAX_DOM_ROWS);
}

test.describe('a 100,000-row job', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(180_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-e2e-rows-'));
    const start = performance.now();
    seeded = await seed(dataDir);
    console.log(`seeded ${seeded.rows} rows in ${Math.round(performance.now() - start)} ms`);
    server = await startConsole({ port: E2E.extraPortBase + 60 + testInfo.workerIndex, dataDir });
  });

  test.afterAll(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  test('scroll to the last row, filter by status and error code, search an address: the DOM holds only the visible rows', async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const page = await signedIn(browser, 'support');
    // Every row the browser receives, summed over the rows route's answers.
    let rowsFetched = 0;
    page.on('response', (res) => {
      if (!/\/api\/batches\/[^/]+\/rows\?/.test(res.url())) return;
      void res
        .json()
        .then((body: { rows: unknown[] }) => (rowsFetched += body.rows.length))
        .catch(() => undefined);
    });

    await timed('open, first rows shown', async () => {
      await page.goto(`/batches/${JOB.id}`);
      await expect(bodyRow(page, address(1))).toBeVisible();
    });
    await expect(rowCount(page, '100,000 rows')).toBeVisible();
    await expectFewRows(page);

    await timed('scroll to the last row', async () => {
      await scrollToEnd(page);
      await expect(bodyRow(page, address(100_000))).toBeVisible();
    });
    await expect(bodyRow(page, address(100_000))).toHaveAttribute('aria-rowindex', '100001');
    await expectFewRows(page);

    await timed('filter failed rows', async () => {
      await page.getByLabel('Status').selectOption('failed');
      await expect(rowCount(page, '10,900 of 100,000 rows match')).toBeVisible();
      await expect(bodyRow(page, address(50))).toBeVisible();
    });
    await expect(page).toHaveURL(/[?&]status=failed/);
    await timed('scroll to the last failed row', async () => {
      // Filtered pages follow each other by keyset: keep scrolling until the end arrives.
      await expect(async () => {
        await scrollToEnd(page);
        await expect(bodyRow(page, address(100_000))).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 60_000 });
    });
    await expectFewRows(page);

    await timed('filter by error code', async () => {
      await page.getByLabel('Error code').selectOption('validation_error');
      await expect(rowCount(page, '900 of 100,000 rows match')).toBeVisible();
      await expect(bodyRow(page, address(50))).toBeVisible();
    });
    await expect(bodyRow(page, address(50))).toContainText('to.email: Not a deliverable address');
    await timed('scroll to the last validation_error row', async () => {
      await expect(async () => {
        await scrollToEnd(page);
        await expect(bodyRow(page, address(99_850))).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 30_000 });
    });
    await expectFewRows(page);
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'job page filtered by status and error code');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(rowCount(page, '100,000 rows')).toBeVisible();
    await timed('search an address', async () => {
      await page.getByLabel('To address').fill(address(54_321));
      await expect(rowCount(page, '1 of 100,000 rows match')).toBeVisible();
    });
    await expect(rowsRegion(page).locator('tbody tr')).toHaveCount(1);
    await expect(bodyRow(page, address(54_321))).toContainText('Queued');
    await expect(page).toHaveURL(/[?&]q=row-54321%40bulk\.example\.com/);

    console.log(`job page: ${rowsFetched} of ${JOB.rows} rows fetched in all`);
    // Walking to the end of the failed rows reads all 10,900 of them, a keyset page at a time;
    // everything else is a page or two.
    expect(rowsFetched).toBeLessThan(seeded.failed + 5_000);
    // Support cannot compose: no shortcut to Compose on its failed rows.
    await expect(rowsRegion(page).getByRole('link', { name: /Open in Compose/ })).toHaveCount(0);
  });

  test('a failed row opens in Compose with its own merged message', async ({ browser }) => {
    const page = await signedIn(browser, 'sender');
    await page.goto(`/batches/${JOB.id}?status=failed&q=${encodeURIComponent(address(100_000))}`);
    await expect(rowCount(page, '1 of 100,000 rows match')).toBeVisible();
    const open = bodyRow(page, address(100_000)).getByRole('link', {
      name: 'Open in Compose (CSV line 100001)',
    });
    await expect(open).toHaveAttribute('href', `/compose?job=${JOB.id}&row=100000`);
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'job page, a failed row with Open in Compose');
    await open.click();

    await expect(page).toHaveURL(/\/compose$/);
    await expect(
      page.getByText(`Loaded from batch “${JOB.name}”, CSV line 100001 with a new idempotency key`),
    ).toBeVisible();
    await expect(page.getByLabel('To email', { exact: true })).toHaveValue(address(100_000));
    await expect(page.getByLabel('Subject', { exact: true })).toHaveValue('Spring sale, row 100000');
    await expect(page.getByLabel('HTML body', { exact: true })).toHaveValue(
      '<p>Hello Row 100000, the spring sale starts today.</p>',
    );
  });
});
