import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // process.env has one reader: lib/env.ts. Scripts, tests and tool configs run outside the app.
    files: ['app/**', 'components/**', 'lib/**', 'instrumentation.ts', 'proxy.ts'],
    ignores: ['lib/env.ts', 'lib/testing/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through lib/env.ts.' },
      ],
    },
  },
  {
    // Vitest helpers named use…() are not React hooks.
    files: ['**/*.test.ts', 'lib/testing/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  globalIgnores([
    '.next/**',
    '.next-*/**',
    'reports/**',
    'out/**',
    'build/**',
    'next-env.d.ts',
    'data/**',
    '.e2e-data/**',
    'test-results/**',
    'playwright-report/**',
    'drizzle/**',
  ]),
]);
