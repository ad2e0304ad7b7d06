import { randomBytes } from 'node:crypto';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { startConsole } from './support/console-server';
import { E2E, smtpPortFor } from './support/constants';
import { expectAccessible } from './support/fixtures';
import { outboxFor, uniqueAddress } from './support/sandbox';

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const transcript = (page: Page) => page.getByRole('region', { name: 'SMTP transcript' });
const sendButton = (page: Page) => page.getByRole('button', { name: 'Send test over SMTP' });
// One extra console per worker, above the ports the other specs take.
const portFor = (testInfo: TestInfo) => E2E.extraPortBase + 50 + testInfo.workerIndex;

async function fillTest(page: Page, to: string, subject: string) {
  // The form takes input once the page is interactive (the button is enabled then).
  await expect(sendButton(page)).toBeEnabled();
  await field(page, 'From email').fill('sandbox@sendmux.test');
  await field(page, 'To email').fill(to);
  await field(page, 'Subject').fill(subject);
  await field(page, 'Text body').fill('Sent by the SMTP e2e test.');
}

/** The transcript's lines as text, in order. */
async function transcriptLines(page: Page): Promise<string[]> {
  return (await transcript(page).getByRole('listitem').allInnerTexts()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );
}

test.describe('Settings → SMTP as a sender', () => {
  test.use({ storageState: E2E.storageState('sender') });

  test('a test send shows STARTTLS before AUTH, *** for the secret, lands in the outbox byte for byte and in the request log', async ({
    page,
    request,
    context,
  }) => {
    const to = uniqueAddress('smtp-test');
    const subject = `SMTP e2e ${randomBytes(4).toString('hex')}`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4000), Buffer.from('\n%%EOF\n')]);

    await page.goto('/settings/smtp');
    const settings = page.locator('dl').first();
    await expect(settings).toContainText('127.0.0.1');
    await expect(settings).toContainText(String(E2E.smtpPort));
    await expect(settings).toContainText('STARTTLS, required');
    await expect(page.getByText(`listening on 127.0.0.1:${E2E.smtpPort}`)).toBeVisible();

    await fillTest(page, to, subject);
    await page
      .locator('#smtp-attachment')
      .setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect(page.getByText('report.pdf')).toBeVisible();
    await sendButton(page).click();

    const accepted = page.getByRole('status').filter({ hasText: 'Accepted over SMTP' });
    await expect(accepted).toBeVisible({ timeout: 30_000 });
    const queuedId = (await accepted.textContent())?.match(/eml_[a-z0-9]{24}/)?.[0];
    expect(queuedId, 'the outcome names the queued id').toBeTruthy();

    const lines = await transcriptLines(page);
    const index = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const starttls = index(/Console sent: STARTTLS$/);
    const tls = index(/TLS: TLS established/);
    const auth = index(/Console sent: AUTH PLAIN \*\*\*$/);
    const queued = index(new RegExp(`Server replied: 250 2\\.0\\.0 OK: queued as ${queuedId}`));
    expect(
      [starttls, tls, auth, queued].every((i) => i >= 0),
      lines.join('\n'),
    ).toBe(true);
    expect(starttls).toBeLessThan(tls);
    expect(tls).toBeLessThan(auth);
    expect(auth).toBeLessThan(queued);
    expect(lines.join('\n')).toContain('issued by CN=Sendmux Console sandbox CA');
    expect(lines.join('\n')).toMatch(/took \d/);
    expect(lines.join('\n')).not.toContain(E2E.sandboxKey);

    const [message] = await outboxFor(request, to);
    expect(message).toMatchObject({ id: queuedId, endpoint: 'SMTP' });
    const attachments = message!.message.attachments as { filename: string; content: string }[];
    expect(attachments.map((a) => a.filename)).toEqual(['report.pdf']);
    expect(Buffer.from(attachments[0]!.content, 'base64')).toEqual(pdf);

    await expectAccessible(page, '/settings/smtp with a transcript');

    // The request log finds it by recipient; its entry holds the transcript, and so does Copy for support.
    await page.goto(`/requests?q=${encodeURIComponent(to)}`);
    const row = page.getByRole('row').filter({ hasText: to });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('SMTP');
    await expect(row).toContainText('250');
    await row.getByRole('link').first().click();
    await expect(page.getByRole('heading', { name: 'SMTP test send' })).toBeVisible();
    await expect(transcript(page)).toContainText('AUTH PLAIN ***');
    await expect(page.getByText(queuedId!).first()).toBeVisible();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy for support' }).click();
    const bundle = await page.evaluate(() => navigator.clipboard.readText());
    expect(bundle).toContain('Transcript (the AUTH secret is shown as ***):');
    expect(bundle).toMatch(/C: AUTH PLAIN \*\*\*/);
    expect(bundle).toContain(`queued as:        ${queuedId}`);
    expect(bundle).not.toContain(E2E.sandboxKey);
    await expectAccessible(page, '/requests/[id] of an SMTP test');
  });

  test('a sandbox scenario is refused with its SMTP code and explained', async ({ page }) => {
    await page.goto('/settings/smtp');
    await fillTest(
      page,
      `fail+insufficient_credits+${randomBytes(3).toString('hex')}@example.com`,
      'Credits',
    );
    await sendButton(page).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not enough credits (552)' });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText('552 smtp_insufficient_credits');
    await expect(alert).toContainText('Top up credits');
    await expect(alert).toContainText('The server said: 552 5.7.0 Insufficient credits');
  });

  test('bad input is explained on the field and nothing typed is lost', async ({ page }) => {
    await page.goto('/settings/smtp');
    await expect(sendButton(page)).toBeEnabled();
    await field(page, 'To email').fill('not-an-address');
    await field(page, 'Text body').fill('');
    await field(page, 'HTML body').fill('');
    await sendButton(page).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Fix these to send the test' })).toBeVisible();
    await expect(page.getByText('Enter a valid email address, like name@example.com').first()).toBeVisible();
    await expect(page.getByText('Write a text body, an HTML body, or both').first()).toBeVisible();
    await page.reload();
    await expect(field(page, 'To email')).toHaveValue('not-an-address');
  });
});

