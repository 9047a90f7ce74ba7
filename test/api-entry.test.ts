import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freePort } from '../scripts/temporal-server.js';
import { eventually, freshDatabase } from './support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let exporter: http.Server;
let exporterAddress: string;
let child: ChildProcess | undefined;
let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

beforeAll(async () => {
  // Stands in for a worker's Temporal runtime exporter on the same host.
  exporter = http.createServer((_req, res) => res.end('# TYPE temporal_worker_task_slots_available gauge\ntemporal_worker_task_slots_available 42\n'));
  await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
  exporterAddress = `127.0.0.1:${(exporter.address() as { port: number }).port}`;
  // A database of its own: the API starts any calendar change or reorganisation it finds unstarted, and other files'
  // are only unstarted for the moment between their commit and their own start.
  database = await freshDatabase();
});
afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => exporter.close(() => resolve()));
  await database?.drop();
});

describe('the standalone API entry (npm run api)', () => {
  it('serves on its configuration, appends the Temporal runtime metrics of TEMPORAL_METRICS_ADDRESS to /metrics, and stops on SIGTERM', async () => {
    const port = await freePort();
    const token = randomBytes(24).toString('base64url');
    child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['http/server.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: database!.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        PORT: String(port),
        ADMIN_TOKEN: token,
        TEMPORAL_METRICS_ADDRESS: exporterAddress,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => {
      if (child!.exitCode !== null) throw new Error(`the API exited early:\n${out}`);
      return (await fetch(`${base}/readyz`)).ok ? true : undefined;
    }, 60_000, 200).catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`);
    });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('temporal_worker_task_slots_available 42');
    expect(metrics).toContain('process_cpu_user_seconds_total');
    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ role: 'admin' });

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
