import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
  type Page,
  type TestInfo,
} from '@playwright/test';
import { openDatabase, queryRows, sql } from '../lib/db/connection';
import { startConsole } from './support/console-server';
import { E2E, smtpPortFor } from './support/constants';
import { expectAccessible, fetchForRoute, resendOnReset } from './support/fixtures';
import { messageViews } from './support/message-views';

// Extra consoles take ports from extraPortBase + 30 upwards: one block of four per worker.
const portFor = (testInfo: TestInfo, slot: number) =>
  E2E.extraPortBase + 30 + testInfo.workerIndex * 4 + slot;

const CONSOLE_PAGES = [
  '/',
  '/compose',
  '/batches',
  '/requests',
  '/sandbox',
  '/settings',
  '/settings/keys',
  '/settings/smtp',
  '/settings/users',
];

type Json = Record<string, unknown>;

async function sandboxCall(
  api: APIRequestContext,
  baseUrl: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { json?: unknown; data?: Buffer; headers?: Record<string, string> } = {},
) {
  const res = await api.fetch(`${baseUrl}/sandbox/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${E2E.sandboxKey}`, ...options.headers },
    data: options.json ?? options.data,
  });
  const body = (await res.json()) as { ok: boolean; data?: Json; error?: Json };
  return { status: res.status(), body };
}

/** signIn for a console started by the test: its first sign-in also loads every module cold, so it gets longer. */
async function signInFresh(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(E2E.admin.email);
  await page.getByLabel('Password').fill(E2E.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 45_000 });
}

function liveConsoleEnv(port: number, keys: string, sandboxKey: string): Record<string, string> {
  return {
    ADMIN_EMAIL: E2E.admin.email,
    ADMIN_PASSWORD: E2E.admin.password,
    SENDMUX_KEYS: keys,
    SANDBOX_API_KEY: sandboxKey,
    SENDMUX_API_URL: `http://127.0.0.1:${port}/sandbox/api/v1`,
    SENDMUX_SMTP_URL: `smtp://127.0.0.1:${smtpPortFor(port)}`,
  };
}

test.describe('Settings → Sendmux keys: Check connection', () => {
  test.use({ storageState: E2E.storageState('admin') });

  test('in sandbox mode it shows the sandbox team, the credential type and email.send', async ({ page }) => {
    await page.goto('/settings/keys');
    await page.getByRole('button', { name: 'Check connection for sandbox' }).click();
    await expect(page.getByText('Connected to team Sandbox team')).toBeVisible();
    const details = page.locator('dl', { has: page.getByText('Permissions') });
    await expect(details.getByText('api_key')).toBeVisible();
    await expect(details.getByText('email.send', { exact: true })).toBeVisible();
    await expect(details.getByText('sandbox@sendmux.test', { exact: false })).toBeVisible();
    await expect(details).toContainText(/req_[a-z0-9]{24}/);
  });

  test('with a wrong key it shows authentication_required, what it means and a request_id', async ({
    page,
  }, testInfo) => {
    // A second console (its own PGlite, migrations) takes a while to start on a busy machine.
    test.setTimeout(180_000);
    const port = portFor(testInfo, 0);
    const server = await startConsole({
      port,
      env: liveConsoleEnv(
        port,
        `good=${E2E.sandboxKey},wrong=smx_mbx_wrong_key_value_000000`,
        E2E.sandboxKey,
      ),
    });
    try {
      await page.context().clearCookies();
      await signInFresh(page, server.url);
      await page.goto(`${server.url}/settings/keys`);
      await expect(page.getByText('SENDMUX_API_URL points at this console’s own sandbox')).toBeVisible();
      await expect(
        page.getByRole('definition').filter({ hasText: 'the key the built-in sandbox accepts' }),
      ).toContainText('smx_mbx_…');
      await page.getByRole('button', { name: 'Check connection for wrong' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'The connection check failed' });
      await expect(alert).toBeVisible();
      await expect(alert).toContainText('authentication_required');
      await expect(alert).toContainText('The API key is missing, invalid, expired or revoked.');
      await expect(alert).toContainText(/request_id\s*req_[a-z0-9]{24}/);
      // The right key on the same console still connects: the failure is the key, not the setup.
      await page.getByRole('button', { name: 'Check connection for good' }).click();
      await expect(page.getByText('Connected to team Sandbox team')).toBeVisible();
    } finally {
      await server.stop();
    }
  });
});

