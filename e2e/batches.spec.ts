import fs from 'node:fs';
import net from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { E2E } from './support/constants';
import { expectAccessible } from './support/fixtures';
import { outboxFor } from './support/sandbox';
import {
  csvPanel,
  FROM,
  mapBasics,
  startJob,
  stat,
  throttleUpload,
  toSendDialog,
  uploadCsv,
  waitUntilDone,
} from './support/wizard';

test.use({ storageState: E2E.storageState('sender') });

const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const manualPanel = (page: Page) => page.getByRole('tabpanel', { name: 'Manual batch' });
const rowsRegion = (page: Page) => page.getByRole('region', { name: /Rows of this job/ });

/** A CSV as Excel in a ';' locale writes it: UTF-8 BOM, semicolons, CRLF, a quoted field with a line break. */
function mergeCsv(t: string) {
  const people = {
    ada: `ada.${t}@example.com`,
    bob: `bob.${t}@example.com`,
    credits: `fail+insufficient_credits+${t}@example.com`,
    flaky: `fail+503+${t}@example.com`,
    needsChange: `fail+validation_error+${t}@example.com`,
  };
  const lines = [
    'email;name;company;note',
    `${people.ada};Ada;"Acme; Inc";"Line one\r\nline two"`, // lines 2–3
    `${people.bob};Bob;Bits;=SUM(1+2)`, // line 4
    'not-an-email;Carl;Crumbs;bad address', // line 5: invalid
    `${people.credits};Dee;Dough;credits`, // line 6
    `${people.flaky};Eve;Eggs;flaky`, // line 7
    ';Fay;Figs;no address', // line 8: invalid
    `${people.needsChange};Gus;Grain;rejected`, // line 9
  ];
  return { text: `\uFEFF${lines.join('\r\n')}\r\n`, people };
}

