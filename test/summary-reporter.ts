import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain "N passed, N failed, N skipped" line that CI tooling can read, after the ten slowest
 * tests and test files with their project, so that a run's shape can be compared with the last.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const tests: Array<{ name: string; ms: number }> = [];
    const files: Array<{ name: string; ms: number }> = [];
    for (const m of modules) {
      const where = `[${m.project.name}] ${m.relativeModuleId}`;
      files.push({ name: where, ms: m.diagnostic().duration });
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        const d = t.diagnostic();
        if (d) tests.push({ name: `${where} › ${t.fullName}`, ms: d.duration });
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    const slowest = (rows: Array<{ name: string; ms: number }>) =>
      rows
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 10)
        .map((r) => `  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.name.length > 150 ? `${r.name.slice(0, 149)}…` : r.name}`)
        .join('\n');
    process.stdout.write(`\nThe ten slowest tests:\n${slowest(tests)}\nThe ten slowest files:\n${slowest(files)}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
