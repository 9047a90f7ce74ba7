import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, json, startWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());


describe('the working-day calendar over HTTP', () => {
  it('shows a year’s days off with the Government’s 2026 New Year swap from the seeded override table', async () => {
    const cal = await json(await world.call('GET', '/v1/calendar/2026'));
    const days = cal.holidays.map((h: { date: string }) => h.date);
    expect(days).toEqual(expect.arrayContaining(['2026-01-01', '2026-01-02', '2026-02-17', '2026-04-27', '2026-09-02']));
    expect(cal.overrides).toEqual(
      expect.arrayContaining([expect.objectContaining({ date: '2026-01-10', kind: 'working_day' })]),
    );
  });

  it('lets admins, and only admins, add and remove an override', async () => {
    const officer = await createUser(world.db, { role: 'officer' });
    const body = { kind: 'day_off', note: 'Nghỉ bù theo quyết định của Thủ tướng' };
    expect((await world.call('PUT', '/v1/calendar/overrides/2099-03-03', { body, token: officer })).status).toBe(403);
    const put = await world.call('PUT', '/v1/calendar/overrides/2099-03-03', { body });
    expect(put.status).toBe(200);
    const cal = await json(await world.call('GET', '/v1/calendar/2099'));
    expect(cal.holidays).toEqual(expect.arrayContaining([expect.objectContaining({ date: '2099-03-03', kind: 'override' })]));
    expect((await world.call('DELETE', '/v1/calendar/overrides/2099-03-03')).status).toBe(204);
    expect((await world.call('DELETE', '/v1/calendar/overrides/2099-03-03')).status).toBe(404);
    expect((await world.call('PUT', '/v1/calendar/overrides/2099-02-30', { body })).status).toBe(400);
    expect((await world.call('GET', '/v1/calendar/1800')).status).toBe(400);
  });
});
