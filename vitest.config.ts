import { defineConfig } from 'vitest/config';

/**
 * The files that load the whole machine: the production topology's fault drills (a cluster of Temporal services,
 * workers and APIs, killed and restarted), the 1,500-request fuzz and the statistics seeding. They run alone, one
 * after another, once every other file has finished, so that they never starve a test that counts seconds.
 */
const HEAVY = ['test/cluster.test.ts', 'test/fuzz-api.test.ts', 'test/bench-statistics.test.ts'];

export default defineConfig({
  test: {
    // The Temporal worker's native bridge crashes under worker threads; forks isolate it.
    pool: 'forks',
    // Most files spend their time waiting on Temporal timers and round trips, not on the CPU: three at a time on
    // two cores keeps both busy. Their deadlines leave room for that (test/lead-time.ts).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        // Pure rules: no Temporal server, no database; `npm run test:unit` runs them in seconds.
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        // Behaviour against one real Temporal dev server and one fresh PostgreSQL database per run.
        extends: true,
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', ...HEAVY],
          globalSetup: ['test/global-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'heavy', include: HEAVY, globalSetup: ['test/global-setup.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
