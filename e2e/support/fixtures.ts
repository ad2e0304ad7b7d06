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
  await page.getByRole('button', { name: /^Account:/ }).first().click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Fails on any serious or critical axe-core violation, naming the rule and the elements. */
export async function expectAccessible(page: Page, context = '') {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n    ')}`).join('\n');
  expect(bad, `axe violations on ${context || page.url()}:\n${report}`).toEqual([]);
}

/** Adds a user through Settings → Users as the signed-in admin. */
export async function addUser(page: Page, user: { email: string; password: string; role: 'admin' | 'sender' | 'support' }) {
  await page.goto('/settings/users');
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Add user' }) });
  await form.getByLabel('Email').fill(user.email);
  await form.getByLabel('Role').selectOption(user.role);
  await form.getByLabel('Initial password').fill(user.password);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('cell', { name: user.email, exact: false }).first()).toBeVisible();
}
