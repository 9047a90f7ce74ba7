import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { startEphemeralTemporalServer, type DevServer } from '../scripts/temporal-server.js';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../workflows/search-attributes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let bare: DevServer;

beforeAll(async () => {
  const config = loadConfig();
  bare = await startEphemeralTemporalServer({
    explicitCli: config.temporal.cli,
    pathVar: config.systemPath,
    registerSearchAttributes: false,
  });
});
afterAll(async () => bare?.stop());

function runSetup(namespace: string) {
  return spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/temporal-setup.ts'], {
    cwd: root,
    env: { ...process.env, TEMPORAL_ADDRESS: bare.address, TEMPORAL_NAMESPACE: namespace },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the Temporal setup job of a real deployment', () => {
  it('creates a missing namespace and registers every search attribute, and is safe to run again', async () => {
    const namespace = 'directives-setup-test';
    const first = runSetup(namespace);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`created namespace ${namespace}`);
    const second = runSetup(namespace);
    expect(second.status).toBe(0);
    expect(second.stdout).not.toContain('created namespace');

    const connection = await Connection.connect({ address: bare.address });
    try {
      const attrs = await connection.operatorService.listSearchAttributes({ namespace });
      expect(Object.keys(attrs.customAttributes ?? {})).toEqual(
        expect.arrayContaining(SEARCH_ATTRIBUTE_DEFINITIONS.map((s) => s.name)),
      );
    } finally {
      await connection.close();
    }
  });
});
