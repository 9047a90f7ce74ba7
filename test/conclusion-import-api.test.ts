import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONCLUSION } from '../scripts/demo/example.js';
import { createAgency, createUser, expectProblem, freshDatabase, json, startWorld, type World } from './support.js';

// The example conference the demo ships (../shared/examples), so the suite runs anywhere.
const text = EXAMPLE_CONCLUSION.read();

let world: World;
let leader: string;
let officer: string;
let lead: { id: string; code: string };

let drop: (() => Promise<void>) | undefined;

// A database of its own: what the importer matches is the whole directory, which the other files of the run add to.
beforeAll(async () => {
  const database = await freshDatabase();
  drop = () => database.drop();
  world = await startWorld({ database });
  lead = await createAgency(world.db, 'To cong tac');
  leader = await createUser(world.db, { role: 'leader' });
  officer = await createUser(world.db, { role: 'officer', agencyId: lead.id });
});
afterAll(async () => {
  await world?.close();
  await drop?.();
});

const importText = (body: unknown, token: string | null = leader) => world.call('POST', '/v1/conferences/import', { token, body });

describe('POST /v1/conferences/import', () => {
  it('turns the example conclusion into its six drafts with their references, and issues nothing', async () => {
    const res = await importText({ text, heldOn: '2024-10-11' });
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(result.statedCount).toBe(6);
    expect(result.drafts.map((d: any) => d.marker)).toEqual(['(1)', '(2)', '(3)', '(4)', '(5)', '(6)']);
    expect(result.drafts[2].references.map((r: any) => [r.kindLabel, r.ref, r.date])).toEqual([
      ['Chỉ thị', '19-CT/TU', '2021-05-26'],
      ['Công văn', '6615-V/TU', '2023-08-28'],
    ]);
    expect(result.drafts[5].references.map((r: any) => r.ref)).toEqual(['01-HD/BNCTU']);
    expect(result.drafts[5].suggested).toMatchObject({ title: result.drafts[5].title, body: expect.stringContaining('Duy trì họp giao ban') });
    expect(result.warnings.filter((w: any) => w.code === 'count_mismatch')).toEqual([]);
    expect(result).not.toHaveProperty('text');
  });

  it('gives drafts a leader can issue unchanged once each has a lead agency', async () => {
    const { drafts } = await json(await importText({ text }));
    const res = await world.call('POST', '/v1/conferences', {
      token: leader,
      body: {
        title: 'Giao ban Tổ công tác cấp huyện',
        directives: drafts.map((d: any) => ({ ...d.suggested, leadAgency: lead.code, dueDate: d.suggested.dueDate ?? '2035-12-31', regime: d.suggested.regime ?? undefined })),
      },
    });
    expect(res.status).toBe(201);
    const { directives } = await json(res);
    expect(directives.map((d: any) => d.title)).toEqual(drafts.map((d: any) => d.title));
  });

  it('answers a text without a list with no drafts and a warning', async () => {
    const res = await importText({ text: 'Hội nghị đánh giá cao kết quả đạt được trong 9 tháng đầu năm. Các đơn vị đã phối hợp chặt chẽ.' });
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(result.drafts).toEqual([]);
    expect(result.warnings.map((w: any) => w.code)).toContain('no_list');
  });

  it('refuses an empty text, binary garbage and an oversized text with a problem naming the field', async () => {
    for (const [body, status] of [
      [{ text: '' }, 422],
      [{ text: ' \n\t ' }, 422],
      [{ text: String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 37) % 32 || 1)) }, 422],
      [{ text: 'Đề nghị các đơn vị: '.padEnd(300_000, 'x') }, 413],
    ] as const) {
      const res = await importText(body);
      expectProblem(res, status);
      const problem = await json(res);
      expect(problem.errors?.[0]?.pointer ?? problem.detail).toBeTruthy();
    }
    expectProblem(await importText({ text: 'x'.repeat(5 * 1024 * 1024) }), 413);
    expectProblem(await importText({ text: 'abc', extra: 1 }), 400);
    expectProblem(await importText({ text: 'a\u0000b' }), 400);
  });

  it('reads a conclusion in running prose, names the bodies it cannot match, and matches one once a leader maps it', async () => {
    const inspectorate = await createAgency(world.db, 'Thanh tra tinh thu');
    const prose = [
      'Phát biểu kết luận, đồng chí Bí thư ghi nhận, đánh giá cao kết quả các cơ quan đã đạt được, đã phát hiện, xử lý 15 vụ việc.',
      '',
      'Về nhiệm vụ năm 2027, đồng chí đề nghị Tổ Thanh tra số 3 tăng cường kiểm tra việc kê khai tài sản; rà soát các vụ việc khiếu nại kéo dài, báo cáo trước ngày 15/3/2027.',
    ].join('\n');
    const first = await json(await importText({ text: prose, heldOn: '2026-12-01' }));
    expect(first.drafts.map((d: any) => d.title)).toEqual(['tăng cường kiểm tra việc kê khai tài sản', 'rà soát các vụ việc khiếu nại kéo dài, báo cáo trước ngày 15/3/2027']);
    expect(first.drafts.map((d: any) => [d.deadline?.dueDate, d.deadlineFrom])).toEqual([
      ['2027-12-31', 'passage'],
      ['2027-03-15', 'item'],
    ]);
    expect(first.drafts[0].addressee).toMatchObject({ text: 'Tổ Thanh tra số 3', matched: false });
    expect(first.drafts[0].leadAgency).toBeNull();
    expect(first.unmatchedMentions.map((m: any) => m.text)).toEqual(['Tổ Thanh tra số 3']);
    expect(first.passages.map((p: any) => p.kind)).toEqual(['assessment', 'tasks']);

    // The leader maps the name once: the agency keeps it, and the next import matches it.
    const mapped = await world.call('POST', `/v1/agencies/${inspectorate.id}/aliases`, { token: leader, body: { alias: 'Tổ Thanh tra số 3' } });
    expect(mapped.status).toBe(200);
    expect((await json(mapped)).aliases).toEqual(['Tổ Thanh tra số 3']);
    const again = await json(await importText({ text: prose, heldOn: '2026-12-01' }));
    expect(again.drafts.map((d: any) => d.leadAgency?.code)).toEqual([inspectorate.code, inspectorate.code]);
    expect(again.unmatchedMentions).toEqual([]);

    // The same name again changes nothing; a name another agency has is refused; an officer may not map.
    expect((await json(await world.call('POST', `/v1/agencies/${inspectorate.id}/aliases`, { token: leader, body: { alias: 'to thanh tra so 3' } }))).aliases).toHaveLength(1);
    expectProblem(await world.call('POST', `/v1/agencies/${lead.id}/aliases`, { token: leader, body: { alias: 'Tổ Thanh tra số 3' } }), 409);
    expectProblem(await world.call('POST', `/v1/agencies/${lead.id}/aliases`, { token: leader, body: { alias: '--' } }), 422);
    expectProblem(await world.call('POST', `/v1/agencies/${lead.id}/aliases`, { token: officer, body: { alias: 'Tổ khác' } }), 403);
  });

  it('is for leaders and admins', async () => {
    expectProblem(await importText({ text }, officer), 403);
    expectProblem(await importText({ text }, null), 401);
    expect((await importText({ text }, world.adminToken)).status).toBe(200);
  });
});
