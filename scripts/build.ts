/**
 * `npm run build`: the production build in dist/. TypeScript compiled by tsc (tsconfig.build.json, same layout
 * as the sources), the files the compiled code reads beside it (migrations, the web app's CSS), and the
 * workflow bundle prebuilt so a worker loads it instead of running webpack at start.
 * What runs from dist/ needs only the production dependencies (`npm ci --omit=dev`).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { runMain } from '../config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(root, 'dist');

/** Files the compiled modules open at run time, relative to the module that opens them. */
const RUNTIME_FILES = ['db/migrations', 'db/calendar-of-record.json', 'web/assets'];

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** Writes the workflow bundle of `workflowsPath` (TypeScript sources, bundled by the SDK) to `outFile`. */
export async function writeWorkflowBundle(workflowsPath: string, outFile: string): Promise<number> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return code.length;
}

export async function build(log: (msg: string) => void = (m) => process.stdout.write(`${m}\n`)): Promise<void> {
  const started = Date.now();
  fs.rmSync(distDir, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status ?? tsc.signal})`);
  for (const rel of RUNTIME_FILES) fs.cpSync(path.join(root, rel), path.join(distDir, rel), { recursive: true });
  const bytes = await writeWorkflowBundle(path.join(root, 'workflows/index.ts'), path.join(distDir, 'workflows/bundle.js'));
  log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (workflow bundle ${(bytes / 1024).toFixed(0)} KiB)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMain(() => build());
