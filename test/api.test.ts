import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../domain/calendar.js';
import { directives } from '../db/schema.js';
import { createAgency, createUser, eventually, expectProblem, json, startWorld, type World } from './support.js';

let world: World;
let lead: { id: string; code: string };
let coordinating: { id: string; code: string };

beforeAll(async () => {
  world = await startWorld();
  lead = await createAgency(world.db, 'Cong an tinh');
  coordinating = await createAgency(world.db, 'Toa an tinh');
});
afterAll(async () => world?.close());

const nextYear = `${new Date().getUTCFullYear() + 1}-06-30`;
const validBody = (title: string) => ({
  title,
  body: 'Tăng cường phối hợp trong công tác điều tra, truy tố, xét xử.',
  leadAgency: lead.code,
  coordinatingAgencies: [coordinating.id],
  dueDate: nextYear,
});



describe('POST /v1/directives then GET', () => {
  it('issues a directive whose workflow projects it, readable one by one, in the list and as history', async () => {
    const res = await world.call('POST', '/v1/directives', { body: validBody('Nâng cao chất lượng điều tra') });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(res.headers.get('location')).toBe(`/v1/directives/${created.id}`);
    expect(created).toMatchObject({
      workflowId: `directive-${created.id}`,
      status: 'issued',
      timeliness: 'open_on_time',
      leadAgency: { id: lead.id, code: lead.code },
      coordinatingAgencies: [{ id: coordinating.id }],
      // A calendar due date ends at 24:00 in Vietnam (UTC+7).
      dueAt: new Date(Date.parse(`${nextYear}T17:00:00Z`)).toISOString(),
    });

    await eventually(async () => {
      const [row] = await world.db.select().from(directives).where(eq(directives.id, created.id));
      return row?.lastSeq === 1 ? row : undefined;
    });
    const detail = await json(await world.call('GET', `/v1/directives/${created.id}`));
    expect(detail.lastSeq).toBe(1);
    expect(detail.live).toMatchObject({ status: 'issued', seq: 1 });
    expect(detail.links.temporalUi).toBe(`http://ui.test/namespaces/default/workflows/directive-${created.id}`);

    const list = await json(await world.call('GET', `/v1/directives?leadAgency=${lead.id}`));
    expect(list.items.map((d: { id: string }) => d.id)).toContain(created.id);

    const events = await json(await world.call('GET', `/v1/directives/${created.id}/events`));
    expect(events.items).toEqual([expect.objectContaining({ seq: 1, type: 'issued' })]);
  });

  it('creates nothing new when the same POST is retried with the same Idempotency-Key', async () => {
    const key = `retry-${Date.now()}`;
    const body = validBody(`Giải quyết đơn thư trễ hạn ${key}`);
    const first = await world.call('POST', '/v1/directives', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const { id } = await json(first);
    const [second, third] = await Promise.all([
      world.call('POST', '/v1/directives', { body, headers: { 'idempotency-key': key } }),
      world.call('POST', '/v1/directives', { body, headers: { 'idempotency-key': key } }),
    ]);
    for (const res of [second, third]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(res)).id).toBe(id);
    }
    await eventually(async () => {
      const rows = await world.db.select().from(directives).where(eq(directives.title, body.title));
      return rows.length === 1 && rows[0]!.lastSeq === 1 ? rows : undefined;
    });
    const running = await world.client.workflow.count(`WorkflowId = 'directive-${id}'`);
    expect(running.count).toBe(1);
  });

  it('refuses an Idempotency-Key reused with a different body', async () => {
    const key = `reuse-${Date.now()}`;
    expect((await world.call('POST', '/v1/directives', { body: validBody('A'), headers: { 'idempotency-key': key } })).status).toBe(201);
    const res = await world.call('POST', '/v1/directives', { body: validBody('B'), headers: { 'idempotency-key': key } });
    expectProblem(res, 422);
    expect((await json(res)).type).toBe('/problems/idempotency-key-reused');
  });

  it('moves a due date on a public holiday to the end of the next working day and plans the reporting regime', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const res = await world.call('POST', '/v1/directives', {
      body: { ...validBody('Báo cáo quý'), dueDate: `${year}-09-02`, regime: { kind: 'quarterly' } },
    });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    const row = await eventually(async () => {
      const [r] = await world.db.select().from(directives).where(eq(directives.id, id));
      return r?.lastSeq === 1 ? r : undefined;
    });
    const expected = new WorkingCalendar().deadline(`${year}-09-02`);
    expect(row.dueAt?.toISOString()).toBe(expected.toISOString());
    expect(expected.getTime()).toBeGreaterThan(Date.parse(`${year}-09-02T17:00:00Z`));
    const detail = await json(await world.call('GET', `/v1/directives/${id}`));
    const keys = detail.live.deadlines.map((d: { key: string }) => d.key);
    expect(keys).toContain(`Q${year}-2`);
    expect(keys.at(-1)).toBe('final');
  });

  it('rejects a malformed reporting regime or policy', async () => {
    const res = await world.call('POST', '/v1/directives', {
      body: { ...validBody('X'), regime: { kind: 'weekly' }, policy: { reminders: [{ duration: 'soon' }], escalations: [] } },
    });
    expectProblem(res, 400);
    const pointers = (await json(res)).errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers.some((p: string) => p.startsWith('/regime'))).toBe(true);
    expect(pointers.some((p: string) => p.startsWith('/policy'))).toBe(true);
  });

  it('answers a standing directive without a deadline with timeliness no_deadline', async () => {
    const { dueDate: _omit, ...body } = validBody('Duy trì chế độ báo cáo');
    const res = await world.call('POST', '/v1/directives', { body });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ dueAt: null, timeliness: 'no_deadline' });
  });
});

