import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directives } from '../../db/schema.js';
import { startDirectiveWorkflow } from '../../temporal/client.js';
import { requestExtensionUpdate } from '../../workflows/messages.js';
import { workflowIdFor } from '../../workflows/types.js';
import { createAgency, createUserWithId, eventually, expectProblem, json, startWorld, webSession, type World } from '../support.js';

/**
 * Every instant the product accepts is bounded (review 2026-12, finding 2): one request with a deadline in 2100
 * once had the worker plan 890 months on the event loop and stall the whole process for 5.6 s, and 9999 ran for
 * minutes, retried without end. Each door refuses an instant more than ten years ahead, the workflow refuses it
 * if a door is bypassed, the planner refuses it once and for good, and what is accepted is planned a year at a time.
 */
let world: World;
let lead: { id: string; code: string };
let officer: { id: string; token: string };
let leader: { id: string; token: string };
const TEN_YEARS_LESS_A_DAY = (() => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + 10);
  return new Date(d.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
})();

beforeAll(async () => {
  world = await startWorld();
  const supervisor = await createAgency(world.db, 'Ban Noi chinh');
  lead = await createAgency(world.db, 'So Tu phap', supervisor.id);
  officer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
  leader = await createUserWithId(world.db, { role: 'leader' });
});
/**
 * Every directive this file issued is cancelled before its worker goes: a directive planned across 2030–2031 (the
 * ten-year one is) would otherwise stay open with no worker, and another file's calendar change on those years
 * would wait on it for ever.
 */
const issued: string[] = [];
afterAll(async () => {
  if (!world) return;
  for (const id of issued) await world.call('POST', `/v1/directives/${id}/cancellation`, { token: leader.token, body: { reason: 'Kết thúc kiểm thử' } });
  await eventually(
    () => world.db.select({ status: directives.status }).from(directives).where(inArray(directives.id, issued)),
    (rows) => rows.every((r) => r.status === 'cancelled'),
    30_000,
  );
  await world.close();
});

async function issue(body: Record<string, unknown>): Promise<Response> {
  const res = await world.call('POST', '/v1/directives', { token: leader.token, body: { title: 'Rà soát thủ tục hành chính', leadAgency: lead.code, ...body } });
  if (res.status === 201) issued.push((await json(res.clone())).id as string);
  return res;
}

/** A 400 (the request's schema) whose errors name `pointer` with the horizon's reason. */
async function expectRefusedAt(res: Response, pointer: string): Promise<void> {
  expectProblem(res, 400);
  const errors = (await json(res)).errors as Array<{ pointer: string; message: string }>;
  expect(errors.find((e) => e.pointer === pointer)?.message).toMatch(/at most 10 years/);
}

