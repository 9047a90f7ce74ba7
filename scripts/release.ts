/**
 * The release as the Docker image's final stage holds it: the compiled build (dist/), package.json and the
 * lock file, and the production dependencies only (`npm ci --omit=dev`), in a folder of its own under .data/.
 * `npm run cluster` and its tests run every process from here, so they run what the image runs.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, distDir } from './build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Release = { dir: string; built: boolean; installed: boolean };

function lockDigest(): string {
  return createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).update(fs.readFileSync(path.join(root, 'package.json'))).digest('hex');
}

/**
 * Stages the release in `dir`: builds dist/ first when asked (or when there is none), then copies it, and runs
 * `npm ci --omit=dev` when the lock file changed since the last install there.
 */
export async function stageRelease(options: { dir: string; rebuild?: boolean; log?: (msg: string) => void }): Promise<Release> {
  const log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
  let built = false;
  if (options.rebuild || !fs.existsSync(path.join(distDir, 'workflows', 'bundle.js'))) {
    await build(log);
    built = true;
  }
  fs.mkdirSync(options.dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(root, file), path.join(options.dir, file));
  const stamp = path.join(options.dir, 'node_modules', '.release-lock');
  const digest = lockDigest();
  let installed = false;
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== digest) {
    const started = Date.now();
    log(`Installing the production dependencies in ${options.dir} (npm ci --omit=dev)…`);
    const npm = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: options.dir,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (npm.status !== 0) throw new Error(`npm ci --omit=dev failed in ${options.dir} (exit ${npm.status ?? npm.signal})`);
    fs.writeFileSync(stamp, digest);
    installed = true;
    log(`Installed the production dependencies in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  fs.rmSync(path.join(options.dir, 'dist'), { recursive: true, force: true });
  fs.cpSync(distDir, path.join(options.dir, 'dist'), { recursive: true });
  return { dir: options.dir, built, installed };
}
