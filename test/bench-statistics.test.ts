import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The statistics benchmark at a small size, so the script the README names keeps working: it seeds a database
 * of its own, backfills the versions, times the counts and checks that, as of the moment seeded, the versions
 * say what today's projection says. The figures at a province's size come from `npm run bench:statistics`.
 */
describe('the statistics benchmark', () => {
  it('seeds, backfills, times and finds the versions agreeing with the projection, at 2,000 directives', async () => {
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/bench-statistics.ts', '--directives', '2000', '--runs', '3'], {
      cwd: root,
      timeout: 120_000,
    });
    expect(stdout).toMatch(/^statistics benchmark: 2,000 directives, 20,000 events, [\d,]+ versions/);
    expect(stdout).toMatch(/2026-Q3 per lead agency, as of 2026-09-14T17:00:00.000Z \(directive_facts\): p50 [\d.]+ ms, p95 [\d.]+ ms = [\d.]+× the 200 ms limit/);
    expect(stdout).toContain("the versions and today's projection give the same per-agency counts");
  });
});
