import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'dist/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The few scripts pages load from /assets run in the browser.
    files: ['web/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', history: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // Tests poke at arbitrary JSON responses.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins, no app layers.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code cannot use Node built-ins.' })),
            { name: 'zod', message: 'Validate in the API or in Update validators without zod.' },
            { name: 'hono', message: 'Workflow code cannot import the HTTP layer.' },
            { name: '../config.js', message: 'Workflow code cannot read configuration.' },
            { name: 'drizzle-orm', message: 'Workflow code does no I/O; use an activity.' },
            { name: 'postgres', message: 'Workflow code does no I/O; use an activity.' },
            { name: 'pino', message: 'Use the workflow logger from @temporalio/workflow.' },
          ],
          patterns: [
            {
              group: ['../db/*', '../api/*', '../activities/*', '../services/*', '../worker/*', '../web/*', '../config*', '../scripts/*'],
              allowTypeImports: true,
              message: 'Workflow code may only import types from the layers above it (activities/, db/, services/, api/).',
            },
            { group: ['hono/*', '@hono/*', 'drizzle-orm/*', 'zod/*', '@temporalio/worker', '@temporalio/client', '@temporalio/activity'], message: 'Not allowed in workflow code.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code cannot read the process environment.' },
        { name: 'setTimeout', message: 'Use sleep() or condition() with a timeout from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use a loop with sleep() from @temporalio/workflow.' },
        { name: 'fetch', message: 'Workflow code does no I/O; use an activity.' },
      ],
    },
  },
);
