import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The README's screenshots, taken in real Chromium against a fresh sandbox-mode console:
//   npm run screenshots   (after `npm run build`)
// Not part of `npm test`: it asserts only what it needs to reach each screen.
export default defineConfig({
  ...base,
  reporter: 'list',
  workers: 1,
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'screenshots',
      testMatch: /readme\.screens\.ts/,
      dependencies: ['setup'],
      use: { viewport: { width: 1440, height: 960 }, deviceScaleFactor: 1, colorScheme: 'light' },
    },
  ],
});
