import { expect, type Locator, type Page } from '@playwright/test';

// The message views Compose's preview, the sandbox outbox and the request log share
// (components/message-views.tsx), driven as a user would.

export function messageViews(scope: Page | Locator, label: string) {
  const page = 'goto' in scope ? scope : scope.page();
  const open = (name: string) =>
    scope.getByRole('tablist', { name: label }).getByRole('tab', { name }).click();
  return {
    open,
    /** Opens Mobile and checks the frame is 375 px wide. */
    async expectMobileWidth(frameTitle: string) {
      await open('Mobile');
      const frame = scope.locator(`iframe[title="${frameTitle}"]`);
      await expect(frame).toHaveAttribute('sandbox', '');
      expect((await frame.boundingBox())?.width).toBe(375);
    },
    sourceLines: () => scope.getByRole('region', { name: 'HTML source' }).getByRole('listitem'),
    headerRow: (name: string) =>
      scope
        .getByRole('table', { name: 'Message headers' })
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: `${name}:`, exact: true }) }),
    mimeParts: () => scope.getByRole('list', { name: 'MIME structure' }).getByRole('listitem'),
  };
}
