import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, createUser, eventually, json, startWorld, type World } from './support.js';

let world: World;
let lead: { id: string; code: string };
let other: { id: string; code: string };
beforeAll(async () => {
  world = await startWorld();
  lead = await createAgency(world.db, 'Cong an tinh');
  other = await createAgency(world.db, 'Toa an tinh');
});
afterAll(async () => world?.close());

const y = new Date().getUTCFullYear() + 1;
const conference = (n: number) => ({
  title: 'Hội nghị giao ban Tổ công tác cấp huyện',
  heldOn: '2024-10-11',
  conclusionRef: 'Kết luận hội nghị giao ban',
  directives: Array.from({ length: n }, (_, i) => ({
    title: `Nhiệm vụ trọng tâm (${i + 1})`,
    leadAgency: i % 2 ? other.code : lead.code,
    dueDate: `${y}-06-30`,
  })),
});

describe('conferences', () => {
  it('records a conference and issues its six directives once, however often the call is retried', async () => {
    const headers = { 'idempotency-key': `conf-${Date.now()}` };
    const first = await world.call('POST', '/v1/conferences', { body: conference(6), headers });
    expect(first.status).toBe(201);
    const created = await json(first);
    expect(created.directives).toHaveLength(6);
    const retry = await json(await world.call('POST', '/v1/conferences', { body: conference(6), headers }));
    expect(retry.conference.id).toBe(created.conference.id);
    expect(retry.directives.map((d: { id: string }) => d.id)).toEqual(created.directives.map((d: { id: string }) => d.id));

    const detail = await eventually(async () => {
      const d = await json(await world.call('GET', `/v1/conferences/${created.conference.id}`));
      return d.directives?.length === 6 ? d : undefined;
    });
    expect(detail.counts).toMatchObject({ open_on_time: 6, open_overdue: 0, completed_on_time: 0, completed_late: 0 });
    const count = await world.client.workflow.count(`ConferenceId = '${created.conference.id}'`);
    expect(count.count).toBe(6);

    const officer = await createUser(world.db, { role: 'officer', agencyId: lead.id });
    const mine = await json(await world.call('GET', `/v1/conferences/${created.conference.id}`, { token: officer }));
    expect(mine.directives).toHaveLength(3);
    const list = await json(await world.call('GET', '/v1/conferences'));
    expect(list.items.map((c: { id: string }) => c.id)).toContain(created.conference.id);
  });

  it('issues nothing when one directive is invalid, pointing at it', async () => {
    const body = conference(3);
    body.directives[2]!.leadAgency = 'NO-SUCH';
    const res = await world.call('POST', '/v1/conferences', { body });
    expect(res.status).toBe(422);
    expect((await json(res)).errors[0].pointer).toBe('/directives/2/leadAgency');
    const officer = await createUser(world.db, { role: 'officer', agencyId: lead.id });
    expect((await world.call('POST', '/v1/conferences', { body: conference(1), token: officer })).status).toBe(403);
  });
});
