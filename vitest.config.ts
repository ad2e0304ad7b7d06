import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);
const alias = {
  '@': root,
  // server-only throws outside React Server Components; tests run plain Node.
  'server-only': path.join(root, 'lib/testing/empty-module.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'lib/**/*.test.ts',
            'app/**/*.test.{ts,tsx}',
            'components/**/*.test.{ts,tsx}',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/*.db.test.ts', 'node_modules/**'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'db',
          environment: 'node',
          include: ['lib/**/*.db.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // PGlite is a WASM Postgres per test file; keep memory in check on 2-core CI machines.
          maxWorkers: 2,
        },
      },
    ],
  },
});
