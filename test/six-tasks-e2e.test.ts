import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONCLUSION } from '../scripts/demo/example.js';
import { createAgency, createUser, eventually, inSeconds, json, pastSoon, soon, startWorld, type World } from './support.js';

// The example conference the demo ships (../shared/examples), so the suite runs anywhere.
const text = EXAMPLE_CONCLUSION.read();

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

describe('the example conference end to end', () => {
  it('imports its six priority tasks, issues them, gets reports (one late), escalates to the supervisor, extends, and completes them', async () => {
    const bnc = await createAgency(world.db, 'Ban Noi chinh Tinh uy');
    const names = ['Cong an tinh', 'Toa an nhan dan tinh', 'Cuc THADS', 'Cong an tinh PA', 'Phong CSGT', 'To cong tac cap huyen'];
    const leads = await Promise.all(names.map((n) => createAgency(world.db, n, bnc.id)));
    const officers = await Promise.all(leads.map((a) => createUser(world.db, { role: 'officer', agencyId: a.id })));
    const leader = await createUser(world.db, { role: 'leader' });
    const supervisor = await createUser(world.db, { role: 'supervisor', agencyId: bnc.id });
    const imported = await world.call('POST', '/v1/conferences/import', { token: leader, body: { text, heldOn: '2024-10-11' } });
    expect(imported.status).toBe(200);
    const tasks: Array<{ title: string; body: string }> = (await json(imported)).drafts;
    expect(tasks).toHaveLength(6);

    // Far enough for the conference, six acknowledgements and five reports to be in before it, on a busy machine.
    const reportDue = soon(4);
    const created = await world.call('POST', '/v1/conferences', {
      token: leader,
      headers: { 'idempotency-key': `giao-ban-${Date.now()}` },
      body: {
        title: 'Hội nghị giao ban Tổ công tác cấp huyện',
        heldOn: '2024-10-11',
        directives: tasks.map((t, i) => ({
          title: t.title,
          body: t.body,
          leadAgency: leads[i]!.id,
          dueAt: inSeconds(3600),
          regime: { kind: 'explicit', dueDates: [reportDue] },
          policy: { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT30S' }] },
        })),
      },
    });
    expect(created.status).toBe(201);
    const { conference, directives } = await json(created);
    const ids: string[] = directives.map((d: { id: string }) => d.id);
    expect(directives[2].body).toContain('Chỉ thị số 19-CT/TU');

    for (const [i, id] of ids.entries()) {
      expect((await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token: officers[i]! })).status).toBe(200);
      if (i === 1) continue; // Task (2)'s court report comes in late.
      const r = await world.call('POST', `/v1/directives/${id}/reports`, { token: officers[i]!, body: { deadlineKey: 'R1', summary: `Kết quả nhiệm vụ (${i + 1})` } });
      expect(r.status).toBe(200);
    }

    const inbox = await eventually(async () => (await json(await world.call('GET', '/v1/escalations', { token: supervisor }))).items, (items) => items.some((e: any) => e.directiveId === ids[1] && e.level === 2), pastSoon(4, 17));
    const rung = inbox.find((e: any) => e.directiveId === ids[1] && e.level === 2);
    expect(rung).toMatchObject({ deadlineKey: 'R1', target: { agencyId: bnc.id } });
    const supervisorInbox = await json(await world.call('GET', '/v1/escalations?status=all', { token: supervisor }));
    expect(new Set(supervisorInbox.items.map((e: any) => e.directiveId))).toEqual(new Set([ids[1]]));
    expect((await world.call('POST', `/v1/escalations/${rung.id}/acknowledgement`, { token: supervisor })).status).toBe(200);

    const late = officers[1]!;
    expect(
      (await world.call('POST', `/v1/directives/${ids[1]}/extension-requests`, { token: late, body: { proposedDueAt: inSeconds(7200), reason: 'Chờ bản án phúc thẩm' } })).status,
    ).toBe(200);
    const approved = await json(await world.call('POST', `/v1/directives/${ids[1]}/extension-requests/x1/decision`, { token: supervisor, body: { approve: true, note: 'Đồng ý gia hạn' } }));
    expect(Date.parse(approved.dueAt)).toBeGreaterThan(Date.now() + 7000 * 1000);
    const report = await world.call('POST', `/v1/directives/${ids[1]}/reports`, { token: late, body: { deadlineKey: 'R1', summary: 'Báo cáo muộn' } });
    expect((await json(report)).escalationLevel).toBe(0);

    for (const [i, id] of ids.entries()) {
      expect((await world.call('POST', `/v1/directives/${id}/completion`, { token: officers[i]!, body: { summary: 'Hoàn thành' } })).status).toBe(200);
      const reviewed = await json(await world.call('POST', `/v1/directives/${id}/completion/review`, { token: supervisor, body: { accept: true } }));
      expect(reviewed).toMatchObject({ status: 'completed', timeliness: 'completed_on_time' });
    }

    const summary = await eventually(async () => json(await world.call('GET', `/v1/conferences/${conference.id}`, { token: leader })), (d) => d.counts.completed_on_time === 6);
    expect(summary.counts).toMatchObject({ completed_on_time: 6, completed_late: 0, open_on_time: 0, open_overdue: 0 });
    const resolved = await json(await world.call('GET', '/v1/escalations?status=resolved', { token: supervisor }));
    expect(resolved.items.filter((e: any) => e.directiveId === ids[1]).every((e: any) => e.resolution === 'reported')).toBe(true);
  }, 120_000);
});
