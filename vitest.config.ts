import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Temporal worker's native bridge crashes under worker threads; forks isolate it.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        // Pure rules: no Temporal server, no database; `npm run test:unit` runs them in seconds.
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // Behaviour against one real Temporal dev server and one fresh PostgreSQL database per run.
        extends: true,
        test: { name: 'system', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'], globalSetup: ['test/global-setup.ts'] },
      },
    ],
  },
});
