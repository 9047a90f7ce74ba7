import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, createUserWithId, expectProblem, freshDatabase, json, startWorld, type World } from './support.js';
import { accepted, acknowledged, cancelled, endOf, extended, issued, reassigned, rejected, submitted, vn, writeConference, writeHistories } from './statistics-history.js';

/**
 * A history written by hand, every number worked out on paper. Quarter III of 2025 as Decree 09 cuts it off
 * runs from 15/06/2025 to 14/09/2025; the counts are as of 24:00 on 14/09/2025.
 *
 *   D1  A lead, B coord; due 31/08; submitted 20/08, accepted 22/08        → completed on time (A)
 *   D2  A lead; due 15/08; submitted 20/09, accepted 21/09 (after the end)  → open overdue (A), 30 days
 *   D3  B lead; due 10/08; extension to 31/10 approved 20/09 (after)        → open overdue (B), 35 days
 *   D4  A lead, C coord, reassigned to B on 01/08; due 30/09; issued by L2, at a review conference → open on time (B)
 *   D5  C lead; cancelled 15/08                                            → cancelled (C), apart
 *   D6  A lead; no final deadline (standing)                               → no deadline (A)
 *   D7  B lead; due 10/06; submitted 12/06, accepted 13/06: closed before the quarter → not counted
 *                                                                            (in Q2: completed late)
 *   D8  C lead; due 10/09; submitted 05/09, rejected 06/09, submitted 08/09, accepted 12/09 → completed on time (C)
 *   D9  C lead; due 31/07; submitted 10/08, accepted 11/08                  → completed late (C)
 *   D10 A lead; issued 20/09, after the end                                 → not counted
 *   D11 B lead; due 01/08, extended on 25/07 to 15/10 (within the quarter)  → open on time (B)
 */
let world: World;
let drop: () => Promise<void>;
let A: { id: string }, B: { id: string }, C: { id: string }, S: { id: string };
let L1: { id: string; token: string }, L2: { id: string; token: string };
let K1: string, K2: string;
let ids: string[];
const call = (method: string, path: string, body?: unknown, token?: string) => world.call(method, path, { ...(body === undefined ? {} : { body }), ...(token ? { token } : {}) });
const get = async (path: string, token?: string) => {
  const res = await call('GET', path, undefined, token);
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
};
const counts = (c: Partial<Record<string, number>>) => ({
  completed_on_time: 0,
  completed_late: 0,
  open_on_time: 0,
  open_overdue: 0,
  no_deadline: 0,
  cancelled: 0,
  total: 0,
  ...c,
});

beforeAll(async () => {
  const database = await freshDatabase();
  drop = () => database.drop();
  world = await startWorld({ database });
  const db = world.db;
  S = await createAgency(db, 'Ban Noi chinh');
  A = await createAgency(db, 'Cong an tinh', S.id);
  B = await createAgency(db, 'Toa an tinh', S.id);
  C = await createAgency(db, 'Thanh tra tinh');
  L1 = await createUserWithId(db, { role: 'leader' });
  L2 = await createUserWithId(db, { role: 'leader' });
  K1 = await writeConference(db, 'Giao ban quý III/2025', 'giao_ban');
  K2 = await writeConference(db, 'Tổng kết 6 tháng 2025', 'tong_ket');
  const own = (title: string, events: Parameters<typeof writeHistories>[1][number]['events'], o: { conferenceId?: string; issuedBy?: string } = {}) => ({
    title,
    conferenceId: o.conferenceId ?? K1,
    issuedBy: o.issuedBy ?? L1.id,
    events,
  });
  ids = await writeHistories(db, [
    own('D1', [issued(vn('2025-07-01'), A.id, endOf('2025-08-31'), [B.id]), acknowledged(vn('2025-07-02'), A.id), submitted(vn('2025-08-20')), accepted(vn('2025-08-22'))]),
    own('D2', [issued(vn('2025-07-01'), A.id, endOf('2025-08-15')), submitted(vn('2025-09-20')), accepted(vn('2025-09-21'))]),
    own('D3', [issued(vn('2025-07-05'), B.id, endOf('2025-08-10')), extended(vn('2025-09-20'), endOf('2025-10-31'))]),
    own(
      'D4',
      [
        issued(vn('2025-07-10'), A.id, endOf('2025-09-30'), [C.id]),
        reassigned(vn('2025-08-01'), { leadAgencyId: A.id, coordinatingAgencyIds: [C.id] }, { leadAgencyId: B.id, coordinatingAgencyIds: [C.id] }),
      ],
      { conferenceId: K2, issuedBy: L2.id },
    ),
    own('D5', [issued(vn('2025-07-10'), C.id, endOf('2025-08-31')), cancelled(vn('2025-08-15'))]),
    own('D6', [issued(vn('2025-06-20'), A.id, null)]),
    own('D7', [issued(vn('2025-06-01'), B.id, endOf('2025-06-10')), submitted(vn('2025-06-12')), accepted(vn('2025-06-13'))]),
    own('D8', [issued(vn('2025-08-01'), C.id, endOf('2025-09-10')), submitted(vn('2025-09-05')), rejected(vn('2025-09-06')), submitted(vn('2025-09-08')), accepted(vn('2025-09-12'))]),
    own('D9', [issued(vn('2025-07-01'), C.id, endOf('2025-07-31')), submitted(vn('2025-08-10')), accepted(vn('2025-08-11'))]),
    own('D10', [issued(vn('2025-09-20'), A.id, endOf('2025-12-31'))]),
    own('D11', [issued(vn('2025-07-01'), B.id, endOf('2025-08-01')), extended(vn('2025-07-25'), endOf('2025-10-15'))]),
  ]);
});
afterAll(async () => {
  await world?.close();
  await drop?.();
});

