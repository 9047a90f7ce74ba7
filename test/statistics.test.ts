import ExcelJS from 'exceljs';
import JSZip from 'jszip';
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

describe('reports in the formats provinces use', () => {
  const fetchFile = async (path: string) => {
    const res = await call('GET', path);
    expect(res.status, await res.clone().text()).toBe(200);
    return { type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  it('writes an Excel workbook with a sheet per grouping, Vietnamese headers, formulas for totals and rates, and a frozen header row', async () => {
    const file = await fetchFile('/v1/statistics/report?period=2025-Q3&format=xlsx');
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.disposition).toContain('bao-cao-2025-Q3.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Toàn tỉnh', 'Cơ quan chủ trì', 'Cơ quan được giao', 'Cơ quan theo dõi', 'Hội nghị', 'Xếp hạng', 'Quá hạn chưa hoàn thành']);
    // A formula whose value is 0 carries no cached result: the spreadsheet computes them all as it opens.
    expect(await (await JSZip.loadAsync(file.bytes)).file('xl/workbook.xml')!.async('string')).toMatch(/<calcPr[^>]*fullCalcOnLoad="1"/);

    const lead = wb.getWorksheet('Cơ quan chủ trì')!;
    expect(lead.getCell('A1').value).toBe('KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ III NĂM 2025');
    expect(lead.getCell('A2').value).toBe('Kỳ báo cáo từ ngày 15/06/2025 đến ngày 14/09/2025; số liệu tính đến 24:00 ngày 14/09/2025.');
    expect(lead.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect((lead.getRow(4).values as unknown[]).slice(1, 9)).toEqual([
      'STT',
      'Cơ quan chủ trì',
      'Tổng số',
      'Hoàn thành đúng hạn',
      'Hoàn thành quá hạn',
      'Đang thực hiện trong hạn',
      'Đang thực hiện quá hạn',
      'Thường xuyên (không có thời hạn)',
    ]);
    // Lines by name: Cong an tinh (A), Thanh tra tinh (C), Toa an tinh (B).
    const rowOf = (name: string) => [5, 6, 7, 8].map((n) => lead.getRow(n)).find((r) => r.getCell(2).value === name)!;
    const a = rowOf('Cong an tinh');
    expect(a.getCell(3).value).toEqual({ formula: `SUM(D${a.number}:H${a.number})`, result: 3 });
    expect([4, 5, 6, 7, 8].map((c) => a.getCell(c).value)).toEqual([1, 0, 0, 1, 1]);
    expect(a.getCell(9).value).toMatchObject({ formula: `IF(C${a.number}=0,"",(D${a.number}+E${a.number})/C${a.number})` });
    expect((a.getCell(9).value as { result: number }).result).toBeCloseTo(1 / 3, 6);
    expect(a.getCell(9).numFmt).toBe('0.0%');
    const c = rowOf('Thanh tra tinh');
    expect(c.getCell(12).value).toBe(1);
    const totals = lead.getRow(8);
    expect(totals.getCell(2).value).toBe('Tổng cộng');
    expect(totals.getCell(4).value).toEqual({ formula: 'SUM(D5:D7)', result: 2 });
    expect(totals.getCell(7).value).toEqual({ formula: 'SUM(G5:G7)', result: 2 });
    expect(totals.getCell(3).value).toEqual({ formula: 'SUM(D8:H8)', result: 8 });

    const assigned = wb.getWorksheet('Cơ quan được giao')!;
    const lastTwo = [assigned.rowCount - 1, assigned.rowCount].map((n) => assigned.getRow(n));
    expect(lastTwo.map((r) => r.getCell(2).value)).toEqual(['Tổng cộng (chủ trì)', 'Tổng cộng (phối hợp)']);
    expect(lastTwo[0]!.getCell(5).value).toEqual({ formula: 'SUMIF(C5:C10,"Chủ trì",E5:E10)', result: 2 });
    expect((lastTwo[1]!.getCell(4).value as { result: number }).result).toBe(2);

    const overdue = wb.getWorksheet('Quá hạn chưa hoàn thành')!;
    expect([5, 6].map((n) => [overdue.getRow(n).getCell(2).value, overdue.getRow(n).getCell(3).value, overdue.getRow(n).getCell(5).value])).toEqual([
      ['D3', 'Toa an tinh', 35],
      ['D2', 'Cong an tinh', 30],
    ]);
    const ranking = wb.getWorksheet('Xếp hạng')!;
    expect([5, 6, 7].map((n) => ranking.getRow(n).getCell(2).value)).toEqual(['Thanh tra tinh', 'Toa an tinh', 'Cong an tinh']);
  });

  it('writes a Word report laid out as an official document: issuing body and national motto, number and symbol, place and date, the table and the overdue list', async () => {
    const file = await fetchFile('/v1/statistics/report?period=2025-Q3&format=docx&number=15&date=2025-09-02');
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const zip = await JSZip.loadAsync(file.bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    const texts = (fragment: string) => [...fragment.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    const all = texts(xml);
    expect(all).toContain('TỈNH ỦY ĐỒNG THÁP');
    expect(all).toContain('BAN NỘI CHÍNH');
    expect(all).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(all).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(all).toContain('Số: 15/BC-BNCTU');
    expect(all).toContain('Đồng Tháp, ngày 02 tháng 9 năm 2025');
    expect(all).toContain('BÁO CÁOKết quả thực hiện nhiệm vụ được giao quý III năm 2025');
    expect(all).toContain('số liệu tính đến 24:00 ngày 14/09/2025');
    expect(all).toContain('Tổng số nhiệm vụ: 8');
    const styles = await zip.file('word/styles.xml')!.async('string');
    expect(styles).toMatch(/w:ascii="Times New Roman"/);

    const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((m) => [...m[1]!.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => texts(c[1]!))));
    const summary = tables.find((t) => t[0]?.[1] === 'Cơ quan chủ trì')!;
    expect(summary.slice(1)).toEqual([
      ['1', 'Cong an tinh', '3', '1', '0', '0', '1', '1'],
      ['2', 'Thanh tra tinh', '2', '1', '1', '0', '0', '0'],
      ['3', 'Toa an tinh', '3', '0', '0', '2', '1', '0'],
      ['', 'Tổng cộng', '8', '2', '1', '2', '2', '1'],
    ]);
    const overdue = tables.find((t) => t[0]?.[1] === 'Nội dung nhiệm vụ')!;
    expect(overdue.slice(1)).toEqual([
      ['1', 'D3', 'Toa an tinh', '10/08/2025', '35'],
      ['2', 'D2', 'Cong an tinh', '15/08/2025', '30'],
    ]);
    // The rule in force now (R2) bands A and B red; both still have overdue directives.
    expect(all).toContain('Các cơ quan xếp loại đỏ (dưới 70 điểm theo quy tắc chấm điểm): Toa an tinh (69,7 điểm); Cong an tinh (50 điểm)');
    expect(all).toContain('Các cơ quan còn nhiệm vụ đang thực hiện quá hạn: Cong an tinh (1 nhiệm vụ); Toa an tinh (1 nhiệm vụ)');
  });

  it('writes CSV: a grouping of a statistic, and the scorecard of a report', async () => {
    const grouped = await fetchFile('/v1/statistics?period=2025-Q3&groupBy=lead&format=csv');
    expect(grouped.type).toBe('text/csv; charset=utf-8');
    const lines = grouped.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('Mã,Cơ quan chủ trì,Tổng số,Hoàn thành đúng hạn,Hoàn thành quá hạn,Đang thực hiện trong hạn,Đang thực hiện quá hạn,Thường xuyên (không có thời hạn),Đã hủy (không tính vào tổng số),Tỷ lệ hoàn thành,Tỷ lệ hoàn thành đúng hạn,Tỷ lệ quá hạn');
    expect(lines).toContain(`${C.id},Thanh tra tinh,2,1,1,0,0,0,1,1.0000,0.5000,0.5000`);
    const card = await fetchFile('/v1/statistics/report?period=2025-Q3&format=csv');
    expect(card.bytes.toString('utf8').split('\n')[1]).toMatch(new RegExp(`^1,${C.id},Thanh tra tinh,78.26,Vàng,`));
  });

  it('exports a published result exactly as frozen', async () => {
    const file = await fetchFile('/v1/published-results/2025-Q3/report?format=json');
    const frozen = JSON.parse(file.bytes.toString('utf8'));
    expect(frozen.scorecard[0]).toMatchObject({ agency: { id: C.id }, score: 80, band: 'green' });
    expectProblem(await call('GET', '/v1/published-results/2025-Q4'), 404);
  });
});
