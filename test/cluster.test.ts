import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { composeCommands } from '../scripts/cluster.js';
import { formatTable, RESENT_PER_KILL, runFaults, type FaultRun } from '../scripts/faults.js';

const config = loadConfig();
const root = path.resolve(import.meta.dirname, '..');

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('the production topology', () => {
  it('runs compose’s own commands: compiled entries only, four Temporal services from one configuration file', () => {
    const compose = composeCommands();
    for (const service of ['api', 'worker', 'migrate', 'temporal-setup']) {
      const [cmd, entry] = compose[service]!.command;
      expect(cmd).toBe('node');
      expect(entry).toMatch(/^dist\/.+\.js$/);
    }
    const services = ['temporal', 'temporal-history', 'temporal-matching', 'temporal-worker'].map((s) => compose[s]!);
    expect(new Set(services.map((s) => s.entrypoint.join(' '))).size).toBe(1);
    expect(services.map((s) => s.command.at(-1))).toEqual(['frontend', 'history', 'matching', 'worker']);
    expect(compose['temporal-schema']!.entrypoint.join(' ')).toContain('schema.sh');
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).not.toMatch(/tsx/);
  });

  it(
    'survives a worker SIGKILL, Temporal restarts, a database outage and a new release, with every event and mail exactly once',
    async () => {
      let run: FaultRun | undefined;
      let summary: { title: string; staticSummary: string | undefined } | undefined;
      let releaseDeps: string[] = [];
      const { rows } = await runFaults(
        {
          crash: { directives: 200, spreadSeconds: 20, kills: 1 },
          restart: { directives: 100, spreadSeconds: 15 },
          outage: { directives: 100, spreadSeconds: 15, outageSeconds: 10 },
          release: { directives: 50, spreadSeconds: 10 },
        },
        {
          adminUrl: config.testDatabaseAdminUrl,
          dataDir: path.join(root, '.data', 'test-faults'),
          releaseDir: path.join(root, '.data', 'release'),
          say: (line) => process.stderr.write(`${line}\n`),
          afterRows: async (r) => {
            run = r;
            releaseDeps = fs.readdirSync(path.join(r.cluster.releaseDir, 'node_modules'));
            const res = await fetch(`${r.cluster.apiUrls[0]}/v1/directives?limit=1`, { headers: { authorization: `Bearer ${r.cluster.adminToken}` } });
            const [first] = ((await res.json()) as { items: { id: string; title: string }[] }).items;
            const connection = await Connection.connect({ address: r.cluster.temporalAddress });
            try {
              const description = await new Client({ connection }).workflow.getHandle(`directive-${first!.id}`).describe();
              summary = { title: first!.title, staticSummary: await description.staticSummary() };
            } finally {
              await connection.close();
            }
          },
        },
      );
      process.stderr.write(`\n${formatTable(rows)}\n`);

      expect(rows.map((r) => r.fault)).toHaveLength(4);
      for (const row of rows) {
        expect(row, `${row.fault}; ${row.stuck.join('; ')}`).toMatchObject({ duplicated: 0, lost: 0, mailsDuplicated: 0, mailsLost: 0, wrongEndState: 0, replayFailures: 0 });
        // A mail is sent again only when a worker died holding it (accepted by the sink before its row was marked
        // sent): never without a kill, and a handful per kill (the deliveries in flight then), not a flood.
        expect(row.mailsResent, row.fault).toBeLessThanOrEqual(RESENT_PER_KILL * row.kills);
        expect(row.recorded, row.fault).toBe(row.expected);
        expect(row.expected, row.fault).toBeGreaterThanOrEqual(row.directives * 6);
        expect(row.mails, row.fault).toBeGreaterThanOrEqual(row.directives * 4);
      }

      // The processes ran from a release with production dependencies only, as the image's final stage.
      expect(releaseDeps).toContain('@temporalio');
      for (const dev of ['tsx', 'typescript', 'vitest', 'drizzle-kit', 'playwright-core']) expect(releaseDeps).not.toContain(dev);

      // The figures the README's sizing is made of were measured.
      expect(run!.sizing?.eventsPerRun).toBeGreaterThan(10);
      expect(run!.sizing?.timersPerRun).toBeGreaterThan(0);
      expect(run!.sizing?.workersPeakMiB).toBeGreaterThan(run!.sizing?.workersBaselineMiB ?? Infinity);

      // The Temporal UI's list names the directive a run is.
      expect(summary?.staticSummary).toBe(summary?.title);

      // No token ever reached a log line of any process of the run.
      const logs = filesUnder(run!.logDir).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      expect(logs.length).toBeGreaterThan(10_000);
      expect(run!.secrets.length).toBeGreaterThanOrEqual(5);
      for (const secret of run!.secrets) expect(logs.includes(secret), 'a token is in the logs').toBe(false);
      expect(logs).not.toMatch(/params: (?!\[redacted\])/);
    },
    20 * 60_000,
  );
});
