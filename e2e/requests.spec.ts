import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hashPassword } from '../lib/auth/password';
import { openDatabase } from '../lib/db/connection';
import { apiRequests, users } from '../lib/db/schema';
import { E2E } from './support/constants';
import { startConsole, type ConsoleServer } from './support/console-server';
import { expectAccessible, openCompose, signIn } from './support/fixtures';
import { messageViews } from './support/message-views';

// Two sources of requests: real sends from Compose on the main console (sandbox mode, whose
// sandbox key doubles as the canary that must never surface), and a second console started on an
// embedded database seeded with rows shaped exactly as the Sendmux client records them, for the
// cases Compose cannot produce on demand (a batch job's chunk, a body whose redaction failed,
// more than a page of entries).

const CANARY = 'smx_mbx_canary_e2e_7c1f9a2b3d4e5f60718293a4';
const ATTACHMENT_BASE64 = Buffer.from('%PDF-1.7 quarterly figures, do not leak '.repeat(40)).toString(
  'base64',
);
const FAIL = {
  requestId: 'req_e2efail0insufficient0001',
  key: 'compose-e2e-fail-1',
  to: 'fail+insufficient_credits@example.com',
};
const FLAKY = {
  first: 'req_e2eflaky0first0000000001',
  second: 'req_e2eflaky0second000000001',
  key: 'compose-e2e-flaky-1',
  eml: 'eml_e2eflaky0accepted000001',
};
const BATCH = { requestId: 'req_e2ebatch0partial00000001', key: 'job:jbe2e:chunk:4:try:1', jobId: 'jbe2e' };
const PEOPLE = {
  admin: { email: 'admin@requests.test', password: 'admin-password-requests' },
  sender: { email: 'sender@requests.test', password: 'sender-password-requests' },
  support: { email: 'support@requests.test', password: 'support-password-requests' },
};

const message = (to: string, extra: Record<string, unknown> = {}) => ({
  from: { email: 'orders@shop.test', name: 'Shop' },
  to: { email: to, name: 'Ada' },
  subject: 'Your invoice',
  html_body: '<p>Your invoice is attached.</p>',
  ...extra,
});
const ok = (requestId: string, data: unknown) => ({ ok: true, data, meta: { request_id: requestId } });
const failure = (
  requestId: string,
  code: string,
  message: string,
  retryable: boolean,
  errors?: unknown[],
) => ({
  ok: false,
  error: { code, message, retryable, ...(errors ? { errors } : {}) },
  meta: { request_id: requestId },
});

