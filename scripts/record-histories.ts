/**
 * Records the event histories that test/replay.test.ts replays against the current workflow code.
 * Run it when a new scenario is added (`npm run record-histories`); never re-record an existing file
 * to make a replay pass: a failing replay means running workflows would break.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { agencies, calendarOverrides, directiveEvents, users } from '../db/schema.js';
import { vnEndOfDay } from '../domain/vn-time.js';
import { startDirectiveWorkflow } from '../temporal/client.js';
import {
  acknowledgeUpdate,
  answerExplanationUpdate,
  attachUpdate,
  cancelUpdate,
  closeExplanationUpdate,
  requestExplanationUpdate,
  delegateUpdate,
  stateQuery,
  decideExtensionUpdate,
  requestExtensionUpdate,
  replanUpdate,
  transferUpdate,
  reviewCompletionUpdate,
  submitCompletionUpdate,
  submitReportUpdate,
} from '../workflows/messages.js';
import type { DeadlinePolicy } from '../domain/deadlines.js';
import type { Actor } from '../domain/directive.js';
import { workflowIdFor, type DirectiveInput } from '../workflows/types.js';
import { runMain } from '../config.js';
import { withScratchSystem } from './scratch-system.js';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'histories');

type Ctx = { handle: WorkflowHandle; client: Client; db: Database; leadAgencyId: string; otherAgencyId: string; leadOfficer: Actor; supervisor: Actor; leader: Actor; events: () => Promise<string[]> };
type Scenario = {
  name: string;
  input: (now: number) => Partial<DirectiveInput>;
  drive?: (ctx: Ctx) => Promise<void>;
  doneWhen: (eventTypes: string[]) => boolean;
  /** The directive also names a coordinating agency. */
  coordinating?: boolean;
};

const FAST_POLICY: DeadlinePolicy = {
  reminders: [{ duration: 'PT2S' }],
  escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }],
};
const at = (now: number, s: number) => new Date(now + s * 1000).toISOString();
const count = (types: string[], t: string) => types.filter((x) => x === t).length;
const waitFor = async (ctx: Ctx, done: (t: string[]) => boolean) => {
  for (let i = 0; i < 120 && !done(await ctx.events()); i++) await new Promise((r) => setTimeout(r, 250));
};