test.describe('Settings → SMTP as support', () => {
  test.use({ storageState: E2E.storageState('support') });

  test('reads the settings and the tool snippets, but gets no test form', async ({ page }) => {
    await page.goto('/settings');
    await page.getByRole('link', { name: /SMTP/ }).click();
    await expect(page).toHaveURL(/\/settings\/smtp$/);
    await expect(page.getByRole('heading', { name: 'SMTP', level: 1 })).toBeVisible();
    await expect(page.getByText('the key of profile')).toContainText('sandbox');
    await expect(page.getByText(/smx_mbx_…[A-Za-z0-9]{4}/).first()).toBeVisible();
    for (const tool of [
      'Nodemailer',
      'Django',
      'Rails Action Mailer',
      'Laravel',
      'Postfix relayhost',
      'WordPress',
    ]) {
      await page.getByRole('tab', { name: tool }).click();
      const code = page.getByLabel(`${tool} settings`, { exact: true });
      await expect(code).toContainText('SENDMUX_API_KEY');
      await expect(code).not.toContainText(E2E.sandboxKey);
    }
    await expect(sendButton(page)).toHaveCount(0);
    await expect(page.getByText('Sending a test needs the sender or admin role')).toBeVisible();
    await expectAccessible(page, '/settings/smtp as support');
  });

  test('the test send action refuses support even when called directly', async ({ browser }) => {
    const sender = await browser.newContext({ storageState: E2E.storageState('sender') });
    const page = await sender.newPage();
    await page.goto('/settings/smtp');
    let captured: { url: string; headers: Record<string, string>; body: Buffer } | undefined;
    await page.route('**/settings/smtp', async (route) => {
      const req = route.request();
      if (req.method() === 'POST' && req.headers()['next-action']) {
        captured = { url: req.url(), headers: req.headers(), body: req.postDataBuffer() ?? Buffer.alloc(0) };
        await route.abort();
      } else await route.continue();
    });
    const to = uniqueAddress('smtp-support-refused');
    await fillTest(page, to, 'Must not be sent');
    await sendButton(page).click();
    await expect.poll(() => captured).toBeTruthy();
    await sender.close();

    const support = await browser.newContext({ storageState: E2E.storageState('support') });
    const { cookie: _cookie, ...headers } = captured!.headers;
    const cookies = (await support.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await support.request.post(captured!.url, {
      headers: { ...headers, cookie: cookies },
      data: captured!.body,
      maxRedirects: 0,
    });
    expect(res.headers()['x-action-redirect'] ?? res.headers()['location'] ?? '').toContain('/forbidden');
    expect(await outboxFor(support.request, to)).toEqual([]);
    await support.close();
  });
});

test.describe('Settings → SMTP in live mode', () => {
  test('a wrong key shows the 535 explanation; the right one on the same console is accepted', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const port = portFor(testInfo);
    const server = await startConsole({
      port,
      env: {
        ADMIN_EMAIL: E2E.admin.email,
        ADMIN_PASSWORD: E2E.admin.password,
        SANDBOX_API_KEY: E2E.sandboxKey,
        SENDMUX_KEYS: `good=${E2E.sandboxKey},wrong=smx_mbx_wrong_key_value_000000`,
        SENDMUX_API_URL: `http://127.0.0.1:${port}/sandbox/api/v1`,
        SENDMUX_SMTP_URL: `smtp://127.0.0.1:${smtpPortFor(port)}`,
      },
    });
    try {
      await page.context().clearCookies();
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('Email').fill(E2E.admin.email);
      await page.getByLabel('Password').fill(E2E.admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 45_000 });
      await page.goto(`${server.url}/settings/smtp`);
      await expect(page.locator('dl').first()).toContainText(String(smtpPortFor(port)));

      // Chosen before hydration, the profile would be reset to the form's first one.
      await expect(sendButton(page)).toBeEnabled();
      await field(page, 'Key profile').selectOption('wrong');
      await fillTest(page, uniqueAddress('smtp-wrong-key'), 'Wrong key');
      await sendButton(page).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Key not accepted (535)' });
      await expect(alert).toBeVisible({ timeout: 30_000 });
      await expect(alert).toContainText('535 smtp_auth_failed');
      await expect(alert).toContainText('The username does not matter');
      await expect(transcript(page)).toContainText('AUTH PLAIN ***');
      await expect(transcript(page)).not.toContainText('smx_mbx_wrong_key_value');

      await field(page, 'Key profile').selectOption('good');
      await sendButton(page).click();
      await expect(page.getByRole('status').filter({ hasText: 'Accepted over SMTP' })).toBeVisible({
        timeout: 30_000,
      });
    } finally {
      await server.stop();
    }
  });
});