async function seed(dataDir: string): Promise<void> {
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const { db } = handle;
    // Cheap scrypt parameters: the hash carries them, and these accounts live for one test run.
    const cheap = { N: 2 ** 12, r: 8, p: 1 };
    for (const [role, who] of Object.entries(PEOPLE)) {
      await db.insert(users).values({
        id: `u-${role}`,
        email: who.email,
        role: role as 'admin' | 'sender' | 'support',
        passwordHash: await hashPassword(who.password, cheap),
      });
    }
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const common = {
      keyProfile: 'sandbox',
      method: 'POST',
      userId: 'u-sender',
      userEmail: PEOPLE.sender.email,
    } as const;
    // Filler first (oldest), so the request list has more than one page.
    await db.insert(apiRequests).values(
      Array.from({ length: 55 }, (_, i) => ({
        ...common,
        method: 'GET',
        path: '/me',
        source: 'settings' as const,
        createdAt: at(600 - i),
        completedAt: at(600 - i),
        status: 200,
        ok: true,
        requestId: `req_e2eme${String(i).padStart(19, '0')}`,
        durationMs: 30,
        responseBody: ok(`req_e2eme${String(i).padStart(19, '0')}`, {
          team: { id: 'team_sandbox', name: 'Sandbox team' },
        }),
      })),
    );
    await db.insert(apiRequests).values([
      {
        ...common,
        path: '/emails/send',
        source: 'compose',
        createdAt: at(30),
        completedAt: at(30),
        idempotencyKey: FAIL.key,
        status: 402,
        ok: false,
        errorCode: 'insufficient_credits',
        errorMessage: 'The team balance is too low for this request.',
        requestId: FAIL.requestId,
        durationMs: 84,
        // As if redaction had failed: the page and the support bundle must still show neither the key nor the content.
        requestBody: message(FAIL.to, {
          html_body: `<p>Your invoice is attached. ref ${CANARY}</p>`,
          attachments: [{ filename: 'q3-report.pdf', type: 'application/pdf', content: ATTACHMENT_BASE64 }],
        }),
        responseBody: failure(
          FAIL.requestId,
          'insufficient_credits',
          'The team balance is too low for this request.',
          false,
        ),
        recipients: [FAIL.to],
      },
      {
        ...common,
        path: '/emails/send',
        source: 'compose',
        createdAt: at(20),
        completedAt: at(20),
        idempotencyKey: FLAKY.key,
        attempt: 1,
        nextRetryAt: at(19.98),
        status: 503,
        ok: false,
        errorCode: 'service_unavailable',
        errorMessage: 'Sendmux is temporarily unavailable.',
        requestId: FLAKY.first,
        durationMs: 120,
        requestBody: message('flaky+503@example.com'),
        responseBody: failure(
          FLAKY.first,
          'service_unavailable',
          'Sendmux is temporarily unavailable.',
          true,
        ),
        recipients: ['flaky+503@example.com'],
      },
      {
        ...common,
        path: '/emails/send',
        source: 'compose',
        createdAt: at(19.97),
        completedAt: at(19.97),
        idempotencyKey: FLAKY.key,
        attempt: 2,
        waitMs: 1000,
        status: 200,
        ok: true,
        requestId: FLAKY.second,
        durationMs: 45,
        requestBody: message('flaky+503@example.com'),
        responseBody: ok(FLAKY.second, { message_id: FLAKY.eml, status: 'queued' }),
        recipients: ['flaky+503@example.com'],
        messageIds: [FLAKY.eml],
      },
      {
        ...common,
        path: '/emails/send/batch',
        source: 'batch',
        createdAt: at(10),
        completedAt: at(10),
        idempotencyKey: BATCH.key,
        jobId: BATCH.jobId,
        chunkNo: 4,
        status: 200,
        ok: true,
        requestId: BATCH.requestId,
        durationMs: 210,
        requestBody: {
          messages: [
            message('row1@example.com'),
            message('fail+validation_error@example.com'),
            message('row3@example.com'),
          ],
        },
        responseBody: ok(BATCH.requestId, {
          results: [
            { index: 2, message_id: 'eml_e2ebatch0row3000000001', status: 'queued' },
            {
              index: 1,
              message_id: null,
              status: 'failed',
              error: {
                code: 'validation_error',
                message: 'The message failed validation (1 problem); see errors.',
                retryable: false,
                errors: [{ field: 'to.email', code: 'rejected', message: 'The address was rejected' }],
              },
            },
            { index: 0, message_id: 'eml_e2ebatch0row1000000001', status: 'queued' },
          ],
          summary: { total: 3, queued: 2, failed: 1 },
        }),
        recipients: ['row1@example.com', 'fail+validation_error@example.com', 'row3@example.com'],
        messageIds: ['eml_e2ebatch0row3000000001', 'eml_e2ebatch0row1000000001'],
        messageCount: 3,
      },
    ]);
  } finally {
    await handle.close();
  }
}

let server: ConsoleServer;

