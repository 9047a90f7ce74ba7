/**
 * A quarter's per-agency statistics at a province's scale: seeds a database of its own with 100,000 directives
 * and 1,000,000 events (two years of them, completions on time and late, extensions, reassignments,
 * cancellations, standing directives), lets the migrator's backfill derive their versions, then times the
 * per-agency counts of 2026-Q3 as of its end (directive_facts) beside the same counts over today's
 * projection (directives), each as a ratio: against the 200 ms p95 bar and against each other.
 *
 *   npm run bench:statistics                      # 100,000 directives, 1,000,000 events
 *   npm run bench:statistics -- --directives 5000 --runs 10
 *
 * Needs PostgreSQL at TEST_DATABASE_ADMIN_URL (the machine's, trust auth); the database is dropped afterwards
 * unless --keep is given.
 */
import { parseArgs } from 'node:util';
import { runMain } from '../config.js';
import { LIMIT_P95_MS, measureStatistics } from './bench/statistics.js';

async function main() {
  const { values } = parseArgs({ options: { directives: { type: 'string', default: '100000' }, runs: { type: 'string', default: '40' }, keep: { type: 'boolean', default: false } } });
  const f = await measureStatistics({ directives: Number(values.directives), runs: Number(values.runs), keep: values.keep });
  process.stdout.write(`${f.lines.join('\n')}\n`);
  if (f.asOf.p95 > LIMIT_P95_MS || !f.agree) process.exitCode = 1;
}

runMain(main);
