import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendarOfRecord } from '../db/calendar-of-record.js';
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

  it('answers each day off with its source, and says whether the year was checked against the decisions', async () => {
    const cal = await json(await world.call('GET', '/v1/calendar/2024'));
    expect(cal.verified).toBe(true);
    expect(cal.occasions.map((o: { occasion: string }) => o.occasion)).toEqual(expect.arrayContaining(['Tết Nguyên đán', 'Quốc khánh 2/9']));
    const day = (date: string) => cal.holidays.find((h: { date: string }) => h.date === date);
    // 29 Chạp Quý Mão: not a statutory day, the Prime Minister's decision made it one.
    expect(day('2024-02-08')).toMatchObject({ kind: 'override', source: { kind: 'decision', document: expect.stringContaining('8662/VPCP-KGVX') } });
    // Mùng 1: the statute's day, which the same decision lists.
    expect(day('2024-02-10')).toMatchObject({ kind: 'statutory', source: { kind: 'statute' }, decidedBy: { kind: 'decision' } });
    // The computed compensatory day after Tết was a working day; the make-up Saturday for 29/4 too.
    expect(day('2024-02-15')).toBeUndefined();
    expect(cal.workingDays.map((o: { date: string }) => o.date)).toEqual(['2024-02-15', '2024-05-04']);
    const unknown = await json(await world.call('GET', '/v1/calendar/2027'));
    expect(unknown).toMatchObject({ verified: false, occasions: [] });
    expect(unknown.holidays.every((h: { source: { kind: string } }) => h.source.kind === 'statute' || h.source.kind === 'computed')).toBe(true);
  });

  it("keeps an admin's own override on a day of record when the record is loaded again, and loads nothing twice", async () => {
    expect(await loadCalendarOfRecord(world.db)).toEqual([]);
    const put = await world.call('PUT', '/v1/calendar/overrides/2024-05-04', { body: { kind: 'day_off', note: 'Tỉnh cho nghỉ' } });
    expect(await json(put)).toMatchObject({ kind: 'day_off', source: null });
    expect(await loadCalendarOfRecord(world.db)).toEqual([]);
    const cal = await json(await world.call('GET', '/v1/calendar/2024'));
    expect(cal.holidays.find((h: { date: string }) => h.date === '2024-05-04')).toMatchObject({ source: { kind: 'admin' } });
    // Removed, the day of record comes back at the next load.
    expect((await world.call('DELETE', '/v1/calendar/overrides/2024-05-04')).status).toBe(204);
    expect(await loadCalendarOfRecord(world.db)).toEqual(['2024-05-04']);
    expect((await json(await world.call('GET', '/v1/calendar/2024'))).workingDays.map((o: { date: string }) => o.date)).toContain('2024-05-04');
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
