import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let world: World;
let doc: Record<string, any>;
beforeAll(async () => {
  world = await startWorld();
  doc = (await (await world.call('GET', '/openapi.json', { token: null })).json()) as Record<string, any>;
});
afterAll(async () => world?.close());

describe('the OpenAPI document', () => {
  it('passes the spectral OpenAPI ruleset without errors', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-')), 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync(
      path.join(root, 'node_modules', '.bin', 'spectral'),
      ['lint', file, '--ruleset', path.join(root, '.spectral.yaml'), '--fail-severity', 'error', '--format', 'json'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const results = JSON.parse(run.stdout || '[]') as Array<{ code: string; severity: number; message: string; path: string[] }>;
    const errors = results.filter((r) => r.severity === 0);
    expect(errors.map((e) => `${e.code} ${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(run.status).toBe(0);
  });

  it('describes every /v1 route the app serves', () => {
    const served = new Set<string>();
    for (const r of world.app.routes) {
      if (!r.path.startsWith('/v1/') || r.method === 'ALL') continue;
      served.add(`${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`);
    }
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(ops)) documented.add(`${method} ${p.replace(/\/$/, '')}`);
    }
    expect(served.size).toBeGreaterThan(20);
    expect([...served].filter((s) => !documented.has(s))).toEqual([]);
  });
});