test('CSV mail merge: BOM, ; and a multi-line field → exclude two invalid rows → send → filter → retry only failed rows → results CSV', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const { text, people } = mergeCsv(tag());
  const jobName = `E2E merge ${tag()}`;

  await page.goto('/batches');
  await expectAccessible(page, '/batches');
  await page.getByRole('link', { name: 'New batch' }).click();
  await expect(page).toHaveURL(/\/batches\/new$/);
  await expect(csvPanel(page).getByText(/up to 1,000,000 rows,\s+at most 250 MB/)).toBeVisible();
  await expectAccessible(page, '/batches/new before a file');

  // 1. Upload: parsed in the worker, BOM and delimiter detected, the quoted line break kept.
  await uploadCsv(page, 'contacts.csv', text);
  const panel = csvPanel(page);
  await expect(panel.getByText('UTF-8 with BOM')).toBeVisible();
  await expect(panel.getByText('Detected: semicolon')).toBeVisible();
  await expect(stat(panel, 'Rows')).toHaveText('7');
  await expect(stat(panel, 'Columns')).toHaveText('4');
  await expect(panel.getByRole('cell', { name: /Line one\s+line two/ })).toBeVisible();
  await expect(panel.getByRole('cell', { name: 'Acme; Inc' })).toBeVisible();
  await expectAccessible(page, '/batches/new upload step');

  // 2. Mapping: email and name were mapped by their names; unknown variables are flagged as typed.
  await panel.getByRole('button', { name: 'Next: map the columns' }).click();
  await expect(panel.getByLabel('To email', { exact: true })).toHaveValue('col:email');
  await expect(panel.getByLabel('To name', { exact: true })).toHaveValue('col:name');
  await mapBasics(page, 'Hello {{nmae}}', '<p>Hi {{name}} of {{company}}</p><p>{{note}}</p>');
  await expect(panel.getByText(/matches no column: it would be sent as written/)).toBeVisible();
  await expect(panel.getByLabel('Subject', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await panel.getByLabel('Subject', { exact: true }).fill('Hello {{name|friend}} [DP_NAME]');
  await expect(panel.getByText(/matches no column/)).toHaveCount(0);
  await expectAccessible(page, '/batches/new mapping step');

  // 3. Preflight: the two invalid rows, by CSV line number and field.
  await panel.getByRole('button', { name: 'Next: preview and check every row' }).click();
  await expect(panel.getByLabel('Show')).toHaveValue('errors');
  await expect(stat(panel, 'With errors')).toHaveText('2');
  const problemRows = panel
    .getByRole('table')
    .filter({ has: page.getByRole('checkbox') })
    .getByRole('row');
  await expect(problemRows).toHaveCount(3);
  await expect(panel.getByRole('checkbox', { name: 'Exclude line 5' })).toBeVisible();
  await expect(panel.getByRole('checkbox', { name: 'Exclude line 8' })).toBeVisible();
  await expect(problemRows.filter({ hasText: 'not-an-email' })).toContainText(
    'to.email: Enter a valid email address',
  );
  await expect(
    problemRows.filter({ has: page.getByRole('checkbox', { name: 'Exclude line 8' }) }),
  ).toContainText('to.email');
  // The rendered message of a row, in a sandboxed frame.
  await panel.getByRole('button', { name: 'View line 5' }).click();
  await expect(panel.getByRole('heading', { name: 'Message for line 5' })).toBeVisible();
  await expect(panel.locator('iframe[title="HTML body for line 5"]')).toHaveAttribute('sandbox', '');
  await expect(
    panel.locator('iframe[title="HTML body for line 5"]').contentFrame().getByText('Hi Carl of Crumbs'),
  ).toBeVisible();
  // Errors download as a CSV naming line and field.
  const [errorsFile] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Download errors as CSV' }).click(),
  ]);
  const errorsCsv = fs.readFileSync((await errorsFile.path())!, 'utf8');
  expect(errorsCsv).toMatch(/^\uFEFFline,to,field,message,severity,column\r\n/);
  expect(errorsCsv).toContain('5,not-an-email,to.email,');
  expect(errorsCsv).toContain('8,,to.email,');
  await expectAccessible(page, '/batches/new preflight step');

  await panel.getByRole('button', { name: 'Exclude the 2 rows with errors' }).click();
  await expect(stat(panel, 'With errors')).toHaveText('0');
  await expect(stat(panel, 'Excluded')).toHaveText('2');
  await expect(panel.getByTestId('plan')).toContainText(
    '5 messages in 1 request of ≤ 100, total encoded size',
  );
  await panel.getByLabel('Show').selectOption('all');
  await panel.getByRole('button', { name: 'View line 2' }).click();
  await expect(
    panel.locator('iframe[title="HTML body for line 2"]').contentFrame().getByText('Hi Ada of Acme; Inc'),
  ).toBeVisible();

  // Going back and forth loses nothing.
  await panel.getByRole('button', { name: 'Back to mapping' }).click();
  await expect(panel.getByLabel('Subject', { exact: true })).toHaveValue('Hello {{name|friend}} [DP_NAME]');
  await panel.getByRole('button', { name: 'Next: preview and check every row' }).click();
  await expect(stat(panel, 'Excluded')).toHaveText('2');

  // 4. Send.
  await panel.getByRole('button', { name: 'Next: name and send' }).click();
  await panel.getByLabel('Job name').fill(jobName);
  await expectAccessible(page, '/batches/new send step');
  await panel.getByRole('button', { name: 'Send 5 messages' }).click();
  await expect(page.getByRole('dialog')).toContainText('Send 5 messages now?');
  await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();
  await expect(page).toHaveURL(/\/batches\/(?!new$)[a-z0-9]+$/, { timeout: 30_000 });
  const jobId = new URL(page.url()).pathname.split('/').pop()!;

  // The job page: done, with the counts the scenarios dictate.
  await expect(page.getByRole('heading', { level: 1, name: jobName })).toBeVisible();
  await waitUntilDone(page);
  await expect(stat(page, 'Queued')).toHaveText('2');
  await expect(stat(page, 'Failed')).toHaveText('3');
  await expect(rowsRegion(page).getByRole('row')).toHaveCount(6);
  // A rejected row is listed apart, with what to change; it is not offered for a retry.
  const needsChange = page.getByRole('region', { name: /validation_error: 1 rows/ });
  await expect(needsChange).toContainText(people.needsChange);
  await expect(needsChange).toContainText('What to change');
  await expectAccessible(page, 'job page');

  // Filter failed rows (the filter lives in the URL), then by error code.
  await page.getByLabel('Status').selectOption('failed');
  await expect(page).toHaveURL(/status=failed/);
  await expect(rowsRegion(page).getByRole('row')).toHaveCount(4);
  await expect(page.getByText('3 of 5 rows match')).toBeVisible();
  await page.getByLabel('Error code').selectOption('insufficient_credits');
  await expect(page).toHaveURL(/code=insufficient_credits/);
  await expect(rowsRegion(page).getByRole('row')).toHaveCount(2);
  await expect(rowsRegion(page).getByRole('row').nth(1)).toContainText(people.credits);
  await expect(rowsRegion(page).getByRole('row').nth(1)).toContainText('Not enough credits');
  const requestLink = rowsRegion(page).getByRole('row').nth(1).getByRole('link', { name: /^req_/ });
  await expect(requestLink).toHaveAttribute('href', /^\/requests\?q=req_/);
  await page.reload();
  await expect(page.getByLabel('Error code')).toHaveValue('insufficient_credits');
  await expect(rowsRegion(page).getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rowsRegion(page).getByRole('row')).toHaveCount(6);

  // Retry failed rows: only the two a re-send can fix go again, under try 2.
  await page.getByRole('button', { name: 'Retry 2 failed rows' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Retry 2 rows' }).click();
  await expect(page.getByText('try 2', { exact: true }).first()).toBeVisible({ timeout: 20_000 });
  await waitUntilDone(page);
  await expect(stat(page, 'Queued')).toHaveText('2');
  await expect(stat(page, 'Failed')).toHaveText('3');
  for (const address of [people.ada, people.bob])
    expect(await outboxFor(request, address), `${address} delivered once`).toHaveLength(1);
  for (const address of [people.credits, people.flaky, people.needsChange])
    expect(await outboxFor(request, address)).toHaveLength(0);

  // Results CSV: input columns + outcome columns, formula cells neutralised, keys per try.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download results CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`-${jobId}-results\\.csv$`));
  const raw = fs.readFileSync((await download.path())!, 'utf8');
  expect(raw.startsWith('\uFEFF')).toBe(true);
  expect(raw).toContain(`"'=SUM(1+2)"`);
  const parsed = Papa.parse<string[]>(raw.slice(1), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  expect(header).toEqual([
    'email',
    'name',
    'company',
    'note',
    'status',
    'message_id',
    'error_code',
    'error_message',
    'request_id',
    'idempotency_key',
    'delivery_status',
    'delivery_detail',
    'delivery_at',
  ]);
  expect(rows).toHaveLength(5);
  const byEmail = new Map(rows.map((r) => [r[0], r]));
  const ada = byEmail.get(people.ada)!;
  expect(ada[2]).toBe('Acme; Inc');
  expect(ada[3]).toBe('Line one\r\nline two');
  expect(ada[4]).toBe('queued');
  expect(ada[5]).toMatch(/^eml_/);
  expect(ada[8]).toMatch(/^req_/);
  expect(ada[9]).toBe(`job:${jobId}:chunk:0:try:1`);
  expect(byEmail.get(people.bob)![3]).toBe(`'=SUM(1+2)`);
  expect(byEmail.get(people.credits)!.slice(4, 7)).toEqual(['failed', '', 'insufficient_credits']);
  expect(byEmail.get(people.credits)![9]).toBe(`job:${jobId}:chunk:0:try:2`);
  expect(byEmail.get(people.flaky)![6]).toBe('service_unavailable');
  expect(byEmail.get(people.flaky)![9]).toBe(`job:${jobId}:chunk:0:try:2`);
  expect(byEmail.get(people.needsChange)![6]).toBe('validation_error');
  expect(byEmail.get(people.needsChange)![9]).toBe(`job:${jobId}:chunk:0:try:1`);

  // Uploading that results CSV offers this job's retry, or its failed rows as a new CSV.
  await page.goto('/batches/new');
  await uploadCsv(page, 'results.csv', raw);
  const offer = csvPanel(page).getByRole('alert').filter({ hasText: 'This is a results CSV' });
  await expect(offer).toContainText('3 of its 5 rows failed');
  await expect(offer).toContainText(jobName);
  await expect(offer.getByRole('button', { name: `Retry the failed rows of “${jobName}”` })).toBeVisible();
  await offer.getByRole('button', { name: 'Load the 3 failed rows as a new CSV' }).click();
  await expect(csvPanel(page).getByRole('heading', { name: /results-failed-rows\.csv/ })).toBeVisible();
  await expect(stat(csvPanel(page), 'Rows')).toHaveText('3');
  await expect(stat(csvPanel(page), 'Columns')).toHaveText('4');
});

test('preflight checks the HTML template: unsupported CSS with its clients, a score, and every bad link; {{variable}} links counted apart', async ({
  page,
}) => {
  await page.goto('/batches/new');
  await uploadCsv(page, 'check.csv', 'email,name,url\nada@example.com,Ada,https://a.example/ada\n');
  const panel = csvPanel(page);
  await panel.getByRole('button', { name: 'Next: map the columns' }).click();
  await mapBasics(
    page,
    'Hello {{name}}',
    '<div style="display: grid">\n<a href="{{url}}">Your page</a>\n<a href="javascript:void(0)">Win</a>\n<a href="https://example.com">Site</a>\n</div>',
  );
  await panel.getByRole('button', { name: 'Next: preview and check every row' }).click();
  const check = panel.getByRole('region', { name: 'HTML check of the template' });
  await expect(check.getByText(/^Score \d+%$/)).toBeVisible();
  const grid = check
    .getByRole('table', { name: 'Features some clients do not support' })
    .getByRole('row')
    .filter({ hasText: 'display:grid' });
  await expect(grid).toContainText('Gmail (web)');
  await expect(grid).toContainText('Outlook (Windows)');
  await expect(grid.getByRole('link', { name: /display:grid/ })).toHaveAttribute(
    'href',
    /^https:\/\/www\.caniemail\.com\/features\//,
  );
  await expect(check.getByText('1 link needs a fix (of 2 links checked).')).toBeVisible();
  await expect(check.getByText(/1 link starts with a \{\{variable\}\}, filled per row/)).toBeVisible();
  const bad = check.getByRole('table', { name: 'Links that need a fix' }).getByRole('row');
  await expect(bad).toHaveCount(2);
  await expect(bad.nth(1)).toContainText('3');
  await expect(bad.nth(1)).toContainText('Win');
  await expect(bad.nth(1)).toContainText('javascript:void(0)');
  await expect(bad.nth(1)).toContainText('which mail clients block');
  await expectAccessible(page, '/batches/new preflight, HTML check of the template');
});

test('a re-uploaded, fixed file keeps the mapping and says which columns it lacks', async ({ page }) => {
  await page.goto('/batches/new');
  await uploadCsv(page, 'first.csv', 'email,name,city\nann@example.com,Ann,Oslo\n');
  await csvPanel(page).getByRole('button', { name: 'Next: map the columns' }).click();
  await mapBasics(page, 'Hi {{name}} in {{city}}', '<p>{{city}}</p>');
  await csvPanel(page).getByLabel('Reply-To email', { exact: true }).selectOption('col:city');
  await csvPanel(page).getByRole('button', { name: 'Back to upload' }).click();
  await uploadCsv(page, 'second.csv', 'email,name,town\nann@example.com,Ann,Oslo\n');
  await expect(
    csvPanel(page).getByText('Loaded second.csv; your mapping and templates were kept'),
  ).toBeVisible();
  await expect(
    csvPanel(page).getByText(/The mapping uses “city”, which this file does not have/),
  ).toBeVisible();
  await csvPanel(page).getByRole('button', { name: 'Next: map the columns' }).click();
  await expect(csvPanel(page).getByLabel('Subject', { exact: true })).toHaveValue('Hi {{name}} in {{city}}');
  await expect(csvPanel(page).getByLabel('From email, fixed value')).toHaveValue(FROM);
  await expect(csvPanel(page).getByText('This file has no column “city”')).toBeVisible();
});

test('a file attached to every message is uploaded once and sent by attachment_id', async ({
  page,
  request,
}) => {
  const t = tag();
  const to = [`att1.${t}@example.com`, `att2.${t}@example.com`];
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  await startJob(page, `email,name\n${to[0]},One\n${to[1]},Two\n`, `E2E attachment ${t}`, async () => {
    await csvPanel(page)
      .locator('#batch-attachment-input')
      .setInputFiles({ name: 'terms.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect(
      csvPanel(page).getByRole('list', { name: 'Attachments for every message' }).getByRole('listitem'),
    ).toContainText(/terms\.pdf.*att_/);
  });
  await waitUntilDone(page);
  const [first] = await outboxFor(request, to[0]!);
  const [second] = await outboxFor(request, to[1]!);
  const ref = (m: Record<string, unknown> | undefined) =>
    (m?.attachments as { attachment_id?: string }[] | undefined)?.[0]?.attachment_id;
  expect(ref(first?.message)).toMatch(/^att_[a-z0-9]+$/);
  expect(ref(second?.message)).toBe(ref(first?.message));
});

test('a file over the size limit is refused before it is uploaded', async ({ page }) => {
  await page.goto('/batches/new');
  let actions = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.headers()['next-action']) actions++;
  });
  // 250 MB is too much to hand over the DevTools protocol: the file is made in the page.
  await csvPanel(page)
    .locator('#csv-input')
    .evaluate((input: HTMLInputElement) => {
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(250_000_001)], 'huge.csv', { type: 'text/csv' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
  await expect(csvPanel(page).getByRole('alert')).toContainText('files up to 250 MB are accepted');
  expect(actions).toBe(0);
});

test('manual batch: 3 messages in one request, results by index with meanings, request_id and a link to the log', async ({
  page,
  request,
}) => {
  const t = tag();
  const to = [`m1.${t}@example.com`, `m2.${t}@example.com`, `fail+insufficient_credits+m3.${t}@example.com`];
  await page.goto('/batches/new?tab=manual');
  const panel = manualPanel(page);
  await expect(panel.getByLabel('Idempotency key', { exact: true })).toHaveValue(/^manual-/);
  const key = await panel.getByLabel('Idempotency key', { exact: true }).inputValue();
  await panel.getByLabel('From email', { exact: true }).fill(FROM);
  for (let i = 0; i < 3; i++) {
    if (i > 0) await panel.getByRole('button', { name: 'Add row' }).click();
    await panel.getByLabel(`Row ${i + 1} To email`).fill(to[i]!);
    await panel.getByLabel(`Row ${i + 1} Subject`).fill(`Manual ${i + 1}`);
    await panel.getByLabel(`Row ${i + 1} HTML body`).fill(`<p>Message ${i + 1}</p>`);
  }
  await expectAccessible(page, '/batches/new manual tab');
  await panel.getByRole('button', { name: 'Send in one request' }).click();

  const result = page.getByRole('region', { name: /Sent in one request/ });
  await expect(result).toContainText('Sent in one request: 2 queued, 1 failed');
  await expect(result).toContainText(key);
  const rows = result.getByRole('table', { name: 'Result of each message' }).getByRole('row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText('0');
  await expect(rows.nth(1)).toContainText(to[0]!);
  await expect(rows.nth(1)).toContainText(/queued\s*eml_/);
  await expect(rows.nth(3)).toContainText(to[2]!);
  await expect(rows.nth(3)).toContainText('insufficient_credits');
  await expect(rows.nth(3)).toContainText('Not enough credits');
  await expect(rows.nth(3)).toContainText("The team's balance is too low");
  await expect(result).toContainText(/request_id\s*req_/);
  await expect(result.getByRole('link', { name: 'Open in the request log' })).toHaveAttribute(
    'href',
    /^\/requests\/\d+$/,
  );
  const delivered = await outboxFor(request, to[1]!);
  expect(delivered).toHaveLength(1);
  expect(delivered[0]!.idempotency_key).toBe(key);
  expect(delivered[0]!.batch_index).toBe(1);
  await expectAccessible(page, '/batches/new manual result');

  // The same key again replays: nothing new goes out.
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && !!r.request().headers()['next-action']),
    panel.getByRole('button', { name: 'Send in one request' }).click(),
  ]);
  await expect(result).toContainText('2 queued, 1 failed');
  expect(await outboxFor(request, to[1]!)).toHaveLength(1);

  // Invalid messages are caught before anything is sent, by index and field.
  await panel.getByRole('tab', { name: 'JSON' }).click();
  await panel
    .getByLabel('Messages (JSON)')
    .fill(
      JSON.stringify([{ from: { email: FROM }, to: { email: 'nope' }, subject: 'x', html_body: '<p>x</p>' }]),
    );
  await panel.getByRole('button', { name: 'Send in one request' }).click();
  await expect(panel.getByRole('alert')).toContainText('messages[0] · to.email: Enter a valid email address');
});

