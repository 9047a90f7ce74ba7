/**
 * `npm run demo`: the example conference on a compressed clock. It uses the system `npm run dev` is
 * serving when one answers on HOST:PORT; otherwise it brings the whole system up itself first, and keeps it
 * serving afterwards so the directives can be explored (Ctrl+C stops it; with `--exit` it stops when the
 * demo ends). `npm run demo -- <file>` imports another conclusion instead of the example; `--scale 2` runs the
 * timeline twice as slowly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, runMain } from '../config.js';
import { EXAMPLE_CONCLUSION } from './demo/example.js';
import { runDemo } from './demo/run-demo.js';
import { printWelcome, startSystem, stopOnSignals, type RunningSystem } from './system.js';


async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function main() {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const config = loadConfig();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { exit: { type: 'boolean', default: false }, scale: { type: 'string', default: '1' } },
  });
  const file = positionals[0] ?? EXAMPLE_CONCLUSION.file;
  const exitAfter = values.exit;
  const timeScale = Number(values.scale);
  if (!(timeScale >= 0.2 && timeScale <= 100)) throw new ConfigError('--scale must be a number from 0.2 to 100 (1 runs the timeline in about 80 seconds).');

  let system: RunningSystem | undefined;
  let baseUrl = config.http.publicUrl;
  let adminToken = config.adminToken;
  if (await answers(baseUrl)) {
    say(`Using the directive tracker already running at ${baseUrl}.`);
    const tokenFile = path.join(config.dataDir, 'admin-token');
    adminToken ??= fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8').trim() : undefined;
    if (!adminToken) throw new ConfigError(`Set ADMIN_TOKEN to the running system's admin token (no ${tokenFile}).`);
  } else {
    say(`Nothing answers at ${baseUrl}; starting the whole system first.`);
    system = await startSystem(config, say);
    printWelcome(system, say);
    baseUrl = system.apiUrl;
    adminToken = system.adminToken;
  }

  say(`Demo: ${path.basename(file)}`);
  say('');
  try {
    await runDemo({ baseUrl, adminToken, text: fs.readFileSync(file, 'utf8'), ...(file === EXAMPLE_CONCLUSION.file ? { heldOn: EXAMPLE_CONCLUSION.heldOn } : {}), timeScale, say });
  } catch (err) {
    await system?.stop();
    throw err;
  }
  say('');
  if (!system) return;
  if (exitAfter) {
    await system.stop();
    return;
  }
  say(`The system keeps running: open the Temporal UI${system.uiUrl ? ` at ${system.uiUrl}` : ''} or the API docs at ${baseUrl}/docs. Ctrl+C stops it.`);
  await stopOnSignals(system, say);
}

runMain(main);
