import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export async function signIn(page: Page, user: { email: string; password: string }, baseUrl = '') {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // scrypt at OWASP cost is slow on a loaded CI machine.
  await expect(page).not.toHaveURL(/\/sign-in/, { timeout: 30_000 });
}

export async function signOut(page: Page) {
  await page
    .getByRole('button', { name: /^Account:/ })
    .first()
    .click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Fails on any serious or critical axe-core violation, naming the rule and the elements.
 *
 * Why sandboxed frames are left out: the email previews are `<iframe sandbox="">` holding the
 * user's own message, not the console's UI. Chromium 156.0.8078.129 (Debian's build on a fresh
 * machine, December 2026) crashes the whole browser (`Check failed: has_site_`) when axe-core's
 * Playwright runner evaluates inside such a frame, and `options({ iframes: false })` does not
 * avoid it. So the full run excludes `iframe[sandbox]` (frame and contents) and still checks the
 * page and every other frame; a second pass in legacy mode, which never enters frames, checks the
 * sandboxed `<iframe>` elements themselves (title, focus), so only their contents go unchecked.
 */
export async function expectAccessible(page: Page, context = '') {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).exclude('iframe[sandbox]').analyze();
  const violations = [...results.violations];
  if ((await page.locator('iframe[sandbox]').count()) > 0) {
    const frames = await new AxeBuilder({ page })
      .setLegacyMode(true)
      .withTags(AXE_TAGS)
      .include('iframe[sandbox]')
      .options({ iframes: false })
      .analyze();
    violations.push(...frames.violations);
  }
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join('\n    ')}`,
    )
    .join('\n');
  expect(bad, `axe violations on ${context || page.url()}:\n${report}`).toEqual([]);
}

/** Adds a user through Settings → Users as the signed-in admin. */
export async function addUser(
  page: Page,
  user: { email: string; password: string; role: 'admin' | 'sender' | 'support' },
) {
  await page.goto('/settings/users');
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Add user' }) });
  await form.getByLabel('Email').fill(user.email);
  await form.getByLabel('Role').selectOption(user.role);
  await form.getByLabel('Initial password').fill(user.password);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('cell', { name: user.email, exact: false }).first()).toBeVisible();
}
