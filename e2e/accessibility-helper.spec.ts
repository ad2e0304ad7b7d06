import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/fixtures';

// The helper leaves only the contents of sandboxed frames out; these prove it still fails on
// everything else.
const page = (body: string) =>
  `<!doctype html><html lang="en"><head><title>Helper check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;
const sandboxed = `<iframe sandbox="" title="Email preview" srcdoc="<p>Hi</p><img src='pixel.png'>"></iframe>`;

test.describe('expectAccessible', () => {
  test('passes a clean page whose sandboxed frame holds a violation of its own', async ({ page: p }) => {
    await p.setContent(page(sandboxed));
    await expectAccessible(p);
  });

  test('still reports the page around a sandboxed frame', async ({ page: p }) => {
    await p.setContent(page(`<img src="logo.png">${sandboxed}`));
    await expect(expectAccessible(p)).rejects.toThrow(/image-alt/);
  });

  test('still checks the sandboxed frame element itself', async ({ page: p }) => {
    await p.setContent(page(`<iframe sandbox="" srcdoc="<p>Hi</p>"></iframe>`));
    await expect(expectAccessible(p)).rejects.toThrow(/frame-title/);
  });

  test('still reports violations inside frames that are not sandboxed', async ({ page: p }) => {
    await p.setContent(
      page(
        `${sandboxed}<iframe title="Widget" srcdoc="<html lang='en'><title>w</title><img src='x.png'></html>"></iframe>`,
      ),
    );
    await expect(expectAccessible(p)).rejects.toThrow(/image-alt/);
  });
});
