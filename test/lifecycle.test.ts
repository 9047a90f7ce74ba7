import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directives, reports } from '../db/schema.js';
import {
  acknowledgeUpdate,
  cancelUpdate,
  decideExtensionUpdate,
  reassignUpdate,
  requestExtensionUpdate,
  reviewCompletionUpdate,
  stateQuery,
  submitCompletionUpdate,
  submitReportUpdate,
} from '../workflows/messages.js';
import { DirectiveStatusKey, EscalationLevelKey, TimelinessKey } from '../workflows/search-attributes.js';
import {
  createOrg,
  escalationsOf,
  eventsOf,
  deadlineKeyOf,
  inSeconds,
  rejection,
  soon,
  startDirective,
  untilPast,
  waitForEvents,
  type Org,
} from './lifecycle-support.js';
import { eventually, LEAD_SECONDS, startWorld, type World } from './support.js';

let world: World;
let org: Org;

beforeAll(async () => {
  world = await startWorld();
  org = await createOrg(world);
});
afterAll(async () => world?.close());

const types = (events: Array<{ type: string }>) => events.map((e) => e.type);

describe('the directive lifecycle', () => {
  it('goes issued → in_progress → completion_submitted → completed on time, recorded in history and projection', async () => {
    const { handle, id } = await startDirective(world, org, { coordinatingAgencyIds: [org.coordinating.id] });
    const lead = org.officer(org.lead.id);

    let s = await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: org.officer(org.coordinating.id) }] });
    expect(s.status).toBe('issued');
    s = await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: lead }] });
    expect(s.status).toBe('in_progress');
    s = await handle.executeUpdate(submitCompletionUpdate, { args: [{ actor: lead, summary: 'Đã giải quyết 120/120 đơn.' }] });
    expect(s.status).toBe('completion_submitted');
    s = await handle.executeUpdate(reviewCompletionUpdate, { args: [{ actor: org.supervisorActor, accept: true, note: 'Đạt' }] });
    expect(s).toMatchObject({ status: 'completed', timeliness: 'completed_on_time' });

    const final = await handle.result();
    expect(final.status).toBe('completed');
    const events = await eventsOf(world, id);
    expect(types(events)).toEqual(['issued', 'acknowledged', 'acknowledged', 'completion_submitted', 'completion_reviewed']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const [row] = await world.db.select().from(directives).where(eq(directives.id, id));
    expect(row).toMatchObject({ status: 'completed', timeliness: 'completed_on_time', lastSeq: 5 });
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(DirectiveStatusKey)).toBe('completed');
  });

  it('sends a rejected completion back to in_progress with the reviewer’s note, and classifies a late acceptance as completed late', async () => {
    const { handle, id } = await startDirective(world, org, { dueAt: soon() });
    const lead = org.officer(org.lead.id);
    await handle.executeUpdate(submitCompletionUpdate, { args: [{ actor: lead, summary: 'Xong' }] });
    const rejected = await handle.executeUpdate(reviewCompletionUpdate, {
      args: [{ actor: org.supervisorActor, accept: false, note: 'Thiếu số liệu quý III' }],
    });
    expect(rejected.status).toBe('in_progress');
    expect(rejected.reviews?.at(-1)).toMatchObject({ accepted: false, note: 'Thiếu số liệu quý III' });

    await waitForEvents(world, id, (e) => types(e).includes('overdue'));
    expect((await handle.query(stateQuery)).timeliness).toBe('open_overdue');
    await handle.executeUpdate(submitCompletionUpdate, { args: [{ actor: lead, summary: 'Đã bổ sung số liệu' }] });
    const done = await handle.executeUpdate(reviewCompletionUpdate, { args: [{ actor: org.leader, accept: true, note: '' }] });
    expect(done).toMatchObject({ status: 'completed', timeliness: 'completed_late' });
  });

  it('cancels with a reason from any open state, stopping every timer', async () => {
    const { handle, id } = await startDirective(world, org, { dueAt: soon() });
    const s = await handle.executeUpdate(cancelUpdate, { args: [{ actor: org.leader, reason: 'Trùng nhiệm vụ khác' }] });
    expect(s.status).toBe('cancelled');
    // The run has ended: no timer of it can fire any more, and everything it recorded is in.
    await handle.result();
    expect(types(await eventsOf(world, id))).toEqual(['issued', 'cancelled']);
  });
});

