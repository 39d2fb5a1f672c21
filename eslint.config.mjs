import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.next/**',
      '**/.turbo/**',
      '**/.data/**',
      '**/coverage/**',
      '**/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
      // SECURITY.md 31: no dynamic code evaluation anywhere in server code.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'child_process',
              message: 'No child processes in server code (SECURITY.md 31).',
            },
            {
              name: 'node:child_process',
              message: 'No child processes in server code (SECURITY.md 31).',
            },
          ],
          patterns: [
            {
              group: ['@switchyard/*/src/*'],
              message: 'Import a package through its exports map.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings through the app env.ts (one zod-validated config per app).',
        },
      ],
    },
  },
  {
    // Places allowed to read the environment or spawn processes: config entry points, dev tooling,
    // tests and benchmarks.
    files: [
      '**/env.ts',
      'scripts/**',
      'bench/**',
      '**/*.test.ts',
      '**/*.config.{ts,mjs}',
      '**/testing/**',
      '**/e2e/**',
    ],
    rules: {
      'no-restricted-properties': 'off',
      'no-restricted-imports': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  // apps/web only: React hooks rules and Next.js rules (the plugins are apps/web dev dependencies).
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ...nextPlugin.configs['core-web-vitals'],
    settings: { next: { rootDir: 'apps/web' } },
  },
);
