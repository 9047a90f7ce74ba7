import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../config.js';
import { workflowsPath } from '../worker/create-worker.js';
import { openDatabase } from '../db/client.js';
import { startEphemeralTemporalServer } from '../scripts/temporal-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    workflowBundlePath: string;
  }
}

/** One Temporal dev server (temporary SQLite) and one fresh PostgreSQL database for the whole run. */
export default async function setup(project: TestProject) {
  const config = loadConfig();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'directive-tracker-test-'));

  const admin = postgres(config.testDatabaseAdminUrl, { max: 1, onnotice: () => {} });
  const dbName = `dt_test_${Date.now()}_${process.pid}`;
  try {
    await admin.unsafe(`create database ${dbName}`);
  } catch (err) {
    await admin.end();
    throw new Error(
      `Tests need PostgreSQL at ${config.testDatabaseAdminUrl} (set TEST_DATABASE_ADMIN_URL to change it): ${String(err)}\n` +
        'Start the local one with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  }
  const databaseUrl = new URL(config.testDatabaseAdminUrl);
  databaseUrl.pathname = `/${dbName}`;
  const database = await openDatabase({ databaseUrl: databaseUrl.toString(), maxConnections: 1 });
  await database.migrate();
  await database.close();

  const server = await startEphemeralTemporalServer({
    explicitCli: config.temporal.cli,
    pathVar: config.systemPath,
    dbFile: path.join(tmp, 'temporal.sqlite'),
    // The CLI build, when needed, takes minutes: say so instead of looking stuck.
    log: (msg) => process.stderr.write(`${msg}\n`),
  });

  // Bundling takes seconds; do it once instead of once per test file.
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  const workflowBundlePath = path.join(tmp, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundlePath, code);

  project.provide('temporalAddress', server.address);
  project.provide('databaseUrl', databaseUrl.toString());
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await server.stop();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}
