import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/temporal-server.js';
import { eventually } from './support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directive-tracker-dev-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Running = { child: ChildProcess; api: string; token: string; output: () => string };

/** Runs `npm run dev`'s script on embedded defaults: no DATABASE_URL, no TEMPORAL_ADDRESS. */
async function startDev(ports: { temporal: number; ui: number }): Promise<Running> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    // The API and the mail catcher take a port the system picks (the URL is read from the output): a port picked
    // free here could be taken by another file's listener before the dev command binds it (EADDRINUSE, seen in CI).
    PORT: '0',
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    MAIL_CATCHER_PORT: '0',
  };
  for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'ADMIN_TOKEN', 'TEMPORAL_UI_URL', 'SMTP_URL']) delete env[k];
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/dev.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // An early exit fails at once, with the command's output, instead of being waited out.
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`dev command exited early (${code}):\n${out}`))));
  exited.catch(() => undefined);
  await Promise.race([
    // The banner arrives in pieces through the pipe: its "Try it:" line follows the API and Admin token lines, so
    // once it is in, they are whole ("Directive tracker is up." alone left the token unread once in CI).
    eventually(async () => (out.includes('Try it:') ? true : undefined), 150_000, 200).catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`);
    }),
    exited,
  ]);
  const token = /Admin token\s+(\S+)/.exec(out)?.[1];
  const api = /API\s+(http:\/\/\S+)/.exec(out)?.[1];
  if (!token || !api) throw new Error(`no token or URL in the dev command's output:\n${out}`);
  return { child, api, token, output: () => out };
}

async function stop(r: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => r.child.once('exit', (code) => resolve(code)));
  r.child.kill('SIGTERM');
  return exited;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('the dev command on embedded defaults (Temporal dev server + PGlite under DATA_DIR)', () => {
  it('brings the system up, issues a directive over HTTP, stops cleanly and keeps it across a restart', async () => {
    const ports = { temporal: await freePort(), ui: await freePort() };
    const first = await startDev(ports);
    expect(first.output()).toContain('pglite');
    const auth = { authorization: `Bearer ${first.token}` };

    const agencies = (await (await fetch(`${first.api}/v1/agencies`, { headers: auth })).json()) as { items: Array<{ code: string }> };
    expect(agencies.items.map((a) => a.code)).toEqual(expect.arrayContaining(['BNCTU', 'CAT', 'THADS']));

    const res = await fetch(`${first.api}/v1/directives`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'dev-smoke-1' },
      body: JSON.stringify({ title: 'Rà soát đơn thư trễ hạn', leadAgency: 'THADS', dueDate: `${new Date().getUTCFullYear() + 1}-01-15` }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await eventually(async () => {
      const d = (await (await fetch(`${first.api}/v1/directives/${id}`, { headers: auth })).json()) as { lastSeq: number };
      return d.lastSeq === 1 ? d : undefined;
    });

    expect(await stop(first)).toBe(0);
    expect(await portOpen(ports.temporal)).toBe(false);

    const second = await startDev(ports);
    try {
      expect(second.token).toBe(first.token);
      const d = (await (await fetch(`${second.api}/v1/directives/${id}`, { headers: auth })).json()) as Record<string, any>;
      expect(d).toMatchObject({ id, status: 'issued', lastSeq: 1 });
      // The workflow survived the restart in the dev server's SQLite file and still answers queries.
      expect(d.live).toMatchObject({ directiveId: id, status: 'issued' });
    } finally {
      expect(await stop(second)).toBe(0);
    }
  }, 300_000);

  it('npm run demo brings a fresh system up on its own, runs the example conference to its summary and exits with --exit, needing no test file', async () => {
    const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directive-tracker-demo-'));
    // The product as a user has it: without test/ (the demo must not read fixtures or depend on tests).
    const product = fs.mkdtempSync(path.join(os.tmpdir(), 'directive-tracker-product-'));
    const skipped = new Set(['node_modules', '.git', '.data', '.tools', 'dist', 'coverage', 'test'].map((d) => path.join(root, d)));
    fs.cpSync(root, product, { recursive: true, filter: (src) => !skipped.has(src) });
    for (const shared of ['node_modules', '.tools']) if (fs.existsSync(path.join(root, shared))) fs.symlinkSync(path.join(root, shared), path.join(product, shared));
    expect(fs.existsSync(path.join(product, 'test'))).toBe(false);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: demoDir,
      // As for the dev command: the API and the mail catcher bind a port the system picks, never one picked free
      // here that another file's listener could take first (nothing answering on port 0, the demo starts its own).
      PORT: '0',
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      MAIL_CATCHER_PORT: '0',
    };
    for (const k of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'ADMIN_TOKEN', 'TEMPORAL_UI_URL', 'SMTP_URL']) delete env[k];
    const child = spawn(path.join(product, 'node_modules', '.bin', 'tsx'), ['scripts/demo.ts', '--exit', '--scale', '0.5'], { cwd: product, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, out).toBe(0);
      expect(out).toContain('starting the whole system first');
      expect(out).toContain('found 6 draft directives');
      expect(out).toMatch(/ESCALATED level 2 → .*Ban Nội chính Tỉnh ủy/);
      expect(out).toMatch(/completed_on_time\s+4/);
      expect(out).toMatch(/completed_late\s+1/);
      expect(out).toMatch(/open_overdue\s+1/);
      expect(out).toMatch(/Temporal UI|http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\/directive-/);
      // Reminders and escalations went to the embedded mail catcher.
      expect(out).toMatch(/Mail\s+smtp:\/\/127\.0\.0\.1:\d+, kept as \.eml files in /);
      expect(out).toMatch(/notifications: .*\d+ escalation email sent/);
      expect(fs.readdirSync(path.join(demoDir, 'mail')).some((f) => f.endsWith('.eml'))).toBe(true);
    } finally {
      fs.rmSync(demoDir, { recursive: true, force: true });
      fs.rmSync(product, { recursive: true, force: true });
    }
  }, 300_000);
});
