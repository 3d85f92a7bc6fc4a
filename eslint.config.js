import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Package boundaries: a package is reached only through its name (its package.json `exports`),
// never through another package's src/ or dist/, and dependencies flow one way:
// apps → packages → packages/domain. tsc's project references catch a missing edge; these rules
// catch a wrong one, and import-x/no-cycle catches cycles inside a package.
const INTERNALS = {
  group: ['@hamdam/*/src/*', '@hamdam/*/dist/*', '**/packages/*/src/*', '**/apps/*/src/*'],
  message: 'Import another package by its name only (its package.json exports).',
};
const APPS = {
  group: ['@hamdam/bot', '@hamdam/bot/*', '@hamdam/emulator', '@hamdam/bench', '@hamdam/loadtest'],
  message: 'Packages never depend on apps: dependencies flow apps → packages → domain.',
};
const ANY_HAMDAM = {
  group: ['@hamdam/*'],
  message: 'packages/domain holds pure rules and depends on nothing of hamdam.',
};
const restricted = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'loadtest/results/**',
      'loadtest/reports/**',
      'scripts/**',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // Ports return promises; an in-process adapter or a test stub need not await anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'no-restricted-imports': restricted(INTERNALS),
    },
  },
  { files: ['packages/**/*.ts'], rules: { 'no-restricted-imports': restricted(INTERNALS, APPS) } },
  {
    files: ['packages/domain/**/*.ts'],
    rules: { 'no-restricted-imports': restricted(INTERNALS, ANY_HAMDAM) },
  },
  {
    // Operations scripts are plain Node with no build step: linted without type information.
    files: ['infra/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        AbortSignal: 'readonly',
        setTimeout: 'readonly',
        console: 'readonly',
      },
    },
  },
);