const scenarios: Scenario[] = [
  // Recorded with the first release (before the lifecycle patch): they replay through legacyIssuedSlice.
  { name: 'directive-issued-then-overdue', input: (now) => ({ dueAt: at(now, 2) }), doneWhen: (t) => t.includes('overdue') },
  { name: 'directive-standing-no-deadline', input: () => ({ dueAt: null }), doneWhen: (t) => t.includes('issued') },
  {
    name: 'lifecycle-completed-on-time',
    input: (now) => ({ dueAt: at(now, 3600), policy: FAST_POLICY }),
    drive: async ({ handle, leadOfficer, supervisor }) => {
      await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: leadOfficer }] });
      await handle.executeUpdate(submitCompletionUpdate, { args: [{ actor: leadOfficer, summary: 'Hoàn thành' }] });
      await handle.executeUpdate(reviewCompletionUpdate, { args: [{ actor: supervisor, accept: true, note: 'Đạt' }] });
      await handle.result();
    },
    doneWhen: (t) => t.includes('completion_reviewed'),
  },
  {
    name: 'lifecycle-report-missed-escalated-then-reported',
    input: (now) => ({ dueAt: at(now, 3600), policy: FAST_POLICY, regime: { kind: 'explicit', dueDates: [at(now, 3)] } }),
    drive: async (ctx) => {
      await waitFor(ctx, (t) => count(t, 'escalated') === 3);
      await ctx.handle.executeUpdate(submitReportUpdate, { args: [{ actor: ctx.leadOfficer, deadlineKey: 'R1', summary: 'Báo cáo muộn' }] });
    },
    doneWhen: (t) => t.includes('escalation_resolved'),
  },
  {
    name: 'lifecycle-extension-approved-then-cancelled',
    input: (now) => ({ dueAt: at(now, 3), policy: FAST_POLICY }),
    drive: async (ctx) => {
      await ctx.handle.executeUpdate(requestExtensionUpdate, {
        args: [{ actor: ctx.leadOfficer, proposedDueAt: new Date(Date.now() + 5000).toISOString(), reason: 'Chờ số liệu' }],
      });
      await ctx.handle.executeUpdate(decideExtensionUpdate, { args: [{ actor: ctx.supervisor, requestId: 'x1', approve: true, note: 'Đồng ý' }] });
      await waitFor(ctx, (t) => t.includes('escalated'));
      await ctx.handle.executeUpdate(cancelUpdate, { args: [{ actor: ctx.leader, reason: 'Hết hiệu lực' }] });
      await ctx.handle.result();
    },
    doneWhen: (t) => t.includes('cancelled'),
  },
  {
    // Recorded with the reads and the recorder as local activities, and items due together fired together.
    name: 'local-activities-two-agencies-escalated-then-reported',
    coordinating: true,
    input: (now) => ({ dueAt: at(now, 3600), policy: FAST_POLICY, regime: { kind: 'explicit', dueDates: [at(now, 4)] } }),
    drive: async (ctx) => {
      await waitFor(ctx, (t) => count(t, 'escalated') === 6);
      await ctx.handle.executeUpdate(submitReportUpdate, { args: [{ actor: ctx.leadOfficer, deadlineKey: 'R1', summary: 'Báo cáo muộn' }] });
    },
    doneWhen: (t) => t.includes('escalation_resolved'),
  },
  {
    // Recorded with the run deciding in its first activation that it is local from the start.
    name: 'local-from-start-two-agencies-escalated-then-reported',
    coordinating: true,
    input: (now) => ({ dueAt: at(now, 3600), policy: FAST_POLICY, regime: { kind: 'explicit', dueDates: [at(now, 4)] } }),
    drive: async (ctx) => {
      await ctx.handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: ctx.leadOfficer }] });
      await waitFor(ctx, (t) => count(t, 'escalated') === 6);
      await ctx.handle.executeUpdate(submitReportUpdate, { args: [{ actor: ctx.leadOfficer, deadlineKey: 'R1', summary: 'Báo cáo muộn' }] });
    },
    doneWhen: (t) => t.includes('escalation_resolved'),
  },
  {
    // A calendar change re-plans it (the final day becomes a holiday), the same change is sent again, then it is cancelled.
    name: 'calendar-replan-moved-then-cancelled',
    input: () => ({ dueDate: '2031-05-14', dueAt: vnEndOfDay('2031-05-14').toISOString(), policy: FAST_POLICY }),
    drive: async (ctx) => {
      // Planned before the day changes.
      await waitFor(ctx, (t) => t.includes('issued'));
      await ctx.db.insert(calendarOverrides).values({ date: '2031-05-14', kind: 'day_off', note: 'recorded history' }).onConflictDoNothing();
      const args = { changeId: 'recorded-change', cause: 'lịch nghỉ ngày 14/05/2031' };
      await ctx.handle.executeUpdate(replanUpdate, { args: [args] });
      await ctx.handle.executeUpdate(replanUpdate, { args: [args] });
      await ctx.handle.executeUpdate(cancelUpdate, { args: [{ actor: ctx.leader, reason: 'Hết hiệu lực' }] });
      await ctx.handle.result();
      await ctx.db.delete(calendarOverrides).where(eq(calendarOverrides.date, '2031-05-14'));
    },
    doneWhen: (t) => t.includes('replanned') && t.includes('cancelled'),
  },
  {
    // Its lead agency is merged into another after the first rung (the ladder goes on at rung 2), then it is cancelled.
    name: 'transfer-merged-after-first-rung-then-cancelled',
    input: (now) => ({ dueAt: at(now, 3), policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT3S' }, { duration: 'PT1H' }] } }),
    drive: async (ctx) => {
      await waitFor(ctx, (t) => count(t, 'escalated') === 1);
      const [successor] = await ctx.db.insert(agencies).values({ code: 'SNV', name: 'Sở Nội vụ (mới)' }).returning();
      const args = { changeId: 'recorded-merge', fromAgencyId: ctx.leadAgencyId, toAgencyId: successor!.id, reason: 'sáp nhập' };
      await ctx.handle.executeUpdate(transferUpdate, { args: [args] });
      await ctx.handle.executeUpdate(transferUpdate, { args: [args] });
      await waitFor(ctx, (t) => count(t, 'escalated') === 2);
      await ctx.handle.executeUpdate(cancelUpdate, { args: [{ actor: ctx.leader, reason: 'Hết hiệu lực' }] });
      await ctx.handle.result();
    },
    doneWhen: (t) => t.includes('reassigned') && t.includes('cancelled'),
  },
  {
    // Split into two sub-tasks (child workflows); one completes and tells the parent; the parent completes with
    // the lead's confirmation and closes the other.
    name: 'delegation-two-subtasks-parent-completed-closing-one',
    input: (now) => ({ dueAt: at(now, 3600), policy: FAST_POLICY }),
    drive: async (ctx) => {
      await waitFor(ctx, (t) => t.includes('issued'));
      const ids = [randomUUID(), randomUUID()];
      const subtask = (directiveId: string, title: string) => ({ directiveId, title, body: '', leadAgencyId: ctx.otherAgencyId, assigneeId: null, dueAt: new Date(Date.now() + 1_800_000).toISOString(), dueDate: null });
      await ctx.handle.executeUpdate(delegateUpdate, { args: [{ actor: ctx.leadOfficer, subtasks: [subtask(ids[0]!, 'Phần việc thứ nhất'), subtask(ids[1]!, 'Phần việc thứ hai')] }] });
      const unitOfficer: Actor = { userId: randomUUID(), role: 'officer', agencyId: ctx.otherAgencyId };
      const first = ctx.client.workflow.getHandle(workflowIdFor(ids[0]!));
      for (let i = 0; i < 40 && !(await first.query(stateQuery).catch(() => null))?.deadlines; i++) await new Promise((r) => setTimeout(r, 250));
      await first.executeUpdate(submitCompletionUpdate, { args: [{ actor: unitOfficer, summary: 'Xong phần thứ nhất' }] });
      await first.executeUpdate(reviewCompletionUpdate, { args: [{ actor: ctx.supervisor, accept: true, note: '' }] });
      await first.result();
      for (let i = 0; i < 40 && !(await ctx.handle.query(stateQuery)).subtasks?.some((t) => t.closed); i++) await new Promise((r) => setTimeout(r, 250));
      await ctx.handle.executeUpdate(submitCompletionUpdate, { args: [{ actor: ctx.leadOfficer, summary: 'Hoàn thành', closeOpenSubtasks: { note: 'Chuyển sang kỳ sau' } }] });
      await ctx.handle.executeUpdate(reviewCompletionUpdate, { args: [{ actor: ctx.supervisor, accept: true, note: 'Đạt' }] });
      await ctx.handle.result();
      await ctx.client.workflow.getHandle(workflowIdFor(ids[1]!)).result();
    },
    doneWhen: (t) => t.includes('delegated') && t.includes('completion_reviewed'),
  },
  {
    // Overdue; the leader asks the lead agency to explain within 3 s; unanswered, the request climbs its own three
    // rungs; the agency attaches a file and answers late, a supervisor accepts it, then the directive completes.
    name: 'explanation-unanswered-escalated-then-answered-accepted-completed',
    input: (now) => ({ dueAt: at(now, 2), policy: FAST_POLICY }),
    drive: async (ctx) => {
      await waitFor(ctx, (t) => t.includes('overdue'));
      const ask = { actor: ctx.leader, agencyId: ctx.leadAgencyId, deadlineKey: 'final', question: 'Đề nghị giải trình việc chậm hoàn thành.', dueAt: new Date(Date.now() + 3000).toISOString() };
      await ctx.handle.executeUpdate(requestExplanationUpdate, { args: [ask] });
      // The final deadline's three rungs and the request's three.
      await waitFor(ctx, (t) => count(t, 'escalated') === 6);
      const file = { id: randomUUID(), sha256: 'ab'.repeat(32), size: 1234, kind: 'explanation' as const, deadlineKey: 'gt1' };
      await ctx.handle.executeUpdate(attachUpdate, { args: [{ actor: ctx.leadOfficer, attachment: file }] });
      await ctx.handle.executeUpdate(answerExplanationUpdate, { args: [{ actor: ctx.leadOfficer, requestId: 'gt1', text: 'Do chậm bàn giao mặt bằng.', attachmentIds: [file.id] }] });
      await ctx.handle.executeUpdate(closeExplanationUpdate, { args: [{ actor: ctx.supervisor, requestId: 'gt1', accepted: true, note: 'Chấp nhận' }] });
      await ctx.handle.executeUpdate(submitCompletionUpdate, { args: [{ actor: ctx.leadOfficer, summary: 'Hoàn thành' }] });
      await ctx.handle.executeUpdate(reviewCompletionUpdate, { args: [{ actor: ctx.supervisor, accept: true, note: 'Đạt' }] });
      await ctx.handle.result();
    },
    doneWhen: (t) => t.includes('explanation_closed') && t.includes('completion_reviewed'),
  },
];

async function main() {
  await withScratchSystem('record-histories', async ({ db, client, taskQueue }) => {
    const [supervisor] = await db.insert(agencies).values({ code: 'BNCTU', name: 'Ban Nội chính Tỉnh ủy' }).returning();
    const [lead] = await db
      .insert(agencies)
      .values({ code: 'CAT', name: 'Công an tỉnh', supervisorId: supervisor!.id })
      .returning();
    const [coordinating] = await db
      .insert(agencies)
      .values({ code: 'VKS', name: 'Viện kiểm sát nhân dân tỉnh', supervisorId: supervisor!.id })
      .returning();
    const [leaderRow] = await db
      .insert(users)
      .values({ name: 'Phó Bí thư Thường trực', role: 'leader', tokenHash: 'recorded-histories-leader' })
      .returning();
    const leaderId = leaderRow!.id;
    for (const s of scenarios) {
      const file = path.join(outDir, `${s.name}.json`);
      if (fs.existsSync(file)) continue;
      const now = Date.now();
      const input: DirectiveInput = {
        directiveId: randomUUID(),
        title: 'Nâng cao chất lượng công tác thi hành án dân sự',
        body: '',
        leadAgencyId: lead!.id,
        coordinatingAgencyIds: s.coordinating ? [coordinating!.id] : [],
        conferenceId: null,
        dueAt: null,
        issuedBy: leaderId,
        issuedAt: new Date(now).toISOString(),
        ...s.input(now),
      };
      const handle = (await startDirectiveWorkflow(client, taskQueue, input))!;
      const ctx: Ctx = {
        handle,
        client,
        db,
        leadAgencyId: lead!.id,
        otherAgencyId: coordinating!.id,
        leadOfficer: { userId: randomUUID(), role: 'officer', agencyId: lead!.id },
        supervisor: { userId: randomUUID(), role: 'supervisor', agencyId: supervisor!.id },
        leader: { userId: leaderId, role: 'leader', agencyId: null },
        events: async () =>
          (await db.select({ type: directiveEvents.type }).from(directiveEvents).where(eq(directiveEvents.directiveId, input.directiveId))).map(
            (e) => e.type,
          ),
      };
      await s.drive?.(ctx);
      await waitFor(ctx, s.doneWhen);
      if (!s.doneWhen(await ctx.events())) throw new Error(`scenario ${s.name} did not reach its end state: ${(await ctx.events()).join(", ")}`);
      // Let the last workflow task complete so the history ends on a settled decision.
      await new Promise((r) => setTimeout(r, 500));
      const history = await handle.fetchHistory();
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
      process.stdout.write(`recorded ${file} (${history.events?.length ?? 0} events)\n`);
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') await handle.terminate('history recorded');
    }
  });
}

runMain(main);
