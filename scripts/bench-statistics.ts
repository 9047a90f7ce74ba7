/**
 * The statistics benchmark on its own (scripts/bench/statistics.ts says what it seeds and times):
 *
 *   npm run bench:statistics                      # 100,000 directives, 1,000,000 events
 *   npm run bench:statistics -- --directives 5000 --runs 10
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
