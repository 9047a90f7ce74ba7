import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../http/serve.js';
import { auditLog } from '../db/schema.js';
import { createUserWithId, json, startWorld, webSession, type World } from './support.js';

/** The audit log on the real PostgreSQL: every write through either door, over a real socket, and nothing can change it. */
let world: World;
let server: HttpServer;
beforeAll(async () => {
  world = await startWorld();
  server = await startHttpServer(world.app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server?.close();
  await world?.close();
});

const call = (method: string, path: string, token: string | null, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('the audit log', () => {
  it('holds every write made through the API, refused ones too, with who, role, agency, what, outcome and address', async () => {
    const admin = await createUserWithId(world.db, { role: 'admin' });
    const officer = await createUserWithId(world.db, { role: 'officer' });
    const before = (await world.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]?.id ?? 0;
    const code = `AUD-${randomUUID().slice(0, 6)}`;
    const writes = [
      { method: 'POST', path: '/v1/agencies', token: admin.token, body: { code, name: 'Cơ quan kiểm toán thử' }, status: 201, action: 'POST /v1/agencies' },
      { method: 'PUT', path: '/v1/calendar/overrides/2097-03-04', token: admin.token, body: { kind: 'day_off' }, status: 200, action: 'PUT /v1/calendar/overrides/:date' },
      { method: 'DELETE', path: '/v1/calendar/overrides/2097-03-04', token: admin.token, status: 204, action: 'DELETE /v1/calendar/overrides/:date' },
      { method: 'POST', path: '/v1/agencies', token: officer.token, body: { code: `${code}-X`, name: 'Không được' }, status: 403, action: 'POST /v1/agencies' },
      { method: 'POST', path: '/v1/agencies', token: null, body: { code: `${code}-Y`, name: 'Không ai' }, status: 401 },
    ];
    for (const w of writes) expect((await call(w.method, w.path, w.token, w.body)).status).toBe(w.status);
    // Reads are not writes.
    expect((await call('GET', '/v1/agencies', admin.token)).status).toBe(200);

    // Other test files write through the app in-process (address `unknown`) at the same time: this test's writes are the socket's.
    const rows = (
      await world.db.select().from(auditLog).where(sql`${auditLog.id} > ${before} and ${auditLog.door} = 'api' and ${auditLog.address} = '127.0.0.1'`).orderBy(auditLog.id)
    ).filter((r) => writes.some((w) => w.path === r.path));
    expect(rows.map((r) => [r.path, r.status])).toEqual(writes.map((w) => [w.path, w.status]));
    expect(rows[0]).toMatchObject({ actorId: admin.id, role: 'admin', action: 'POST /v1/agencies', address: '127.0.0.1', door: 'api' });
    expect(rows[1]!.action).toBe('PUT /v1/calendar/overrides/:date');
    expect(rows[3]).toMatchObject({ actorId: officer.id, role: 'officer', status: 403 });
    expect(rows[4]).toMatchObject({ actorId: null, role: null, status: 401 });
    expect(rows.every((r) => r.requestId !== null && r.at instanceof Date)).toBe(true);

    // Admins read it newest first, filtered by actor, and export it.
    const page = await json(await call('GET', `/v1/audit?actor=${officer.id}`, admin.token));
    expect(page.items.map((e: { path: string; status: number }) => [e.path, e.status])).toEqual([['/v1/agencies', 403]]);
    const csv = await (await call('GET', `/v1/audit/export?actor=${admin.id}`, admin.token)).text();
    expect(csv.split('\n')[0]).toContain('id,at,actor_id,actor_name,role,agency_id,action,path,status,address,door,request_id');
    expect(csv).toContain('PUT /v1/calendar/overrides/:date');
    expect((await call('GET', '/v1/audit', officer.token)).status).toBe(403);
  });

  it('holds the web app’s writes, with the person signed in', async () => {
    const before = (await world.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]?.id ?? 0;
    const admin = await webSession(world, 'admin', (path, init) => fetch(`${server.url}${path}`, init), server.url);
    await admin.get('/admin/calendar');
    expect((await admin.post('/admin/calendar', { date: '2097-05-06', kind: 'day_off', note: '' })).status).toBe(303);

    const rows = await world.db.select().from(auditLog).where(and(gt(auditLog.id, before), inArray(auditLog.path, ['/sign-in', '/admin/calendar'])));
    expect(rows.filter((r) => r.actorId === admin.id).map((r) => [r.action, r.door, r.address, r.status])).toEqual([['POST /admin/calendar', 'web', '127.0.0.1', 303]]);
    // Signing in is a write of nobody yet signed in.
    expect(rows.some((r) => r.action === 'POST /sign-in' && r.actorId === null && r.address === '127.0.0.1' && r.status === 303)).toBe(true);
    expect(await (await admin.get(`/admin/audit?actor=${admin.id}`)).text()).toContain('POST /admin/calendar');
    await world.call('DELETE', '/v1/calendar/overrides/2097-05-06');
  });

  it('cannot be changed or emptied, through the application’s own database connection', async () => {
    const [last] = await world.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(last).toBeDefined();
    const refusal = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'done';
      } catch (err) {
        return String((err as { cause?: unknown }).cause ?? err);
      }
    };
    expect(await refusal(world.db.update(auditLog).set({ status: 200 }).where(eq(auditLog.id, last!.id)))).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(world.db.delete(auditLog).where(eq(auditLog.id, last!.id)))).toMatch(/append-only: DELETE refused/);
    expect(await refusal(world.db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE refused/);
    expect(await world.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.id, last!.id))).toEqual([last]);
    // No route of the API writes to it: the OpenAPI document has only the two reads under /v1/audit.
    const doc = await json(await world.call('GET', '/openapi.json'));
    const auditOps = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([p]) => p.startsWith('/v1/audit'))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(auditOps.sort()).toEqual(['get /v1/audit', 'get /v1/audit/export']);
    expect((await world.call('DELETE', '/v1/audit')).status).toBe(404);
  });
});

describe('the oversight role', () => {
  it('reads the audit log, statistics and every directive, and is refused every write through either door, each refusal audited', async () => {
    const oversight = await createUserWithId(world.db, { role: 'oversight' });
    expect((await call('GET', '/v1/audit?limit=5', oversight.token)).status).toBe(200);
    expect((await call('GET', '/v1/statistics?period=2025-Q3', oversight.token)).status).toBe(200);
    expect((await call('GET', '/v1/directives', oversight.token)).status).toBe(200);
    const refused = await call('POST', '/v1/agencies', oversight.token, { code: `OV-${randomUUID().slice(0, 6)}`, name: 'Không được' });
    expect(refused.status).toBe(403);
    expect((await json(refused)).detail).toBe('The oversight role reads; it changes nothing.');
    const [entry] = await world.db.select().from(auditLog).where(eq(auditLog.actorId, oversight.id)).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ role: 'oversight', action: 'POST /v1/agencies', status: 403 });

    // In the web app: the audit page opens, other admin pages do not, a form posted is refused with the reason.
    const web = await webSession(world, 'oversight', (path, init) => fetch(`${server.url}${path}`, init), server.url);
    expect((await web.get('/admin/audit')).status).toBe(200);
    expect((await web.get('/admin/users')).status).toBe(403);
    const form = await web.post('/statistics/publish', { period: '2024-Q3' });
    expect(form.status).toBe(403);
    expect(await form.text()).toContain('Vai trò kiểm tra, giám sát chỉ xem; không thay đổi gì.');
  });
});
