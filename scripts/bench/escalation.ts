/**
 * The worker's bars, on one worker with many open directives:
 * - escalation lateness: with N open directives (10,000; 500 quick) waiting on far deadlines, a stream of
 *   directives whose final deadlines pass five a second (200 of them; 100 quick), none completed, so each climbs
 *   its lead agency's whole ladder (a reminder, the deadline, three rungs five seconds apart, each rung and
 *   reminder with its mail); each rung is timed from its planned instant (the plan the
 *   `issued` event carries) to the moment its event was recorded in PostgreSQL (`recorded_at`): p99 ≤ 2 s;
 * - worker memory: the peak RSS of the process running the worker while they do, ≤ 1.5 GB (an upper bound:
 *   the API and this benchmark share the process);
 * - history: a directive-year of monthly reports compressed to seconds, in both scenarios of
 *   scripts/history-length.ts (everyone reports; the coordinating agency never does): Temporal history events
 *   over all runs ≤ 1,000.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { directiveEvents } from '../../db/schema.js';
import type { PlannedDeadline } from '../../domain/deadlines.js';
import { startDirectiveWorkflow } from '../../temporal/client.js';
import { submitReportUpdate } from '../../workflows/messages.js';
import type { DirectiveInput } from '../../workflows/types.js';
import { cpuSplit, fixedBar, percentile, pool, sleep, until, type Bar, type BenchModule } from './harness.js';
import { startBenchSystem, type BenchSystem } from './system.js';

const LATENESS_LIMIT_S = 2;
const STREAM_PER_SECOND = 5;
const RSS_LIMIT_MB = 1536;
const EVENTS_LIMIT = 1000;

function input(lead: string, coordinating: string[], issuedBy: string, fields: Partial<DirectiveInput>): DirectiveInput {
  return {
    directiveId: randomUUID(),
    title: 'Đẩy nhanh tiến độ giải quyết các vụ án hình sự trọng điểm',
    body: 'Các cơ quan tiến hành tố tụng phối hợp chặt chẽ, báo cáo kết quả hằng tháng.',
    leadAgencyId: lead,
    coordinatingAgencyIds: coordinating,
    conferenceId: null,
    dueAt: null,
    issuedBy,
    issuedAt: new Date().toISOString(),
    ...fields,
  };
}

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;
  start() {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 200);
  }
  stop() {
    clearInterval(this.timer);
    return this.peak / 1024 / 1024;
  }
}

async function latenessStream(sys: BenchSystem, ids: { lead: string; coord: string; leader: string }, burst: number, log: (l: string) => void) {
  const t0 = Date.now() + 10_000;
  const inputs = Array.from({ length: burst }, (_, i) =>
    input(ids.lead, [ids.coord], ids.leader, {
      dueAt: new Date(t0 + Math.floor((i * 1000) / STREAM_PER_SECOND)).toISOString(),
      // Rungs five seconds apart, so that each waits on a timer of its own as in production, where they are
      // working days apart. Compressed to a second apart, a rung's timer is what is left of the second after
      // the previous rung's workflow task: tens of milliseconds, which the dev server was seen to fire up to a
      // second late (a timer of 19 ms fired after 940 ms), a lateness no production ladder meets.
      policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT5S' }, { duration: 'PT10S' }, { duration: 'PT15S' }] },
    }),
  );
  await pool(inputs.length, 16, async (i) => void (await startDirectiveWorkflow(sys.client, sys.config.temporal.taskQueue, inputs[i]!)));
  if (Date.now() > t0 - 3000) log(`the stream took ${((Date.now() - t0 + 10_000) / 1000).toFixed(1)} s to start: its first reminders were already due`);
  const directiveIds = inputs.map((x) => x.directiveId);
  const expected = burst * 3;
  await until(
    async () => (await sys.db.select({ id: directiveEvents.id }).from(directiveEvents).where(and(inArray(directiveEvents.directiveId, directiveIds), eq(directiveEvents.type, 'escalated')))).length >= expected,
    180_000,
    `${expected} escalations`,
    500,
  );
  const events = await sys.db.select().from(directiveEvents).where(inArray(directiveEvents.directiveId, directiveIds));
  const plans = new Map<string, PlannedDeadline[]>();
  for (const e of events) if (e.type === 'issued') plans.set(e.directiveId, (e.data as { deadlines: PlannedDeadline[] }).deadlines);
  const lateness: number[] = [];
  const overdue: number[] = [];
  for (const e of events) {
    const plan = plans.get(e.directiveId);
    if (!plan) continue;
    if (e.type === 'escalated') {
      const esc = (e.data as { escalation: { deadlineKey: string; level: number } }).escalation;
      const planned = plan.find((d) => d.key === esc.deadlineKey)!.escalations[esc.level - 1]!;
      lateness.push((e.recordedAt.getTime() - Date.parse(planned)) / 1000);
    }
    if (e.type === 'overdue') overdue.push((e.recordedAt.getTime() - Date.parse((e.data as { dueAt: string }).dueAt)) / 1000);
  }
  return { lateness, overdue };
}

/**
 * Temporal history events of one directive over `periods` monthly reports compressed to seconds, counted once its
 * final rung is recorded (a lagging worker must not make the count look short), over every run of the chain.
 */