async function signedIn(browser: Browser, who: keyof typeof PEOPLE): Promise<Page> {
  const ctx = await browser.newContext({
    baseURL: server.url,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await ctx.newPage();
  await signIn(page, PEOPLE[who], server.url);
  return page;
}

async function search(page: Page, q: string) {
  await page.getByLabel('Search requests').fill(q);
  await page.getByLabel('Search requests').press('Enter');
  await expect(page).toHaveURL(
    new RegExp(`[?&]q=${encodeURIComponent(q).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
}

/** axe checks the page as rendered: a pointer left over a row would be judged in its hover colours. */
async function expectAccessibleAtRest(page: Page, context: string) {
  await page.mouse.move(0, 0);
  await expectAccessible(page, context);
}

const results = (page: Page) => page.getByRole('table').first().locator('tbody tr');

test.describe('request log on a console with recorded requests', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async ({}, testInfo) => {
    // A second console starts (build already there, database migrated fresh): slow on 2 busy cores.
    testInfo.setTimeout(180_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-e2e-requests-'));
    await seed(dataDir);
    server = await startConsole({ port: E2E.extraPortBase + 40 + testInfo.workerIndex, dataDir });
  });

  test.afterAll(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  test('a pasted request_id leads to what happened and what to do', async ({ browser }) => {
    const page = await signedIn(browser, 'support');
    await page.goto('/requests');
    await search(page, FAIL.requestId);
    await expect(results(page)).toHaveCount(1);
    await page.getByRole('link', { name: 'Open request' }).click();
    await expect(page.getByRole('heading', { name: 'POST /emails/send' })).toBeVisible();
    const why = page.getByRole('region', { name: 'What went wrong' });
    await expect(why.getByText('Not enough credits')).toBeVisible();
    await expect(
      why.getByText("The team's balance is too low for this email or the whole batch."),
    ).toBeVisible();
    await expect(why.getByText('A retry will not help')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Attempts' }).getByRole('listitem')).toHaveCount(1);
    const attachments = page.getByRole('list', { name: 'Attachments (content not stored)' });
    await expect(attachments).toContainText('q3-report.pdf');
    await expect(attachments).toContainText('content not stored');
    // Nothing secret reaches the page at all.
    const html = await page.content();
    expect(html).not.toContain(CANARY);
    expect(html).not.toContain(ATTACHMENT_BASE64.slice(0, 60));
    await expectAccessibleAtRest(page, 'request detail (failed send)');
  });

  test('"Copy for support" and "Copy as curl" carry the request_id but no key and no attachment content', async ({
    browser,
  }) => {
    const page = await signedIn(browser, 'support');
    await page.goto(`/requests/${FAIL.requestId}`);
    await expect(page).toHaveURL(/\/requests\/\d+$/);
    await page.getByRole('button', { name: 'Copy for support' }).click();
    const bundle = await page.evaluate(() => navigator.clipboard.readText());
    expect(bundle).toContain(FAIL.requestId);
    expect(bundle).toContain('insufficient_credits');
    expect(bundle).toContain(FAIL.key);
    expect(bundle).toContain('sandbox');
    expect(bundle).not.toContain(CANARY);
    expect(bundle).not.toMatch(/smx_(mbx|agent|root)_[A-Za-z0-9_]{8,}/);
    expect(bundle).not.toContain(ATTACHMENT_BASE64.slice(0, 60));

    await page.getByRole('button', { name: 'Copy as curl' }).click();
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toContain('Authorization: Bearer $SENDMUX_API_KEY');
    expect(curl).toContain(`Idempotency-Key: ${FAIL.key}`);
    expect(curl).not.toContain(CANARY);
    expect(curl).not.toContain(ATTACHMENT_BASE64.slice(0, 60));
    await expect(page.getByText('Attachment content was not stored, so this command')).toBeVisible();
  });

  test('search by eml_ id, idempotency key and address finds the right rows; a 503-then-200 shows two attempts', async ({
    browser,
  }) => {
    const page = await signedIn(browser, 'support');
    await page.goto('/requests');
    await search(page, FLAKY.eml);
    await expect(results(page)).toHaveCount(1);
    await expect(results(page).first()).toContainText(FLAKY.second);

    await search(page, FLAKY.key);
    await expect(results(page)).toHaveCount(2);
    await expect(results(page).nth(0)).toContainText(FLAKY.second);
    await expect(results(page).nth(1)).toContainText(FLAKY.first);

    await search(page, 'FAIL+Insufficient_Credits@Example.com');
    await expect(results(page)).toHaveCount(1);
    await expect(results(page).first()).toContainText(FAIL.requestId);

    await search(page, 'fail+validation_error@example.com');
    await expect(results(page)).toHaveCount(1);
    await expect(results(page).first()).toContainText(BATCH.requestId);

    await search(page, FLAKY.key);
    await results(page).nth(1).getByRole('link').click();
    const timeline = page.getByRole('list', { name: 'Attempts' });
    await expect(timeline.getByRole('listitem')).toHaveCount(2);
    await expect(timeline.getByRole('listitem').nth(0)).toContainText('attempt 1');
    await expect(timeline.getByRole('listitem').nth(0)).toContainText('503 service_unavailable');
    await expect(timeline.getByRole('listitem').nth(1)).toContainText('waited 1.0 s');
    await expect(timeline.getByRole('listitem').nth(1)).toContainText('attempt 2');
    await expect(timeline.getByRole('listitem').nth(1)).toContainText('200');
    await expect(timeline.locator('a[aria-current="page"]')).toContainText('attempt 1');
    await expect(
      page.getByRole('region', { name: 'What went wrong' }).getByText('A retry can help'),
    ).toBeVisible();
    await timeline.getByRole('link', { name: /attempt 2/ }).click();
    await expect(
      page.getByRole('list', { name: 'Attempts' }).locator('a[aria-current="page"]'),
    ).toContainText('attempt 2');
    await expect(page.getByText(FLAKY.eml).first()).toBeVisible();
  });

  test('a batch shows its messages by index and links to its job and chunk', async ({ browser }) => {
    const page = await signedIn(browser, 'support');
    await page.goto('/requests');
    await search(page, `job:${BATCH.jobId}`);
    await expect(results(page)).toHaveCount(1);
    await search(page, BATCH.jobId);
    await expect(page.getByRole('heading', { name: new RegExp(`batch job ${BATCH.jobId}`) })).toBeVisible();
    await results(page).first().getByRole('link').click();
    const table = page.getByRole('table');
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(table.locator('tbody tr').nth(1)).toContainText('fail+validation_error@example.com');
    await expect(table.locator('tbody tr').nth(1)).toContainText('validation_error');
    await expect(table.locator('tbody tr').nth(1)).toContainText('to.email');
    await expect(table.locator('tbody tr').nth(2)).toContainText('eml_e2ebatch0row3000000001');
    await expect(page.getByRole('link', { name: `Batch job ${BATCH.jobId}` })).toHaveAttribute(
      'href',
      `/batches/${BATCH.jobId}`,
    );
    await expect(page.getByRole('link', { name: 'rows of chunk 4' })).toHaveAttribute(
      'href',
      `/batches/${BATCH.jobId}?chunk=4`,
    );
    await expect(page.getByRole('link', { name: /Open in Compose/ })).toHaveCount(0);
    await expectAccessibleAtRest(page, 'request detail (batch)');
  });

  test('a logged message shows as the preview does: Mobile at 375 px, Source with line numbers, Headers and MIME parts; a batch message by index', async ({
    browser,
  }) => {
    const page = await signedIn(browser, 'support');
    await page.goto(`/requests/${FAIL.requestId}`);
    const card = page.getByRole('region', { name: 'Message', exact: true });
    const views = messageViews(card, 'Message views');
    await views.expectMobileWidth('Logged HTML body at mobile width (375 px)');

    await views.open('Source');
    await expect(views.sourceLines()).toHaveCount(1);
    await expect(views.sourceLines().first()).toContainText(/^1<p>Your invoice is attached\. ref smx_mbx_…/);
    await expectAccessibleAtRest(page, 'request detail, message Source tab');

    await views.open('Headers');
    const row = views.headerRow;
    await expect(row('From')).toContainText('Shop <orders@shop.test>');
    await expect(row('To')).toContainText(`Ada <${FAIL.to}>`);
    await expect(row('Subject')).toContainText('Your invoice');
    await expect(row('Content-Type')).toContainText('multipart/mixed');
    const mime = views.mimeParts();
    await expect(mime).toHaveCount(3);
    await expect(mime.nth(2)).toContainText('application/pdf');
    await expect(mime.nth(2)).toContainText('Attachment “q3-report.pdf”');
    await expect(mime.nth(2)).toContainText(/1\.\d KB/);
    await expectAccessibleAtRest(page, 'request detail, message Headers tab');
    expect(await page.content()).not.toContain(CANARY);

    await page.goto(`/requests/${BATCH.requestId}`);
    await expect(page.getByRole('heading', { name: 'Message 0 of the batch' })).toBeVisible();
    await page.getByRole('link', { name: 'View (message 1)' }).click();
    await expect(page).toHaveURL(/\?message=1#message$/);
    const batchViews = messageViews(
      page.getByRole('region', { name: 'Message 1 of the batch' }),
      'Message views',
    );
    await batchViews.open('Headers');
    await expect(batchViews.headerRow('To')).toContainText('fail+validation_error@example.com');
    await expect(page.getByRole('link', { name: 'Shown below (message 1)' })).toHaveAttribute(
      'aria-current',
      'true',
    );
  });

  test('support sees no Open in Compose; a sender does, for sends and for each batch message', async ({
    browser,
  }) => {
    const support = await signedIn(browser, 'support');
    await support.goto(`/requests/${FLAKY.second}`);
    await expect(support.getByRole('heading', { name: 'POST /emails/send' })).toBeVisible();
    await expect(support.getByRole('link', { name: /Open in Compose/ })).toHaveCount(0);
    // No control that sends ("Check Sendmux delivery logs" only reads, so a word match).
    await expect(support.getByRole('button', { name: /\b(re)?send\b/i })).toHaveCount(0);

    const sender = await signedIn(browser, 'sender');
    await sender.goto(`/requests/${FLAKY.second}`);
    await expect(sender).toHaveURL(/\/requests\/(\d+)$/);
    const id = /\/requests\/(\d+)$/.exec(sender.url())![1];
    await expect(sender.getByRole('link', { name: 'Open in Compose' })).toHaveAttribute(
      'href',
      `/compose?from=${id}`,
    );
    await sender.goto(`/requests/${BATCH.requestId}`);
    await expect(sender.getByRole('link', { name: 'Open in Compose (message 1)' })).toHaveAttribute(
      'href',
      /\/compose\?from=\d+&index=1$/,
    );
  });

  test('search state lives in the URL; pages are keyset pages; filters narrow the list', async ({
    browser,
  }) => {
    const page = await signedIn(browser, 'support');
    await page.goto('/requests');
    await expect(results(page)).toHaveCount(50);
    await page.getByRole('link', { name: 'Older' }).click();
    await expect(page).toHaveURL(/[?&]before=\d{8}T\d{6}\.\d{6}Z_\d+$/);
    await expect(results(page)).toHaveCount(59 - 50);
    await page.getByRole('link', { name: 'Newest' }).click();
    await expect(page).not.toHaveURL(/before=/);

    await page.getByLabel('Outcome', { exact: true }).selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]outcome=failed/);
    await expect(results(page)).toHaveCount(2);
    await page.getByLabel('Error code', { exact: true }).selectOption('service_unavailable');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/outcome=failed&code=service_unavailable/);
    await expect(results(page)).toHaveCount(1);
    // A shared link opens the same search.
    const shared = page.url();
    const other = await signedIn(browser, 'sender');
    await other.goto(shared);
    await expect(other.getByLabel('Outcome', { exact: true })).toHaveValue('failed');
    await expect(results(other)).toHaveCount(1);
    await expectAccessibleAtRest(page, 'request list with filters');
  });
});

test.describe('request log as support on the main console', () => {
  test.use({ storageState: E2E.storageState('support') });

  test('shows how long entries are kept and one search box; the search lives in the URL', async ({
    page,
  }) => {
    await page.goto('/requests');
    await expect(page.getByText(/Entries are kept for 30 days/)).toBeVisible();
    const box = page.getByLabel('Search requests');
    await expect(box).toBeVisible();
    await expect(box).toHaveAttribute('placeholder', /req_… · eml_… · evt_… · idempotency key · .+@/);
    await box.fill('req_nosuchrequest00000000000');
    await box.press('Enter');
    await expect(page).toHaveURL(/\/requests\?q=req_nosuchrequest00000000000$/);
    await expect(page.getByText('Nothing matches request_id req_nosuchrequest00000000000')).toBeVisible();
    await expect(page.getByText(/Entries older than 30 days have been pruned/)).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Search requests')).toHaveValue('req_nosuchrequest00000000000');
    await expectAccessible(page, 'request list, empty search');
  });

  test('an unknown entry or request_id says it is not in the log', async ({ page }) => {
    await page.goto('/requests/987654321');
    await expect(page.getByRole('heading', { name: 'Request not found' })).toBeVisible();
    await page.goto('/requests/req_nosuchrequest00000000000');
    await expect(page.getByRole('heading', { name: 'Request not found' })).toBeVisible();
    await expectAccessible(page, 'request not found');
  });

  test('a connection check from Settings shows up in the log and opens as a detail page', async ({
    page,
  }) => {
    await page.goto('/settings/keys');
    const check = page.getByRole('button', { name: /Check connection/ }).first();
    test.skip((await check.count()) === 0, 'Settings → Sendmux keys has no connection check in this build');
    await check.click();
    await expect(page.getByText(/Connected to team|request_id/).first()).toBeVisible();
    await page.goto(
      `/requests?endpoint=${encodeURIComponent('/me')}&user=${encodeURIComponent(E2E.support.email)}`,
    );
    await expect(results(page).first()).toBeVisible();
    await results(page).first().getByRole('link').click();
    await expect(page.getByRole('heading', { name: 'GET /me' })).toBeVisible();
    await expect(page.getByText(E2E.support.email).first()).toBeVisible();
    await expect(page.getByRole('link', { name: /Open in Compose/ })).toHaveCount(0);
    await expectAccessibleAtRest(page, 'request detail (GET /me)');
  });
});

test.describe('request log after sends from Compose', () => {
  test.use({ storageState: E2E.storageState('sender'), permissions: ['clipboard-read', 'clipboard-write'] });

  const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
  const PNG_BASE64 =
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

  async function compose(page: Page, to: string) {
    page.on('dialog', (d) => void d.accept());
    await openCompose(page);
    await field(page, 'From email').fill('sandbox@sendmux.test');
    await field(page, 'To email').fill(to);
    await field(page, 'Subject').fill('Request log e2e');
    await field(page, 'HTML body').fill('<p>Hello</p>');
  }

  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

  test('a failed send: copy its request_id from Compose, paste it into the search, read what it means; the support bundle has no key and no attachment', async ({
    page,
  }) => {
    const to = `fail+insufficient_credits+${unique()}@example.com`;
    await compose(page, to);
    await page
      .locator('#attachment-input')
      .setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: Buffer.from(PNG_BASE64, 'base64') });
    await expect(page.getByText('pixel.png').first()).toBeVisible();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'What it means' });
    await expect(alert).toContainText('insufficient_credits');
    await alert.getByRole('button', { name: 'Copy request_id' }).click();
    const requestId = await clipboard(page);
    expect(requestId).toMatch(/^req_[a-z0-9]{24}$/);

    await page.goto('/requests');
    await page.getByLabel('Search requests').fill(requestId);
    await page.getByLabel('Search requests').press('Enter');
    await expect(page).toHaveURL(new RegExp(`q=${requestId}`));
    await expect(results(page)).toHaveCount(1);
    await page.getByRole('link', { name: 'Open request' }).click();
    const why = page.getByRole('region', { name: 'What went wrong' });
    await expect(why.getByText('Not enough credits')).toBeVisible();
    await expect(
      why.getByText("The team's balance is too low for this email or the whole batch."),
    ).toBeVisible();
    await expect(why.getByText('Top up credits in the Sendmux dashboard')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Attempts' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('list', { name: 'Attempts' })).toContainText('402 insufficient_credits');
    await expect(page.getByRole('list', { name: 'Attachments (content not stored)' })).toContainText(
      'pixel.png',
    );

    await page.getByRole('button', { name: 'Copy for support' }).click();
    const bundle = await clipboard(page);
    expect(bundle).toContain(requestId);
    expect(bundle).toContain(to);
    expect(bundle).not.toContain(E2E.sandboxKey);
    expect(bundle).not.toMatch(/smx_(mbx|agent|root)_[A-Za-z0-9_]{8,}/);
    expect(bundle).not.toContain(PNG_BASE64.slice(0, 40));
    const html = await page.content();
    expect(html).not.toContain(E2E.sandboxKey);
    expect(html).not.toContain(PNG_BASE64.slice(0, 40));
    await expectAccessibleAtRest(page, 'request detail after a failed Compose send');
  });

  test('503 then success from Compose: two attempts under one key, found by eml_ id, idempotency key and address', async ({
    page,
  }) => {
    const to = `flaky+503+${unique()}@example.com`;
    await compose(page, to);
    const key = await field(page, 'Idempotency key').inputValue();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = page.getByRole('region', { name: /^Sent/ });
    await expect(sent).toContainText(/attempts\s*2/);
    const messageId = (await sent.locator('code').filter({ hasText: /^eml_/ }).textContent())!;
    const requestId = (await sent.locator('code').filter({ hasText: /^req_/ }).textContent())!;

    await page.goto('/requests');
    await search(page, messageId);
    await expect(results(page)).toHaveCount(1);
    await expect(results(page).first()).toContainText(requestId);
    await search(page, key);
    await expect(results(page)).toHaveCount(2);
    await expect(results(page).nth(0)).toContainText('200');
    await expect(results(page).nth(1)).toContainText('503 service_unavailable');
    await search(page, to.toUpperCase());
    await expect(results(page)).toHaveCount(2);

    await results(page).first().getByRole('link').click();
    const timeline = page.getByRole('list', { name: 'Attempts' });
    await expect(timeline.getByRole('listitem')).toHaveCount(2);
    await expect(timeline.getByRole('listitem').nth(0)).toContainText('attempt 1');
    await expect(timeline.getByRole('listitem').nth(0)).toContainText('503 service_unavailable');
    await expect(timeline.getByRole('listitem').nth(1)).toContainText(/waited \d/);
    await expect(timeline.getByRole('listitem').nth(1)).toContainText('attempt 2');
    await expect(timeline.locator('a[aria-current="page"]')).toContainText('attempt 2');
  });

  test('Open in Compose loads the logged message with a new idempotency key; support sees no such button', async ({
    page,
    browser,
  }) => {
    const to = `reopen.${unique()}@example.com`;
    await compose(page, to);
    const key = await field(page, 'Idempotency key').inputValue();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByRole('region', { name: /^Sent/ })).toBeVisible();
    await page.getByRole('link', { name: 'Open in the request log' }).click();
    await expect(page).toHaveURL(/\/requests\/\d+$/);
    const detailUrl = page.url();

    const support = await browser.newContext({ storageState: E2E.storageState('support') });
    const supportPage = await support.newPage();
    await supportPage.goto(detailUrl);
    await expect(supportPage.getByRole('heading', { name: 'POST /emails/send' })).toBeVisible();
    await expect(supportPage.getByRole('button', { name: 'Copy for support' })).toBeVisible();
    await expect(supportPage.getByRole('link', { name: /Open in Compose/ })).toHaveCount(0);
    await support.close();

    const open = page.getByRole('link', { name: 'Open in Compose' });
    await expect(open).toHaveAttribute('href', /^\/compose\?from=\d+$/);
    await open.click();
    await expect(field(page, 'To email')).toHaveValue(to);
    await expect(field(page, 'Subject')).toHaveValue('Request log e2e');
    await expect(field(page, 'Idempotency key')).not.toHaveValue(key);
    // Loaded once: the address bar drops ?from= (it may already have by the time we look), so a
    // reload keeps the edited draft instead of loading the request again.
    await expect(page).toHaveURL(/\/compose$/);
  });
});