test.describe('a canary key', () => {
  test.setTimeout(300_000);

  test('appears in no page, response, static asset or database row', async ({ browser }, testInfo) => {
    const canary = `smx_mbx_CANARY${randomBytes(12).toString('hex')}`;
    // Its base64 at every alignment, minus the edge characters that depend on neighbours.
    const encodings = [0, 1, 2].map((shift) => {
      const b64 = Buffer.from(`${'x'.repeat(shift)}${canary}`).toString('base64');
      return b64.slice(shift === 0 ? 0 : 4, -4);
    });
    const needles = [
      canary,
      canary.slice('smx_mbx_'.length),
      Buffer.from(canary).toString('hex'),
      ...encodings,
    ];
    const leaksIn = (text: string) => needles.filter((n) => text.includes(n));

    const port = portFor(testInfo, 1);
    const server = await startConsole({ port, env: liveConsoleEnv(port, `canary=${canary}`, canary) });
    const bodies: { url: string; text: string }[] = [];
    const pending: Promise<void>[] = [];
    let stopped = false;
    try {
      const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      const page = await context.newPage();
      const unreadable: string[] = [];
      const headText = (headers: Record<string, string>) =>
        Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n');
      // Server actions (POST) are taken whole in the test process and handed on, so a navigation cannot drop their bodies.
      await context.route('**/*', async (route) => {
        const req = route.request();
        if (req.method() === 'GET') return route.fallback();
        const response = await fetchForRoute(route);
        const body = await response.body();
        bodies.push({
          url: `${req.method()} ${req.url()} ${response.status()}`,
          text: `${headText(response.headers())}\n\n${body.toString('latin1')}`,
        });
        await route.fulfill({ response, body });
      });
      page.on('response', (res) => {
        if (res.request().method() !== 'GET') return;
        pending.push(
          (async () => {
            let label = `${res.request().method()} ${res.url()} ${res.status()}`;
            const head = headText(await res.allHeaders());
            let body = '';
            try {
              // Some router prefetches never finish in the browser; they are fetched again below.
              const read = await Promise.race([
                res.body(),
                new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000)),
              ]);
              if (read === null) throw new Error('the body did not finish arriving in the browser');
              body = read.toString('latin1');
            } catch (err) {
              if (res.status() >= 300 && res.status() < 400) {
                // A redirect has no body; its headers are checked.
              } else {
                // The page moved on before the body was read (a prefetch, a font): ask again with the same session and headers.
                const again = await resendOnReset(() =>
                  context.request.fetch(res.request(), { maxRedirects: 0, timeout: 20_000 }),
                ).catch((e: Error) => e);
                if (again instanceof Error)
                  unreadable.push(`${label}: ${(err as Error).message}; fetching it again: ${again.message}`);
                else body = (await again.body()).toString('latin1');
                label += ' (fetched again)';
              }
            }
            bodies.push({ url: label, text: `${head}\n\n${body}` });
          })(),
        );
      });
      // Every body is read (or fetched again) before the next navigation drops it. Not networkidle: a prefetch Chromium never finishes would hold it off.
      const settle = async () => {
        await page.waitForLoadState('load');
        while (pending.length) await Promise.all(pending.splice(0));
      };

      await signInFresh(page, server.url);
      for (const path of CONSOLE_PAGES) {
        await settle();
        await page.goto(`${server.url}${path}`);
        await expect(page.locator('main h1').first()).toBeVisible();
      }

      await settle();
      await page.goto(`${server.url}/settings/keys`);
      await page.getByRole('button', { name: 'Check connection for canary' }).click();
      await expect(page.getByText('Connected to team Sandbox team')).toBeVisible();

      await settle();
      await page.goto(`${server.url}/compose`);
      // Typed before hydration, the restored draft would replace it.
      await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled({ timeout: 20_000 });
      await page.getByLabel('From email', { exact: true }).fill('sandbox@sendmux.test');
      await page.getByLabel('To email', { exact: true }).fill('canary-check@example.com');
      await page.getByLabel('Subject', { exact: true }).fill('Canary check');
      await page.getByLabel('HTML body', { exact: true }).fill('<p>Does the key leak?</p>');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const result = page.getByRole('heading', { name: /^Sent/ });
      await expect(result).toBeVisible({ timeout: 30_000 });
      const messageId = (await page.locator('section[aria-labelledby="result-title"]').textContent())?.match(
        /eml_[a-z0-9]{24}/,
      )?.[0];
      expect(messageId, 'the result panel shows the message_id').toBeTruthy();

      const logHref = await page.getByRole('link', { name: 'Open in the request log' }).getAttribute('href');

      // SMTP test sends, AUTH PLAIN and LOGIN: the key goes over the wire base64-encoded, never into a page.
      const smtpLogHrefs: string[] = [];
      for (const method of ['PLAIN', 'LOGIN']) {
        await settle();
        await page.goto(`${server.url}/settings/smtp`);
        // Chosen before hydration, the method would be replaced by the draft the last send saved.
        await expect(page.getByRole('button', { name: 'Send test over SMTP' })).toBeEnabled({
          timeout: 20_000,
        });
        await page.getByLabel('AUTH method', { exact: true }).selectOption(method);
        await page.getByLabel('From email', { exact: true }).fill('sandbox@sendmux.test');
        await page
          .getByLabel('To email', { exact: true })
          .fill(`canary-smtp-${method.toLowerCase()}@example.com`);
        await page.getByRole('button', { name: 'Send test over SMTP' }).click();
        const accepted = page.getByRole('status').filter({ hasText: 'Accepted over SMTP' });
        await expect(accepted).toBeVisible({ timeout: 30_000 });
        await expect(page.getByRole('region', { name: 'SMTP transcript' })).toContainText(
          method === 'PLAIN' ? 'AUTH PLAIN ***' : 'the key, never shown',
        );
        smtpLogHrefs.push(
          (await accepted.getByRole('link', { name: 'Open in the request log' }).getAttribute('href')) ??
            '/requests',
        );
      }

      // The request log pages, whatever state they are in, and the message in the sandbox outbox.
      for (const path of [
        ...smtpLogHrefs,
        '/requests?q=canary-smtp-plain%40example.com',
        '/requests?endpoint=SMTP',
        logHref ?? '/requests',
        `/requests?q=${messageId}`,
        '/requests',
        '/sandbox',
        `/sandbox/${messageId}`,
      ]) {
        await settle();
        await page.goto(`${server.url}${path}`);
        await expect(page.locator('main')).toBeVisible();
      }
      await settle();
      await page.close();
      expect(unreadable, 'responses whose body could not be read').toEqual([]);

      // Every static asset the pages reference, and the ones those reference (CSS → fonts, chunk → chunk).
      const seen = new Set<string>();
      let queue = bodies.map((b) => b.text);
      while (queue.length) {
        const found = new Set<string>();
        for (const text of queue) {
          for (const m of text.matchAll(
            /(?:\/_next\/)?static\/(?:chunks|media|css|[A-Za-z0-9_-]{8,})\/[A-Za-z0-9_\-./~]+/g,
          )) {
            const assetPath = m[0].startsWith('/_next/') ? m[0] : `/_next/${m[0]}`;
            if (!seen.has(assetPath)) found.add(assetPath.replace(/[.]+$/, ''));
          }
        }
        queue = [];
        for (const assetPath of found) {
          seen.add(assetPath);
          const res = await context.request.get(`${server.url}${assetPath}`);
          if (!res.ok()) continue;
          const text = (await res.body()).toString('latin1');
          bodies.push({ url: `GET ${assetPath} (static)`, text });
          queue.push(text);
        }
      }
      await context.close();

      expect([...seen].filter((p) => p.endsWith('.js')).length, 'static chunks were fetched').toBeGreaterThan(
        0,
      );
      // The capture saw what it had to: the masked key on Settings and the check's answer through the server action.
      const masked = Buffer.from(`smx_mbx_…${canary.slice(-4)}`).toString('latin1');
      expect(
        bodies.some((b) => b.text.includes(masked)),
        'the masked key was among the captured responses',
      ).toBe(true);
      expect(
        bodies.some((b) => b.url.startsWith('POST') && b.text.includes('Sandbox team')),
        'the Check connection action response was captured',
      ).toBe(true);
      expect(
        bodies.some((b) => b.url.startsWith('POST') && b.text.includes('AUTH PLAIN ***')),
        'the SMTP test send action response (its transcript) was captured',
      ).toBe(true);
      const leaking = bodies.flatMap((b) =>
        leaksIn(b.text).map(
          (n) => `${b.url} contains ${n === canary ? 'the canary' : `an encoding of it (${n})`}`,
        ),
      );
      expect(leaking, `${bodies.length} responses checked`).toEqual([]);

      await server.stop();
      stopped = true;
      const handle = await openDatabase({ kind: 'pglite', dataDir: server.dataDir });
      try {
        const tables = await queryRows<{ schema: string; name: string }>(
          handle.db,
          sql`select table_schema as schema, table_name as name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
        );
        expect(tables.map((t) => t.name)).toEqual(
          expect.arrayContaining([
            'api_requests',
            'audit_events',
            'sessions',
            'sandbox_messages',
            'sandbox_idempotency',
          ]),
        );
        const problems: string[] = [];
        for (const t of tables) {
          const rows = await queryRows<Json>(handle.db, sql.raw(`select * from "${t.schema}"."${t.name}"`));
          const text = JSON.stringify(rows, (_key, value: unknown) =>
            value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
          );
          for (const n of leaksIn(text))
            problems.push(
              `${t.schema}.${t.name} contains ${n === canary ? 'the canary' : `an encoding of it (${n})`}`,
            );
          if (t.name === 'api_requests') {
            const paths = rows.map((r) => r.path);
            expect(new Set(rows.map((r) => r.key_profile))).toEqual(new Set(['canary']));
            expect(paths, 'api_requests holds the connection check, the send and the SMTP tests').toEqual(
              expect.arrayContaining(['/me', '/emails/send', 'SMTP']),
            );
          }
        }
        expect(problems).toEqual([]);
      } finally {
        await handle.close();
      }
      expect(leaksIn(fs.readdirSync(server.dataDir).join('\n')), 'file names in DATA_DIR').toEqual([]);
      // The files the console writes there itself (secrets, the SMTP certificate and its CA).
      for (const entry of fs.readdirSync(server.dataDir, { withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const text = fs.readFileSync(`${server.dataDir}/${entry.name}`).toString('latin1');
        expect(leaksIn(text), `DATA_DIR/${entry.name}`).toEqual([]);
      }
      expect(fs.readdirSync(server.dataDir)).toEqual(expect.arrayContaining(['sandbox-smtp-ca.pem']));
      expect(leaksIn(server.log()), 'the server log').toEqual([]);
    } finally {
      if (!stopped) await server.stop();
    }
  });
});

const PNG_BYTES = Buffer.concat([
  Buffer.from('89504e470d0a1a0a', 'hex'),
  randomBytes(700),
  Buffer.from([0, 255, 13, 10, 0]),
]);
const PDF_BYTES = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2000)]);

async function seedMessage(api: APIRequestContext, baseUrl: string) {
  const run = randomBytes(6).toString('hex');
  const upload = await sandboxCall(
    api,
    baseUrl,
    'POST',
    `/emails/attachments?filename=chart-${run}.png&content_type=image/png`,
    {
      data: PNG_BYTES,
      headers: { 'Content-Type': 'application/octet-stream' },
    },
  );
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const message = {
    from: { email: 'sandbox@sendmux.test', name: 'Sandbox Sender' },
    to: { email: `outbox-${run}@example.com`, name: 'Olive Outbox' },
    cc: [{ email: `cc-${run}@example.com` }],
    bcc: [{ email: `bcc-${run}@example.com`, name: 'Blind Copy' }],
    reply_to: { email: `reply-${run}@example.com` },
    return_path: `bounces-${run}@example.com`,
    subject: `Outbox check ${run}`,
    html_body: `<p id=x>before</p><script>document.getElementById('x').textContent='ran'</script>`,
    text_body: `Plain text for ${run}`,
    custom_headers: { 'X-E2E-Run': run },
    attachments: [
      { filename: `report-${run}.pdf`, content: PDF_BYTES.toString('base64'), type: 'application/pdf' },
      { attachment_id: upload.body.data?.attachment_id },
    ],
  };
  const sent = await sandboxCall(api, baseUrl, 'POST', '/emails/send', {
    json: message,
    headers: { 'Idempotency-Key': `e2e-outbox-${run}` },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return { run, message, messageId: String(sent.body.data?.message_id) };
}

test.describe('the Sandbox page', () => {
  test('a received message: fields, HTML without scripts, exact attachment bytes, no Clear outbox for support and sender', async ({
    browser,
    request,
    baseURL,
  }) => {
    const { run, messageId } = await seedMessage(request, baseURL!);

    const support = await browser.newContext({ storageState: E2E.storageState('support') });
    const page = await support.newPage();
    await page.goto('/sandbox');
    await expect(page.getByRole('heading', { name: 'Sandbox', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Clear outbox' })).toHaveCount(0);
    // Other specs send through the same sandbox, so find this message by search (in the URL).
    await page.getByRole('searchbox', { name: 'Search the outbox' }).fill(`outbox-${run}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`q=outbox-${run}`));
    const outboxRows = page.getByRole('region', { name: 'Outbox' }).getByRole('row');
    await expect(outboxRows).toHaveCount(2);
    const row = outboxRows.filter({ hasText: `outbox-${run}@example.com` });
    await expect(row).toContainText('sandbox@sendmux.test');
    await expect(row).toContainText(`Outbox check ${run}`);
    await expect(row).toContainText(`e2e-outbox-${run}`);
    await expect(row).toContainText(/req_[a-z0-9]{24}/);
    await expect(row).toContainText('2 attachments');

    await page.getByRole('link', { name: `Outbox check ${run}` }).click();
    await expect(page).toHaveURL(new RegExp(`/sandbox/${messageId}$`));
    await expect(page.getByRole('heading', { name: `Outbox check ${run}`, level: 1 })).toBeVisible();
    const envelope = page.getByRole('region', { name: 'Envelope' });
    for (const text of [
      'Sandbox Sender <sandbox@sendmux.test>',
      `Olive Outbox <outbox-${run}@example.com>`,
      `cc-${run}@example.com`,
      `Blind Copy <bcc-${run}@example.com>`,
      `reply-${run}@example.com`,
      `bounces-${run}@example.com`,
      messageId,
      `e2e-outbox-${run}`,
      'X-E2E-Run',
    ]) {
      await expect(envelope.getByText(text, { exact: true }).first()).toBeVisible();
    }

    const frame = page.locator('iframe[title="HTML body as received"]');
    await expect(frame).toHaveAttribute('sandbox', '');
    await expect(page.frameLocator('iframe[title="HTML body as received"]').locator('#x')).toHaveText(
      'before',
    );

    await page.getByRole('tab', { name: 'Text' }).click();
    await expect(page.getByText(`Plain text for ${run}`)).toBeVisible();
    await page.getByRole('tab', { name: 'Raw JSON' }).click();
    const raw = page.getByLabel('Raw JSON as received');
    await expect(raw).toContainText(`"subject": "Outbox check ${run}"`);
    await expect(raw).toContainText(
      `(${PDF_BYTES.toString('base64').length.toLocaleString('en-US')} base64 characters, ${PDF_BYTES.length.toLocaleString('en-US')} bytes)`,
    );
    await expect(raw).not.toContainText(PDF_BYTES.toString('base64'));

    const attachments = page.getByRole('region', { name: 'Attachments' });
    await expect(attachments).toContainText(`report-${run}.pdf`);
    await expect(attachments).toContainText('application/pdf');
    await expect(attachments).toContainText('2.0 KB');
    await expect(attachments).toContainText(`chart-${run}.png`);
    await expect(attachments).toContainText('image/png');
    await expect(attachments).toContainText(`${PNG_BYTES.length} B`);

    for (const [name, bytes] of [
      [`report-${run}.pdf`, PDF_BYTES],
      [`chart-${run}.png`, PNG_BYTES],
    ] as const) {
      const link = page.getByRole('link', { name: `Download ${name}` });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(fs.readFileSync(await download.path())).toEqual(bytes);
      const res = await support.request.get(new URL((await link.getAttribute('href'))!, baseURL).toString());
      expect(res.headers()['content-disposition']).toMatch(new RegExp(`^attachment; filename="${name}"`));
      expect(res.headers()['content-type']).toBe('application/octet-stream');
      expect(res.headers()['x-content-type-options']).toBe('nosniff');
      expect(await res.body()).toEqual(bytes);
    }
    await support.close();

    const sender = await browser.newContext({ storageState: E2E.storageState('sender') });
    const senderPage = await sender.newPage();
    await senderPage.goto(`/sandbox?q=outbox-${run}`);
    await expect(senderPage.getByRole('row').filter({ hasText: `outbox-${run}@example.com` })).toBeVisible();
    await expect(senderPage.getByRole('button', { name: 'Clear outbox' })).toHaveCount(0);
    await sender.close();

    // Signed out, the download is refused.
    const anonymous = await playwrightRequest.newContext({ storageState: { cookies: [], origins: [] } });
    const anon = await anonymous.get(`${baseURL}/sandbox/${messageId}/attachments/0`, { maxRedirects: 0 });
    expect(anon.status()).toBeGreaterThanOrEqual(300);
    expect(anon.status()).toBeLessThan(400);
    expect(anon.headers()['location']).toContain('/sign-in');
    await anonymous.dispose();
  });

  test('the clear action refuses support and signed-out callers', async ({ browser, request, baseURL }) => {
    const { run } = await seedMessage(request, baseURL!);
    const admin = await browser.newContext({ storageState: E2E.storageState('admin') });
    const page = await admin.newPage();
    await page.goto('/sandbox');

    // Capture the browser's real action request without letting it reach the server.
    let captured: { url: string; headers: Record<string, string>; body: string } | undefined;
    await page.route('**/sandbox', async (route) => {
      const req = route.request();
      if (req.method() === 'POST' && req.headers()['next-action']) {
        captured = { url: req.url(), headers: req.headers(), body: req.postData() ?? '' };
        await route.abort();
      } else await route.continue();
    });
    await page.getByRole('button', { name: 'Clear outbox' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Clear [\d,]+ messages?$/ })
      .click();
    await expect.poll(() => captured).toBeTruthy();
    await admin.close();
    const { cookie: _cookie, ...headers } = captured!.headers;

    const anonymous = await playwrightRequest.newContext({ storageState: { cookies: [], origins: [] } });
    const anon = await anonymous.post(captured!.url, { headers, data: captured!.body, maxRedirects: 0 });
    expect(anon.headers()['x-action-redirect'] ?? anon.headers()['location'] ?? '').toContain('/sign-in');
    await anonymous.dispose();

    const support = await browser.newContext({ storageState: E2E.storageState('support') });
    const cookies = (await support.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const asSupport = await support.request.post(captured!.url, {
      headers: { ...headers, cookie: cookies },
      data: captured!.body,
      maxRedirects: 0,
    });
    expect(asSupport.headers()['x-action-redirect'] ?? asSupport.headers()['location'] ?? '').toContain(
      '/forbidden',
    );
    await support.close();

    const outbox = await sandboxCall(
      request,
      baseURL!,
      'GET',
      `/_sandbox/outbox?to=outbox-${run}@example.com`,
    );
    expect(outbox.body.data?.messages).toHaveLength(1);
  });

  test('a received message as the preview shows it: Mobile at 375 px, Source with line numbers, Headers with each MIME part', async ({
    browser,
    request,
    baseURL,
  }) => {
    const { run, messageId } = await seedMessage(request, baseURL!);
    const context = await browser.newContext({ storageState: E2E.storageState('support') });
    const page = await context.newPage();
    await page.goto(`/sandbox/${messageId}`);
    const views = messageViews(page, 'Body views');
    await views.expectMobileWidth('HTML body as received, at mobile width (375 px)');

    await views.open('Source');
    await expect(views.sourceLines()).toHaveCount(1);
    await expect(views.sourceLines().first()).toHaveText(
      `1<p id=x>before</p><script>document.getElementById('x').textContent='ran'</script>`,
    );
    await expectAccessible(page, '/sandbox/[id], Source tab');

    await views.open('Headers');
    const row = views.headerRow;
    await expect(row('From')).toContainText('Sandbox Sender <sandbox@sendmux.test>');
    await expect(row('To')).toContainText(`Olive Outbox <outbox-${run}@example.com>`);
    await expect(row('Cc')).toContainText(`cc-${run}@example.com`);
    await expect(row('Reply-To')).toContainText(`reply-${run}@example.com`);
    await expect(row('X-E2E-Run')).toContainText(run);
    await expect(row('Content-Type')).toContainText('multipart/mixed');
    await expect(page.getByRole('table', { name: 'Message headers' })).not.toContainText(
      `bcc-${run}@example.com`,
    );
    const mime = views.mimeParts();
    await expect(mime).toHaveCount(6);
    await expect(mime.nth(1)).toContainText('multipart/alternative');
    await expect(mime.nth(2)).toContainText('text/plain');
    await expect(mime.nth(3)).toContainText('text/html');
    await expect(mime.nth(4)).toContainText(`application/pdf`);
    await expect(mime.nth(4)).toContainText(`Attachment “report-${run}.pdf” · 2.0 KB`);
    // The uploaded one is known by its id in the body; the outbox knows its name, type and size.
    await expect(mime.nth(5)).toContainText('image/png');
    await expect(mime.nth(5)).toContainText(`Attachment “chart-${run}.png” (uploaded, att_`);
    await expect(mime.nth(5)).toContainText(`${PNG_BYTES.length} B`);
    await expectAccessible(page, '/sandbox/[id], Headers tab');
    await context.close();
  });

  test('/sandbox and a message page have no serious or critical axe violations', async ({
    browser,
    request,
    baseURL,
  }) => {
    const { messageId } = await seedMessage(request, baseURL!);
    const context = await browser.newContext({ storageState: E2E.storageState('admin') });
    const page = await context.newPage();
    await page.goto('/sandbox');
    await expect(page.getByRole('heading', { name: 'Outbox' })).toBeVisible();
    await expectAccessible(page, '/sandbox');
    await page.goto(`/sandbox/${messageId}`);
    await expect(page.locator('iframe[title="HTML body as received"]')).toBeVisible();
    await expectAccessible(page, '/sandbox/[id]');
    await context.close();
  });

  test('an unknown message is a 404', async ({ browser }) => {
    const context = await browser.newContext({ storageState: E2E.storageState('support') });
    const page = await context.newPage();
    const res = await page.goto('/sandbox/eml_doesnotexist000000000000000');
    expect(res?.status()).toBe(404);
    await context.close();
  });

  test('on its own console: pages with Older, search, and an admin clears the outbox (audited)', async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(180_000);
    const port = portFor(testInfo, 2);
    const server = await startConsole({
      port,
      env: {
        ADMIN_EMAIL: E2E.admin.email,
        ADMIN_PASSWORD: E2E.admin.password,
        SANDBOX_API_KEY: E2E.sandboxKey,
      },
    });
    let stopped = false;
    try {
      const messages = Array.from({ length: 27 }, (_, i) => ({
        from: { email: 'sandbox@sendmux.test' },
        to: { email: `paged-${i}@example.com` },
        subject: `Paged ${i}`,
        html_body: `<p>${i}</p>`,
      }));
      const batch = await sandboxCall(request, server.url, 'POST', '/emails/send/batch', {
        json: { messages },
      });
      expect(batch.status, JSON.stringify(batch.body)).toBe(200);

      await page.context().clearCookies();
      await signInFresh(page, server.url);
      await page.goto(`${server.url}/sandbox`);
      await expect(page.getByTestId('outbox-count')).toHaveText('27 messages');
      const subjects = page.getByRole('link', { name: /^Paged \d+$/ });
      await expect(subjects).toHaveCount(25);
      const first = await subjects.allTextContents();
      await page.getByRole('link', { name: 'Older' }).click();
      await expect(page).toHaveURL(/before=\d+/);
      await expect(subjects).toHaveCount(2);
      const second = await subjects.allTextContents();
      await expect(page.getByRole('link', { name: 'Older' })).toHaveCount(0);
      expect(new Set([...first, ...second])).toEqual(new Set(messages.map((m) => m.subject)));
      await page.getByRole('link', { name: 'Newest' }).click();
      await expect(subjects).toHaveCount(25);

      await page.goto(`${server.url}/sandbox?q=${encodeURIComponent('paged-13@example.com')}`);
      await expect(subjects).toHaveCount(1);
      await expect(subjects).toHaveText('Paged 13');
      await page.goto(`${server.url}/sandbox?q=nothing-matches-this`);
      await expect(page.getByText('No message matches.')).toBeVisible();

      await page.goto(`${server.url}/sandbox`);
      await page.getByRole('button', { name: 'Clear outbox' }).click();
      const dialog = page.getByRole('dialog', { name: 'Clear the outbox?' });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('outbox-count')).toHaveText('27 messages');
      await page.getByRole('button', { name: 'Clear outbox' }).click();
      await dialog.getByRole('button', { name: 'Clear 27 messages' }).click();
      await expect(page.getByText('The outbox is empty')).toBeVisible();
      await expect(page.getByTestId('outbox-count')).toHaveText('0 messages');
      await expect(page.getByRole('link', { name: 'Open Compose' })).toBeVisible();
      const outbox = await sandboxCall(request, server.url, 'GET', '/_sandbox/outbox');
      expect(outbox.body.data?.messages).toEqual([]);

      await server.stop();
      stopped = true;
      const handle = await openDatabase({ kind: 'pglite', dataDir: server.dataDir });
      try {
        const events = await queryRows<{ actor_email: string; detail: Json }>(
          handle.db,
          sql`select actor_email, detail from audit_events where action = 'sandbox.outbox_cleared'`,
        );
        expect(events).toEqual([{ actor_email: E2E.admin.email, detail: { deleted: 27 } }]);
      } finally {
        await handle.close();
      }
    } finally {
      if (!stopped) await server.stop();
    }
  });
});
