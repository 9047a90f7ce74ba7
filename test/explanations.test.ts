import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directiveEvents, directives, escalations, explanationRequests, notifications } from '../db/schema.js';
import type { Escalation } from '../domain/directive.js';
import { pdf } from './files.js';
import { createAgency, createUserWithId, eventually, inSeconds, json, pastSoon, soon, startWorld, webSession, type World } from './support.js';

/**
 * Explanation requests ("yêu cầu giải trình") on the real Temporal server and PostgreSQL: asked of an agency
 * whose item is overdue, reminded and escalated on their own ladder, answered with a file, closed, counted.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

/** Reminded 2 s before a due instant; rungs 1, 3 and 5 s after it. */
const POLICY = { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT3S' }, { duration: 'PT5S' }] };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);

const upload = (directiveId: string, token: string, name: string, bytes: Buffer, query: string) => {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return world.app.request(`/v1/directives/${directiveId}/attachments?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
};

describe('explanation requests', () => {
  it('escalate on their own ladder exactly once per rung when unanswered; are answered with a file by the agency asked, closed by a supervisor and counted', async () => {
    const above = await createAgency(world.db, 'Van phong UBND tinh');
    const lead = await createAgency(world.db, 'So Giao thong Van tai', above.id);
    const coord = await createAgency(world.db, 'So Tai chinh', above.id);
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const leadOfficer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
    const coordOfficer = await createUserWithId(world.db, { role: 'officer', agencyId: coord.id });
    const supervisor = await createUserWithId(world.db, { role: 'supervisor', agencyId: above.id });

    // A report (R1) due soon for both agencies and the final deadline a second later for the lead.
    const issued = await world.call('POST', '/v1/directives', {
      token: leader.token,
      body: {
        title: 'Giải ngân vốn đầu tư công các dự án giao thông',
        leadAgency: lead.id,
        coordinatingAgencies: [coord.id],
        dueAt: soon(1),
        regime: { kind: 'explicit', dueDates: [soon()] },
        policy: POLICY,
      },
    });
    expect(issued.status).toBe(201);
    const id = (await json(issued)).id as string;
    const path = `/v1/directives/${id}/explanation-requests`;
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);

    // Nothing is overdue yet: nothing to explain.
    const early = await world.call('POST', path, { token: leader.token, body: { agency: lead.id, deadlineKey: 'final', question: 'Vì sao chậm?', dueAt: inSeconds(60) } });
    expect(early.status).toBe(409);
    expect((await json(early)).detail).toBe('The item is not overdue for that agency.');

    // The coordinating agency reports on time; the final deadline passes unmet.
    expect((await world.call('POST', `/v1/directives/${id}/reports`, { token: coordOfficer.token, body: { deadlineKey: 'R1', summary: 'Đã rà soát hồ sơ' } })).status).toBe(200);
    await eventually(() => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'overdue'))), (rows) => rows.length > 0, pastSoon(1, 20));

    // Refused: an officer asks; the coordinating agency about the final deadline (the lead's); an answer due in the past; bad bodies.
    const ask = (body: unknown, token = leader.token) => world.call('POST', path, { token, body });
    expect((await ask({ agency: lead.id, deadlineKey: 'final', question: 'Vì sao?', dueAt: inSeconds(60) }, leadOfficer.token)).status).toBe(403);
    expect((await json(await ask({ agency: coord.id, deadlineKey: 'final', question: 'Vì sao?', dueAt: inSeconds(60) }))).detail).toBe('That agency does not owe this item.');
    expect((await json(await ask({ agency: coord.id, deadlineKey: 'R1', question: 'Vì sao?', dueAt: inSeconds(60) }))).detail).toBe('The item is not overdue for that agency.');
    expect((await ask({ agency: lead.id, deadlineKey: 'final', question: 'Vì sao?', dueAt: inSeconds(-60) })).status).toBe(422);
    const both = await ask({ agency: lead.id, deadlineKey: 'final', question: 'Vì sao?', dueAt: inSeconds(60), dueDate: day(3) });
    expect(both.status).toBe(400);
    expect(both.headers.get('content-type')).toContain('application/problem+json');
    expect((await ask({ agency: 'KHONG-CO', deadlineKey: 'final', question: 'Vì sao?', dueAt: inSeconds(60) })).status).toBe(422);

    // The leader asks the lead agency, which never reported R1, to explain it soon (its reminder, 2 s before, still
    // ahead once the request is planned); nobody answers.
    const asked = await ask({ agency: lead.code, deadlineKey: 'R1', question: 'Đề nghị giải trình việc chậm báo cáo kỳ 1.', dueAt: soon(2) });
    expect(asked.status).toBe(200);
    const request = (await json(asked)).explanationRequest;
    expect(request).toMatchObject({ id: 'gt1', agencyId: lead.id, deadlineKey: 'R1', label: 'Giải trình: Báo cáo lần 1', answer: null, closure: null });
    expect((await ask({ agency: lead.id, deadlineKey: 'R1', question: 'Lần nữa', dueAt: inSeconds(60) })).status).toBe(409);
    // The agency asked hears of it at once: a notice of the answer's due instant to its officers.
    const [requestedEvent] = await world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'explanation_requested')));
    const [notice] = await eventually(
      () => world.db.select().from(notifications).where(and(eq(notifications.source, `event:${id}:${requestedEvent!.seq}`), eq(notifications.recipientUserId, leadOfficer.id))),
      (rows) => rows.length > 0,
    );
    expect(notice).toMatchObject({ kind: 'reminder', channel: 'email' });
    expect(notice!.subject).toContain('Giải trình: Báo cáo lần 1');

    // Its own ladder: rung 1 to the agency, 2 to its supervising agency, 3 to the issuing leader; each once.
    const rungsOf = async () =>
      (await world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'escalated'))).orderBy(asc(directiveEvents.seq)))
        .map((r) => (r.data as { escalation: Escalation; label: string }))
        .filter((d) => d.escalation.deadlineKey === 'gt1');
    const rungs = await eventually(rungsOf, (r) => r.length >= 3, pastSoon(2, 19));
    expect(rungs.map((r) => [r.escalation.level, r.escalation.agencyId, r.escalation.target.agencyId ?? r.escalation.target.userId, r.label])).toEqual([
      [1, lead.id, lead.id, 'Giải trình: Báo cáo lần 1'],
      [2, lead.id, above.id, 'Giải trình: Báo cáo lần 1'],
      [3, lead.id, leader.id, 'Giải trình: Báo cáo lần 1'],
    ]);
    const history = await world.db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, id));
    const about = (type: string) => history.filter((e) => e.type === type && (e.data as { deadlineKey?: string }).deadlineKey === 'gt1');
    expect(about('reminder_due')).toHaveLength(1);
    expect(about('deadline_missed')).toHaveLength(1);
    // The rungs are in the read model and reached people (the supervising agency's supervisor among them).
    const rows = await world.db.select().from(escalations).where(and(eq(escalations.directiveId, id), eq(escalations.deadlineKey, 'gt1')));
    expect(rows.map((r) => r.level).sort()).toEqual([1, 2, 3]);
    const mail = await world.db.select().from(notifications).where(and(eq(notifications.directiveId, id), eq(notifications.recipientUserId, supervisor.id)));
    expect(mail.some((m) => m.kind === 'escalation')).toBe(true);
    const inbox = await json(await world.call('GET', '/v1/escalations', { token: supervisor.token }));
    expect(JSON.stringify(inbox)).toContain('gt1');

    // The answer's file: only the agency asked attaches one to the request.
    expect((await upload(id, coordOfficer.token, 'giai-trinh.pdf', pdf('Giai trinh'), 'kind=explanation&deadlineKey=gt1')).status).toBe(403);
    const file = await upload(id, leadOfficer.token, 'Giải trình chậm báo cáo.pdf', pdf('Giai trinh'), 'kind=explanation&deadlineKey=gt1');
    expect(file.status).toBe(201);
    const fileId = (await json(file)).id as string;

    // Answered by the agency asked only, naming files attached to this request only.
    const answer = (body: unknown, token = leadOfficer.token) => world.call('POST', `${path}/gt1/answer`, { token, body });
    expect((await answer({ text: 'Do chậm số liệu' }, coordOfficer.token)).status).toBe(403);
    const wrongFile = await answer({ text: 'Do chậm số liệu', attachmentIds: [id] });
    expect(wrongFile.status).toBe(422);
    expect((await json(wrongFile)).errors[0].pointer).toBe('/attachmentIds/0');
    expect((await world.call('POST', `${path}/gt9/answer`, { token: leadOfficer.token, body: { text: 'x' } })).status).toBe(404);
    const answered = await answer({ text: 'Do chậm bàn giao mặt bằng; đã khắc phục.', attachmentIds: [fileId] });
    expect(answered.status).toBe(200);
    expect((await json(answered)).explanationRequest.answer).toMatchObject({ text: 'Do chậm bàn giao mặt bằng; đã khắc phục.', late: true, attachmentIds: [fileId] });
    expect((await answer({ text: 'Lần hai' })).status).toBe(409);
    // The answer ends the request's open rungs; nothing of the request fires after it, so its three rungs were each once.
    await eventually(
      () => world.db.select().from(escalations).where(and(eq(escalations.directiveId, id), eq(escalations.deadlineKey, 'gt1'))),
      (open) => open.every((r) => r.resolvedAt !== null && r.resolution === 'explained'),
    );
    expect(await rungsOf()).toHaveLength(3);

    // Closed by a supervisor of the lead agency: not by an officer, not without a note when not accepted.
    const close = (body: unknown, token = supervisor.token) => world.call('POST', `${path}/gt1/closing`, { token, body });
    expect((await close({ accepted: true }, leadOfficer.token)).status).toBe(403);
    expect((await close({ accepted: false })).status).toBe(422);
    const closed = await close({ accepted: true, note: 'Chấp nhận, yêu cầu khắc phục' });
    expect(closed.status).toBe(200);
    expect((await json(closed)).explanationRequest.closure).toMatchObject({ by: supervisor.id, accepted: true });

    // A second request, about the missed final deadline, answered at once: on time.
    const second = await ask({ agency: lead.id, deadlineKey: 'final', question: 'Đề nghị giải trình việc chưa hoàn thành đúng hạn.', dueDate: day(5) });
    expect(second.status).toBe(200);
    expect((await json(second)).explanationRequest.id).toBe('gt2');
    expect((await world.call('POST', `${path}/gt2/answer`, { token: leadOfficer.token, body: { text: 'Đang chờ vốn bổ sung.' } })).status).toBe(200);

    // The directive's page and the history show both, with the file.
    const detail = await json(await world.call('GET', `/v1/directives/${id}`, { token: leader.token }));
    expect(detail.explanationRequests.map((x: { id: string; answer: { late: boolean } | null; closure: { accepted: boolean } | null }) => [x.id, x.answer?.late, x.closure?.accepted ?? null])).toEqual([
      ['gt1', true, true],
      ['gt2', false, null],
    ]);
    const events = (await json(await world.call('GET', `/v1/directives/${id}/events`, { token: leader.token }))).items as Array<{ type: string; data: any }>;
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['explanation_requested', 'attachment_added', 'explanation_answered', 'explanation_closed']));
    expect(events.find((e) => e.type === 'attachment_added')!.data.attachment).toMatchObject({ id: fileId, kind: 'explanation', deadlineKey: 'gt1' });

    // Counted: two requests, one answered on time, one late, none left unanswered.
    const read = await eventually(
      () => world.db.select().from(explanationRequests).where(eq(explanationRequests.directiveId, id)),
      (r) => r.length === 2 && r.every((x) => x.answeredAt !== null),
    );
    expect(read.map((r) => [r.requestId, r.agencyId, r.answeredLate, r.accepted]).sort()).toEqual([
      ['gt1', lead.id, true, true],
      ['gt2', lead.id, false, null],
    ]);
    const stats = await json(await world.call('GET', `/v1/statistics?period=${day(-1)}..${day(1)}&groupBy=lead`, { token: leader.token }));
    const line = stats.explanations.rows.find((r: { key: { id: string } }) => r.key.id === lead.id);
    expect(line.counts).toEqual({ requested: 2, answeredOnTime: 1, answeredLate: 1, unanswered: 0 });
    expect(stats.explanations.totals.requested).toBeGreaterThanOrEqual(2);

    // In the period's report: a sheet of the workbook and a section of the official document.
    const report = async (format: string) => Buffer.from(await (await world.call('GET', `/v1/statistics/report?period=${day(-1)}..${day(1)}&format=${format}`, { token: leader.token })).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await report('xlsx')) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Giải trình')!;
    const rowOf = sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(2).value === 'So Giao thong Van tai')!;
    expect([3, 4, 5, 6].map((c) => rowOf.getCell(c).value)).toEqual([2, 1, 1, 0]);
    const docx = await (await JSZip.loadAsync(await report('docx'))).file('word/document.xml')!.async('string');
    expect([...docx.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')).toContain('IV. YÊU CẦU GIẢI TRÌNH');

    // On the page: the request, its state and its answer's file.
    const page = await webSession(world, 'leader');
    const html = await (await page.get(`/directives/${id}`)).text();
    expect(html).toContain('Yêu cầu giải trình');
    expect(html).toContain('Chấp nhận giải trình');
    expect(html).toContain('Giải trình chậm báo cáo.pdf');
    // And on the statistics dashboard, the agency's line.
    const dashboard = await (await page.get(`/statistics?period=${day(-1)}..${day(1)}&groupBy=lead`)).text();
    expect(dashboard).toContain('Giải trình đúng hạn');
    expect(dashboard).toMatch(new RegExp(`So Giao thong Van tai</th>\\s*<td>2</td>\\s*<td>1</td>\\s*<td>1</td>\\s*<td>0</td>`));
  }, 120_000);

  it('is asked of a coordinating agency only by a supervisor of that agency, and closes unanswered with its directive', async () => {
    const above = await createAgency(world.db, 'Ban Noi chinh');
    const elsewhere = await createAgency(world.db, 'Ban Dan van');
    const lead = await createAgency(world.db, 'Cong an tinh', above.id);
    const coord = await createAgency(world.db, 'Hoi Nong dan', elsewhere.id);
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const supervisor = await createUserWithId(world.db, { role: 'supervisor', agencyId: above.id });
    const issued = await world.call('POST', '/v1/directives', {
      token: leader.token,
      body: { title: 'Phối hợp tuyên truyền pháp luật', leadAgency: lead.id, coordinatingAgencies: [coord.id], dueAt: inSeconds(3600), regime: { kind: 'explicit', dueDates: [soon()] }, policy: POLICY },
    });
    const id = (await json(issued)).id as string;
    await eventually(() => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'deadline_missed'))), (rows) => rows.length > 0, pastSoon(0, 21));
    const body = { agency: coord.id, deadlineKey: 'R1', question: 'Vì sao chưa báo cáo?', dueAt: inSeconds(3600) };
    // The lead agency's supervisor does not supervise the coordinating agency.
    const refused = await world.call('POST', `/v1/directives/${id}/explanation-requests`, { token: supervisor.token, body });
    expect(refused.status).toBe(403);
    expect((await json(refused)).detail).toBe('Your agency does not supervise the agency asked.');
    expect((await world.call('POST', `/v1/directives/${id}/explanation-requests`, { token: leader.token, body })).status).toBe(200);

    // Cancelled with the request open: it closes too, unanswered and not accepted, in the history and the read model.
    expect((await world.call('POST', `/v1/directives/${id}/cancellation`, { token: leader.token, body: { reason: 'Gộp vào nhiệm vụ khác' } })).status).toBe(200);
    const closed = await eventually(
      () => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'explanation_closed'))),
      (rows) => rows.length > 0,
    );
    expect(closed.map((r) => [r.data, r.actorId])).toEqual([[{ requestId: 'gt1', accepted: false, note: 'Đóng cùng nhiệm vụ' }, leader.id]]);
    const [row] = await world.db.select().from(explanationRequests).where(eq(explanationRequests.directiveId, id));
    expect(row).toMatchObject({ agencyId: coord.id, accepted: false, answeredAt: null });
    expect(row!.closedAt).not.toBeNull();
  });

  it('is asked, answered and closed from the directive page, a refusal shown on its form', async () => {
    const lead = await createAgency(world.db, 'So Xay dung');
    const leaderPage = await webSession(world, 'leader');
    const issued = await world.call('POST', '/v1/directives', { body: { title: 'Cấp phép xây dựng đúng hạn', leadAgency: lead.id, dueAt: soon(), policy: POLICY } });
    expect(issued.status).toBe(201);
    const id = (await json(issued)).id as string;
    await eventually(() => world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, id), eq(directiveEvents.type, 'overdue'))), (rows) => rows.length > 0, pastSoon(0, 21));
    expect(await (await leaderPage.get(`/directives/${id}`)).text()).toContain(`action="/directives/${id}/explain"`);
    // No question: the form again, with the reason in Vietnamese.
    const refused = await leaderPage.post(`/directives/${id}/explain`, { agency: lead.id, deadlineKey: 'final', question: '', dueDate: day(3) });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Yêu cầu giải trình cần nêu nội dung.');
    const ok = await leaderPage.post(`/directives/${id}/explain`, { agency: lead.id, deadlineKey: 'final', question: 'Vì sao chưa hoàn thành?', dueDate: day(3) });
    expect(ok.status).toBe(303);

    const officer = await webSession(world, 'officer');
    await world.db.execute(`update users set agency_id = '${lead.id}' where id = '${officer.id}'`);
    // "Việc của tôi" lists it for the agency asked until it answers, then for the leader until it is concluded.
    const home = async (who: { get(path: string): Promise<Response> }) => {
      const html = await (await who.get('/')).text();
      const section = /<section aria-labelledby="explanations">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
      return section.includes(`/directives/${id}`);
    };
    expect(await home(officer)).toBe(true);
    expect(await home(leaderPage)).toBe(false);
    const officerPage = await (await officer.get(`/directives/${id}`)).text();
    expect(officerPage).toContain(`action="/directives/${id}/explain-answer"`);
    // The file first, under the request, then the answer takes it along.
    expect((await officer.upload(`/directives/${id}/attachments`, { kind: 'explanation', deadlineKey: 'gt1' }, { name: 'giai-trinh.pdf', bytes: pdf('GT') })).status).toBe(303);
    expect((await officer.post(`/directives/${id}/explain-answer`, { requestId: 'gt1', text: 'Do vướng thủ tục đất đai.' })).status).toBe(303);
    const after = await json(await world.call('GET', `/v1/directives/${id}`));
    expect(after.explanationRequests[0].answer.attachmentIds).toHaveLength(1);
    expect(await home(officer)).toBe(false);
    expect(await home(leaderPage)).toBe(true);

    expect((await leaderPage.post(`/directives/${id}/explain-close`, { requestId: 'gt1', accepted: 'false', note: '' })).status).toBe(422);
    expect((await leaderPage.post(`/directives/${id}/explain-close`, { requestId: 'gt1', accepted: 'false', note: 'Chưa thuyết phục' })).status).toBe(303);
    const closed = await json(await world.call('GET', `/v1/directives/${id}`));
    expect(closed.explanationRequests[0].closure).toMatchObject({ accepted: false, note: 'Chưa thuyết phục' });
    expect(await home(leaderPage)).toBe(false);
  });
});