describe('filters', () => {
  it('finds Vietnamese text with or without diacritics, and filters by agency, overdue and due dates', async () => {
    const own = await createAgency(world.db, 'Cuc THADS');
    const post = async (title: string, dueDate: string) => {
      const res = await world.call('POST', '/v1/directives', { body: { title, leadAgency: own.id, dueDate } });
      expect(res.status).toBe(201);
      return (await json(res)).id as string;
    };
    const y = new Date().getUTCFullYear() + 1;
    const tha = await post('Đẩy nhanh tiến độ thi hành án dân sự', `${y}-03-31`);
    const other = await post('Giải quyết đơn thư khiếu nại, tố cáo', `${y}-12-31`);
    const ids = async (query: string) => {
      const page = await json(await world.call('GET', `/v1/directives?agency=${own.id}&${query}`));
      return page.items.map((d: { id: string }) => d.id);
    };
    await eventually(() => ids('limit=100'), (found) => found.length === 2);
    expect(await ids('q=thi%20hanh%20an')).toEqual([tha]);
    expect(await ids(`q=${encodeURIComponent('THI HÀNH ÁN')}`)).toEqual([tha]);
    expect(await ids('q=day%20nhanh')).toEqual([tha]);
    expect(await ids('q=100%25')).toEqual([]);
    expect(await ids(`dueBefore=${y}-06-01`)).toEqual([tha]);
    expect(await ids(`dueAfter=${y}-06-01`)).toEqual([other]);
    expect(await ids('overdue=true')).toEqual([]);
    expect((await ids('overdue=false')).sort()).toEqual([tha, other].sort());
    expectProblem(await world.call('GET', '/v1/directives?dueBefore=tomorrow'), 400);
  });
});

