import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, directiveEvents, directives } from '../db/schema.js';
import type { Escalation } from '../domain/directive.js';
import { createAgency, createUserWithId, eventually, inSeconds, json, pastSoon, soon, startWorld, webSession, type World } from './support.js';

/**
 * Delegation on the real Temporal server and PostgreSQL: the lead agency splits a directive into three sub-tasks
 * (two sub-units and one of its officers), each a child workflow and a directive of its own.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

/** Rung 1 a second after a due instant, rung 2 four seconds after. */
const POLICY = { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT4S' }, { duration: 'PT1H' }] };

describe('delegating a directive to sub-units', () => {
  it('starts each sub-task as a directive of its own; an overdue one escalates inside the agency, then up the parent’s ladder; the parent rolls them up and completes only with a confirmation that closes them', async () => {
    const supervisor = await createAgency(world.db, 'Ban Noi chinh');
    const lead = await createAgency(world.db, 'Cong an tinh', supervisor.id);
    const [unitA, unitB] = await Promise.all([createAgency(world.db, 'Phong Canh sat hinh su'), createAgency(world.db, 'Phong Canh sat kinh te')]);
    await world.db.update(agencies).set({ parentId: lead.id }).where(inArray(agencies.id, [unitA.id, unitB.id]));
    const stranger = await createAgency(world.db, 'So Tai chinh', supervisor.id);
    const leadOfficer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
    const namedOfficer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
    const unitOfficer = await createUserWithId(world.db, { role: 'officer', agencyId: unitB.id });
    const supervisorUser = await createUserWithId(world.db, { role: 'supervisor', agencyId: supervisor.id });

    const issued = await world.call('POST', '/v1/directives', {
      body: { title: 'Tấn công trấn áp tội phạm dịp Tết', leadAgency: lead.id, dueAt: inSeconds(3600), policy: POLICY },
    });
    expect(issued.status).toBe(201);
    const parentId = (await json(issued)).id as string;
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, parentId)), (rows) => rows.length > 0);

    const delegate = (body: unknown, token = leadOfficer.token) => world.call('POST', `/v1/directives/${parentId}/subtasks`, { body, token });
    // Refused: a sub-task due after the directive, an agency that is not a sub-unit, someone not of the lead agency.
    expect((await delegate({ subtasks: [{ title: 'Quá hạn cha', subUnit: unitA.id, dueAt: inSeconds(7200) }] })).status).toBe(422);
    const notUnit = await delegate({ subtasks: [{ title: 'Không phải đơn vị trực thuộc', subUnit: stranger.id, dueAt: inSeconds(60) }] });
    expect(notUnit.status).toBe(422);
    expect((await json(notUnit)).errors[0].pointer).toBe('/subtasks/0/subUnit');
    expect((await delegate({ subtasks: [{ title: 'Không phải cơ quan chủ trì', subUnit: unitA.id, dueAt: inSeconds(60) }] }, unitOfficer.token)).status).toBe(404);

    const res = await delegate({
      subtasks: [
        { title: 'Triệt phá băng nhóm', subUnit: unitA.id, dueAt: soon() },
        { title: 'Chống buôn lậu', subUnit: unitB.id, dueAt: inSeconds(1800) },
        { title: 'Tổng hợp báo cáo', assignee: namedOfficer.id, dueAt: inSeconds(2400) },
      ],
    });
    expect(res.status).toBe(200);
    const children = await eventually(() => world.db.select().from(directives).where(eq(directives.parentId, parentId)), (rows) => rows.length === 3);
    const child = (title: string) => children.find((c) => c.title === title)!;
    const overdue = child('Triệt phá băng nhóm');
    expect(overdue.leadAgencyId).toBe(unitA.id);
    expect(child('Tổng hợp báo cáo')).toMatchObject({ leadAgencyId: lead.id, assigneeId: namedOfficer.id });
    const delegated = await world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, parentId), eq(directiveEvents.type, 'delegated')));
    expect((delegated[0]!.data as { subtasks: unknown[] }).subtasks).toHaveLength(3);

    // The overdue sub-task: rung 1 to the lead agency (inside it), rung 2 to the lead agency's supervisor (the parent's ladder).
    const rungRows = await eventually(
      () => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, overdue.id), eq(directiveEvents.type, 'escalated'))).orderBy(asc(directiveEvents.seq)),
      (rows) => rows.length >= 2,
      pastSoon(0, 21),
    );
    const rungs = rungRows.map((r) => (r.data as { escalation: Escalation }).escalation);
    expect(rungs.map((e) => [e.level, e.agencyId, e.target.agencyId])).toEqual([
      [1, unitA.id, lead.id],
      [2, unitA.id, supervisor.id],
    ]);
    // The lead agency's officers see the sub-task they received the rung for; its supervisor's inbox has rung 2.
    expect((await world.call('GET', `/v1/directives/${overdue.id}`, { token: leadOfficer.token })).status).toBe(200);
    const inbox = await json(await world.call('GET', '/v1/escalations', { token: supervisorUser.token }));
    expect(JSON.stringify(inbox)).toContain(overdue.id);

    // One sub-task done: its unit completes, a supervisor accepts.
    const done = child('Chống buôn lậu');
    expect((await world.call('POST', `/v1/directives/${done.id}/completion`, { token: unitOfficer.token, body: { summary: 'Đã xong' } })).status).toBe(200);
    expect((await world.call('POST', `/v1/directives/${done.id}/completion/review`, { token: supervisorUser.token, body: { accept: true } })).status).toBe(200);

    // The parent's roll-up.
    const parent = await eventually(
      async () => json(await world.call('GET', `/v1/directives/${parentId}`, { token: leadOfficer.token })),
      (d) => d.subtasks?.done === 1,
    );
    expect(parent.subtasks).toMatchObject({ total: 3, done: 1, worstTimeliness: 'open_overdue' });
    const sub = await json(await world.call('GET', `/v1/directives/${overdue.id}`));
    expect(sub.parent).toEqual({ id: parentId, title: 'Tấn công trấn áp tội phạm dịp Tết' });

    // Completing the parent with two sub-tasks open: refused without a confirmation, accepted with one.
    const complete = (body: unknown) => world.call('POST', `/v1/directives/${parentId}/completion`, { token: leadOfficer.token, body });
    const refused = await complete({ summary: 'Hoàn thành' });
    expect(refused.status).toBe(409);
    expect((await json(refused)).detail).toContain('Sub-tasks are still open');
    await eventually(
      async () => json(await world.call('GET', `/v1/directives/${parentId}`)),
      (d) => d.live?.subtasks?.filter((t: { closed: boolean }) => t.closed).length === 1,
    );
    expect((await complete({ summary: 'Hoàn thành', closeOpenSubtasks: { note: 'Phần còn lại chuyển sang kế hoạch năm sau' } })).status).toBe(200);
    expect((await world.call('POST', `/v1/directives/${parentId}/completion/review`, { body: { accept: true } })).status).toBe(200);
    const closed = await eventually(
      () => world.db.select().from(directives).where(eq(directives.parentId, parentId)),
      (rows) => rows.every((r) => r.status === 'completed' || r.status === 'cancelled'),
      30_000,
    );
    expect(closed.filter((r) => r.status === 'cancelled').map((r) => r.title).sort()).toEqual(['Tổng hợp báo cáo', 'Triệt phá băng nhóm'].sort());
    const reasons = await world.db.select().from(directiveEvents).where(and(inArray(directiveEvents.directiveId, [overdue.id]), eq(directiveEvents.type, 'cancelled')));
    expect((reasons[0]!.data as { reason: string }).reason).toContain('Phần còn lại chuyển sang kế hoạch năm sau');
    // The overdue sub-task's open rungs closed with it: recorded after its cancellation, so waited for.
    const resolved = await eventually(
      () => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, overdue.id), eq(directiveEvents.type, 'escalation_resolved'))),
      (rows) => rows.length > 0,
    );
    expect(resolved.flatMap((r) => (r.data as { escalations: Escalation[]; resolution: string }).escalations.map((e) => e.level)).sort()).toEqual([1, 2]);
  }, 120_000);

  it('is a form on the directive page for the lead agency’s officers, refused with the reason', async () => {
    const lead = await createAgency(world.db, 'So Y te');
    const unit = await createAgency(world.db, 'Trung tam Y te huyen');
    await world.db.update(agencies).set({ parentId: lead.id }).where(eq(agencies.id, unit.id));
    const issued = await json(await world.call('POST', '/v1/directives', { body: { title: 'Tiêm chủng mở rộng', leadAgency: lead.id, dueDate: '2034-12-29' } }));
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, issued.id)), (rows) => rows.length > 0);
    const officer = await webSession(world, 'officer');
    await world.db.execute(`update users set agency_id = '${lead.id}' where id = '${officer.id}'`);
    const page = await (await officer.get(`/directives/${issued.id}`)).text();
    expect(page).toContain('Trung tam Y te huyen');
    const late = await officer.post(`/directives/${issued.id}/subtasks`, { title: 'Quá hạn', subUnit: unit.id, dueDate: '2035-01-03' });
    expect(await late.text()).toContain('không muộn hơn');
    const ok = await officer.post(`/directives/${issued.id}/subtasks`, { title: 'Tiêm chủng xã A', subUnit: unit.id, dueDate: '2034-06-30' });
    expect([200, 303]).toContain(ok.status);
    await eventually(() => world.db.select().from(directives).where(eq(directives.parentId, issued.id)), (rows) => rows.length === 1);
    expect(await (await officer.get(`/directives/${issued.id}`)).text()).toContain('Tiêm chủng xã A');
  }, 60_000);
});
