import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedEvent } from '../db/events.js';
import { directiveEvents } from '../db/schema.js';
import type { AllowedActions } from '../services/directive-model.js';
import { bothDoors, createAgency, eventually, inSeconds, json, pastSoon, soon, startWorld, type World } from './support.js';

/**
 * The directive's `allowedActions` on the real Temporal server and PostgreSQL: what the JSON detail offers is
 * accepted when sent, what it leaves out is refused, and the page shows exactly those forms, the supervisor's
 * scope included (the page once showed a supervisor forms the service then refused).
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

const POLICY = { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT3S' }, { duration: 'PT5S' }] };

describe('what the detail says a person may do', () => {
  it('is accepted when sent and refused when left out, at both doors, a supervisor\'s scope included', async () => {
    const above = await createAgency(world.db, 'Ban Noi chinh hanh dong');
    const elsewhere = await createAgency(world.db, 'Ban Dan van hanh dong');
    const lead = await createAgency(world.db, 'Cong an tinh hanh dong', above.id);
    const coord = await createAgency(world.db, 'Hoi Nong dan hanh dong', elsewhere.id);
    const leader = await bothDoors(world, 'leader');
    const leadOfficer = await bothDoors(world, 'officer', lead.id);
    const supervisor = await bothDoors(world, 'supervisor', above.id);
    const stranger = await bothDoors(world, 'supervisor', elsewhere.id);
    const oversight = await bothDoors(world, 'oversight');
    const issued = await world.call('POST', '/v1/directives', {
      token: leader.token,
      body: { title: 'Đẩy nhanh giải quyết tin báo tội phạm', leadAgency: lead.id, coordinatingAgencies: [coord.id], dueAt: inSeconds(7200), regime: { kind: 'explicit', dueDates: [soon()] }, policy: POLICY },
    });
    expect(issued.status).toBe(201);
    const id = (await json(issued)).id as string;
    const allowed = async (who: { token: string }) => {
      const res = await world.call('GET', `/v1/directives/${id}`, { token: who.token });
      expect(res.status).toBe(200);
      return (await json(res)).allowedActions as AllowedActions;
    };
    const forms = async (who: { get: (path: string) => Promise<Response> }) => {
      const html = await (await who.get(`/directives/${id}`)).text();
      return [...html.matchAll(new RegExp(`action="/directives/${id}/([a-z-]+)"`, 'g'))].map((m) => m[1]).sort();
    };

    // Before anything is overdue: the lead's officer may acknowledge and report, and has both forms.
    const first = await allowed(leadOfficer);
    expect(first).toMatchObject({ acknowledge: true, report: ['R1'], requestExtension: true, submitCompletion: true, cancel: false, reassign: false });
    expect(await forms(leadOfficer)).toEqual(['acknowledge', 'attachments', 'completion', 'extension', 'report']);
    expect((await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token: leadOfficer.token })).status).toBe(200);
    expect((await allowed(leadOfficer)).acknowledge).toBe(false);
    // What is left out is refused: a second acknowledgement.
    expect((await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token: leadOfficer.token })).status).toBe(409);

    // R1 passes unreported by both agencies.
    await eventually(
      () => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'deadline_missed'))),
      (rows) => rows.length > 0,
      pastSoon(0, 21),
    );
    const ask = (agencyId: string) => ({ agency: agencyId, deadlineKey: 'R1', question: 'Vì sao chưa báo cáo?', dueAt: inSeconds(3600) });

    // The leader may ask either agency; the lead's supervisor only the lead, which it supervises.
    expect((await allowed(leader)).requestExplanation).toEqual([
      { deadlineKey: 'R1', agencyId: lead.id },
      { deadlineKey: 'R1', agencyId: coord.id },
    ]);
    const bySupervisor = await allowed(supervisor);
    expect(bySupervisor.requestExplanation).toEqual([{ deadlineKey: 'R1', agencyId: lead.id }]);
    const supervisorPage = await (await supervisor.get(`/directives/${id}`)).text();
    expect(supervisorPage).toContain(`value="R1 ${lead.id}"`);
    expect(supervisorPage).not.toContain(`value="R1 ${coord.id}"`);
    // The supervisor of the coordinating agency's parent is offered that agency alone, the other nothing of it.
    expect((await allowed(stranger)).requestExplanation).toEqual([{ deadlineKey: 'R1', agencyId: coord.id }]);
    const refused = await world.call('POST', `/v1/directives/${id}/explanation-requests`, { token: supervisor.token, body: ask(coord.id) });
    expect(refused.status).toBe(403);
    expect((await world.call('POST', `/v1/directives/${id}/explanation-requests`, { token: supervisor.token, body: ask(lead.id) })).status).toBe(200);
    // Asked once, the pair is no longer offered, and a second request is refused.
    expect((await allowed(supervisor)).requestExplanation).toEqual([]);
    expect((await world.call('POST', `/v1/directives/${id}/explanation-requests`, { token: supervisor.token, body: ask(lead.id) })).status).toBe(409);

    // The lead asks for more time: its supervisor may decide, the other supervisor is offered nothing and refused.
    const extension = await world.call('POST', `/v1/directives/${id}/extension-requests`, {
      token: leadOfficer.token,
      body: { proposedDueDate: `${new Date().getUTCFullYear() + 1}-06-30`, reason: 'Chờ kết quả giám định' },
    });
    expect(extension.status).toBe(200);
    expect((await allowed(supervisor)).decideExtension).toEqual(['x1']);
    expect((await allowed(stranger)).decideExtension).toEqual([]);
    expect(await forms(stranger)).not.toContain('decision');
    expect(await forms(supervisor)).toContain('decision');
    const decide = (who: { token: string }) => world.call('POST', `/v1/directives/${id}/extension-requests/x1/decision`, { token: who.token, body: { approve: true, note: 'Đồng ý' } });
    expect((await decide(stranger)).status).toBe(403);
    expect((await allowed(leadOfficer)).requestExtension).toBe(false);
    expect((await decide(supervisor)).status).toBe(200);

    // The oversight role is offered nothing and shown no form.
    const seen = await allowed(oversight);
    expect(Object.values(seen).every((v) => v === false || (Array.isArray(v) && v.length === 0))).toBe(true);
    expect(await forms(oversight)).toEqual([]);
  }, 120_000);

  it('refuses, through the page, a text longer than the JSON door takes, at the workflow: nothing is recorded', async () => {
    const lead = await createAgency(world.db, 'Vien kiem sat gioi han');
    const leader = await bothDoors(world, 'leader');
    const officer = await bothDoors(world, 'officer', lead.id);
    const issued = await world.call('POST', '/v1/directives', {
      token: leader.token,
      body: { title: 'Báo cáo kết quả kiểm sát', leadAgency: lead.id, dueAt: inSeconds(7200), regime: { kind: 'explicit', dueDates: [inSeconds(3600)] } },
    });
    const id = (await json(issued)).id as string;
    await eventually(() => world.call('GET', `/v1/directives/${id}`, { token: officer.token }), (res) => res.status === 200);
    const tooLong = await officer.post(`/directives/${id}/report`, { deadlineKey: 'R1', summary: 'Kết quả '.repeat(2501) });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('Nội dung quá dài: tối đa 20000 ký tự.');
    // The same text within the bound is taken, so the refusal was the bound's: then the history holds one report.
    expect((await officer.post(`/directives/${id}/report`, { deadlineKey: 'R1', summary: 'Kết quả '.repeat(2000) })).status).toBe(303);
    const reports = await eventually(
      () => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'report_submitted'))),
      (rows) => rows.length > 0,
    );
    expect(reports.map((r) => storedEvent(r)).map((e) => (e.type === 'report_submitted' ? e.data.report.summary.length : 0))).toEqual([16_000]);
  }, 120_000);
});
