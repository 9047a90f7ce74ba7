/**
 * Measures how long a directive's Temporal history grows over a year of monthly reporting, compressed
 * to seconds: 12 report periods and a final deadline, the default policy's two reminders per period,
 * a lead and a coordinating agency. Prints the events per run for two years' worth of behaviour:
 * everyone reports on time, and the coordinating agency never reports (a full ladder every month).
 *
 *   npx tsx scripts/history-length.ts
 */
import { randomUUID } from 'node:crypto';
import { agencies } from '../db/schema.js';
import { submitReportUpdate } from '../workflows/messages.js';
import { startDirectiveWorkflow } from '../temporal/client.js';
import type { DirectiveInput } from '../workflows/types.js';
import { runMain } from '../config.js';
import { withScratchSystem } from './scratch-system.js';

const PERIOD_MS = 3000;
const PERIODS = 12;

async function main() {
  await withScratchSystem('history-length', async ({ db, client, taskQueue }) => {
    const [supervisor] = await db.insert(agencies).values({ code: 'BNCTU', name: 'Ban Nội chính' }).returning();
    const [lead] = await db.insert(agencies).values({ code: 'CAT', name: 'Công an tỉnh', supervisorId: supervisor!.id }).returning();
    const [coord] = await db.insert(agencies).values({ code: 'VKS', name: 'VKSND tỉnh', supervisorId: supervisor!.id }).returning();
    for (const scenario of ['all reports on time', 'coordinating agency never reports'] as const) {
      const start = Date.now() + 2000;
      const dueDates = Array.from({ length: PERIODS }, (_, i) => new Date(start + (i + 1) * PERIOD_MS).toISOString());
      const input: DirectiveInput = {
        directiveId: randomUUID(),
        title: 'Một năm báo cáo tháng',
        body: '',
        leadAgencyId: lead!.id,
        coordinatingAgencyIds: [coord!.id],
        conferenceId: null,
        dueAt: new Date(start + (PERIODS + 1) * PERIOD_MS).toISOString(),
        issuedBy: null,
        issuedAt: new Date().toISOString(),
        regime: { kind: 'explicit', dueDates },
        // Two reminders like the default policy (3 working days before, on the day), scaled to the period.
        policy: {
          reminders: [{ duration: 'PT2S' }, { duration: 'PT1S' }],
          escalations: [{ duration: 'PT0.5S' }, { duration: 'PT1S' }, { duration: 'PT1.5S' }],
        },
      };
      const handle = (await startDirectiveWorkflow(client, taskQueue, input))!;
      for (let i = 0; i < PERIODS; i++) {
        const reportAt = Date.parse(dueDates[i]!) - 500;
        await new Promise((r) => setTimeout(r, Math.max(0, reportAt - Date.now())));
        const reporters = scenario === 'all reports on time' ? [lead!.id, coord!.id] : [lead!.id];
        for (const agencyId of reporters) {
          await handle.executeUpdate(submitReportUpdate, {
            args: [{ actor: { userId: randomUUID(), role: 'officer', agencyId }, deadlineKey: `R${i + 1}`, summary: 'Báo cáo' }],
          });
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(input.dueAt!) + 2500 - Date.now())));
      const runs: Array<{ runId: string; events: number }> = [];
      for await (const wf of client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
        const history = await client.workflow.getHandle(handle.workflowId, wf.runId).fetchHistory();
        runs.push({ runId: wf.runId, events: history.events?.length ?? 0 });
      }
      process.stdout.write(
        `${scenario}: ${runs.length} run(s), history events per run: ${runs.map((r) => r.events).join(', ')}\n`,
      );
      await handle.terminate('measured');
    }
  });
}

runMain(main);
