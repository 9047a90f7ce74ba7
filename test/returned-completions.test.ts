import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directives } from '../db/schema.js';
import { createAgency, createUserWithId, eventually, json, startWorld, webSession, type World } from './support.js';

/** A completion the reviewer sends back ("trả lại") on the real Temporal server and PostgreSQL. */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

describe('a returned completion', () => {
  it('stands returned with its count in lists and on the page, is not done in the statistics, and counts every return', async () => {
    const supervisor = await createAgency(world.db, 'Van phong UBND');
    const lead = await createAgency(world.db, 'So Xay dung', supervisor.id);
    const officer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
    const reviewer = await createUserWithId(world.db, { role: 'supervisor', agencyId: supervisor.id });
    const res = await world.call('POST', '/v1/directives', { body: { title: 'Hoàn thiện hồ sơ quy hoạch', leadAgency: lead.id, dueAt: new Date(Date.now() + 3_600_000).toISOString() } });
    const { id } = await json(res);
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
    const submit = () => world.call('POST', `/v1/directives/${id}/completion`, { token: officer.token, body: { summary: 'Đã hoàn thành' } });
    const review = (accept: boolean, note = '') => world.call('POST', `/v1/directives/${id}/completion/review`, { token: reviewer.token, body: { accept, note } });
    const projected = async (returned: boolean, returnCount: number) =>
      eventually(async () => {
        const [row] = await world.db.select().from(directives).where(eq(directives.id, id));
        return row?.returned === returned && row.returnCount === returnCount ? row : undefined;
      });

    expect((await submit()).status).toBe(200);
    // A return needs its reason.
    expect((await review(false)).status).toBe(422);
    const returned = await review(false, 'Thiếu bản vẽ');
    expect(returned.status).toBe(200);
    expect(await json(returned)).toMatchObject({ status: 'in_progress', returned: true, returnCount: 1 });
    await projected(true, 1);

    // In the list of returned ones, with its mark on the list and the page.
    const listed = await json(await world.call('GET', `/v1/directives?returned=true&leadAgency=${lead.id}`));
    expect(listed.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect((await json(await world.call('GET', `/v1/directives?returned=false&leadAgency=${lead.id}`))).items).toEqual([]);
    const page = await webSession(world, 'admin');
    expect(await (await page.get(`/directives/${id}`)).text()).toContain('Bị trả lại');
    expect(await (await page.get('/directives?returned=on')).text()).toContain('Hoàn thiện hồ sơ quy hoạch');

    // Not done in the statistics: counted open for its lead agency, nothing completed.
    const day = (offset: number) => new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const stats = await json(await world.call('GET', `/v1/statistics?period=${day(-1)}..${day(1)}&groupBy=lead`));
    const line = stats.rows.find((r: { key: { id: string } | null }) => r.key?.id === lead.id);
    expect(line.counts).toMatchObject({ total: 1, open_on_time: 1, completed_on_time: 0, completed_late: 0 });

    // Submitted again it no longer stands returned; each return is counted.
    expect((await submit()).status).toBe(200);
    await projected(false, 1);
    expect((await review(false, 'Vẫn thiếu thuyết minh')).status).toBe(200);
    await projected(true, 2);
    expect((await submit()).status).toBe(200);
    expect(await json(await review(true, 'Đạt'))).toMatchObject({ status: 'completed', returned: false, returnCount: 2 });
    await projected(false, 2);
  }, 60_000);
});
