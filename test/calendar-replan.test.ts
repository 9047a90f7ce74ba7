import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarChanges, directiveEvents, directives } from '../db/schema.js';
import { DEFAULT_POLICY, type DeadlinePolicy } from '../domain/deadlines.js';
import type { EventOf } from '../domain/events.js';
import { vnEndOfDay } from '../domain/vn-time.js';
import { calendarReplanWorkflowId } from '../temporal/client.js';
import type { CalendarReplanResult, calendarReplanWorkflow } from '../workflows/calendar-replan.js';
import { pendingTimers, stampOf } from '../workflows/lifecycle.js';
import { stateQuery } from '../workflows/messages.js';
import { createOrg, eventsOf, issueMany, startDirective, waitForEvents, type Org } from './lifecycle-support.js';
import { eventually, json, LEAD_SECONDS, startWorld, webSession, type World } from './support.js';

/**
 * A calendar change re-plans the open directives planned across it, on the real Temporal server and
 * PostgreSQL: through the admin's override routes, the coordinator workflow, and each directive's `replan`.
 * The days are in 2030 and 2031, where no other test file plans anything.
 */
let world: World;
let org: Org;
beforeAll(async () => {
  world = await startWorld();
  org = await createOrg(world);
});
afterAll(async () => world?.close());

/** The change the last override route recorded for `date`, once its re-plan run has finished (other files change other days meanwhile). */
async function lastChangeFinished(date: string): Promise<{ id: string; result: CalendarReplanResult }> {
  const [change] = await world.db
    .select()
    .from(calendarChanges)
    .where(sql`${calendarChanges.dates} @> ${JSON.stringify([date])}::jsonb`)
    .orderBy(desc(calendarChanges.createdAt))
    .limit(1);
  const handle = world.client.workflow.getHandle<typeof calendarReplanWorkflow>(calendarReplanWorkflowId(change!.id));
  return { id: change!.id, result: await handle.result() };
}

async function override(date: string, kind: 'day_off' | 'working_day' | null) {
  const res = kind ? await world.call('PUT', `/v1/calendar/overrides/${date}`, { body: { kind } }) : await world.call('DELETE', `/v1/calendar/overrides/${date}`);
  expect(res.status).toBe(kind ? 200 : 204);
  return lastChangeFinished(date);
}

const calendarMoves = async (id: string) =>
  (await eventsOf(world, id))
    .filter((e) => e.type === 'replanned' && (e.data as { reason: string }).reason === 'calendar')
    .map((e) => (e as unknown as EventOf<'replanned'> & { data: { reason: 'calendar' } }).data);

/** `n` directives due on `dueDate` (default policy), all in the read model. */
const issueDue = (n: number, dueDate: string) => issueMany(world, org, n, { dueAt: vnEndOfDay(dueDate).toISOString(), dueDate, policy: DEFAULT_POLICY });

/** How many `replanned` events each directive has for the change. */
const replansPerDirective = (changeId: string) =>
  world.db
    .select({ directiveId: directiveEvents.directiveId, n: count() })
    .from(directiveEvents)
    .where(and(eq(directiveEvents.type, 'replanned'), sql`${directiveEvents.data}->>'changeId' = ${changeId}`))
    .groupBy(directiveEvents.directiveId);