describe('reminders and the escalation ladder', () => {
  it('escalates a missed report to the agency, its supervisor and the issuing leader, each once and in order; the late report clears them', async () => {
    // The reminder falls LEAD_SECONDS after the request: planned before it, so it is a reminder.
    const { handle, id } = await startDirective(world, org, { regime: { kind: 'explicit', dueDates: [soon(2)] } });
    await waitForEvents(world, id, (e) => e.filter((x) => x.type === 'escalated').length >= 3);

    const rungs = await escalationsOf(world, id);
    expect(rungs.map((r) => [r.level, r.targetAgencyId, r.targetUserId])).toEqual([
      [1, org.lead.id, null],
      [2, org.supervisor.id, null],
      [3, null, org.leaderId],
    ]);
    expect(rungs.every((r) => r.deadlineKey === 'R1' && r.resolvedAt === null)).toBe(true);
    const opened = rungs.map((r) => r.openedAt.getTime());
    expect(opened).toEqual([...opened].sort((a, b) => a - b));
    // Rows are written by the local recorder inside a workflow task; its search attributes land as the task completes.
    const described = await eventually(async () => {
      const d = await handle.describe();
      return d.typedSearchAttributes.get(EscalationLevelKey) === 3 ? d : undefined;
    }, 10_000);
    expect(described.typedSearchAttributes.get(EscalationLevelKey)).toBe(3);

    const s = await handle.executeUpdate(submitReportUpdate, {
      args: [{ actor: org.officer(org.lead.id), deadlineKey: 'R1', summary: 'Báo cáo trễ' }],
    });
    expect(s.escalationLevel).toBe(0);
    const cleared = await eventually(() => escalationsOf(world, id), (r) => r.every((x) => x.resolvedAt !== null));
    expect(cleared.every((r) => r.resolution === 'reported')).toBe(true);
    // The report closed the deadline: nothing of it can fire after it, so the history up to it is all there is.
    const events = await waitForEvents(world, id, (e) => e.some((x) => x.type === 'escalation_resolved'));
    const beforeReport = events.slice(0, events.findIndex((e) => e.type === 'report_submitted'));
    expect(types(beforeReport)).toEqual(['issued', 'reminder_due', 'deadline_missed', 'escalated', 'escalated', 'escalated']);
    expect(events.filter((e) => e.type === 'escalated')).toHaveLength(3);
    const [report] = await world.db.select().from(reports).where(eq(reports.directiveId, id));
    expect(report).toMatchObject({ deadlineKey: 'R1', agencyId: org.lead.id, late: true });
  });

  it('fires nothing when the report comes in time', async () => {
    // R2 falls after R1's last rung (R1 + 3 s) and nobody reports it: the workflow acts on its instants in order,
    // so once R2's passing is recorded, anything R1 would have fired has had its turn.
    const r1 = Date.now() + (LEAD_SECONDS + 2) * 1000;
    const { handle, id } = await startDirective(world, org, {
      coordinatingAgencyIds: [org.coordinating.id],
      regime: { kind: 'explicit', dueDates: [new Date(r1).toISOString(), new Date(r1 + 5000).toISOString()] },
    });
    for (const agency of [org.lead.id, org.coordinating.id]) {
      await handle.executeUpdate(submitReportUpdate, { args: [{ actor: org.officer(agency), deadlineKey: 'R1', summary: 'Đúng hạn' }] });
    }
    const events = await waitForEvents(world, id, (e) => e.some((x) => x.type === 'deadline_missed' && deadlineKeyOf(x) === 'R2'));
    expect(events.filter((e) => deadlineKeyOf(e) === 'R1').map((e) => e.type)).toEqual(['report_submitted', 'report_submitted']);
    expect(types(events.slice(0, 3))).toEqual(['issued', 'report_submitted', 'report_submitted']);
    expect((await escalationsOf(world, id)).filter((r) => r.deadlineKey === 'R1')).toHaveLength(0);
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: org.leader, reason: 'Kết thúc thử' }] });
  });

  it('moves the whole ladder when an extension is approved, and changes nothing when one is rejected', async () => {
    const { handle, id } = await startDirective(world, org, { dueAt: soon() });
    const lead = org.officer(org.lead.id);
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: lead, proposedDueAt: inSeconds(60), reason: 'Chờ số liệu' }] });
    const refused = await handle.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: org.supervisorActor, requestId: 'x1', approve: false, note: 'Không đủ căn cứ' }],
    });
    const originalDue = refused.dueAt;

    await handle.executeUpdate(requestExtensionUpdate, { args: [{ actor: lead, proposedDueAt: soon(3), reason: 'Bổ sung hồ sơ' }] });
    const approved = await handle.executeUpdate(decideExtensionUpdate, {
      args: [{ actor: org.supervisorActor, requestId: 'x2', approve: true, note: 'Đồng ý' }],
    });
    expect(Date.parse(approved.dueAt!)).toBeGreaterThan(Date.parse(originalDue!));
    expect(approved.deadlines?.find((d) => d.kind === 'final')?.dueAt).toBe(approved.dueAt);

    // The new due instant's first rung comes after the old due instant: had the old one fired, it would be in by then.
    const events = await waitForEvents(world, id, (e) => e.filter((x) => x.type === 'escalated').length >= 1);
    const overdue = events.filter((e) => e.type === 'overdue');
    expect(overdue.map((e) => e.data)).toEqual([expect.objectContaining({ dueAt: approved.dueAt })]);
    expect(types(events).filter((t) => t.startsWith('extension'))).toEqual([
      'extension_requested',
      'extension_decided',
      'extension_requested',
      'extension_decided',
    ]);
    const [rung] = await escalationsOf(world, id);
    expect(rung!.dueAt.toISOString()).toBe(approved.dueAt);
  });

  it('sends later escalations to the new lead agency after a reassignment', async () => {
    const { handle, id } = await startDirective(world, org, { regime: { kind: 'explicit', dueDates: [soon()] } });
    const s = await handle.executeUpdate(reassignUpdate, {
      args: [{ actor: org.leader, leadAgencyId: org.other.id, coordinatingAgencyIds: [], reason: 'Sắp xếp lại tổ chức' }],
    });
    expect(s.leadAgencyId).toBe(org.other.id);
    await waitForEvents(world, id, (e) => e.some((x) => x.type === 'escalated'));
    const [rung] = await escalationsOf(world, id);
    expect(rung).toMatchObject({ level: 1, agencyId: org.other.id, targetAgencyId: org.other.id });
    const [row] = await world.db.select().from(directives).where(eq(directives.id, id));
    expect(row!.leadAgencyId).toBe(org.other.id);
  });
});

