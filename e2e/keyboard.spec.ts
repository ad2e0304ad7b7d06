import { expect, test, type Locator, type Page } from '@playwright/test';
import { E2E } from './support/constants';
import { expectAccessible, openCompose } from './support/fixtures';
import { outboxFor, uniqueAddress } from './support/sandbox';
import { csvPanel, FROM, stat } from './support/wizard';

// Keyboard alone: no test here calls click(). Keys go through page.keyboard, focus is checked after
// each step, and every focused control must show its focus ring.

test.use({ storageState: E2E.storageState('sender'), permissions: ['clipboard-read', 'clipboard-write'] });

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Presses Tab until `target` has focus (Shift+Tab with `back`). */
async function tabTo(page: Page, target: Locator, back = false) {
  for (let i = 0; i < 150; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The focused element matches :focus-visible and draws an outline. */
async function expectFocusVisible(page: Page) {
  const state = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'nothing has focus';
    const css = getComputedStyle(el);
    const drawn = css.outlineStyle !== 'none' && parseFloat(css.outlineWidth) > 0;
    return el.matches(':focus-visible') && drawn
      ? 'visible'
      : `${el.tagName.toLowerCase()}#${el.id} "${el.textContent?.slice(0, 40)}": focus-visible ${el.matches(':focus-visible')}, outline ${css.outlineStyle} ${css.outlineWidth}`;
  });
  expect(state).toBe('visible');
}

async function blur(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

test('CSV wizard with the keyboard alone: file button, mapping errors, preflight, exclusions, stepper, send, confirm', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const ann = uniqueAddress('kb-ann');
  const bob = uniqueAddress('kb-bob');
  const jobName = `Keyboard job ${Date.now()}`;
  const panel = csvPanel(page);
  await page.goto('/batches/new');
  await blur(page);

  // 1. Upload through the file button: Enter opens the browser's file chooser.
  const chooseFile = panel.getByRole('button', { name: 'Choose a file' });
  await tabTo(page, chooseFile);
  await expectFocusVisible(page);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
  await chooser.setFiles({
    name: 'keyboard.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`email,name\n${ann},Ann\nnot-an-email,Bad\n${bob},Bob\n`, 'utf8'),
  });
  await expect(stat(panel, 'Rows')).toHaveText('3');
  const toMapping = panel.getByRole('button', { name: 'Next: map the columns' });
  await tabTo(page, toMapping);
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: '2. Map the columns' })).toBeFocused();
  await expectFocusVisible(page);

  // 2. Mapping: Next with nothing filled in gives a summary that takes focus and links to each field.
  const toPreview = panel.getByRole('button', { name: 'Next: preview and check every row' });
  await tabTo(page, toPreview);
  await page.keyboard.press('Enter');
  const summary = panel.getByRole('alert').filter({ hasText: 'before the preview' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    'From email: Choose a column or a fixed value',
    'Subject: Enter a subject',
    'HTML body: Write the HTML body: Sendmux requires one',
  ]);
  await expect(panel.getByRole('heading', { name: '2. Map the columns' })).toBeVisible();
  await expectAccessible(page, 'mapping step with its error summary');
  await page.keyboard.press('Tab');
  await expect(summary.getByRole('link').first()).toBeFocused();
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  const fromSelect = panel.getByLabel('From email', { exact: true });
  await expect(fromSelect).toBeFocused();
  await page.keyboard.type('Fixed');
  await expect(fromSelect).toHaveValue('__fixed__');
  await expect(summary.getByRole('link').first()).toHaveText('From email: Enter the fixed value');
  await page.keyboard.press('Tab');
  await expect(panel.getByLabel('From email, fixed value')).toBeFocused();
  await page.keyboard.type(FROM);
  await tabTo(page, panel.getByLabel('Subject', { exact: true }));
  await page.keyboard.type('Hello {{name}}');
  await tabTo(page, panel.getByLabel('HTML body', { exact: true }));
  await page.keyboard.type('<p>Hi {{name}}</p>');
  await expect(summary).toHaveCount(0);
  await tabTo(page, toPreview);
  await page.keyboard.press('Enter');

  // 3. Preflight: the heading takes focus; exclusions by button and by checkbox.
  const planHeading = panel.getByRole('heading', { name: '3. Preview and preflight' });
  await expect(planHeading).toBeFocused();
  await expect(stat(panel, 'With errors')).toHaveText('1');
  await tabTo(page, panel.getByRole('button', { name: 'Exclude the 1 row with errors' }));
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  await expect(stat(panel, 'Excluded')).toHaveText('1');
  // The button is gone; focus is back on the plan, not lost.
  await expect(planHeading).toBeFocused();
  const show = panel.getByLabel('Show');
  await tabTo(page, show);
  await page.keyboard.press('ArrowUp');
  await expect(show).toHaveValue('all');
  const excludeBob = panel.getByRole('checkbox', { name: 'Exclude line 4' });
  await tabTo(page, excludeBob);
  await expectFocusVisible(page);
  await page.keyboard.press('Space');
  await expect(stat(panel, 'Excluded')).toHaveText('2');
  await page.keyboard.press('Space');
  await expect(stat(panel, 'Excluded')).toHaveText('1');

  // The preview's stepper: Next row to the last row keeps focus on the stepper.
  await expect(panel.getByRole('heading', { name: 'Message for line 2' })).toBeVisible();
  const nextRow = panel.getByRole('button', { name: 'Next row' });
  await tabTo(page, nextRow);
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: 'Message for line 3' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: 'Message for line 4' })).toBeVisible();
  await expect(nextRow).toBeDisabled();
  await expect(panel.getByRole('button', { name: 'Previous row' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: 'Message for line 3' })).toBeVisible();

  // 4. Send and confirm.
  await tabTo(page, panel.getByRole('button', { name: 'Next: name and send' }));
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: '4. Name the job and send' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel.getByLabel('Job name')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(jobName);
  await tabTo(page, panel.getByRole('button', { name: 'Send 2 messages' }));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Send 2 messages now?');
  await expect
    .poll(() => dialog.evaluate((d) => d.contains(document.activeElement)), {
      message: 'focus is in the dialog',
    })
    .toBe(true);
  await tabTo(page, dialog.getByRole('button', { name: 'Send now' }));
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/batches\/(?!new$)[a-z0-9]+$/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: jobName })).toBeFocused();
  await expect.poll(async () => (await outboxFor(request, ann)).length, { timeout: 45_000 }).toBe(1);
  expect(await outboxFor(request, bob)).toHaveLength(1);
});

