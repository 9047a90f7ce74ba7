import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONCLUSION } from '../scripts/demo/example.js';
import { createAgency, createUser, expectProblem, json, startWorld, type World } from './support.js';

// The example conference the demo ships (../shared/examples), so the suite runs anywhere.
const text = EXAMPLE_CONCLUSION.read();

let world: World;
let leader: string;
let officer: string;
let lead: { id: string; code: string };

beforeAll(async () => {
  world = await startWorld();
  lead = await createAgency(world.db, 'To cong tac');
  leader = await createUser(world.db, { role: 'leader' });
  officer = await createUser(world.db, { role: 'officer', agencyId: lead.id });
});
afterAll(async () => world?.close());

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
        directives: drafts.map((d: any) => ({ ...d.suggested, leadAgency: lead.code, dueDate: d.suggested.dueDate ?? '2099-12-31', regime: d.suggested.regime ?? undefined })),
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

  it('is for leaders and admins', async () => {
    expectProblem(await importText({ text }, officer), 403);
    expectProblem(await importText({ text }, null), 401);
    expect((await importText({ text }, world.adminToken)).status).toBe(200);
  });
});
