import { test as setup } from '@playwright/test';
import { E2E } from './support/constants';
import { addUser, signIn } from './support/fixtures';

setup('sign in as admin, add a sender and a support user, keep their sessions', async ({ browser }) => {
  // Five scrypt runs at OWASP cost (three sign-ins, two new passwords): a minute and more on a busy machine.
  setup.setTimeout(180_000);
  const admin = await browser.newContext();
  const page = await admin.newPage();
  await signIn(page, E2E.admin);
  await addUser(page, { ...E2E.sender, role: 'sender' });
  await addUser(page, { ...E2E.support, role: 'support' });
  await admin.storageState({ path: E2E.storageState('admin') });
  for (const role of ['sender', 'support'] as const) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await signIn(p, E2E[role]);
    await ctx.storageState({ path: E2E.storageState(role) });
    await ctx.close();
  }
  await admin.close();
});
