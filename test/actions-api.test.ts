import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, createUser, eventually, expectProblem, inSeconds, json, pastSoon, soon, startWorld, type World } from './support.js';

let world: World;
let supervisorAgency: { id: string };
let otherSupervisorAgency: { id: string };
let lead: { id: string; code: string };
let coordinating: { id: string; code: string };
const tokens = {} as Record<'leader' | 'lead' | 'coordinating' | 'supervisor' | 'otherSupervisor', string>;

beforeAll(async () => {
  world = await startWorld();
  supervisorAgency = await createAgency(world.db, 'Ban Noi chinh');
  otherSupervisorAgency = await createAgency(world.db, 'Ban Dan van');
  lead = await createAgency(world.db, 'Cong an tinh', supervisorAgency.id);
  coordinating = await createAgency(world.db, 'Vien KSND', supervisorAgency.id);
  tokens.leader = await createUser(world.db, { role: 'leader' });
  tokens.lead = await createUser(world.db, { role: 'officer', agencyId: lead.id });
  tokens.coordinating = await createUser(world.db, { role: 'officer', agencyId: coordinating.id });
  tokens.supervisor = await createUser(world.db, { role: 'supervisor', agencyId: supervisorAgency.id });
  tokens.otherSupervisor = await createUser(world.db, { role: 'supervisor', agencyId: otherSupervisorAgency.id });
});
afterAll(async () => world?.close());


async function issue(extra: Record<string, unknown> = {}) {
  const res = await world.call('POST', '/v1/directives', {
    token: tokens.leader,
    body: {
      title: 'Nâng cao hiệu quả phối hợp',
      leadAgency: lead.code,
      coordinatingAgencies: [coordinating.code],
      dueAt: inSeconds(3600),
      regime: { kind: 'explicit', dueDates: [inSeconds(1800)] },
      ...extra,
    },
  });
  expect(res.status).toBe(201);
  return (await json(res)).id as string;
}


