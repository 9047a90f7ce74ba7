import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, directives } from '../db/schema.js';
import { createAgency, createUser, createUserWithId, eventually, json, pastSoon, soon, startWorld, type World } from './support.js';

/**
 * Every documented operation × role × agency scope, each cell asserted. The operations come from the OpenAPI
 * document, so a route without its row fails here. Cells that act on something get a fresh one per
 * principal (a directive with lead agency L and coordinating agency C, both supervised by S; O is outside
 * S's subtree), so one principal's action never decides another's answer.
 */
type Who = 'admin' | 'leader' | 'supervisorInScope' | 'supervisorOutOfScope' | 'leadOfficer' | 'coordinatingOfficer' | 'outsideOfficer' | 'anonymous' | 'oversight';
const WHO: Who[] = ['admin', 'leader', 'supervisorInScope', 'supervisorOutOfScope', 'leadOfficer', 'coordinatingOfficer', 'outsideOfficer', 'anonymous', 'oversight'];

let world: World;
const tokens = {} as Record<Who, string | null>;
let S: { id: string };
let L: { id: string; code: string };
let C: { id: string; code: string };
/** What fresh agencies are merged into. */
let M: { id: string };
/** A sub-unit of L (its organisational child), which L's directives are split among. */
let U: { id: string };

beforeAll(async () => {
  world = await startWorld();
  S = await createAgency(world.db, 'Ban Noi chinh');
  const S2 = await createAgency(world.db, 'Ban Dan van');
  L = await createAgency(world.db, 'Cong an', S.id);
  C = await createAgency(world.db, 'Vien KSND', S.id);
  const O = await createAgency(world.db, 'Hoi Nong dan', S2.id);
  M = await createAgency(world.db, 'Co quan hop nhat');
  U = await createAgency(world.db, 'Phong truc thuoc');
  await world.db.update(agencies).set({ parentId: L.id }).where(eq(agencies.id, U.id));
  tokens.admin = world.adminToken;
  tokens.leader = await createUser(world.db, { role: 'leader' });
  tokens.supervisorInScope = await createUser(world.db, { role: 'supervisor', agencyId: S.id });
  tokens.supervisorOutOfScope = await createUser(world.db, { role: 'supervisor', agencyId: S2.id });
  tokens.leadOfficer = await createUser(world.db, { role: 'officer', agencyId: L.id });
  tokens.coordinatingOfficer = await createUser(world.db, { role: 'officer', agencyId: C.id });
  tokens.outsideOfficer = await createUser(world.db, { role: 'officer', agencyId: O.id });
  tokens.anonymous = null;
  // The province's inspection commission: reads the whole province, changes nothing.
  tokens.oversight = await createUser(world.db, { role: 'oversight' });
});
afterAll(async () => world?.close());

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const admin = (method: string, path: string, body?: unknown) => world.call(method, path, body === undefined ? {} : { body });

/** What a cell acts on, made fresh for one principal: the ids its path needs. */
type Fixture = (who: Who) => Promise<string>;

async function directive(): Promise<string> {
  const res = await admin('POST', '/v1/directives', {
    title: 'Ma trận phân quyền',
    leadAgency: L.id,
    coordinatingAgencies: [C.id],
    dueAt: inAnHour(),
    regime: { kind: 'explicit', dueDates: [inAnHour()] },
  });
  expect(res.status).toBe(201);
  const { id } = await json(res);
  await eventually(async () => (await admin('GET', `/v1/directives/${id}/events`)).status, (status) => status === 200);
  return id;
}