describe('re-planning running directives when the calendar changes', () => {
  it('moves a deadline on a new holiday, a report when a make-up Saturday shortens its window, and back when removed; a sent reminder is not sent again', async () => {
    // Final deadline Wednesday 10/4/2030; the first quarter's report due Tuesday 19/3 (cut-off Thursday 14/3, 3 working days).
    // Reports are planned a year at a time: issued in mid-2029, its plan holds the first quarter of 2030.
    const planned = await startDirective(world, org, {
      issuedAt: '2029-06-01T00:00:00.000Z',
      dueAt: vnEndOfDay('2030-04-10').toISOString(),
      dueDate: '2030-04-10',
      regime: { kind: 'quarterly' },
      policy: DEFAULT_POLICY,
    });
    // A reminder due LEAD_SECONDS from now, one second before the deadline: the first is sent before the change.
    const dueMs = vnEndOfDay('2030-04-10').getTime();
    const soon: DeadlinePolicy = {
      reminders: [{ duration: `PT${Math.round((dueMs - Date.now()) / 1000) - LEAD_SECONDS}S` }, { duration: 'PT1S' }],
      escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }],
    };
    const reminded = await startDirective(world, org, { dueAt: vnEndOfDay('2030-04-10').toISOString(), dueDate: '2030-04-10', policy: soon });
    await waitForEvents(world, reminded.id, (e) => e.some((x) => x.type === 'reminder_due'));

    const holiday = await override('2030-04-10', 'day_off');
    expect(holiday.result.moved).toBeGreaterThanOrEqual(2);
    const [first] = await calendarMoves(planned.id);
    expect(first).toMatchObject({
      changeId: holiday.id,
      cause: 'lịch nghỉ ngày 10/04/2030',
      dueAt: vnEndOfDay('2030-04-11').toISOString(),
      moves: [{ deadlineKey: 'final', kind: 'final', from: vnEndOfDay('2030-04-10').toISOString(), to: vnEndOfDay('2030-04-11').toISOString() }],
    });
    const [row] = await world.db.select().from(directives).where(eq(directives.id, planned.id));
    expect(row!.dueAt?.toISOString()).toBe(vnEndOfDay('2030-04-11').toISOString());
    // The history over HTTP carries the move, and the directive's page says it in a sentence.
    const history = await json(await world.call('GET', `/v1/directives/${planned.id}/events`));
    expect(JSON.stringify(history)).toContain('lịch nghỉ ngày 10/04/2030');
    const admin = await webSession(world, 'admin');
    const pageHtml = await (await admin.get(`/directives/${planned.id}`)).text();
    expect(pageHtml).toContain('hạn hoàn thành chuyển từ 10/04 sang 11/04 do lịch nghỉ ngày 10/04/2030');
    const adminHtml = await (await admin.get('/admin/calendar?year=2030')).text();
    expect(adminHtml).toMatch(/10\/04\/2030 · lịch nghỉ ngày 10\/04\/2030 · <small>đã rà soát \d+ nhiệm vụ, \d+ nhiệm vụ chuyển hạn/);

    // The reminder already sent is marked sent for the moved deadline: only the second is still to come, once.
    const state = await world.client.workflow.getHandle(`directive-${reminded.id}`).query(stateQuery);
    const final = state.deadlines!.find((d) => d.key === 'final')!;
    expect(final.dueAt).toBe(vnEndOfDay('2030-04-11').toISOString());
    expect(state.fired).toContain(`${stampOf(final)}|${org.lead.id}|r0`);
    expect(pendingTimers(state).filter((t) => t.kind === 'reminder').map((t) => t.id)).toEqual([`${stampOf(final)}|${org.lead.id}|r1`]);
    expect((await eventsOf(world, reminded.id)).filter((e) => e.type === 'reminder_due')).toHaveLength(1);

    const saturday = await override('2030-03-16', 'working_day');
    const [, second] = await calendarMoves(planned.id);
    expect(second).toMatchObject({
      changeId: saturday.id,
      cause: 'ngày làm việc bù 16/03/2030',
      moves: [{ deadlineKey: 'Q2030-1', kind: 'report', from: vnEndOfDay('2030-03-19').toISOString(), to: vnEndOfDay('2030-03-18').toISOString() }],
    });
    // Nothing of the reminded directive (no report periods) spans 16/3: asked, it records nothing.
    expect(await calendarMoves(reminded.id)).toHaveLength(1);

    await override('2030-03-16', null);
    await override('2030-04-10', null);
    const moves = await calendarMoves(planned.id);
    expect(moves.map((m) => m.moves.map((x) => [x.deadlineKey, x.to]))).toEqual([
      [['final', vnEndOfDay('2030-04-11').toISOString()]],
      [['Q2030-1', vnEndOfDay('2030-03-18').toISOString()]],
      [['Q2030-1', vnEndOfDay('2030-03-19').toISOString()]],
      [['final', vnEndOfDay('2030-04-10').toISOString()]],
    ]);
    const back = await world.client.workflow.getHandle(`directive-${planned.id}`).query(stateQuery);
    const issued = (await eventsOf(world, planned.id)).find((e) => e.type === 'issued') as unknown as EventOf<'issued'>;
    expect(back.deadlines).toEqual(issued.data.deadlines);
  });

  it('re-plans 500 open directives, each exactly once, even when the change is sent again', async () => {
    const N = 500;
    const started = Date.now();
    const ids = await issueDue(N, '2031-05-14');
    const issuedIn = Date.now() - started;

    const t0 = Date.now();
    const change = await override('2031-05-14', 'day_off');
    const replannedIn = Date.now() - t0;
    expect(change.result).toEqual({ changeId: change.id, examined: N, moved: N });

    // The same change sent again (a coordinator started anew after a crash): every directive knows it and records
    // nothing more; the run counts the directives the change has moved, once each.
    const again = await world.client.workflow.execute<typeof calendarReplanWorkflow>('calendarReplanWorkflow', {
      taskQueue: world.taskQueue,
      workflowId: `again-${change.id}`,
      args: [{ changeId: change.id, from: vnEndOfDay('2031-05-13').toISOString(), to: vnEndOfDay('2031-08-14').toISOString(), cause: 'x', pageSize: 128 }],
    });
    expect(again).toEqual({ changeId: change.id, examined: N, moved: N });

    const counts = await replansPerDirective(change.id);
    expect(new Set(counts.map((c) => c.directiveId))).toEqual(new Set(ids));
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const [finished] = await world.db.select().from(calendarChanges).where(eq(calendarChanges.id, change.id));
    expect(finished).toMatchObject({ examined: N, moved: N });
    expect(finished!.finishedAt).not.toBeNull();
    console.log(`calendar re-plan: ${N} directives issued in ${(issuedIn / 1000).toFixed(1)} s; re-planned, each once, in ${(replannedIn / 1000).toFixed(1)} s (8 at a time, pages of 200)`);
    await override('2031-05-14', null);
  }, 240_000);

  it('resumes a re-plan whose worker stopped half-way, moving each directive once', async () => {
    const ids = await issueDue(40, '2031-06-11');
    const changeId = randomUUID();
    const handle = await world.client.workflow.start<typeof calendarReplanWorkflow>('calendarReplanWorkflow', {
      taskQueue: world.taskQueue,
      workflowId: `resume-${changeId}`,
      args: [{ changeId, from: vnEndOfDay('2031-06-10').toISOString(), to: vnEndOfDay('2031-09-11').toISOString(), cause: 'lịch nghỉ thử', pageSize: 5, concurrency: 1 }],
    });
    // The calendar does not change here: the directives are asked, record nothing, and remember the change.
    const asked = async () => {
      let n = 0;
      for (const id of ids) if ((await world.client.workflow.getHandle(`directive-${id}`).query(stateQuery)).appliedChanges?.includes(changeId)) n++;
      return n;
    };
    // A run is one page of five, asked one at a time: once the first has continued as new, seven pages (35 Updates in
    // turn) are still to come, far more than the worker can do while it stops, so the stop lands half-way.
    const current = () => world.client.workflow.getHandle(`resume-${changeId}`).describe();
    await eventually(current, (d) => d.runId !== handle.firstExecutionRunId, 60_000);
    await world.stopWorker();
    // Stopped inside the second page: the pages after it need a worker, so the re-plan cannot have ended.
    expect((await current()).status.name).toBe('RUNNING');
    await world.startWorker();
    expect(await handle.result()).toEqual({ changeId, examined: 40, moved: 0 });
    expect(await asked()).toBe(40);
    expect(await replansPerDirective(changeId)).toEqual([]);
  }, 120_000);
});
