import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, createUser, eventually, startWorld, type World } from './support.js';

/**
 * Every route × role × agency scope, each cell asserted. Directive actions run on a fresh directive per cell
 * (lead agency L and coordinating agency C, both supervised by S; O is outside S's subtree).
 */
type Who = 'admin' | 'leader' | 'supervisorInScope' | 'supervisorOutOfScope' | 'leadOfficer' | 'coordinatingOfficer' | 'outsideOfficer' | 'anonymous';
const WHO: Who[] = ['admin', 'leader', 'supervisorInScope', 'supervisorOutOfScope', 'leadOfficer', 'coordinatingOfficer', 'outsideOfficer', 'anonymous'];

let world: World;
const tokens = {} as Record<Who, string | null>;
let L: { id: string; code: string };
let C: { id: string; code: string };

beforeAll(async () => {
  world = await startWorld();
  const S = await createAgency(world.db, 'Ban Noi chinh');
  const S2 = await createAgency(world.db, 'Ban Dan van');
  L = await createAgency(world.db, 'Cong an', S.id);
  C = await createAgency(world.db, 'Vien KSND', S.id);
  const O = await createAgency(world.db, 'Hoi Nong dan', S2.id);
  tokens.admin = world.adminToken;
  tokens.leader = await createUser(world.db, { role: 'leader' });
  tokens.supervisorInScope = await createUser(world.db, { role: 'supervisor', agencyId: S.id });
  tokens.supervisorOutOfScope = await createUser(world.db, { role: 'supervisor', agencyId: S2.id });
  tokens.leadOfficer = await createUser(world.db, { role: 'officer', agencyId: L.id });
  tokens.coordinatingOfficer = await createUser(world.db, { role: 'officer', agencyId: C.id });
  tokens.outsideOfficer = await createUser(world.db, { role: 'officer', agencyId: O.id });
  tokens.anonymous = null;
});
afterAll(async () => world?.close());

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

async function freshDirective(): Promise<string> {
  const res = await world.call('POST', '/v1/directives', {
    body: { title: 'Ma trận phân quyền', leadAgency: L.id, coordinatingAgencies: [C.id], dueAt: inAnHour(), regime: { kind: 'explicit', dueDates: [inAnHour()] } },
  });
  const { id } = (await res.json()) as { id: string };
  await eventually(async () => ((await world.call('GET', `/v1/directives/${id}/events`)).status === 200 ? true : undefined));
  return id;
}

type Cell = { route: string; method: string; path: (id: string) => string; body?: () => unknown; directive: boolean; expect: Record<Who, number> };
const row = (statuses: number[]): Record<Who, number> => Object.fromEntries(WHO.map((w, i) => [w, statuses[i]!])) as Record<Who, number>;

