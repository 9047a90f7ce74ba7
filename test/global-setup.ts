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
import { LEAD_SECONDS } from './lead-time.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    workflowBundlePath: string;
  }
}

/** One Temporal dev server (temporary SQLite) and one fresh PostgreSQL database for the whole run. */
export default async function setup(project: TestProject) {
  process.stdout.write(`${project.name} tests on Node ${process.version} (${process.execPath})\n`);
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
    await reportCreateToRecord(project.name, databaseUrl.toString()).catch((err: unknown) => process.stderr.write(`create→record latency not measured: ${String(err)}\n`));
    await server.stop();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}

/**
 * How long the run's directives with a timer in their first two minutes took from the request that issued them to
 * their `issued` event in the read model (request, start, plan, record), and how much time that left before their
 * first planned instant: the figures test/lead-time.ts's LEAD_SECONDS is derived from, printed so that every run
 * shows whether its margin still holds. Bulk fixtures without near deadlines, and directives written with an
 * issue instant of the past (seeded history, first-release fixtures), are left out.
 */
async function reportCreateToRecord(projectName: string, url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<Array<{ n: number; p50: number | null; p99: number | null; max: number | null; slack: number | null }>>`
      with issued as (
        select d.issued_at, e.recorded_at,
               (select min(i.at::timestamptz)
                  from jsonb_array_elements(coalesce(e.data->'deadlines', '[]'::jsonb)) dl,
                       lateral (select dl->>'dueAt' as at
                                union all select jsonb_array_elements_text(dl->'reminders')
                                union all select jsonb_array_elements_text(dl->'escalations')) i
                 where i.at::timestamptz >= d.issued_at) as first_timer
          from directive_events e join directives d on d.id = e.directive_id
         where e.type = 'issued' and e.recorded_at >= d.issued_at and e.recorded_at - d.issued_at < interval '2 minutes'),
      timed as (
        select (extract(epoch from (recorded_at - issued_at)) * 1000)::float8 as ms,
               (extract(epoch from (first_timer - recorded_at)) * 1000)::float8 as slack
          from issued where first_timer < issued_at + interval '2 minutes')
      select count(*)::int as n,
             percentile_cont(0.5) within group (order by ms) as p50,
             percentile_cont(0.99) within group (order by ms) as p99,
             max(ms) as max,
             min(slack) as slack
        from timed`;
    if (!row || row.n === 0) return;
    const max = (row.max ?? 0) / 1000;
    process.stdout.write(
      `\ncreate→record of the ${row.n} directives with a timer in their first two minutes (${projectName} tests): p50 ${(row.p50 ?? 0).toFixed(0)} ms, ` +
        `p99 ${(row.p99 ?? 0).toFixed(0)} ms, max ${(row.max ?? 0).toFixed(0)} ms; least time left before a first timer ${((row.slack ?? 0) / 1000).toFixed(1)} s; ` +
        `tests set deadlines at least ${LEAD_SECONDS} s ahead (${(LEAD_SECONDS / Math.max(max, 0.001)).toFixed(1)}× the slowest${LEAD_SECONDS < 3 * max ? ', UNDER the safety factor of 3: raise LEAD_SECONDS' : ''})\n`,
    );
  } finally {
    await sql.end();
  }
}