describe('validators', () => {
  it('reject the wrong agency, an unknown period, completion by a coordinating agency and anything after close', async () => {
    const { handle } = await startDirective(world, org, {
      coordinatingAgencyIds: [org.coordinating.id],
      regime: { kind: 'explicit', dueDates: [inSeconds(600)] },
    });
    const outsider = org.officer(org.other.id);
    expect(await rejection(handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: outsider }] }))).toMatchObject({ type: 'Forbidden' });
    expect(
      await rejection(handle.executeUpdate(submitReportUpdate, { args: [{ actor: org.officer(org.lead.id), deadlineKey: 'Q9999-1', summary: 'x' }] })),
    ).toMatchObject({ type: 'NotFound' });
    const byCoordinating = await rejection(
      handle.executeUpdate(submitCompletionUpdate, { args: [{ actor: org.officer(org.coordinating.id), summary: 'x' }] }),
    );
    expect(byCoordinating.type).toBe('Forbidden');
    expect(byCoordinating.message).toMatch(/lead agency/);
    expect(
      await rejection(handle.executeUpdate(cancelUpdate, { args: [{ actor: org.officer(org.lead.id), reason: 'x' }] })),
    ).toMatchObject({ type: 'Forbidden' });
    expect(
      await rejection(handle.executeUpdate(reviewCompletionUpdate, { args: [{ actor: org.supervisorActor, accept: true, note: '' }] })),
    ).toMatchObject({ type: 'InvalidState' });

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: org.leader, reason: 'Hết hiệu lực' }] });
    await handle.result();
    expect(
      await rejection(handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: org.officer(org.lead.id) }] })),
    ).toMatchObject({ type: 'Closed' });
    const history = await handle.fetchHistory();
    // A rejected update leaves nothing in the history.
    expect((history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
  });
});

describe('durability', () => {
  it('still escalates, once per rung, when the worker was stopped across the deadline and started again', async () => {
    const { handle, id } = await startDirective(world, org, { regime: { kind: 'explicit', dueDates: [soon()] } });
    const lastRung = Date.parse((await handle.query(stateQuery)).deadlines!.find((d) => d.key === 'R1')!.escalations[2]!);
    await world.stopWorker();
    // The premise, not an assertion: every rung's instant passes while no worker runs.
    await untilPast(lastRung);
    await world.startWorker();
    await waitForEvents(world, id, (e) => e.filter((x) => x.type === 'escalated').length >= 3);
    expect((await handle.describe()).typedSearchAttributes.get(TimelinessKey)).toBe('open_on_time');
    // The late report closes the deadline: a rung fired twice would be in the history before it.
    await handle.executeUpdate(submitReportUpdate, { args: [{ actor: org.officer(org.lead.id), deadlineKey: 'R1', summary: 'Báo cáo sau sự cố' }] });
    const events = await waitForEvents(world, id, (e) => e.some((x) => x.type === 'escalation_resolved'));
    expect(events.filter((e) => e.type === 'escalated')).toHaveLength(3);
    expect((await escalationsOf(world, id)).map((r) => r.level)).toEqual([1, 2, 3]);
  });
});
