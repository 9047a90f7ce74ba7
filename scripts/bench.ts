/**
 * The product's speed and memory bars (DESIGN.md §7), each printed beside its limit measured in the same run.
 *
 *   npm run bench                       # the full table (about 20 minutes)
 *   npm run bench -- --quick            # fewer and smaller rounds, for CI (under 3 minutes)
 *   npm run bench -- --only create,http # some of them
 *
 * Each benchmark brings up its own system (a fresh database on the machine's PostgreSQL, the Temporal dev
 * server, a worker and the API in this process) and takes it down again. The exit code is 1 when a bar misses
 * its bound by more than the noise the run measured.
 */
import { parseArgs } from 'node:util';
import { loadConfig, runMain } from '../config.js';
import { formatLoad, formatVerdict, judge, loadProbe, NoiseMeter, settle, type BenchContext, type BenchModule, type Verdict } from './bench/harness.js';
import { createBench } from './bench/create.js';
import { escalationBench } from './bench/escalation.js';
import { httpBench } from './bench/http.js';
import { importerBench } from './bench/importer.js';
import { listsBench } from './bench/lists.js';
import { statisticsBench } from './bench/statistics.js';
import { notYetMet } from './bench/not-yet-met.js';
import { parserBench } from './bench/parser.js';
import { plannerBench } from './bench/planner.js';

const MODULES: BenchModule[] = [importerBench, parserBench, plannerBench, createBench, httpBench, listsBench, escalationBench, statisticsBench];


async function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;
  const unknown = [...(only ?? [])].filter((n) => !MODULES.some((m) => m.name === n));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(', ')}; there are ${MODULES.map((m) => m.name).join(', ')}.`);
  const ctx: BenchContext = { quick: values.quick, log: (line) => process.stderr.write(`  … ${line}\n`) };
  await settle(loadConfig().testDatabaseAdminUrl, ctx.log);
  const meter = new NoiseMeter();
  meter.sample();
  const verdicts: Verdict[] = [];
  const started = Date.now();
  for (const m of MODULES.filter((x) => !only || only.has(x.name))) {
    process.stderr.write(`\n== ${m.name}${ctx.quick ? ' (quick)' : ''}\n`);
    const t0 = Date.now();
    const load = loadProbe();
    const bars = await m.run(ctx);
    const seen = load();
    meter.sample();
    for (const bar of bars) {
      const v = { ...judge(bar, meter.noise), load: seen };
      verdicts.push(v);
      process.stdout.write(`${formatVerdict(v)}\n`);
    }
    process.stderr.write(`  (${m.name} took ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  const failed = verdicts.filter((v) => !v.pass && !notYetMet(v.name));
  const pending = verdicts.filter((v) => !v.pass && notYetMet(v.name));
  process.stdout.write(
    `\n${verdicts.filter((v) => v.pass).length} of ${verdicts.length} bars pass; machine noise ±${(meter.noise * 100).toFixed(0)}% (${meter.count} samples); ${((Date.now() - started) / 1000).toFixed(0)} s${ctx.quick ? ' (quick)' : ''}\n`,
  );
  if (pending.length) process.stdout.write(`not met yet, known (issue 14): ${pending.map((v) => v.name).join(', ')}\n`);
  const metNow = verdicts.filter((v) => v.pass && notYetMet(v.name));
  if (metNow.length) process.stdout.write(`now met, take them off scripts/bench/not-yet-met.ts if they keep passing: ${metNow.map((v) => v.name).join(', ')}\n`);
  if (failed.length) {
    // A miss stays a miss; the load beside it says whether the machine, not the product, may have been the cause.
    process.stdout.write(`failing: ${failed.map((v) => `${v.name} (${v.load ? formatLoad(v.load) : 'load unknown'})`).join(', ')}\n`);
    const busy = failed.filter((v) => v.load && v.load.othersShare > 0.25);
    if (busy.length) process.stdout.write(`of these, measured while other processes held over a quarter of the CPU: ${busy.map((v) => v.name).join(', ')}; run \`npm run bench -- --only <name>\` on a quiet machine to tell\n`);
    process.exitCode = 1;
  }
  // Native handles (the Temporal runtime) may keep the event loop alive after everything is stopped.
  setTimeout(() => process.exit(), 1000).unref();
}

runMain(main);