test('request lookup with the keyboard alone: search, filter, open a result, copy for support', async ({
  page,
}) => {
  const to = `fail+insufficient_credits+${uniqueAddress('kb-lookup')}`;
  // A failed send to look up (Compose's own keyboard test covers typing it).
  page.on('dialog', (d) => void d.accept());
  await openCompose(page);
  await page.getByLabel('From email', { exact: true }).fill('sandbox@sendmux.test');
  await page.getByLabel('To email', { exact: true }).fill(to);
  await page.getByLabel('Subject', { exact: true }).fill('Keyboard lookup');
  await page.getByLabel('HTML body', { exact: true }).fill('<p>Hello</p>');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'What it means' })).toContainText(
    'insufficient_credits',
  );

  await page.goto('/requests');
  const box = page.getByLabel('Search requests');
  await expect(async () => {
    await blur(page);
    await page.keyboard.press('/');
    await expect(box).toBeFocused({ timeout: 500 });
  }).toPass();
  await expectFocusVisible(page);
  await page.keyboard.type(to);
  const outcome = page.getByLabel('Outcome');
  await tabTo(page, outcome);
  await expectFocusVisible(page);
  await page.keyboard.type('Failed');
  await expect(outcome).toHaveValue('failed');
  await tabTo(page, box, true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/outcome=failed/);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(to)}`));
  const heading = page.getByRole('heading', { name: /^1 request for recipient address/ });
  await expect(heading).toBeFocused();
  await expectAccessible(page, 'request search results reached by keyboard');

  // The first Tab from the results heading is the result itself.
  await page.keyboard.press('Tab');
  const link = page.getByRole('table').getByRole('link').first();
  await expect(link).toBeFocused();
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  const copy = page.getByRole('button', { name: 'Copy for support' });
  await tabTo(page, copy);
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  const bundle = await page.evaluate(() => navigator.clipboard.readText());
  expect(bundle).toContain(to);
  expect(bundle).toMatch(/req_[a-z0-9]{24}/);
  expect(bundle).not.toContain(E2E.sandboxKey);
});

test('"/" focuses the search box on every console page, unless typing in a field', async ({ page }) => {
  const pages: [string, string][] = [
    ['/', '#console-search'],
    ['/compose', '#console-search'],
    ['/batches', '#console-search'],
    ['/batches/new', '#console-search'],
    ['/requests', '#request-search'],
    ['/sandbox', '#outbox-search'],
    ['/settings', '#console-search'],
    ['/settings/smtp', '#console-search'],
  ];
  for (const [path, box] of pages) {
    await page.goto(path);
    await expect(page.locator('main h1').first()).toBeVisible();
    // Until the page is hydrated the key does nothing; a user would press it again.
    await expect(async () => {
      await blur(page);
      await page.keyboard.press('/');
      await expect(page.locator(box), `/ on ${path}`).toBeFocused({ timeout: 500 });
    }).toPass();
  }
  // The console's finder searches the request log.
  await page.goto('/settings');
  await expect(async () => {
    await blur(page);
    await page.keyboard.press('/');
    await expect(page.locator('#console-search')).toBeFocused({ timeout: 500 });
  }).toPass();
  await page.keyboard.type('req_nosuchrequest00000000000');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/requests\?q=req_nosuchrequest00000000000$/);
  await expect(page.getByRole('heading', { name: /^No requests for request_id/ })).toBeFocused();

  // In a field "/" is a character like any other (typed once Compose has hydrated, as everywhere).
  await openCompose(page);
  const subject = page.getByLabel('Subject', { exact: true });
  await subject.focus();
  await page.keyboard.type('a/b?');
  await expect(subject).toHaveValue('a/b?');
  await expect(subject).toBeFocused();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('"?" lists the keyboard shortcuts in a dialog', async ({ page }) => {
  await page.goto('/batches');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(async () => {
    await blur(page);
    await page.keyboard.press('?');
    await expect(dialog).toBeVisible({ timeout: 500 });
  }).toPass();
  const rows = dialog.getByRole('row');
  await expect(rows.filter({ hasText: 'Focus the search box' })).toContainText('/');
  await expect(rows.filter({ hasText: 'Show this list' })).toContainText('?');
  await expect(rows.filter({ hasText: 'Send, in Compose' })).toContainText('Ctrl');
  await expectAccessible(page, 'keyboard shortcuts dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  // The same list from the button beside the theme switch, by keyboard.
  await tabTo(page, page.getByRole('button', { name: 'Keyboard shortcuts' }));
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();
});