test('support can open a job but has no controls, and a replayed retry action is refused', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const t = tag();
  const csv = `email,name\nok.${t}@example.com,Ok\nfail+insufficient_credits+${t}@example.com,Nope\n`;
  const jobName = `E2E support ${t}`;
  const jobId = await startJob(page, csv, jobName);
  await waitUntilDone(page);
  await expect(stat(page, 'Failed')).toHaveText('1');

  // Capture the sender's real "Retry failed rows" action request without letting it through.
  let captured: { url: string; headers: Record<string, string>; body: string } | undefined;
  await page.route(`**/batches/${jobId}`, async (route) => {
    const req = route.request();
    if (req.method() === 'POST' && req.headers()['next-action']) {
      captured = { url: req.url(), headers: req.headers(), body: req.postData() ?? '' };
      await route.abort();
    } else await route.continue();
  });
  await page.getByRole('button', { name: 'Retry 1 failed row' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Retry 1 row' }).click();
  await expect.poll(() => captured).toBeTruthy();
  await page.unroute(`**/batches/${jobId}`);
  const { cookie: _cookie, ...headers } = captured!.headers;

  const supportCtx = await browser.newContext({ storageState: E2E.storageState('support') });
  const cookies = (await supportCtx.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const replay = await supportCtx.request.post(captured!.url, {
    headers: { ...headers, cookie: cookies },
    data: captured!.body,
    maxRedirects: 0,
  });
  expect(replay.headers()['x-action-redirect'] ?? replay.headers()['location'] ?? '').toContain('/forbidden');
  const progress = await (await page.request.get(`/api/batches/${jobId}/progress`)).json();
  expect(progress.job.currentTry).toBe(1);
  expect(progress.rows.failed).toBe(1);

  // Support reads everything, changes nothing.
  const support = await supportCtx.newPage();
  await support.goto('/batches');
  await expect(support.getByRole('link', { name: jobName })).toBeVisible();
  await expect(support.getByRole('link', { name: 'New batch' })).toHaveCount(0);
  await support.getByRole('link', { name: jobName }).click();
  await expect(support.getByRole('heading', { level: 1, name: jobName })).toBeVisible();
  await expect(stat(support, 'Failed')).toHaveText('1');
  await expect(rowsRegion(support).getByRole('row')).toHaveCount(3);
  await expect(support.getByRole('link', { name: 'Download results CSV' })).toBeVisible();
  for (const name of [/retry/i, /pause/i, /resume/i, /cancel/i, /send/i])
    await expect(support.getByRole('button', { name })).toHaveCount(0);
  await expectAccessible(support, 'job page as support');
  expect((await support.request.get(`/api/batches/${jobId}/rows`)).status()).toBe(200);
  await support.goto('/batches/new');
  await expect(support).toHaveURL(/\/forbidden\?need=sender/);
  await supportCtx.close();
});

test('pause, resume and cancel with a confirmation', async ({ page }) => {
  test.setTimeout(120_000);
  const t = tag();
  // One slow row per request of 100 keeps the job running long enough to be paused.
  const rows = Array.from({ length: 1000 }, (_, i) =>
    i % 100 === 0 ? `slow+4000+${i}.${t}@example.com,Slow` : `p${i}.${t}@example.com,P${i}`,
  );
  const jobId = await startJob(page, `email,name\n${rows.join('\n')}\n`, `E2E controls ${t}`);
  expect(jobId).toBeTruthy();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(page.getByRole('main').getByText('Paused', { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Cancel job' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this job?' });
  await expect(dialog).toContainText('cannot be resumed');
  await dialog.getByRole('button', { name: 'Keep sending' }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /^Cancel \d+ rows$/ })
    .click();
  await expect(page.getByRole('main').getByText('Cancelled', { exact: true }).first()).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByRole('button', { name: /Pause|Resume|Cancel job/ })).toHaveCount(0);
});

test('an answer without a result (a proxy in between) says what to check; the job name and file are kept', async ({
  page,
}) => {
  await page.route('**/api/batches', (route) =>
    route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }),
  );
  await toSendDialog(page, 'email,name\nproxy-1@example.com,Ada\nproxy-2@example.com,Bo\n', 'Behind a proxy');
  await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'No result from the console' });
  await expect(alert).toContainText(
    'The console answered 502 without a result. Check Batches for a job named “Behind a proxy” before sending again.',
  );
  await expect(csvPanel(page).getByLabel('Job name')).toHaveValue('Behind a proxy');
  await expect(csvPanel(page).getByRole('button', { name: 'Send 2 messages' })).toBeEnabled();
  await page.screenshot({ path: test.info().outputPath('no-result.png') });
});