describe('actions on a directive over HTTP', () => {
  it('walks acknowledgement, reports, an extension and a completion review, each answered with the directive', async () => {
    const id = await issue();
    const base = `/v1/directives/${id}`;
    let res = await world.call('POST', `${base}/acknowledgements`, { token: tokens.lead });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'in_progress' });

    res = await world.call('POST', `${base}/reports`, { token: tokens.coordinating, body: { deadlineKey: 'R1', summary: 'Phần việc phối hợp' } });
    expect(res.status).toBe(200);

    res = await world.call('POST', `${base}/extension-requests`, {
      token: tokens.lead,
      body: { proposedDueAt: inSeconds(7200), reason: 'Chờ kết quả giám định' },
    });
    expect(res.status).toBe(200);
    // A supervisor of another subtree does not even learn that the directive exists.
    expectProblem(
      await world.call('POST', `${base}/extension-requests/x1/decision`, { token: tokens.otherSupervisor, body: { approve: true } }),
      404,
    );
    res = await world.call('POST', `${base}/extension-requests/x1/decision`, { token: tokens.supervisor, body: { approve: true, note: 'Đồng ý' } });
    expect(res.status).toBe(200);
    const extended = await json(res);
    expect(Date.parse(extended.dueAt)).toBeGreaterThan(Date.now() + 7000 * 1000);

    expect((await world.call('POST', `${base}/completion`, { token: tokens.lead, body: { summary: 'Đã hoàn thành' } })).status).toBe(200);
    res = await world.call('POST', `${base}/completion/review`, { token: tokens.supervisor, body: { accept: true } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'completed', timeliness: 'completed_on_time' });

    expectProblem(await world.call('POST', `${base}/cancellation`, { token: tokens.leader, body: { reason: 'Muộn' } }), 409);
  });

  it('turns each workflow refusal into the right problem', async () => {
    const id = await issue();
    const base = `/v1/directives/${id}`;
    const byCoordinating = await world.call('POST', `${base}/completion`, { token: tokens.coordinating, body: { summary: 'x' } });
    expectProblem(byCoordinating, 403);
    expect((await json(byCoordinating)).detail).toMatch(/lead agency/);
    expectProblem(await world.call('POST', `${base}/reports`, { token: tokens.lead, body: { deadlineKey: 'Q1999-1', summary: 'x' } }), 404);
    expectProblem(await world.call('POST', `${base}/completion/review`, { token: tokens.supervisor, body: { accept: true } }), 409);
    expectProblem(await world.call('POST', `${base}/cancellation`, { token: tokens.lead, body: { reason: 'x' } }), 403);
    expectProblem(await world.call('POST', `${base}/reports`, { token: tokens.lead, body: { summary: 'no period' } }), 400);
    expectProblem(await world.call('POST', `${base}/reassignment`, { token: tokens.leader, body: { leadAgency: 'NOPE', reason: 'x' } }), 422);
    expectProblem(await world.call('POST', '/v1/directives/00000000-0000-4000-8000-0000000000ff/acknowledgements', { token: tokens.lead }), 404);

    expect((await world.call('POST', `${base}/acknowledgements`, { token: tokens.lead })).status).toBe(200);
    expectProblem(await world.call('POST', `${base}/acknowledgements`, { token: tokens.lead }), 409);
  });

  it('names each extension request in its answer, keeps a proposed day apart from an instant, and decides the one named', async () => {
    const id = await issue();
    const base = `/v1/directives/${id}`;
    const day = `${new Date().getUTCFullYear() + 1}-03-31`;
    const first = await json(await world.call('POST', `${base}/extension-requests`, { token: tokens.lead, body: { proposedDueDate: day, reason: 'Chờ giám định' } }));
    expect(first.extensionRequest).toMatchObject({ proposedDueDate: day, proposedDueAt: null, reason: 'Chờ giám định', decision: null });
    const firstId = first.extensionRequest.id as string;
    expect((await world.call('POST', `${base}/extension-requests/${firstId}/decision`, { token: tokens.supervisor, body: { approve: false, note: 'Chưa đủ căn cứ' } })).status).toBe(200);

    const instant = inSeconds(9000);
    const second = await json(await world.call('POST', `${base}/extension-requests`, { token: tokens.lead, body: { proposedDueAt: instant, reason: 'Bổ sung hồ sơ' } }));
    const secondId = second.extensionRequest.id as string;
    expect(secondId).not.toBe(firstId);
    expect(second.extensionRequest).toMatchObject({ proposedDueDate: null, proposedDueAt: instant });
    const decided = await json(await world.call('POST', `${base}/extension-requests/${secondId}/decision`, { token: tokens.supervisor, body: { approve: true } }));
    expect(decided.dueAt).toBe(instant);

    // The directive's detail lists both, with their decisions, from the history.
    const detail = await eventually(async () => {
      const d = await json(await world.call('GET', base, { token: tokens.lead }));
      return d.extensionRequests?.every((x: any) => x.decision) && d.extensionRequests.length === 2 ? d : undefined;
    });
    expect(detail.extensionRequests.map((x: any) => [x.id, x.decision.approved, x.proposedDueDate ?? x.proposedDueAt])).toEqual([
      [firstId, false, day],
      [secondId, true, instant],
    ]);
  });

  it('runs an action retried with the same Idempotency-Key once', async () => {
    const id = await issue();
    const headers = { 'idempotency-key': 'ack-once' };
    const first = await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token: tokens.coordinating, headers });
    const second = await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token: tokens.coordinating, headers });
    expect([first.status, second.status]).toEqual([200, 200]);
    const events = await json(await world.call('GET', `/v1/directives/${id}/events`));
    expect(events.items.filter((e: { type: string }) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('answers 503 with Retry-After when no worker takes the action in time, and the retry with the key runs it once', async () => {
    const id = await issue();
    await eventually(async () => (await world.call('GET', `/v1/directives/${id}/events`)).status, (status) => status === 200);
    await world.stopWorker();
    const headers = { 'idempotency-key': 'ack-while-down' };
    try {
      const started = Date.now();
      const down = await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token: tokens.lead, headers });
      expectProblem(down, 503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect((await json(down)).type).toBe('/problems/workflow-unavailable');
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await world.startWorker();
    }
    const again = await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token: tokens.lead, headers });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ status: 'in_progress' });
    const events = await json(await world.call('GET', `/v1/directives/${id}/events`));
    expect(events.items.filter((e: { type: string }) => e.type === 'acknowledged')).toHaveLength(1);
  }, 90_000);
});