describe('bad requests get problem+json', () => {
  it('lists every invalid field of a malformed body with a JSON pointer', async () => {
    const res = await world.call('POST', '/v1/directives', { body: { title: '', leadAgency: 5, extra: true } });
    expectProblem(res, 400);
    const p = await json(res);
    const pointers = p.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/title', '/leadAgency']));
    expect(p.errors.every((e: { location: string }) => e.location === 'body')).toBe(true);
  });

  it('rejects JSON that does not parse', async () => {
    expectProblem(await world.call('POST', '/v1/directives', { body: '{"title": ' }), 400);
  });

  it('rejects an unknown agency and a deadline in the past as unprocessable', async () => {
    const res = await world.call('POST', '/v1/directives', {
      body: { title: 'X', leadAgency: 'NO-SUCH-AGENCY', dueDate: '2020-01-01' },
    });
    expectProblem(res, 422);
    const pointers = (await json(res)).errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/leadAgency', '/dueDate']));
  });

  it('rejects both dueDate and dueAt, and a lead agency that also coordinates', async () => {
    const both = await world.call('POST', '/v1/directives', {
      body: { ...validBody('X'), dueAt: new Date(Date.now() + 60_000).toISOString() },
    });
    expectProblem(both, 400);
    const dup = await world.call('POST', '/v1/directives', { body: { ...validBody('X'), coordinatingAgencies: [lead.code] } });
    expectProblem(dup, 422);
  });

  it('rejects a malformed id with 400 and an unknown one with 404', async () => {
    expectProblem(await world.call('GET', '/v1/directives/not-a-uuid'), 400);
    expectProblem(await world.call('GET', '/v1/directives/00000000-0000-4000-8000-00000000abcd'), 404);
    expectProblem(await world.call('GET', '/v1/directives/00000000-0000-4000-8000-00000000abcd/events'), 404);
  });

  it('rejects a cursor it did not issue and an out-of-range limit', async () => {
    expectProblem(await world.call('GET', '/v1/directives?cursor=garbage'), 400);
    expectProblem(await world.call('GET', '/v1/directives?limit=1000'), 400);
  });

  it('answers an unknown route with 404', async () => {
    expectProblem(await world.call('GET', '/v1/nothing-here'), 404);
  });
});

describe('authentication', () => {
  it('asks for a bearer token when none or a wrong one is given', async () => {
    const none = await world.call('GET', '/v1/directives', { token: null });
    expectProblem(none, 401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectProblem(await world.call('GET', '/v1/directives', { token: 'wrong-token-wrong-token-wrong' }), 401);
  });

  it('lets only leaders and admins issue directives', async () => {
    const officer = await createUser(world.db, { role: 'officer', agencyId: lead.id });
    expectProblem(await world.call('POST', '/v1/directives', { body: validBody('X'), token: officer }), 403);
    const leader = await createUser(world.db, { role: 'leader' });
    expect((await world.call('POST', '/v1/directives', { body: validBody('Lãnh đạo giao'), token: leader })).status).toBe(201);
  });
});

describe('operational routes', () => {
  it('reports liveness and readiness of the database and Temporal', async () => {
    expect((await world.call('GET', '/healthz', { token: null })).status).toBe(200);
    const ready = await world.call('GET', '/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(await json(ready)).toEqual({ status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document that describes the directive routes', async () => {
    const doc = await json(await world.call('GET', '/openapi.json', { token: null }));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/directives', '/v1/directives/{id}', '/v1/directives/{id}/events', '/v1/agencies']),
    );
  });

  it('pages through the list with a cursor, newest first, without repeats or gaps', async () => {
    const own = await createAgency(world.db, 'Thanh tra tinh');
    const created: string[] = [];
    for (let n = 0; n < 5; n++) {
      const res = await world.call('POST', '/v1/directives', { body: { ...validBody(`Trang ${n}`), leadAgency: own.id } });
      created.push((await json(res)).id);
    }
    const filter = `leadAgency=${own.id}`;
    await eventually(async () => (await json(await world.call('GET', `/v1/directives?${filter}&limit=100`))).items, (items) => items.length === 5);
    const seen: string[] = [];
    const issuedAt: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Record<string, any> = await json(
        await world.call('GET', `/v1/directives?${filter}&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d: { id: string }) => d.id));
      issuedAt.push(...page.items.map((d: { issuedAt: string }) => d.issuedAt));
      cursor = page.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...created].sort());
    expect(issuedAt).toEqual([...issuedAt].sort().reverse());
  });
});