//                                 admin leader supIn supOut lead coord out anon
const cells: Cell[] = [
  { route: 'GET directive', method: 'GET', path: (id) => `/v1/directives/${id}`, directive: true, expect: row([200, 200, 200, 404, 200, 200, 404, 401]) },
  { route: 'GET events', method: 'GET', path: (id) => `/v1/directives/${id}/events`, directive: true, expect: row([200, 200, 200, 404, 200, 200, 404, 401]) },
  { route: 'acknowledge', method: 'POST', path: (id) => `/v1/directives/${id}/acknowledgements`, directive: true, expect: row([403, 403, 403, 404, 200, 200, 404, 401]) },
  {
    route: 'report',
    method: 'POST',
    path: (id) => `/v1/directives/${id}/reports`,
    body: () => ({ deadlineKey: 'R1', summary: 'Báo cáo' }),
    directive: true,
    expect: row([403, 403, 403, 404, 200, 200, 404, 401]),
  },
  {
    route: 'request extension',
    method: 'POST',
    path: (id) => `/v1/directives/${id}/extension-requests`,
    body: () => ({ proposedDueAt: new Date(Date.now() + 7_200_000).toISOString(), reason: 'Gia hạn' }),
    directive: true,
    expect: row([403, 403, 403, 404, 200, 403, 404, 401]),
  },
  {
    route: 'decide extension (none pending)',
    method: 'POST',
    path: (id) => `/v1/directives/${id}/extension-requests/x1/decision`,
    body: () => ({ approve: true }),
    directive: true,
    expect: row([404, 404, 404, 404, 403, 403, 403, 401]),
  },
  { route: 'submit completion', method: 'POST', path: (id) => `/v1/directives/${id}/completion`, body: () => ({ summary: 'Xong' }), directive: true, expect: row([403, 403, 403, 404, 200, 403, 404, 401]) },
  {
    route: 'review completion (none pending)',
    method: 'POST',
    path: (id) => `/v1/directives/${id}/completion/review`,
    body: () => ({ accept: true }),
    directive: true,
    expect: row([409, 409, 409, 404, 403, 403, 403, 401]),
  },
  {
    route: 'reassign',
    method: 'POST',
    path: (id) => `/v1/directives/${id}/reassignment`,
    body: () => ({ leadAgency: L.id, coordinatingAgencies: [], reason: 'Điều chỉnh' }),
    directive: true,
    expect: row([200, 200, 403, 403, 403, 403, 403, 401]),
  },
  { route: 'cancel', method: 'POST', path: (id) => `/v1/directives/${id}/cancellation`, body: () => ({ reason: 'Hủy' }), directive: true, expect: row([200, 200, 403, 403, 403, 403, 403, 401]) },
  {
    route: 'issue directive',
    method: 'POST',
    path: () => '/v1/directives',
    body: () => ({ title: 'Mới', leadAgency: L.id, dueAt: inAnHour() }),
    directive: false,
    expect: row([201, 201, 403, 403, 403, 403, 403, 401]),
  },
  {
    route: 'create conference',
    method: 'POST',
    path: () => '/v1/conferences',
    body: () => ({ title: 'Hội nghị', directives: [{ title: 'Mới', leadAgency: L.id, dueAt: inAnHour() }] }),
    directive: false,
    expect: row([201, 201, 403, 403, 403, 403, 403, 401]),
  },
  {
    route: 'import a conclusion',
    method: 'POST',
    path: () => '/v1/conferences/import',
    body: () => ({ text: 'Đề nghị các đơn vị: (1) Rà soát đơn thư tồn đọng. (2) Tăng cường tuyên truyền pháp luật.' }),
    directive: false,
    expect: row([200, 200, 403, 403, 403, 403, 403, 401]),
  },
  { route: 'list directives', method: 'GET', path: () => '/v1/directives', directive: false, expect: row([200, 200, 200, 200, 200, 200, 200, 401]) },
  { route: 'escalation inbox', method: 'GET', path: () => '/v1/escalations', directive: false, expect: row([200, 200, 200, 200, 200, 200, 200, 401]) },
  { route: 'list agencies', method: 'GET', path: () => '/v1/agencies', directive: false, expect: row([200, 200, 200, 200, 200, 200, 200, 401]) },
  {
    route: 'add agency',
    method: 'POST',
    path: () => '/v1/agencies',
    body: () => ({ code: `M-${randomUUID().slice(0, 8)}`, name: 'Cơ quan mới' }),
    directive: false,
    expect: row([201, 403, 403, 403, 403, 403, 403, 401]),
  },
  { route: 'list users', method: 'GET', path: () => '/v1/users', directive: false, expect: row([200, 403, 403, 403, 403, 403, 403, 401]) },
  {
    route: 'add user',
    method: 'POST',
    path: () => '/v1/users',
    body: () => ({ name: 'Người mới', role: 'leader' }),
    directive: false,
    expect: row([201, 403, 403, 403, 403, 403, 403, 401]),
  },
  {
    route: 'calendar override',
    method: 'PUT',
    path: () => '/v1/calendar/overrides/2098-01-05',
    body: () => ({ kind: 'day_off' }),
    directive: false,
    expect: row([200, 403, 403, 403, 403, 403, 403, 401]),
  },
  { route: 'read calendar', method: 'GET', path: () => '/v1/calendar/2026', directive: false, expect: row([200, 200, 200, 200, 200, 200, 200, 401]) },
  { route: 'me', method: 'GET', path: () => '/v1/me', directive: false, expect: row([200, 200, 200, 200, 200, 200, 200, 401]) },
  { route: 'my preferences', method: 'GET', path: () => '/v1/me/preferences', directive: false, expect: row([200, 200, 200, 200, 200, 200, 200, 401]) },
  {
    route: 'set my preferences',
    method: 'PUT',
    path: () => '/v1/me/preferences',
    body: () => ({ channels: ['email'], language: 'vi', delivery: 'immediate' }),
    directive: false,
    expect: row([200, 200, 200, 200, 200, 200, 200, 401]),
  },
  { route: 'notifications', method: 'GET', path: () => '/v1/notifications', directive: false, expect: row([200, 200, 200, 200, 200, 200, 200, 401]) },
  { route: 'list webhooks', method: 'GET', path: () => '/v1/webhooks', directive: false, expect: row([200, 403, 403, 403, 403, 403, 403, 401]) },
  {
    route: 'add webhook',
    method: 'POST',
    path: () => '/v1/webhooks',
    body: () => ({ agencyId: L.id, url: 'http://127.0.0.1:9/hook' }),
    directive: false,
    expect: row([201, 403, 403, 403, 403, 403, 403, 401]),
  },
];

describe('the authorization matrix', () => {
  it.each(cells.map((c) => [c.route, c] as const))('%s: every role and scope gets exactly its answer', async (_name, cell) => {
    const got: Record<string, number> = {};
    for (const who of WHO) {
      const id = cell.directive ? await freshDirective() : '';
      const res = await world.call(cell.method, cell.path(id), { token: tokens[who], ...(cell.body ? { body: cell.body() } : {}) });
      got[who] = res.status;
      if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
      // Out of scope reads never leak the directive.
      if (res.status === 404) expect(JSON.stringify(await res.json())).not.toContain('Ma trận');
    }
    expect(got).toEqual(cell.expect);
  });

  it('has every cell asserted', () => {
    const size = cells.length * WHO.length;
    process.stdout.write(`authorization matrix: ${cells.length} routes × ${WHO.length} principals = ${size} cells\n`);
    expect(size).toBe(216);
  });
});