describe('read scopes', () => {
  it('shows an officer only directives their agency is assigned to, and a supervisor only its subtree', async () => {
    const id = await issue();
    const outsiderAgency = await createAgency(world.db, 'Thanh tra tinh', otherSupervisorAgency.id);
    const outsider = await createUser(world.db, { role: 'officer', agencyId: outsiderAgency.id });
    await eventually(async () => {
      const d = await json(await world.call('GET', `/v1/directives/${id}`, { token: tokens.leader }));
      return d.lastSeq >= 1 ? d : undefined;
    });
    for (const token of [tokens.lead, tokens.coordinating, tokens.supervisor, tokens.leader]) {
      expect((await world.call('GET', `/v1/directives/${id}`, { token })).status).toBe(200);
      expect((await world.call('GET', `/v1/directives/${id}/events`, { token })).status).toBe(200);
    }
    for (const token of [outsider, tokens.otherSupervisor]) {
      expectProblem(await world.call('GET', `/v1/directives/${id}`, { token }), 404);
      expectProblem(await world.call('GET', `/v1/directives/${id}/events`, { token }), 404);
      expectProblem(await world.call('POST', `/v1/directives/${id}/acknowledgements`, { token }), 404);
      const list = await json(await world.call('GET', '/v1/directives?limit=100', { token }));
      expect(list.items.map((d: { id: string }) => d.id)).not.toContain(id);
    }
    const mine = await eventually(async () => {
      const list = await json(await world.call('GET', '/v1/directives?limit=100', { token: tokens.lead }));
      return list.items.some((d: { id: string }) => d.id === id) ? list : undefined;
    });
    expect(mine.items.every((d: any) => [d.leadAgency.id, ...d.coordinatingAgencies.map((a: any) => a.id)].includes(lead.id))).toBe(true);
  });
});

describe('the escalation inbox', () => {
  it('puts each rung in its recipient’s inbox, lets them acknowledge it, and shows it resolved by the late report', async () => {
    const id = await issue({
      coordinatingAgencies: [],
      regime: { kind: 'explicit', dueDates: [soon()] },
      policy: { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }] },
    });
    const inbox = async (token: string, status = 'open') =>
      ((await json(await world.call('GET', `/v1/escalations?status=${status}`, { token }))).items as Array<Record<string, any>>).filter(
        (e) => e.directiveId === id,
      );
    const [forLead] = await eventually(async () => {
      const items = await inbox(tokens.lead);
      return items.length ? items : undefined;
    }, pastSoon(1));
    expect(forLead).toMatchObject({ level: 1, deadlineKey: 'R1', target: { agencyId: lead.id } });
    const [forSupervisor] = await eventually(async () => {
      const items = await inbox(tokens.supervisor);
      return items.length ? items : undefined;
    });
    expect(forSupervisor).toMatchObject({ level: 2, target: { agencyId: supervisorAgency.id } });
    const [forLeader] = await eventually(async () => {
      const items = await inbox(tokens.leader);
      return items.some((e) => e.level === 3) ? items : undefined;
    });
    expect(forLeader!.level).toBe(3);
    expect(await inbox(tokens.otherSupervisor, 'all')).toEqual([]);

    expectProblem(await world.call('POST', `/v1/escalations/${forSupervisor!.id}/acknowledgement`, { token: tokens.otherSupervisor }), 404);
    const acked = await world.call('POST', `/v1/escalations/${forLead!.id}/acknowledgement`, { token: tokens.lead });
    expect(acked.status).toBe(200);
    expect((await json(acked)).acknowledgedAt).not.toBeNull();
    expect(await inbox(tokens.lead, 'acknowledged')).toHaveLength(1);

    expect((await world.call('POST', `/v1/directives/${id}/reports`, { token: tokens.lead, body: { deadlineKey: 'R1', summary: 'Muộn' } })).status).toBe(200);
    const resolved = await inbox(tokens.lead, 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ resolution: 'reported' });
    expect(resolved[0]!.secondsToResolution).toBeGreaterThanOrEqual(0);
    expectProblem(await world.call('GET', '/v1/escalations?status=everything', { token: tokens.lead }), 400);
  });
});