/** A level-2 rung, addressed to the supervising agency S: its report period passed two seconds ago. */
async function escalationToS(): Promise<string> {
  const res = await admin('POST', '/v1/directives', {
    title: 'Ma trận chuyển cấp',
    leadAgency: L.id,
    dueAt: inAnHour(),
    regime: { kind: 'explicit', dueDates: [soon()] },
    policy: { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT1H' }] },
  });
  expect(res.status).toBe(201);
  const { id } = await json(res);
  const rung = await eventually(
    async () => (await json(await admin('GET', '/v1/escalations?status=all&limit=200'))).items.filter((e: any) => e.directiveId === id),
    (rungs: any[]) => rungs.some((e) => e.level === 2),
    pastSoon(0, 21),
  );
  return rung.find((e: any) => e.level === 2).id as string;
}

/** A directive whose final deadline (L's) passed a moment ago, so L may be asked to explain it. */
async function overdue(): Promise<string> {
  const res = await admin('POST', '/v1/directives', { title: 'Ma trận giải trình', leadAgency: L.id, coordinatingAgencies: [C.id], dueAt: soon() });
  expect(res.status).toBe(201);
  const { id } = await json(res);
  // Overdue as the workflow sees it (it records the deadline passing), not only by this process's clock.
  await eventually(async () => (await admin('GET', `/v1/directives/${id}`)).json(), (d: any) => d.timeliness === 'open_overdue', pastSoon(0, 21));
  return id;
}
/** An overdue directive whose lead agency L the admin asked to explain it (request gt1, due in an hour). */
async function explanationAsked(): Promise<string> {
  const id = await overdue();
  const res = await admin('POST', `/v1/directives/${id}/explanation-requests`, { agency: L.id, deadlineKey: 'final', question: 'Vì sao chậm?', dueAt: inAnHour() });
  expect(res.status).toBe(200);
  return id;
}

let conferenceId: string | undefined;
async function conference(): Promise<string> {
  conferenceId ??= (await json(await admin('POST', '/v1/conferences', { title: 'Hội nghị giao ban', directives: [{ title: 'Nhiệm vụ', leadAgency: L.id, dueAt: inAnHour() }] }))).conference.id;
  return conferenceId!;
}
const agency = async () => (await json(await admin('POST', '/v1/agencies', { code: `P-${randomUUID().slice(0, 8)}`, name: 'Cơ quan thử' }))).id as string;
/** A confidential directive the leader issued, lead L and coordinating C. */
async function confidential(): Promise<string> {
  const res = await world.call('POST', '/v1/directives', {
    token: tokens.leader,
    body: { title: 'Ma trận mật', leadAgency: L.id, coordinatingAgencies: [C.id], dueAt: inAnHour(), confidential: true },
  });
  expect(res.status).toBe(201);
  const { id } = await json(res);
  await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
  return id;
}

/** A PDF the admin attached to a fresh directive: its attachment id. */
async function attachment(): Promise<string> {
  const id = await directive();
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1')]), 'matran.pdf');
  const res = await world.app.request(`/v1/directives/${id}/attachments?kind=source`, { method: 'POST', headers: { authorization: `Bearer ${world.adminToken}` }, body: form });
  expect(res.status).toBe(201);
  return (await json(res)).id as string;
}

/** A fresh agency split into M, as the admin did it: its reorganisation id. */
const split = async () => (await json(await admin('POST', `/v1/agencies/${await agency()}/split`, { defaultSuccessorId: M.id }))).id as string;
const user = async () => (await json(await admin('POST', '/v1/users', { name: 'Người thử', role: 'leader' }))).id as string;
/** A user the admin revoked. */
const revokedUser = async () => {
  const id = await user();
  expect((await admin('DELETE', `/v1/users/${id}/token`)).status).toBe(200);
  return id;
};
let publishedPeriod: Promise<string> | undefined;
/** A result a leader published once (the fixtures of a row run side by side, so they share one), read by everyone. */
function published(): Promise<string> {
  publishedPeriod ??= world.call('POST', '/v1/published-results', { token: tokens.leader, body: { period: '2024-Q2' } }).then((res) => {
    expect(res.status).toBe(201);
    return '2024-Q2';
  });
  return publishedPeriod;
}
const webhook = async () => (await json(await admin('POST', '/v1/webhooks', { agencyId: L.id, url: 'http://127.0.0.1:9/hook' }))).id as string;
/** A day in the far future, its own per principal, with an override on it. */
let day = 0;
async function override(): Promise<string> {
  const date = `2097-${String(1 + (day % 12)).padStart(2, '0')}-${String(1 + Math.floor(day++ / 12)).padStart(2, '0')}`;
  await admin('PUT', `/v1/calendar/overrides/${date}`, { kind: 'day_off' });
  return date;
}

type Cell = { op: string; path: (x: string) => string; fixture?: Fixture; body?: () => unknown; expect: Record<Who, number> };
/** Eight statuses, and the oversight role's when it is not what reading-only makes it (see `withOversight`). */
const row = (statuses: number[]): Record<Who, number> => Object.fromEntries(WHO.map((w, i) => [w, statuses[i]!]).filter(([, v]) => v !== undefined)) as Record<Who, number>;
const adminOnly = (ok: number) => row([ok, 403, 403, 403, 403, 403, 403, 401]);
const everyone = (ok: number) => row([ok, ok, ok, ok, ok, ok, ok, 401]);
/** The oversight role reads what a leader reads (the whole province) and is refused every write. */
const withOversight = (c: Cell): Cell => (c.expect.oversight !== undefined ? c : { ...c, expect: { ...c.expect, oversight: c.op.startsWith('GET ') ? c.expect.leader : 403 } });

//                                                                          admin leader supIn supOut lead coord out anon (oversight)
const cells: Cell[] = ([
  // --- directives: reads and actions, each on a fresh directive ---
  { op: 'GET /v1/directives/{id}', path: (id) => `/v1/directives/${id}`, fixture: directive, expect: row([200, 200, 200, 404, 200, 200, 404, 401]) },
  { op: 'GET /v1/directives/{id}/events', path: (id) => `/v1/directives/${id}/events`, fixture: directive, expect: row([200, 200, 200, 404, 200, 200, 404, 401]) },
  { op: 'POST /v1/directives/{id}/acknowledgements', path: (id) => `/v1/directives/${id}/acknowledgements`, fixture: directive, expect: row([403, 403, 403, 404, 200, 200, 404, 401]) },
  {
    op: 'POST /v1/directives/{id}/reports',
    path: (id) => `/v1/directives/${id}/reports`,
    fixture: directive,
    body: () => ({ deadlineKey: 'R1', summary: 'Báo cáo' }),
    expect: row([403, 403, 403, 404, 200, 200, 404, 401]),
  },
  {
    op: 'POST /v1/directives/{id}/extension-requests',
    path: (id) => `/v1/directives/${id}/extension-requests`,
    fixture: directive,
    body: () => ({ proposedDueAt: new Date(Date.now() + 7_200_000).toISOString(), reason: 'Gia hạn' }),
    expect: row([403, 403, 403, 404, 200, 403, 404, 401]),
  },
  {
    op: 'POST /v1/directives/{id}/extension-requests/{requestId}/decision',
    path: (id) => `/v1/directives/${id}/extension-requests/x1/decision`,
    fixture: directive,
    body: () => ({ approve: true }),
    // None is pending: deciders learn that, the others are refused first.
    expect: row([404, 404, 404, 404, 403, 403, 403, 401]),
  },
  {
    op: 'POST /v1/directives/{id}/explanation-requests',
    path: (id) => `/v1/directives/${id}/explanation-requests`,
    fixture: overdue,
    body: () => ({ agency: L.id, deadlineKey: 'final', question: 'Đề nghị giải trình', dueAt: inAnHour() }),
    // Deciders ask (a supervisor of the lead agency only); officers are refused before the directive is looked up.
    expect: row([200, 200, 200, 404, 403, 403, 403, 401]),
  },
  {
    op: 'POST /v1/directives/{id}/explanation-requests/{requestId}/answer',
    path: (id) => `/v1/directives/${id}/explanation-requests/gt1/answer`,
    fixture: explanationAsked,
    body: () => ({ text: 'Giải trình' }),
    // Only the agency asked answers; who cannot see the directive gets a 404.
    expect: row([403, 403, 403, 404, 200, 403, 404, 401]),
  },
  {
    op: 'POST /v1/directives/{id}/explanation-requests/{requestId}/closing',
    path: (id) => `/v1/directives/${id}/explanation-requests/gt1/closing`,
    fixture: explanationAsked,
    body: () => ({ accepted: false, note: 'Rút yêu cầu' }),
    expect: row([200, 200, 200, 404, 403, 403, 403, 401]),
  },
  {
    op: 'POST /v1/directives/{id}/subtasks',
    path: (id) => `/v1/directives/${id}/subtasks`,
    fixture: directive,
    body: () => ({ subtasks: [{ title: 'Nhiệm vụ con', subUnit: U.id, dueAt: new Date(Date.now() + 600_000).toISOString() }] }),
    // Only the lead agency splits its directive.
    expect: row([403, 403, 403, 404, 200, 403, 404, 401]),
  },
  {
    op: 'PUT /v1/directives/{id}/readers',
    path: (id) => `/v1/directives/${id}/readers`,
    fixture: confidential,
    body: () => ({ readers: [] }),
    // Only its issuing leader names them; who cannot see it gets a 404, who sees it and did not issue it a 403.
    expect: row([404, 200, 404, 404, 403, 403, 404, 401]),
  },
  // The upload is multipart; a JSON body is refused (422) only once the principal may attach to it at all.
  {
    op: 'POST /v1/directives/{id}/attachments',
    path: (id) => `/v1/directives/${id}/attachments?kind=source`,
    fixture: directive,
    body: () => ({ file: 'not multipart' }),
    expect: row([422, 422, 403, 404, 403, 403, 404, 401]),
  },
  { op: 'GET /v1/directives/{id}/attachments', path: (id) => `/v1/directives/${id}/attachments`, fixture: directive, expect: row([200, 200, 200, 404, 200, 200, 404, 401]) },
  { op: 'GET /v1/attachments/{id}', path: (id) => `/v1/attachments/${id}`, fixture: attachment, expect: row([200, 200, 200, 404, 200, 200, 404, 401]) },
  { op: 'POST /v1/directives/{id}/completion', path: (id) => `/v1/directives/${id}/completion`, fixture: directive, body: () => ({ summary: 'Xong' }), expect: row([403, 403, 403, 404, 200, 403, 404, 401]) },
  {
    op: 'POST /v1/directives/{id}/completion/review',
    path: (id) => `/v1/directives/${id}/completion/review`,
    fixture: directive,
    body: () => ({ accept: true }),
    // None is pending.
    expect: row([409, 409, 409, 404, 403, 403, 403, 401]),
  },
  {
    op: 'POST /v1/directives/{id}/reassignment',
    path: (id) => `/v1/directives/${id}/reassignment`,
    fixture: directive,
    body: () => ({ leadAgency: L.id, coordinatingAgencies: [], reason: 'Điều chỉnh' }),
    expect: row([200, 200, 403, 403, 403, 403, 403, 401]),
  },
  { op: 'POST /v1/directives/{id}/cancellation', path: (id) => `/v1/directives/${id}/cancellation`, fixture: directive, body: () => ({ reason: 'Hủy' }), expect: row([200, 200, 403, 403, 403, 403, 403, 401]) },
  {
    op: 'POST /v1/directives',
    path: () => '/v1/directives',
    body: () => ({ title: 'Mới', leadAgency: L.id, dueAt: inAnHour() }),
    expect: row([201, 201, 403, 403, 403, 403, 403, 401]),
  },
  { op: 'GET /v1/directives', path: () => '/v1/directives', expect: everyone(200) },

  // --- conferences ---
  {
    op: 'POST /v1/conferences',
    path: () => '/v1/conferences',
    body: () => ({ title: 'Hội nghị', directives: [{ title: 'Mới', leadAgency: L.id, dueAt: inAnHour() }] }),
    expect: row([201, 201, 403, 403, 403, 403, 403, 401]),
  },
  {
    op: 'POST /v1/conferences/import',
    path: () => '/v1/conferences/import',
    body: () => ({ text: 'Đề nghị các đơn vị: (1) Rà soát đơn thư tồn đọng. (2) Tăng cường tuyên truyền pháp luật.' }),
    expect: row([200, 200, 403, 403, 403, 403, 403, 401]),
  },
  { op: 'GET /v1/conferences', path: () => '/v1/conferences', expect: everyone(200) },
  // The conference itself is no secret; its directives are listed as the caller may see them.
  { op: 'GET /v1/conferences/{id}', path: (id) => `/v1/conferences/${id}`, fixture: conference, expect: everyone(200) },

  // --- escalations ---
  { op: 'GET /v1/escalations', path: () => '/v1/escalations', expect: everyone(200) },
  {
    op: 'POST /v1/escalations/{id}/acknowledgement',
    path: (id) => `/v1/escalations/${id}/acknowledgement`,
    fixture: escalationToS,
    // In the inbox of S's people (and an admin's); anyone else's answer does not reveal it.
    expect: row([200, 404, 200, 404, 404, 404, 404, 401]),
  },

  // --- the directory and its people ---
  { op: 'GET /v1/agencies', path: () => '/v1/agencies', expect: everyone(200) },
  { op: 'POST /v1/agencies/{id}/merge', path: (id) => `/v1/agencies/${id}/merge`, fixture: agency, body: () => ({ successorId: M.id }), expect: adminOnly(202) },
  { op: 'GET /v1/agencies/reorganisations', path: () => '/v1/agencies/reorganisations', expect: adminOnly(200) },
  { op: 'POST /v1/agencies/{id}/split', path: (id) => `/v1/agencies/${id}/split`, fixture: agency, body: () => ({ defaultSuccessorId: M.id }), expect: adminOnly(202) },
  {
    op: 'POST /v1/agencies/{id}/split-preview',
    path: (id) => `/v1/agencies/${id}/split-preview`,
    fixture: agency,
    body: () => ({ defaultSuccessorId: M.id }),
    // A preview changes nothing, but shows an agency's open directives: the admin's, like the split.
    expect: { ...adminOnly(200), oversight: 403 },
  },
  { op: 'GET /v1/agencies/reorganisations/{id}/moves', path: (id) => `/v1/agencies/reorganisations/${id}/moves`, fixture: split, expect: adminOnly(200) },
  { op: 'POST /v1/agencies', path: () => '/v1/agencies', body: () => ({ code: `M-${randomUUID().slice(0, 8)}`, name: 'Cơ quan mới' }), expect: adminOnly(201) },
  { op: 'PATCH /v1/agencies/{id}', path: (id) => `/v1/agencies/${id}`, fixture: agency, body: () => ({ name: 'Cơ quan đổi tên' }), expect: adminOnly(200) },
  // Each principal its own alias (a name that named another agency would be a 409).
  {
    op: 'POST /v1/agencies/{id}/aliases',
    path: (id) => `/v1/agencies/${id}/aliases`,
    fixture: agency,
    body: () => ({ alias: `Tên khác ${randomUUID().slice(0, 8)}` }),
    expect: row([200, 200, 403, 403, 403, 403, 403, 401]),
  },
  { op: 'GET /v1/users', path: () => '/v1/users', expect: adminOnly(200) },
  { op: 'POST /v1/users', path: () => '/v1/users', body: () => ({ name: 'Người mới', role: 'leader' }), expect: adminOnly(201) },
  { op: 'POST /v1/users/{id}/token', path: (id) => `/v1/users/${id}/token`, fixture: user, expect: adminOnly(200) },
  { op: 'DELETE /v1/users/{id}/token', path: (id) => `/v1/users/${id}/token`, fixture: user, expect: adminOnly(200) },
  { op: 'POST /v1/users/{id}/restoration', path: (id) => `/v1/users/${id}/restoration`, fixture: revokedUser, expect: adminOnly(200) },
  { op: 'POST /v1/users/{id}/sign-in-unlock', path: (id) => `/v1/users/${id}/sign-in-unlock`, fixture: user, expect: adminOnly(204) },
  { op: 'PUT /v1/users/{id}/password', path: (id) => `/v1/users/${id}/password`, fixture: user, body: () => ({ password: 'một mật khẩu đủ dài' }), expect: adminOnly(204) },
  { op: 'POST /v1/users/{id}/invitation', path: (id) => `/v1/users/${id}/invitation`, fixture: user, expect: adminOnly(201) },
  { op: 'GET /v1/me', path: () => '/v1/me', expect: everyone(200) },
  { op: 'GET /v1/me/preferences', path: () => '/v1/me/preferences', expect: everyone(200) },
  // Its own preferences are the one thing the oversight role may change.
  { op: 'PUT /v1/me/preferences', path: () => '/v1/me/preferences', body: () => ({ channels: ['email'], language: 'vi', delivery: 'immediate' }), expect: row([200, 200, 200, 200, 200, 200, 200, 401, 200]) },

  // --- the calendar ---
  { op: 'GET /v1/calendar/{year}', path: () => '/v1/calendar/2026', expect: everyone(200) },
  { op: 'GET /v1/calendar/changes', path: () => '/v1/calendar/changes', expect: adminOnly(200) },

  // --- the audit log: the admins' to read, nobody's to change ---
  { op: 'GET /v1/audit', path: () => '/v1/audit', expect: row([200, 403, 403, 403, 403, 403, 403, 401, 200]) },
  { op: 'GET /v1/audit/export', path: () => '/v1/audit/export', expect: row([200, 403, 403, 403, 403, 403, 403, 401, 200]) },
  { op: 'PUT /v1/calendar/overrides/{date}', path: () => '/v1/calendar/overrides/2098-01-05', body: () => ({ kind: 'day_off' }), expect: adminOnly(200) },
  { op: 'DELETE /v1/calendar/overrides/{date}', path: (date) => `/v1/calendar/overrides/${date}`, fixture: override, expect: adminOnly(204) },

  // --- statistics: everyone reads within their scope; the rule is the admin's, publishing the leader's ---
  { op: 'GET /v1/statistics', path: () => '/v1/statistics?period=2025-Q3', expect: everyone(200) },
  { op: 'GET /v1/statistics/directives', path: () => '/v1/statistics/directives?period=2025-Q3&category=open_overdue', expect: everyone(200) },
  { op: 'GET /v1/statistics/series', path: () => '/v1/statistics/series?year=2026', expect: everyone(200) },
  { op: 'GET /v1/statistics/scorecard', path: () => '/v1/statistics/scorecard?period=2025-Q3', expect: everyone(200) },
  { op: 'GET /v1/statistics/report', path: () => '/v1/statistics/report?period=2025-Q3&format=csv', expect: everyone(200) },
  { op: 'GET /v1/scoring-rule', path: () => '/v1/scoring-rule', expect: everyone(200) },
  {
    op: 'PUT /v1/scoring-rule',
    path: () => '/v1/scoring-rule',
    body: () => ({ points: { completed_on_time: 100, completed_late: 50, open_on_time: 100, open_overdue: 0, no_deadline: null }, weights: { lead: 1, coordinating: 0.3 }, bands: { green: 90, yellow: 70 } }),
    expect: adminOnly(200),
  },
  { op: 'GET /v1/published-results', path: () => '/v1/published-results', expect: everyone(200) },
  // Only the leader gets as far as publishing; the others are refused before the body is read.
  { op: 'POST /v1/published-results', path: () => '/v1/published-results', body: () => ({ period: '2024-Q1' }), expect: row([403, 201, 403, 403, 403, 403, 403, 401]) },
  { op: 'GET /v1/published-results/{period}', path: (p) => `/v1/published-results/${p}`, fixture: published, expect: everyone(200) },
  { op: 'GET /v1/published-results/{period}/report', path: (p) => `/v1/published-results/${p}/report?format=docx`, fixture: published, expect: everyone(200) },

  // --- notifications and webhooks ---
  { op: 'GET /v1/notifications', path: () => '/v1/notifications', expect: everyone(200) },
  { op: 'GET /v1/webhooks', path: () => '/v1/webhooks', expect: adminOnly(200) },
  { op: 'POST /v1/webhooks', path: () => '/v1/webhooks', body: () => ({ agencyId: L.id, url: 'http://127.0.0.1:9/hook' }), expect: adminOnly(201) },
  { op: 'PATCH /v1/webhooks/{id}', path: (id) => `/v1/webhooks/${id}`, fixture: webhook, body: () => ({ active: false }), expect: adminOnly(200) },
  { op: 'DELETE /v1/webhooks/{id}', path: (id) => `/v1/webhooks/${id}`, fixture: webhook, expect: adminOnly(204) },
  { op: 'POST /v1/webhooks/{id}/secret', path: (id) => `/v1/webhooks/${id}/secret`, fixture: webhook, expect: adminOnly(200) },
] as Cell[]).map(withOversight);

describe('the authorization matrix', () => {
  it('has a row for every operation the OpenAPI document describes, and none for an operation it does not', async () => {
    const doc = await json(await world.call('GET', '/openapi.json', { token: null }));
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(cells.map((c) => c.op).sort()).toEqual(documented.sort());
    process.stdout.write(`authorization matrix: ${cells.length} operations × ${WHO.length} principals = ${cells.length * WHO.length} cells\n`);
  });

  it.each(cells.map((c) => [c.op, c] as const))('%s: every role and scope gets exactly its answer', async (_op, cell) => {
    // Fresh things to act on, one per principal, made side by side.
    const targets = await Promise.all(WHO.map((who) => (cell.fixture ? cell.fixture(who) : Promise.resolve(''))));
    const got: Record<string, number> = {};
    for (const [i, who] of WHO.entries()) {
      const res = await world.call(cell.op.split(' ')[0]!, cell.path(targets[i]!), { token: tokens[who], ...(cell.body ? { body: cell.body() } : {}) });
      got[who] = res.status;
      if (res.status >= 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
      // Out of scope answers never leak what they refuse.
      if (res.status === 404) expect(JSON.stringify(await res.json())).not.toMatch(/Ma trận/);
    }
    expect(got).toEqual(cell.expect);
  });
});

describe('a confidential directive', () => {
  it('is seen only by its assigned agencies, its issuing leader and its named readers; 404 for everyone else, its title nowhere', async () => {
    const reader = await createUserWithId(world.db, { role: 'supervisor', agencyId: S.id });
    const otherLeader = await createUser(world.db, { role: 'leader' });
    const word = `mat${randomUUID().slice(0, 8)}`;
    const res = await world.call('POST', '/v1/directives', {
      token: tokens.leader,
      body: { title: `Ma trận mật ${word}`, body: 'Nội dung mật', leadAgency: L.id, coordinatingAgencies: [C.id], dueAt: inAnHour(), confidential: true, readers: [reader.id] },
    });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
    const who = { ...tokens, reader: reader.token, otherLeader } as Record<string, string | null>;
    const allowed = ['leader', 'leadOfficer', 'coordinatingOfficer', 'reader'];
    for (const [name, token] of Object.entries(who)) {
      const expected = token === null ? 401 : allowed.includes(name) ? 200 : 404;
      for (const path of [`/v1/directives/${id}`, `/v1/directives/${id}/events`]) {
        const got = await world.call('GET', path, { token });
        expect({ name, path, status: got.status }).toEqual({ name, path, status: expected });
        if (expected !== 200) expect(await got.text()).not.toContain(word);
      }
      if (token === null) continue;
      const list = await json(await world.call('GET', `/v1/directives?q=${word}`, { token }));
      expect({ name, listed: list.items.length }).toEqual({ name, listed: allowed.includes(name) ? 1 : 0 });
    }
  });
});