const line = (rows: any[], id: string) => rows.find((r) => r.key?.id === id);

describe('statistics as of the end of a period', () => {
  it('counts each agency as things stood at 24:00 on 14/09/2025: later completions stay open, a later extension does not rewrite the past', async () => {
    const s = await get('/v1/statistics?period=2025-Q3&groupBy=lead');
    expect(s.period).toMatchObject({ label: '2025-Q3', from: '2025-06-15', to: '2025-09-14' });
    expect(s.asOf).toBe(endOf('2025-09-14'));
    expect(line(s.rows, A.id).counts).toEqual(counts({ completed_on_time: 1, open_overdue: 1, no_deadline: 1, total: 3 }));
    // D4 counts for B, which owned it at the end; D3 is overdue against the deadline in force then.
    expect(line(s.rows, B.id).counts).toEqual(counts({ open_on_time: 2, open_overdue: 1, total: 3 }));
    expect(line(s.rows, C.id).counts).toEqual(counts({ completed_on_time: 1, completed_late: 1, cancelled: 1, total: 2 }));
    expect(s.rows).toHaveLength(3);
    expect(s.totals).toEqual(counts({ completed_on_time: 2, completed_late: 1, open_on_time: 2, open_overdue: 2, no_deadline: 1, cancelled: 1, total: 8 }));
  });

  it('counts province-wide, by conference, by supervising agency with its subtree, and by assigned agency with coordination apart', async () => {
    const province = await get('/v1/statistics?period=2025-Q3&groupBy=province');
    expect(province.rows).toEqual([{ key: null, counts: counts({ completed_on_time: 2, completed_late: 1, open_on_time: 2, open_overdue: 2, no_deadline: 1, cancelled: 1, total: 8 }) }]);

    const byConference = await get('/v1/statistics?period=2025-Q3&groupBy=conference');
    expect(line(byConference.rows, K1).counts).toEqual(counts({ completed_on_time: 2, completed_late: 1, open_on_time: 1, open_overdue: 2, no_deadline: 1, cancelled: 1, total: 7 }));
    expect(line(byConference.rows, K2).counts).toEqual(counts({ open_on_time: 1, total: 1 }));

    // S supervises A and B; C is supervised by nobody, so only S has a line.
    const bySupervisor = await get('/v1/statistics?period=2025-Q3&groupBy=supervisor');
    expect(bySupervisor.rows).toHaveLength(1);
    expect(line(bySupervisor.rows, S.id).counts).toEqual(counts({ completed_on_time: 1, open_on_time: 2, open_overdue: 2, no_deadline: 1, total: 6 }));

    const byAssigned = await get('/v1/statistics?period=2025-Q3&groupBy=assigned');
    expect(line(byAssigned.rows, A.id)).toMatchObject({ lead: counts({ completed_on_time: 1, open_overdue: 1, no_deadline: 1, total: 3 }), coordinating: counts({}) });
    expect(line(byAssigned.rows, B.id)).toMatchObject({ lead: counts({ open_on_time: 2, open_overdue: 1, total: 3 }), coordinating: counts({ completed_on_time: 1, total: 1 }) });
    expect(line(byAssigned.rows, C.id)).toMatchObject({
      lead: counts({ completed_on_time: 1, completed_late: 1, cancelled: 1, total: 2 }),
      coordinating: counts({ open_on_time: 1, total: 1 }),
    });
    // Each directive once in the total, however many agencies share it.
    expect(byAssigned.totals.total).toBe(8);
  });

  it('filters by conference kind and by the leader who issued', async () => {
    const review = await get('/v1/statistics?period=2025-Q3&groupBy=province&conferenceKind=tong_ket');
    expect(review.totals).toEqual(counts({ open_on_time: 1, total: 1 }));
    const byL2 = await get(`/v1/statistics?period=2025-Q3&groupBy=lead&issuedBy=${L2.id}`);
    expect(byL2.rows.map((r: any) => [r.key.id, r.counts.total])).toEqual([[B.id, 1]]);
    const byL1 = await get(`/v1/statistics?period=2025-Q3&groupBy=province&issuedBy=${L1.id}`);
    expect(byL1.totals.total).toBe(7);
  });

  it('counts an earlier quarter from the same history, and an instant within a period', async () => {
    // Q2 runs 15/03–14/06/2025: only D7 (completed late) and D6 is not issued until 20/06.
    const q2 = await get('/v1/statistics?period=2025-Q2&groupBy=lead');
    expect(q2.rows).toEqual([{ key: expect.objectContaining({ id: B.id }), counts: counts({ completed_late: 1, total: 1 }) }]);
    // On 21/08 D1 was still open on time (accepted on 22/08), D9 already completed late, D5 already cancelled.
    const mid = await get(`/v1/statistics?period=2025-Q3&groupBy=lead&asOf=${encodeURIComponent(vn('2025-08-21'))}`);
    expect(line(mid.rows, A.id).counts).toEqual(counts({ open_on_time: 1, open_overdue: 1, no_deadline: 1, total: 3 }));
    expect(line(mid.rows, C.id).counts).toEqual(counts({ completed_late: 1, open_on_time: 1, cancelled: 1, total: 2 }));
  });

  it('lists exactly the directives behind a number, with the days they were overdue', async () => {
    const overdue = await get('/v1/statistics/directives?period=2025-Q3&category=open_overdue');
    expect(overdue.total).toBe(2);
    expect(overdue.items.map((i: any) => [i.title, i.leadAgency.id, i.daysLate])).toEqual([
      ['D3', B.id, 35],
      ['D2', A.id, 30],
    ]);
    const late = await get(`/v1/statistics/directives?period=2025-Q3&groupBy=lead&key=${C.id}&category=completed_late`);
    expect(late.items.map((i: any) => [i.title, i.daysLate])).toEqual([['D9', 10]]);
    const coordinated = await get(`/v1/statistics/directives?period=2025-Q3&groupBy=assigned&key=${C.id}&role=coordinating`);
    expect(coordinated.items.map((i: any) => i.title)).toEqual(['D4']);
    const bySupervisor = await get(`/v1/statistics/directives?period=2025-Q3&groupBy=supervisor&key=${S.id}`);
    expect(bySupervisor.total).toBe(6);
    expect(ids).toHaveLength(11);
  });

  it('scopes what an officer and a supervisor see to their agencies', async () => {
    const officer = await createUserWithId(world.db, { role: 'officer', agencyId: C.id });
    const mine = await get('/v1/statistics?period=2025-Q3&groupBy=province', officer.token);
    // C's own three (D5 cancelled apart) and D4, which it coordinates.
    expect(mine.totals).toEqual(counts({ completed_on_time: 1, completed_late: 1, open_on_time: 1, cancelled: 1, total: 3 }));
    const supervisor = await createUserWithId(world.db, { role: 'supervisor', agencyId: S.id });
    const theirs = await get('/v1/statistics?period=2025-Q3&groupBy=lead', supervisor.token);
    expect(theirs.rows.map((r: any) => r.key.id).sort()).toEqual([A.id, B.id].sort());
    const card = await get('/v1/statistics/scorecard?period=2025-Q3', officer.token);
    expect(card.rows.map((r: any) => r.agency.id)).toEqual([C.id]);
  });

  it('refuses a period it cannot count, with a problem naming the field', async () => {
    for (const q of ['period=2025-Q5', 'period=2025-02-30..2025-03-01', 'period=2099-Q1', 'period=2025-Q3&asOf=2025-01-01T00:00:00Z', 'period=2025-Q3&groupBy=district']) {
      const res = await call('GET', `/v1/statistics?${q}`);
      expect([400, 422], q).toContain(res.status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});

describe('scorecards, ranking and published results', () => {
  const R1 = {
    points: { completed_on_time: 10, completed_late: 6, open_on_time: 8, open_overdue: 0, no_deadline: null },
    weights: { lead: 1, coordinating: 0.5 },
    bands: { green: 80, yellow: 50 },
  };

  it('ranks agencies by the rule an admin saved, with their colour bands', async () => {
    const saved = await call('PUT', '/v1/scoring-rule', R1);
    expect(saved.status).toBe(200);
    const card = await get('/v1/statistics/scorecard?period=2025-Q3');
    // C: lead 10+6 of 20, coordinating 0.5×8 of 0.5×10 → 20/25; B: 16/30 + 5/5 → 21/35; A: 10/20.
    expect(card.rows.map((r: any) => [r.agency.id, r.score, r.band, r.rank])).toEqual([
      [C.id, 80, 'green', 1],
      [B.id, 60, 'yellow', 2],
      [A.id, 50, 'yellow', 3],
    ]);
  });

  it('refuses a rule that cannot score, and lets only an admin change it', async () => {
    expectProblem(await call('PUT', '/v1/scoring-rule', { ...R1, bands: { green: 40, yellow: 60 } }), 422);
    expectProblem(await call('PUT', '/v1/scoring-rule', { ...R1, points: { ...R1.points, open_overdue: -1 } }), 400);
    expectProblem(await call('PUT', '/v1/scoring-rule', R1, L1.token), 403);
  });

  it('keeps a published result as it was when the rule later changes', async () => {
    expectProblem(await call('POST', '/v1/published-results', { period: '2025-Q3' }), 403);
    const published = await call('POST', '/v1/published-results', { period: '2025-Q3', note: 'Kết quả quý III' }, L1.token);
    expect(published.status).toBe(201);
    const frozen = await json(published);
    expect(frozen.report.rule).toEqual(R1);
    expect(frozen.ruleVersion).toBeGreaterThan(0);
    expectProblem(await call('POST', '/v1/published-results', { period: '2025-Q3' }, L1.token), 409);
    // A period still running cannot be frozen.
    const day = (offset: number) => new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    expectProblem(await call('POST', '/v1/published-results', { period: `${day(0)}..${day(1)}` }, L1.token), 409);

    const R2 = { ...R1, points: { completed_on_time: 100, completed_late: 50, open_on_time: 100, open_overdue: 0, no_deadline: null }, weights: { lead: 1, coordinating: 0.3 }, bands: { green: 90, yellow: 70 } };
    expect((await call('PUT', '/v1/scoring-rule', R2)).status).toBe(200);
    const live = await get('/v1/statistics/scorecard?period=2025-Q3');
    // C: (100+50 + 0.3×100) / (200 + 30) = 78.26; B: (200 + 30) / (300 + 30) = 69.70; A: 100/200.
    expect(live.rows.map((r: any) => [r.agency.id, r.score, r.band])).toEqual([
      [C.id, 78.26, 'yellow'],
      [B.id, 69.7, 'red'],
      [A.id, 50, 'red'],
    ]);
    const again = await get('/v1/published-results/2025-Q3');
    expect(again.report.rule).toEqual(R1);
    expect(again.report.scorecard.map((r: any) => [r.agency.id, r.score, r.band, r.rank])).toEqual([
      [C.id, 80, 'green', 1],
      [B.id, 60, 'yellow', 2],
      [A.id, 50, 'yellow', 3],
    ]);
    expect(again.report.totals.total).toBe(8);
    expect(again.publishedBy.id).toBe(L1.id);
    const list = await get('/v1/published-results');
    expect(list.items.map((i: any) => i.period)).toEqual(['2025-Q3']);
  });
});
