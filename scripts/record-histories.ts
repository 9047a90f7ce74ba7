/**
 * Records the event histories that test/replay.test.ts replays against the current workflow code.
 * Run it when a new scenario is added (`npm run record-histories`); never re-record an existing file
 * to make a replay pass: a failing replay means running workflows would break.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config.js';
import { createWorker } from '../activities/create-worker.js';
import { openDatabase } from '../db/client.js';
import { agencies } from '../db/schema.js';
import { initialState } from '../workflows/rules.js';
import { searchAttributesFor } from '../workflows/search-attributes.js';
import { DIRECTIVE_WORKFLOW, workflowIdFor, type DirectiveInput } from '../workflows/types.js';
import { startEphemeralTemporalServer } from './temporal-server.js';

const { EventType } = proto.temporal.api.enums.v1;
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'histories');

type Scenario = { name: string; dueInMs: number | null; doneWhen: (eventTypes: string[]) => boolean };

const scenarios: Scenario[] = [
  { name: 'directive-issued-then-overdue', dueInMs: 2_000, doneWhen: (t) => t.includes('EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') && t.filter((x) => x === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED').length >= 2 },
  { name: 'directive-standing-no-deadline', dueInMs: null, doneWhen: (t) => t.includes('EVENT_TYPE_ACTIVITY_TASK_COMPLETED') },
];

async function main() {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startEphemeralTemporalServer({ explicitCli: config.temporal.cli, pathVar: config.systemPath });
  const database = await openDatabase({ pgliteDir: undefined });
  await database.migrate();
  const [lead] = await database.db.insert(agencies).values({ code: 'CAT', name: 'Công an tỉnh' }).returning();
  const taskQueue = 'record-histories';
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({ connection: workerConnection, namespace: 'default', taskQueue, db: database.db });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  try {
    for (const s of scenarios) {
      const now = Date.now();
      const input: DirectiveInput = {
        directiveId: randomUUID(),
        title: 'Nâng cao chất lượng công tác thi hành án dân sự',
        body: '',
        leadAgencyId: lead!.id,
        coordinatingAgencyIds: [],
        conferenceId: null,
        dueAt: s.dueInMs === null ? null : new Date(now + s.dueInMs).toISOString(),
        issuedBy: null,
        issuedAt: new Date(now).toISOString(),
      };
      const handle = await client.workflow.start(DIRECTIVE_WORKFLOW, {
        workflowId: workflowIdFor(input.directiveId),
        taskQueue,
        args: [input],
        typedSearchAttributes: searchAttributesFor(initialState(input)),
      });
      const deadline = Date.now() + 30_000;
      for (;;) {
        const history = await handle.fetchHistory();
        const types = (history.events ?? []).map((e) => EventType[e.eventType ?? 0] ?? String(e.eventType));
        if (s.doneWhen(types)) {
          fs.mkdirSync(outDir, { recursive: true });
          const file = path.join(outDir, `${s.name}.json`);
          fs.writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
          process.stdout.write(`recorded ${file} (${history.events?.length ?? 0} events)\n`);
          break;
        }
        if (Date.now() > deadline) throw new Error(`scenario ${s.name} did not reach its end state`);
        await new Promise((r) => setTimeout(r, 250));
      }
      await handle.terminate('history recorded');
    }
  } finally {
    worker.shutdown();
    await running;
    await workerConnection.close();
    await client.connection.close();
    await database.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