test('a big file on a slow link: a bar shows how much the server has read, then the job page opens', async ({
  page,
}) => {
  // 2,000 rows with a long note each (about 0.5 MB), sent at 64 KB/s: about 8 s of upload.
  const t = tag();
  await toSendDialog(page, generatedCsv(2_000, `slow.${t}`, 200), `Slow link ${t}`);
  await throttleUpload(page, 64 * 1024);
  await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();

  const bar = page.getByRole('progressbar', { name: 'Part of the file the server has read' });
  await expect(bar).toBeVisible();
  const status = page.getByRole('status').filter({ has: bar });
  await expect(status).toContainText(/Sending the file: [\d.]+ (B|KB) of [\d.]+ KB read by the server/);
  await expect(status).toContainText('Keep this tab open until the job page opens');
  const part = Number(await bar.getAttribute('aria-valuenow'));
  expect(part, 'read part way, not all at once').toBeGreaterThan(0);
  expect(part).toBeLessThan(100);
  await expect(csvPanel(page).getByRole('button', { name: 'Starting the job…' })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('slow-link.png') });
  // It moves as the server reads on.
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(part);

  await expect(page).toHaveURL(/\/batches\/(?!new$)[a-z0-9]+$/, { timeout: 60_000 });
  await throttleUpload(page, -1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Slow link ${t}`);
  await waitUntilDone(page);
  await expect(stat(page, 'Queued')).toHaveText('2,000');
});

/**
 * A TCP proxy in front of the console, as a flaky network or a proxy that gives up would be: it
 * passes everything through, except that a connection carrying POST /api/batches is cut once
 * `cutAfter` bytes of that request have gone through: every such connection, or (`cut: 'first'`)
 * only the first, as a blip would.
 */
async function withCuttingProxy(
  target: URL,
  { cutAfter, cut }: { cutAfter: number; cut: 'every' | 'first' },
  run: (proxy: { url: string; uploads: () => number }) => Promise<void>,
) {
  const sockets = new Set<net.Socket>();
  let uploads = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let uploaded = -1;
    client.on('data', (chunk) => {
      if (uploaded < 0 && chunk.includes('POST /api/batches ')) {
        uploads++;
        if (cut === 'every' || uploads === 1) uploaded = 0;
      }
      if (uploaded >= 0) uploaded += chunk.byteLength;
      if (uploaded > cutAfter) {
        client.destroy();
        upstream.destroy();
      } else upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run({
      url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      // How many times POST /api/batches came through (a browser resends it on a broken reused connection).
      uploads: () => uploads,
    });
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
}

/** A CSV of `rows` rows, `row-<i>.<tag>@example.com`, with a note of `noteLength` characters each. */
function generatedCsv(rows: number, tag: string, noteLength = 1) {
  const note = 'n'.repeat(noteLength);
  const lines = ['email,name,note'];
  for (let i = 1; i <= rows; i++) lines.push(`row-${i}.${tag}@example.com,Row ${i},${note}`);
  return `${lines.join('\n')}\n`;
}

test('a connection lost mid-file says the upload broke off and where to look; the job name and file are kept', async ({
  page,
  baseURL,
}) => {
  await withCuttingProxy(new URL(baseURL!), { cutAfter: 100_000, cut: 'every' }, async (proxy) => {
    const t = tag();
    await toSendDialog(page, generatedCsv(2_000, `cut.${t}`, 200), `Cut off ${t}`, {
      newBatchUrl: `${proxy.url}/batches/new`,
    });
    // Slow enough for the bar to show some of the file read before the cut.
    await throttleUpload(page, 64 * 1024);
    await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'The upload broke off' });
    await expect(alert).toContainText(
      'The connection broke off while the file was being sent. A job that had started was stopped where it was: check Batches for it before sending again.',
      { timeout: 30_000 },
    );
    await expect(csvPanel(page).getByLabel('Job name')).toHaveValue(`Cut off ${t}`);
    await expect(csvPanel(page).getByRole('button', { name: 'Send 2,000 messages' })).toBeEnabled();
    await page.screenshot({ path: test.info().outputPath('cut-off.png') });

    // 2,000 rows are checked whole before anything is stored: the cut came first, so no job.
    await page.goto('/batches');
    await expect(page.getByRole('heading', { name: 'Batches', level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: `Cut off ${t}`, exact: true })).toHaveCount(0);
  });
});

test('a connection lost after sending began starts one job, however often the browser resends the file', async ({
  page,
  baseURL,
}) => {
  // 30,000 rows (1.5 MB): sending begins after the first half second; the cut comes at 1 MB, and
  // a resend goes through whole.
  await withCuttingProxy(new URL(baseURL!), { cutAfter: 1_000_000, cut: 'first' }, async (proxy) => {
    const t = tag();
    await toSendDialog(page, generatedCsv(30_000, `once.${t}`), `Resent ${t}`, {
      newBatchUrl: `${proxy.url}/batches/new`,
    });
    await throttleUpload(page, 256 * 1024);
    // A connection this page has just used, so the upload goes over a reused one, which Chromium
    // resends a request on when it breaks before an answer.
    await page.evaluate(() => fetch('/api/health').then((r) => r.text()));
    await page.getByRole('dialog').getByRole('button', { name: 'Send now' }).click();

    const alert = page.getByRole('alert').filter({ hasText: /Started once, not twice|The upload broke off/ });
    await expect(alert).toBeVisible({ timeout: 60_000 });
    if (proxy.uploads() > 1) {
      // Resent: the console knew the upload, and named the job it had started.
      await expect(alert).toContainText(`This file had already started the job “Resent ${t}”`);
    } else {
      await expect(alert).toContainText('The upload broke off');
    }
    test.info().annotations.push({ type: 'uploads', description: `${proxy.uploads()} POSTs came through` });
    await page.screenshot({ path: test.info().outputPath('resent.png') });

    await page.goto('/batches');
    await expect(page.getByRole('link', { name: `Resent ${t}`, exact: true })).toHaveCount(1);
    await page.getByRole('link', { name: `Resent ${t}`, exact: true }).click();
    await expect(page.getByRole('main').getByText('Cancelled', { exact: true }).first()).toBeVisible();
  });
});
