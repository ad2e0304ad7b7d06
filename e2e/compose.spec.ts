import { expect, test, type Page } from '@playwright/test';
import { E2E } from './support/constants';
import { expectAccessible, openCompose, signIn, signOut } from './support/fixtures';
import { messageViews } from './support/message-views';
import { outboxFor, uniqueAddress } from './support/sandbox';

test.use({ storageState: E2E.storageState('sender') });

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

test.beforeEach(async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await openCompose(page);
});

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

async function fillRequired(page: Page, to: string, subject = 'Hello from the e2e suite') {
  await field(page, 'From email').fill('sandbox@sendmux.test');
  await field(page, 'To email').fill(to);
  await field(page, 'Subject').fill(subject);
  await field(page, 'HTML body').fill('<p>Hello</p>');
}

async function send(page: Page) {
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

const result = (page: Page) => page.getByRole('region', { name: /^(Sent|Already sent)/ });
const idempotencyKey = (page: Page) => field(page, 'Idempotency key').inputValue();

/** The draft Compose saved to localStorage (debounced after each change), if any. */
const savedDraft = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('sendmux-console:draft:'));
    return key ? (JSON.parse(localStorage.getItem(key)!) as unknown) : null;
  });

test('every field reaches the sandbox exactly, attachments byte for byte', async ({ page, request }) => {
  const to = uniqueAddress('ada');
  await field(page, 'From email').fill('sandbox@sendmux.test');
  await field(page, 'From name').fill('Console Tests');
  await field(page, 'To email').fill(to);
  await field(page, 'To name').fill('Ada Lovelace');
  await field(page, 'Cc').fill('Bob Builder <bob@example.com>, carol@example.com,');
  await field(page, 'Bcc').fill('audit@example.com');
  await field(page, 'Bcc').press('Enter');
  await field(page, 'Reply-To email').fill('replies@example.com');
  await field(page, 'Reply-To name').fill('Replies');
  await field(page, 'Return-Path').fill('bounces@example.com');
  await field(page, 'Subject').fill('Every field [DP_NAME]');
  await field(page, 'HTML body').fill('<h1>Hello [DP_NAME]</h1>');
  await field(page, 'Text body').fill('Hello [DP_NAME]');
  await page.getByRole('button', { name: 'Add header' }).click();
  await field(page, 'Header 1 name').fill('X-Campaign');
  await field(page, 'Header 1 value').fill('spring-launch');
  await page.getByRole('button', { name: 'Add header' }).click();
  await field(page, 'Header 2 name').fill('X-Ref');
  await field(page, 'Header 2 value').fill('order 42');
  await field(page, 'Delivery group').fill('dgrp_main, dgrp_eu-2');
  await page.locator('#attachment-input').setInputFiles([
    { name: 'pixel.png', mimeType: 'image/png', buffer: PNG },
    { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  const files = page.getByRole('list', { name: 'Attached files' });
  await expect(files.getByRole('listitem')).toHaveCount(2);
  const key = await idempotencyKey(page);

  await send(page);
  await expect(result(page)).toContainText('Sent: queued');
  const messageId = await result(page).locator('code').first().textContent();

  const outbox = await outboxFor(request, to);
  expect(outbox).toHaveLength(1);
  expect(outbox[0]!.id).toBe(messageId);
  expect(outbox[0]!.idempotency_key).toBe(key);
  expect(outbox[0]!.message).toEqual({
    from: { email: 'sandbox@sendmux.test', name: 'Console Tests' },
    to: { email: to, name: 'Ada Lovelace' },
    cc: [{ email: 'bob@example.com', name: 'Bob Builder' }, { email: 'carol@example.com' }],
    bcc: [{ email: 'audit@example.com' }],
    reply_to: { email: 'replies@example.com', name: 'Replies' },
    return_path: 'bounces@example.com',
    subject: 'Every field [DP_NAME]',
    html_body: '<h1>Hello [DP_NAME]</h1>',
    text_body: 'Hello [DP_NAME]',
    custom_headers: { 'X-Campaign': 'spring-launch', 'X-Ref': 'order 42' },
    attachments: [
      { filename: 'pixel.png', content: PNG.toString('base64'), type: 'image/png' },
      { filename: 'invoice.pdf', content: PDF.toString('base64'), type: 'application/pdf' },
    ],
    delivery_group: ['dgrp_main', 'dgrp_eu-2'],
  });
  await expectAccessible(page, 'compose after a successful send');
});

test('a file over the inline threshold is uploaded first and sent by attachment_id', async ({
  page,
  request,
}) => {
  const to = uniqueAddress('upload');
  await fillRequired(page, to);
  const big = Buffer.concat([PDF, Buffer.alloc(1_600_000, 0x20)]);
  await page
    .locator('#attachment-input')
    .setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: big });
  await expect(page.getByText(/uploaded · att_/)).toBeVisible();
  await send(page);
  await expect(result(page)).toContainText('Sent');
  const [entry] = await outboxFor(request, to);
  const attachments = entry!.message.attachments as { attachment_id?: string }[];
  expect(attachments).toHaveLength(1);
  expect(attachments[0]!.attachment_id).toMatch(/^att_[a-z0-9]{24}$/);
});

test('a 422 from Sendmux lands on the field it names', async ({ page }) => {
  await fillRequired(page, 'placeholder@example.com');
  await page.getByRole('button', { name: 'Simulate 422' }).click();
  await expect(field(page, 'To email')).toHaveValue('fail+validation_error@example.com');
  await send(page);
  const alert = page.getByRole('alert').filter({ hasText: 'What it means' });
  await expect(alert).toContainText('validation_error');
  await expect(alert).toContainText('What it means');
  await expect(alert).toContainText(/request_id\s*req_/);
  await expect(field(page, 'To email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-to-email-error')).toContainText('Sendmux:');
  // Nothing typed is lost.
  await expect(field(page, 'Subject')).toHaveValue('Hello from the e2e suite');
});

test('a delivery group that is not a dgrp_ id is refused on its field; one id goes as a string', async ({
  page,
  request,
}) => {
  const to = uniqueAddress('dgrp');
  await fillRequired(page, to);
  await field(page, 'Delivery group').fill('dgrp_main, Main');
  await send(page);
  await expect(field(page, 'Delivery group')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-deliveryGroup-error')).toHaveText(
    '“Main” is not a delivery group id: ids look like dgrp_main (dgrp_ then lowercase letters, digits, _ or -)',
  );
  const summary = page.getByRole('alert').filter({ hasText: 'before sending' });
  await expect(summary.getByRole('link', { name: /Delivery group/ })).toBeVisible();
  await expectAccessible(page, 'compose with a bad delivery group');
  expect(await outboxFor(request, to)).toHaveLength(0);

  await field(page, 'Delivery group').fill('dgrp_main');
  await send(page);
  await expect(result(page)).toContainText('Sent: queued');
  const [entry] = await outboxFor(request, to);
  expect(entry!.message.delivery_group).toBe('dgrp_main');
});

test('the Queued preset sends to an address the sandbox accepts', async ({ page, request }) => {
  await fillRequired(page, 'placeholder@example.com', `Queued preset ${Date.now()}`);
  const presets = page.getByRole('group', { name: 'Sandbox scenarios' });
  await expect(presets.getByRole('button').first()).toHaveText('Queued');
  await presets.getByRole('button', { name: 'Queued' }).click();
  await expect(field(page, 'To email')).toHaveValue('queued@example.com');
  const key = await idempotencyKey(page);
  await send(page);
  await expect(result(page)).toContainText('Sent: queued');
  const delivered = (await outboxFor(request, 'queued@example.com')).filter((m) => m.idempotency_key === key);
  expect(delivered).toHaveLength(1);
});

test('preview: the Mobile frame is 375 px wide; Source numbers the HTML lines; Headers shows what Sendmux builds', async ({
  page,
}) => {
  await fillRequired(page, 'ada@example.com', 'Spring, finally');
  await field(page, 'From name').fill('Shop, Inc.');
  await field(page, 'HTML body').fill('<h1>Hello</h1>\n<p>Second line</p>');
  await field(page, 'Text body').fill('Hello');
  await page.getByRole('button', { name: 'Add header' }).click();
  await field(page, 'Header 1 name').fill('X-Campaign');
  await field(page, 'Header 1 value').fill('spring');
  await page
    .locator('#attachment-input')
    .setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveCount(1);

  const preview = messageViews(page, 'Preview');
  await preview.expectMobileWidth('HTML preview at mobile width (375 px)');

  await preview.open('Source');
  await expect(preview.sourceLines()).toHaveCount(2);
  await expect(preview.sourceLines().nth(0)).toHaveText('1<h1>Hello</h1>');
  await expect(preview.sourceLines().nth(1)).toHaveText('2<p>Second line</p>');
  await expectAccessible(page, 'compose preview, Source tab');

  await preview.open('Headers');
  const row = preview.headerRow;
  await expect(row('From')).toContainText('"Shop, Inc." <sandbox@sendmux.test>');
  await expect(row('To')).toContainText('ada@example.com');
  await expect(row('Subject')).toContainText('Spring, finally');
  await expect(row('X-Campaign')).toContainText('spring');
  await expect(row('Content-Type')).toContainText('multipart/mixed');
  const mime = preview.mimeParts();
  await expect(mime).toHaveCount(5);
  await expect(mime.nth(1)).toContainText('multipart/alternative');
  await expect(mime.nth(4)).toContainText('image/png');
  await expect(mime.nth(4)).toContainText('Attachment “pixel.png”');
  await expectAccessible(page, 'compose preview, Headers tab');
});

test('the same message again is a replay; a message changed after it was sent gets a new key, even after a reload', async ({
  page,
  request,
}) => {
  const to = uniqueAddress('resend');
  await fillRequired(page, to, 'First version');
  const first = await idempotencyKey(page);
  await send(page);
  await expect(result(page)).toContainText('Sent: queued');

  // Unchanged: the same key, so Sendmux replays its answer and nothing goes out twice.
  await send(page);
  await expect(result(page)).toContainText('Already sent — Sendmux replayed its earlier answer');
  expect(await idempotencyKey(page)).toBe(first);

  // Changed after a reload (the draft remembers what was sent under its key): a new send.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
  await expect(field(page, 'Subject')).toHaveValue('First version');
  await field(page, 'Subject').fill('Second version');
  await send(page);
  await expect(result(page)).toContainText('Sent: queued');
  const second = await idempotencyKey(page);
  expect(second).not.toBe(first);
  await expect(result(page)).toContainText(second);

  const outbox = await outboxFor(request, to);
  expect(outbox.map((m) => [m.idempotency_key, m.message.subject]).sort()).toEqual(
    [
      [first, 'First version'],
      [second, 'Second version'],
    ].sort(),
  );
});

test('preview Check tab: what common clients do not support, a score, and each bad link; fixing the HTML clears it', async ({
  page,
}) => {
  await fillRequired(page, 'ada@example.com');
  await field(page, 'HTML body').fill(
    [
      '<style>@media (max-width: 600px) { .card { padding: 8px } }</style>',
      '<div class="card" style="display: grid; border-radius: 8px">',
      '<a href="javascript:alert(1)">Claim your prize</a>',
      '<a href="">Nowhere</a>',
      '<a href="/account">Account</a>',
      '<a href="mailto:help@example.com">Help</a>',
      '</div>',
    ].join('\n'),
  );
  const preview = page.getByRole('tablist', { name: 'Preview' });
  await preview.getByRole('tab', { name: 'Check' }).click();
  const support = page.getByRole('region', { name: 'Support in email clients' });
  await expect(support.getByText(/^Score \d+%$/)).toBeVisible();
  const score = Number(/\d+/.exec((await support.getByText(/^Score \d+%$/).textContent())!)![0]);
  expect(score).toBeLessThan(100);
  const features = support.getByRole('table', { name: 'Features some clients do not support' });
  const row = (name: string) => features.getByRole('row').filter({ hasText: name });
  await expect(row('display:grid')).toContainText('Outlook (Windows)');
  await expect(row('display:grid')).toContainText('Gmail (web)');
  await expect(row('border-radius')).toContainText('Outlook (Windows)');
  await expect(support.getByRole('list', { name: 'Clients' })).toContainText(
    'Outlook (Windows): lacks a feature',
  );

  const links = page.getByRole('region', { name: 'Links' });
  await expect(links.getByText('3 links need a fix (of 4 links checked).')).toBeVisible();
  const bad = links.getByRole('table', { name: 'Links that need a fix' }).getByRole('row');
  await expect(bad).toHaveCount(4);
  await expect(bad.nth(1)).toContainText('Claim your prize');
  await expect(bad.nth(1)).toContainText('javascript:alert(1)');
  await expect(bad.nth(2)).toContainText('Nowhere');
  await expect(bad.nth(2)).toContainText('(empty)');
  await expect(bad.nth(3)).toContainText('/account');
  await expect(bad.nth(3)).toContainText('Not http(s) or mailto');
  await expectAccessible(page, 'compose preview, Check tab with findings');

  await field(page, 'HTML body').fill('<p>Hello <a href="https://example.com/">there</a></p>');
  await preview.getByRole('tab', { name: 'Check' }).click();
  await expect(support.getByText('Score 100%')).toBeVisible();
  await expect(support).toContainText('Nothing in this message is unsupported by the clients above.');
  await expect(links).toContainText('The one link is http(s) or mailto.');
  await expectAccessible(page, 'compose preview, Check tab, all clear');
});

test('503 then success: one delivery, both attempts under the same key', async ({ page, request }) => {
  await fillRequired(page, 'placeholder@example.com');
  await page.getByRole('button', { name: '503 then success' }).click();
  const key = await idempotencyKey(page);
  await send(page);
  await expect(result(page)).toContainText('Sent: queued');
  await expect(result(page)).toContainText(/attempts\s*2/);
  const delivered = (await outboxFor(request, 'flaky+503@example.com')).filter(
    (m) => m.idempotency_key === key,
  );
  expect(delivered).toHaveLength(1);
  const attempts = await page.request.get(`/api/compose/attempts?key=${encodeURIComponent(key)}`);
  const { attempts: list } = (await attempts.json()) as { attempts: { attempt: number; status: number }[] };
  expect(list.map((a) => [a.attempt, a.status])).toEqual([
    [1, 503],
    [2, 200],
  ]);
});

test('CR/LF in the subject, a From name and a header value is refused before sending', async ({ page }) => {
  await fillRequired(page, uniqueAddress('crlf'));
  // Inputs drop line breaks as they are typed; they arrive through pasted payloads, templates or drafts.
  await page.getByRole('tab', { name: 'Payload' }).click();
  const editor = page.getByLabel('Request payload (JSON)');
  const json = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
  await editor.fill(
    JSON.stringify({
      ...json,
      subject: 'Hello\r\nBcc: victim@example.com',
      from: { email: 'sandbox@sendmux.test', name: 'Evil\r\nBcc: victim@example.com' },
      custom_headers: { 'X-Test': 'one\r\ntwo' },
    }),
  );
  await page.getByRole('button', { name: 'Apply to form' }).click();
  let actions = 0;
  page.on('request', (r) => {
    if (
      r.method() === 'POST' &&
      r.headers()['next-action'] &&
      (r.postData() ?? '').includes('victim@example.com')
    )
      actions++;
  });
  await send(page);
  const summary = page.getByRole('alert').filter({ hasText: 'before sending' });
  await expect(summary).toContainText("Subject: Subjects can't contain line breaks");
  await expect(summary).toContainText("From name: Names can't contain line breaks");
  await expect(summary).toContainText("Header 1 value: Header values can't contain line breaks");
  // The summary links to the fields.
  await summary.getByRole('link', { name: /^Subject:/ }).click();
  await expect(field(page, 'Subject')).toBeFocused();
  expect(actions).toBe(0);
});

test('the send action itself refuses CR/LF when called directly', async ({ page, request }) => {
  const to = uniqueAddress('direct');
  await fillRequired(page, to, 'Harmless subject');
  let captured: { url: string; headers: Record<string, string>; body: string } | undefined;
  await page.route('**/compose', async (route) => {
    const r = route.request();
    if (r.method() === 'POST' && r.headers()['next-action'] && r.postData()?.includes('Harmless subject')) {
      captured = { url: r.url(), headers: r.headers(), body: r.postData() ?? '' };
      await route.abort();
    } else await route.continue();
  });
  await send(page);
  await expect.poll(() => captured).toBeTruthy();
  const tampered = captured!.body.replace(
    'Harmless subject',
    'Harmless subject\\r\\nBcc: victim@example.com',
  );
  expect(tampered).not.toBe(captured!.body);
  const res = await page.request.post(captured!.url, { headers: captured!.headers, data: tampered });
  const text = await res.text();
  expect(text).toContain('invalid_input');
  expect(text).toContain("Subjects can't contain line breaks");
  expect(await outboxFor(request, to)).toHaveLength(0);
});

test('an 11th attachment and an oversize file are refused with the reason', async ({ page }) => {
  await fillRequired(page, uniqueAddress('limits'));
  const ten = Array.from({ length: 10 }, (_, i) => ({
    name: `note-${i + 1}.txt`,
    mimeType: 'text/plain',
    buffer: Buffer.from(`note ${i + 1}`),
  }));
  await page.locator('#attachment-input').setInputFiles(ten);
  await expect(page.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveCount(10);
  await page
    .locator('#attachment-input')
    .setInputFiles({ name: 'eleven.txt', mimeType: 'text/plain', buffer: Buffer.from('11') });
  await expect(
    page.getByText('eleven.txt was not added: Sendmux accepts at most 10 attachments per message'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Remove note-10.txt' }).click();
  await page.locator('#attachment-input').setInputFiles({
    name: 'huge.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(18 * 1024 * 1024 + 1),
  });
  await expect(
    page.getByText(/huge\.pdf was not added: 18\.0 MB is over Sendmux's 18\.0 MB limit/),
  ).toBeVisible();
  await page
    .locator('#attachment-input')
    .setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await expect(page.getByText(/setup\.exe was not added: .* executable program/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveCount(9);
});

test('a <script> in the HTML body does not run in the preview', async ({ page }) => {
  await field(page, 'HTML body').fill(
    `<p id="probe">before</p><script>document.getElementById('probe').textContent = 'ran'</script>`,
  );
  const frame = page.locator('iframe[title="HTML preview at desktop width"]');
  await expect(frame).toHaveAttribute('sandbox', '');
  await expect(
    page.frameLocator('iframe[title="HTML preview at desktop width"]').locator('#probe'),
  ).toHaveText('before');
});

test('a reload restores the draft, attachments included', async ({ page }) => {
  const to = uniqueAddress('reload');
  await fillRequired(page, to, 'Survives a reload');
  await field(page, 'Cc').fill('keep@example.com,');
  await page
    .locator('#attachment-input')
    .setInputFiles({ name: 'kept.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveCount(1);
  const key = await idempotencyKey(page);
  await expect
    .poll(() => savedDraft(page))
    .toMatchObject({
      idempotencyKey: key,
      message: {
        subject: 'Survives a reload',
        cc: [{ email: 'keep@example.com' }],
        attachments: [{ filename: 'kept.png' }],
      },
    });
  await page.reload();
  await expect(page.getByText(/Draft restored/)).toBeVisible();
  await expect(field(page, 'To email')).toHaveValue(to);
  await expect(field(page, 'Subject')).toHaveValue('Survives a reload');
  await expect(page.getByRole('list', { name: 'Cc recipients' })).toContainText('keep@example.com');
  await expect(page.getByRole('list', { name: 'Attached files' })).toContainText('kept.png');
  expect(await idempotencyKey(page)).toBe(key);
});

test('a failed send and a sign-out/sign-in keep the draft', async ({ browser }) => {
  // Its own session: signing out must not end the shared sender session the other tests use.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await signIn(page, E2E.sender);
  await openCompose(page);
  const to = uniqueAddress('keep');
  await fillRequired(page, to, 'Survives a failure');
  await page.getByRole('button', { name: 'Insufficient credits' }).click();
  await send(page);
  await expect(page.getByRole('alert').filter({ hasText: 'insufficient_credits' })).toContainText(
    'What to do',
  );
  await expect(field(page, 'Subject')).toHaveValue('Survives a failure');
  await expect
    .poll(() => savedDraft(page))
    .toMatchObject({
      message: { subject: 'Survives a failure', to: { email: 'fail+insufficient_credits@example.com' } },
    });
  await signOut(page);
  await signIn(page, E2E.sender);
  await page.goto('/compose');
  await expect(field(page, 'Subject')).toHaveValue('Survives a failure');
  await expect(field(page, 'To email')).toHaveValue('fail+insufficient_credits@example.com');
  await context.close();
});

test('the whole flow works with the keyboard alone', async ({ page, request }) => {
  const to = uniqueAddress('keyboard');
  async function tabTo(id: string) {
    for (let i = 0; i < 80; i++) {
      if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached #${id}`);
  }
  await page.locator('body').focus();
  await tabTo('field-from-email');
  await page.keyboard.type('sandbox@sendmux.test');
  await tabTo('field-to-email');
  await page.keyboard.type(to);
  await tabTo('field-cc');
  await page.keyboard.type('kb@example.com');
  await page.keyboard.press('Enter');
  await tabTo('field-subject');
  await page.keyboard.type('Typed, not clicked');
  await tabTo('field-htmlBody');
  await page.keyboard.type('<p>Keyboard only</p>');
  await page.keyboard.press('Control+Enter');
  await expect(result(page)).toContainText('Sent: queued');
  const [entry] = await outboxFor(request, to);
  expect(entry!.message).toMatchObject({ subject: 'Typed, not clicked', cc: [{ email: 'kb@example.com' }] });
});

test('Copy as curl and fetch show the exact request with $SENDMUX_API_KEY, never the key', async ({
  page,
}) => {
  await fillRequired(page, uniqueAddress('curl'));
  await page.getByRole('tab', { name: 'Code' }).click();
  const key = await idempotencyKey(page);
  const code = page.getByRole('tabpanel');
  await expect(code).toContainText('Authorization: Bearer $SENDMUX_API_KEY');
  await expect(code).toContainText(`Idempotency-Key: ${key}`);
  await expect(code).toContainText('/sandbox/api/v1/emails/send');
  await expect(code).toContainText('process.env.SENDMUX_API_KEY');
  expect(await code.textContent()).not.toContain(E2E.sandboxKey);
});

test('"Generate text from HTML" fills the text body and leaves Sendmux tags as written', async ({ page }) => {
  await field(page, 'HTML body').fill(
    '<h1>Hi</h1><p>Hello [DP_NAME], your <a href="https://example.com/o/1">order</a> shipped.</p><img src="logo.png" alt="logo">',
  );
  await field(page, 'Text body').fill('old text');
  // Replacing text the user wrote asks first (beforeEach accepts the dialog).
  await page.getByRole('button', { name: 'Generate text from HTML' }).click();
  await expect(field(page, 'Text body')).toHaveValue(
    /Hello \[DP_NAME\], your order \[https:\/\/example\.com\/o\/1\] shipped\./,
  );
  await expect(field(page, 'Text body')).not.toHaveValue(/old text|logo/);
});

test('the payload is editable and edits flow back into the form', async ({ page }) => {
  await fillRequired(page, uniqueAddress('payload'), 'Before editing');
  await page.getByRole('tab', { name: 'Payload' }).click();
  const editor = page.getByLabel('Request payload (JSON)');
  const json = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
  expect(json).toMatchObject({ subject: 'Before editing', html_body: '<p>Hello</p>' });
  await editor.fill(JSON.stringify({ ...json, subject: 'Edited in JSON' }, null, 2));
  await page.getByRole('button', { name: 'Apply to form' }).click();
  await expect(field(page, 'Subject')).toHaveValue('Edited in JSON');
  await editor.fill('{ "subject": "x", "idempotency_key": "nope" }');
  await page.getByRole('button', { name: 'Apply to form' }).click();
  await expect(page.getByText(/Idempotency-Key header/)).toBeVisible();
});

test('templates are saved to the database and load into the form', async ({ page }) => {
  const name = `Welcome ${Date.now()}`;
  await fillRequired(page, uniqueAddress('tpl'), 'Template subject');
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.getByLabel('Save the current message as').fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(`Saved template “${name}”`)).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'New message' }).click();
  await expect(field(page, 'Subject')).toHaveValue('');
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.getByRole('listitem').filter({ hasText: name }).getByRole('button', { name: 'Load' }).click();
  await expect(field(page, 'Subject')).toHaveValue('Template subject');
});

test('compose has no serious accessibility violations, empty and with errors', async ({ page }) => {
  await expectAccessible(page, 'empty compose');
  await send(page);
  await expect(page.getByRole('alert').filter({ hasText: 'before sending' })).toBeVisible();
  await expectAccessible(page, 'compose with errors');
});
