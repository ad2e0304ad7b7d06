import AxeBuilder from '@axe-core/playwright';
import { expect, type APIResponse, type Page, type Route } from '@playwright/test';

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
  const results = await analyzeOutsideSandboxedFrames(page);
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

/**
 * axe-core's Playwright runner gives each frame one second to take its script; on a loaded
 * machine a frame can miss that, and is then silently left untested (reported only as the
 * incomplete rule `frame-tested`). Run again when that happens, and fail if a frame still cannot
 * be reached, so a frame's violations are never passed over for lack of time.
 */
async function analyzeOutsideSandboxedFrames(page: Page, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).exclude('iframe[sandbox]').analyze();
    const untested = results.incomplete.filter((r) => r.id === 'frame-tested');
    if (untested.length === 0) return results;
    if (attempt >= attempts) {
      const frames = untested.flatMap((r) => r.nodes.map((n) => n.target.join(' ')));
      throw new Error(
        `axe could not test ${frames.join(', ')} in ${attempts} attempts (frame too busy to take axe's script)`,
      );
    }
  }
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
  // Hashing the password (scrypt at OWASP cost) is slow on a loaded CI machine.
  await expect(page.getByRole('cell', { name: user.email, exact: false }).first()).toBeVisible({
    timeout: 30_000,
  });
}

/**
 * Opens Compose and waits until it is hydrated and its draft restored (Send enabled): text typed
 * before that would be replaced by the restored draft, as a person typing into a half-loaded
 * page would see.
 */
export async function openCompose(page: Page) {
  await page.goto('/compose');
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled({
    timeout: 20_000,
  });
}

/**
 * Sends a request again when its reused keep-alive connection was closed by the server at that
 * moment (ECONNRESET before any answer: Next closes idle ones after 5 s), as Chromium itself
 * resends a request, POST included, that failed that way on a reused connection. Two tries more:
 * concurrent requests can each pick a socket closed in the same instant. Anything else throws.
 */
export async function resendOnReset<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt === 2 || !/ECONNRESET|socket hang up/.test(String(err))) throw err;
    }
  }
}

/** route.fetch() for a test that reads every response whole, resent on a reset connection. */
export function fetchForRoute(route: Route): Promise<APIResponse> {
  return resendOnReset(() => route.fetch({ maxRedirects: 0 }));
}