async function directiveYear(sys: BenchSystem, ids: { lead: string; coord: string; leader: string }, coordinatingReports: boolean, periods: number): Promise<number> {
  const PERIOD_MS = 3000;
  const start = Date.now() + 3000;
  const dueDates = Array.from({ length: periods }, (_, i) => new Date(start + (i + 1) * PERIOD_MS).toISOString());
  const x = input(ids.lead, [ids.coord], ids.leader, {
    dueAt: new Date(start + (periods + 1) * PERIOD_MS).toISOString(),
    regime: { kind: 'explicit', dueDates },
    // The default policy's two reminders and three rungs, scaled to the period.
    policy: { reminders: [{ duration: 'PT2S' }, { duration: 'PT1S' }], escalations: [{ duration: 'PT0.5S' }, { duration: 'PT1S' }, { duration: 'PT1.5S' }] },
  });
  const handle = (await startDirectiveWorkflow(sys.client, sys.config.temporal.taskQueue, x))!;
  const { runId: firstRunId } = await handle.describe();
  for (let i = 0; i < periods; i++) {
    await sleep(Math.max(0, Date.parse(dueDates[i]!) - 500 - Date.now()));
    for (const agencyId of coordinatingReports ? [ids.lead, ids.coord] : [ids.lead]) {
      await handle.executeUpdate(submitReportUpdate, { args: [{ actor: { userId: randomUUID(), role: 'officer', agencyId }, deadlineKey: `R${i + 1}`, summary: 'Báo cáo' }] });
    }
  }
  await until(
    async () =>
      (await sys.db.select({ data: directiveEvents.data }).from(directiveEvents).where(and(eq(directiveEvents.directiveId, x.directiveId), eq(directiveEvents.type, 'escalated')))).some(
        (e) => (e.data as { escalation: { deadlineKey: string; level: number } }).escalation.deadlineKey === 'final' && (e.data as { escalation: { level: number } }).escalation.level === 3,
      ),
    120_000,
    'the final deadline’s third rung',
    250,
  );
  // Let the last workflow task complete, then count every run (continue-as-new starts a new one).
  await sleep(500);
  let events = 0;
  for (let runId: string | undefined = firstRunId; runId; ) {
    const history = await sys.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    events += history.events?.length ?? 0;
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  await handle.terminate('measured');
  return events;
}

export const escalationBench: BenchModule = {
  name: 'escalation',
  async run(ctx) {
    // BENCH_OPEN_DIRECTIVES: fewer open directives, for quicker turns while tuning.
    const open = Number(process.env.BENCH_OPEN_DIRECTIVES ?? (ctx.quick ? 500 : 10_000));
    const burst = ctx.quick ? 100 : 200;
    const sys = await startBenchSystem('escalation');
    const rss = new RssSampler();
    try {
      const supervisor = await sys.agency('Ban Nội chính Tỉnh ủy');
      const lead = await sys.agency('Công an tỉnh', supervisor.id);
      const coord = await sys.agency('Viện kiểm sát nhân dân tỉnh', supervisor.id);
      const leader = await sys.user('leader');
      await sys.user('officer', lead.id);
      await sys.user('officer', coord.id);
      const ids = { lead: lead.id, coord: coord.id, leader: leader.id };

      const t0 = Date.now();
      // Open directives far from their deadlines: monthly reports, a year out; they wait on timers.
      await pool(open, 32, async () => {
        await startDirectiveWorkflow(sys.client, sys.config.temporal.taskQueue, input(lead.id, [coord.id], leader.id, { dueDate: '2027-11-30', regime: { kind: 'monthly' } }));
      });
      await until(async () => (await sys.db.$count(directiveEvents, eq(directiveEvents.type, 'issued'))) >= open, 600_000, `${open} issued directives`, 1000);
      ctx.log(`${open} open directives started and projected in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

      rss.start();
      const rounds = ctx.quick ? 1 : 2;
      const p99s: number[] = [];
      const all: number[] = [];
      const overdue: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const cpu = cpuSplit(sys.temporalPid);
        const { lateness, overdue: o } = await latenessStream(sys, ids, burst, ctx.log);
        ctx.log(cpu());
        p99s.push(percentile(lateness, 99));
        all.push(...lateness);
        overdue.push(...o);
        ctx.log(`stream ${r + 1}: ${lateness.length} rungs late by p50 ${percentile(lateness, 50).toFixed(2)} s, p99 ${percentile(lateness, 99).toFixed(2)} s, max ${Math.max(...lateness).toFixed(2)} s; overdue p99 ${percentile(o, 99).toFixed(2)} s`);
      }
      const peak = rss.stop();

      // Quick: half a year, counted twice (its start and end counted twice too: an overestimate). Side by side,
      // on a system that has finished everything else, so that no lag makes a reminder come after its report.
      const periods = ctx.quick ? 6 : 12;
      const counted = (await Promise.all([directiveYear(sys, ids, true, periods), directiveYear(sys, ids, false, periods)])).map((n) => Math.round((n * 12) / periods));
      ctx.log(`history events per directive-year: everyone reports ${counted[0]}, the coordinating agency never does ${counted[1]}`);
      const bars: Bar[] = [
        fixedBar('escalation.lateP99', p99s, 's', LATENESS_LIMIT_S, `${all.length} rungs, ${burst} directives due ${STREAM_PER_SECOND} a second per round, ${open} open; p50 ${percentile(all, 50).toFixed(2)} s; overdue p99 ${percentile(overdue, 99).toFixed(2)} s`),
        fixedBar('worker.rss', [peak], 'MB', RSS_LIMIT_MB, `peak of the worker's process (API and benchmark included) with ${open + burst * rounds} directives`),
        fixedBar('history.reportsOnTime', [counted[0]!], 'events', EVENTS_LIMIT, `a directive-year of monthly reports, everyone reports${ctx.quick ? ' (6 months ×2)' : ''}`),
        fixedBar('history.coordinatingSilent', [counted[1]!], 'events', EVENTS_LIMIT, `a directive-year, the coordinating agency never reports (a full ladder every month)${ctx.quick ? ' (6 months ×2)' : ''}`),
      ];
      return bars;
    } finally {
      rss.stop();
      await sys.down();
    }
  },
};
