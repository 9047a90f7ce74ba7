/**
 * `npm run dev`: the whole system in one command on embedded defaults (see scripts/system.ts), serving
 * until Ctrl+C. `npm run demo` runs the example conference against it.
 */
import { loadConfig, runMain } from '../config.js';
import { printWelcome, startSystem, stopOnSignals } from './system.js';

async function main() {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const system = await startSystem(loadConfig(), say);
  printWelcome(system, say);
  say('Press Ctrl+C to stop.');
  await stopOnSignals(system, say);
}

runMain(main);