describe('a deadline far in the future', () => {
  it('a leader cannot issue a directive due in 2100 or 9999, as a day or an instant, nor with report days or offsets that far', async () => {
    await expectRefusedAt(await issue({ dueDate: '2100-12-31', regime: { kind: 'monthly' } }), '/dueDate');
    await expectRefusedAt(await issue({ dueAt: '9999-12-31T00:00:00Z' }), '/dueAt');
    await expectRefusedAt(await issue({ regime: { kind: 'explicit', dueDates: ['2027-03-01', '2999-01-01'] } }), '/regime/dueDates/1');
    const policy = { reminders: [{ duration: 'P9999Y' }], escalations: [{ workingDays: 1 }, { workingDays: 2 }, { workingDays: 3 }] };
    await expectRefusedAt(await issue({ dueDate: TEN_YEARS_LESS_A_DAY, policy }), '/policy/reminders/0/duration');
  });

  it('an officer cannot propose an extension to 9999-12-31, over the API or the page', async () => {
    const created = await issue({ dueDate: TEN_YEARS_LESS_A_DAY.replace(/^\d{4}/, (y) => String(Number(y) - 9)) });
    expect(created.status).toBe(201);
    const id = (await json(created)).id as string;
    await expectRefusedAt(
      await world.call('POST', `/v1/directives/${id}/extension-requests`, { token: officer.token, body: { proposedDueDate: '9999-12-31', reason: 'Chờ' } }),
      '/proposedDueDate',
    );
    const page = await webSession(world, { role: 'officer', agencyId: lead.id });
    const res = await page.post(`/directives/${id}/extension`, { proposedDueDate: '9999-12-31', reason: 'Chờ số liệu' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Hạn không được quá 10 năm');
    const state = await json(await world.call('GET', `/v1/directives/${id}`));
    expect(state.extensions ?? []).toEqual([]);
  });

  it('a leader’s typo on the conference form (2206 for 2026) comes back as the form with the reason, nothing issued', async () => {
    const page = await webSession(world, 'leader');
    await page.get('/conferences/new');
    const title = `Giao ban ${randomUUID().slice(0, 8)}`;
    const res = await page.post('/conferences', {
      title,
      kind: 'giao_ban',
      heldOn: '2026-12-01',
      text: '1. Sở Tư pháp chủ trì rà soát thủ tục hành chính.',
      count: '1',
      'd0.include': 'on',
      'd0.title': 'Rà soát thủ tục hành chính',
      'd0.lead': lead.code,
      'd0.dueDate': '2206-12-31',
      'd0.regime': 'monthly',
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Hạn không được quá 10 năm');
    const listed = await json(await world.call('GET', '/v1/conferences?limit=100'));
    expect((listed.items as Array<{ title: string }>).some((c) => c.title === title)).toBe(false);
  });

  it('a lead cannot give a sub-task of a standing directive a deadline beyond the horizon', async () => {
    const created = await issue({});
    const id = (await json(created)).id as string;
    const res = await world.call('POST', `/v1/directives/${id}/subtasks`, {
      token: officer.token,
      body: { subtasks: [{ title: 'Tổng hợp', assignee: officer.id, dueDate: '2999-12-31' }] },
    });
    await expectRefusedAt(res, '/subtasks/0/dueDate');
  });

  it('a supervisor cannot ask for an explanation due in 9999', async () => {
    const created = await issue({ dueDate: TEN_YEARS_LESS_A_DAY });
    const id = (await json(created)).id as string;
    const res = await world.call('POST', `/v1/directives/${id}/explanation-requests`, {
      body: { agency: lead.code, deadlineKey: 'final', question: 'Vì sao chậm?', dueDate: '9999-12-31' },
    });
    await expectRefusedAt(res, '/dueDate');
  });

  it('the workflow refuses it itself when a caller goes around the doors', async () => {
    const created = await issue({ dueDate: TEN_YEARS_LESS_A_DAY.replace(/^\d{4}/, (y) => String(Number(y) - 9)) });
    const id = (await json(created)).id as string;
    const handle = world.client.workflow.getHandle(workflowIdFor(id));
    const attempt = handle.executeUpdate(requestExtensionUpdate, {
      args: [{ actor: { userId: officer.id, role: 'officer', agencyId: lead.id }, proposedDueDate: '9999-12-31', reason: 'Chờ' }],
    });
    await expect(attempt).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(attempt).rejects.toMatchObject({ cause: { message: expect.stringMatching(/at most 10 years ahead/) } });
  });

  it('a plan the horizon refuses fails once, for good, instead of being recomputed without end', async () => {
    const directiveId = randomUUID();
    const handle = (await startDirectiveWorkflow(world.client, world.taskQueue, {
      directiveId,
      title: 'Đi vòng qua các cửa',
      body: '',
      leadAgencyId: lead.id,
      coordinatingAgencyIds: [],
      conferenceId: null,
      dueAt: null,
      dueDate: '2100-12-31',
      issuedBy: leader.id,
      issuedAt: new Date().toISOString(),
      regime: { kind: 'monthly' },
    }))!;
    await expect(handle.result()).rejects.toMatchObject({ cause: { type: 'PlanRefused', nonRetryable: true, message: expect.stringMatching(/beyond the horizon/) } });
    const history = await handle.fetchHistory();
    // One attempt, recorded as one failed local activity marker at most: no retry loop.
    expect(history.events!.length).toBeLessThan(20);
  });
});

describe('the most expensive plan accepted', () => {
  it('plans a ten-year monthly directive a year at a time: a year of reports and the final deadline', async () => {
    const policy = {
      reminders: [{ workingDays: 60 }, { workingDays: 45 }, { workingDays: 30 }, { workingDays: 15 }, { workingDays: 0 }],
      escalations: [{ workingDays: 60 }, { workingDays: 60 }, { workingDays: 60 }],
    };
    const created = await issue({ dueDate: TEN_YEARS_LESS_A_DAY, regime: { kind: 'monthly', submitAfterCutoff: { workingDays: 60 } }, policy });
    expect(created.status).toBe(201);
    const id = (await json(created)).id as string;
    const directive = await eventually(async () => json(await world.call('GET', `/v1/directives/${id}`)), (d) => (d.deadlines ?? []).length > 0, 30_000);
    const deadlines = directive.deadlines as Array<{ kind: string }>;
    expect(deadlines.filter((d) => d.kind === 'final')).toHaveLength(1);
    expect(deadlines.filter((d) => d.kind === 'report').length).toBeGreaterThanOrEqual(9);
    // A year of cut-offs, and the last months' whose reports (60 working days after the cut-off) are still due: not 120.
    expect(deadlines.filter((d) => d.kind === 'report').length).toBeLessThanOrEqual(16);
  });
});
