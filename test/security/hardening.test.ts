import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../http/app.js';
import type { AppDeps } from '../../api/context.js';
import { startHttpServer, type HttpServer } from '../../http/serve.js';
import { loadConfig } from '../../config.js';
import { directives } from '../../db/schema.js';
import { pdf } from '../files.js';
import { createAgency, createUserWithId, eventually, json, startWorld, webSession, type World } from '../support.js';

/**
 * The hardening of review 2026-12, findings 15, 17 and 18: a Content-Security-Policy the pages keep to, nothing
 * signed in kept in a cache, the operational endpoints behind a setting, the session cookie's Secure flag from
 * PUBLIC_URL, the Host checked in production, no unauthenticated 500, and download names that cannot pass for
 * another type.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

type AppConfig = AppDeps['config'];
/** The API on the world's services, configured as `config` says over the test world's. */
const appWith = (config: { http?: Partial<AppConfig['http']>; ops?: AppConfig['ops'] }): App => {
  const logger = pino({ level: 'silent' });
  return createApp({
    services: world.services,
    config: {
      http: { rateLimitPerMinute: 100_000, publicUrl: 'http://test', trustedProxies: 0, checkHost: false, ...config.http },
      ops: config.ops ?? { endpoints: 'open', token: undefined },
      temporal: { metricsAddress: undefined },
    },
    logger,
  });
};

async function served(app: App): Promise<HttpServer & { [Symbol.asyncDispose](): Promise<void> }> {
  const server = await startHttpServer(app, '127.0.0.1', 0);
  return Object.assign(server, { [Symbol.asyncDispose]: () => server.close() });
}

const OPS = ['/metrics', '/docs', '/docs/assets/swagger-ui.css', '/openapi.json'];

describe('a Content-Security-Policy and no-store', () => {
  it('serves every page with script-src and frame-ancestors self, and nothing inline for it to refuse', async () => {
    const admin = await webSession(world, 'admin');
    for (const path of ['/', '/directives', '/conferences', '/conferences/new', '/inbox', '/statistics', '/admin/agencies', '/admin/users', '/admin/calendar', '/admin/audit', '/admin/webhooks', '/admin/scoring']) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/(^|;)\s*frame-ancestors 'self'(;|$)/);
      expect(csp, path).toMatch(/(^|;)\s*style-src 'self'(;|$)/);
      const html = await res.text();
      expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? [], `${path}: an inline script`).toEqual([]);
      expect(html.match(/\sstyle="/g) ?? [], `${path}: an inline style`).toEqual([]);
      expect(html.match(/\son[a-z]+="/g) ?? [], `${path}: an event handler attribute`).toEqual([]);
      expect(res.headers.get('cache-control'), `${path} is kept by no cache`).toBe('no-store');
    }
  });

  it('lets the API docs set a style attribute as Swagger UI renders, and still run no script but the site’s files', async () => {
    const csp = (await world.call('GET', '/docs', { token: null })).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|;)\s*frame-ancestors 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval/);
  });

  it('keeps no signed-in JSON in a cache, refusals included', async () => {
    for (const res of [await world.call('GET', '/v1/directives'), await world.call('GET', '/v1/me'), await world.call('GET', '/v1/directives/not-an-id')]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe('the operational endpoints', () => {
  it('are closed in production unless configured, and open on loopback only in development', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).ops).toEqual({ endpoints: 'closed', token: undefined });
    expect(loadConfig({ NODE_ENV: 'development' }).ops).toEqual({ endpoints: 'loopback', token: undefined });
    const token = 'a-scraper-token-of-24-chars-or-more';
    expect(loadConfig({ NODE_ENV: 'production', OPS_ENDPOINTS: 'token', OPS_TOKEN: token }).ops).toEqual({ endpoints: 'token', token });
    expect(() => loadConfig({ OPS_ENDPOINTS: 'token' })).toThrow(/OPS_TOKEN/);
    expect(() => loadConfig({ OPS_TOKEN: token })).toThrow(/OPS_ENDPOINTS=token/);
  });

  it('answer 404 when closed, a bearer of the token when token-protected, and only a loopback client that no proxy forwarded when on loopback', async () => {
    const closed = appWith({ ops: { endpoints: 'closed', token: undefined } });
    for (const path of OPS) expect((await closed.request(path)).status, path).toBe(404);
    // Liveness and readiness stay open to orchestrators.
    expect((await closed.request('/healthz')).status).toBe(200);

    const token = 'a-scraper-token-of-24-chars-or-more';
    const guarded = appWith({ ops: { endpoints: 'token', token } });
    for (const path of OPS) {
      expect((await guarded.request(path)).status, path).toBe(401);
      expect((await guarded.request(path, { headers: { authorization: 'Bearer not-the-token-not-the-token' } })).status, path).toBe(401);
      expect((await guarded.request(path, { headers: { authorization: `Bearer ${token}` } })).status, path).toBe(200);
    }

    const local = appWith({ ops: { endpoints: 'loopback', token: undefined } });
    // In-process, no socket: nobody on loopback.
    expect((await local.request('/metrics')).status).toBe(404);
    await using server = await served(local);
    for (const path of OPS) expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(404);
  });
});

describe('the session cookie and the Host', () => {
  it('marks the cookies Secure when PUBLIC_URL is https, whatever the request says, and not otherwise', async () => {
    await using tls = await served(appWith({ http: { publicUrl: 'https://theodoi.tinh.vn' } }));
    const cookies = (await fetch(`${tls.url}/sign-in`)).headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).toMatch(/;\s*Secure/i);
    await using plain = await served(appWith({ http: { publicUrl: 'http://127.0.0.1' } }));
    for (const c of (await fetch(`${plain.url}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } })).headers.getSetCookie()) expect(c).not.toMatch(/;\s*Secure/i);
  });

  it('refuses in production a request for another host than PUBLIC_URL’s, and answers liveness to any', async () => {
    const app = appWith({ http: { publicUrl: 'https://theodoi.tinh.vn', checkHost: true } });
    const other = await app.request('https://rebound.example/v1/me', { headers: { authorization: `Bearer ${world.adminToken}` } });
    expect(other.status).toBe(421);
    expect((await app.request('https://rebound.example/sign-in')).status).toBe(421);
    expect((await app.request('http://10.0.0.4:3000/healthz')).status).toBe(200);
    expect((await app.request('https://theodoi.tinh.vn/v1/me', { headers: { authorization: `Bearer ${world.adminToken}` } })).status).toBe(200);
    // Another port of the same host is the same site (a cluster's APIs, a proxy on 443).
    expect((await app.request('http://theodoi.tinh.vn:3001/sign-in')).status).toBe(200);
  });
});

describe('no unauthenticated 500', () => {
  it('answers 404 for an asset named like a property every object has', async () => {
    for (const path of ['/assets/constructor', '/assets/__proto__', '/assets/toString', '/assets/hasOwnProperty', '/docs/assets/toString', '/docs/assets/constructor', '/docs/assets/__proto__']) {
      expect((await world.call('GET', path, { token: null })).status, path).toBe(404);
    }
  });

  it('answers 4xx for ids out of range or of the wrong shape on every web route, signed in', async () => {
    const admin = await webSession(world, 'admin');
    const huge = '99999999999999999999';
    const posts = [
      `/inbox/${huge}/acknowledge`,
      '/inbox/0/acknowledge',
      `/admin/users/${huge}/password`,
      '/admin/users/not-a-user/invitation',
      '/admin/users/not-a-user/revoke',
      `/admin/webhooks/${huge}/enable`,
      '/admin/webhooks/not-a-hook/disable',
      '/admin/webhooks/not-a-hook/secret',
      '/admin/webhooks/not-a-hook/remove',
      '/admin/calendar/9999-99-99/remove',
      '/admin/calendar/2026-02-30/remove',
      `/directives/${huge}/acknowledge`,
    ];
    for (const path of posts) {
      const res = await admin.post(path, { password: 'một mật khẩu đủ dài' });
      expect(res.status, `POST ${path}`).toBeGreaterThanOrEqual(300);
      expect(res.status, `POST ${path}`).toBeLessThan(500);
    }
    const gets = [`/admin/audit?cursor=${'z'.repeat(30)}`, `/admin/audit?cursor=${huge}`, '/admin/audit?actor=not-a-user', `/attachments/${huge}`, '/statistics/published/9999-Q9', '/directives?cursor=%%%', `/directives/${huge}`, '/statistics/directives?period=2026-Q4&groupBy=lead&key=not-an-agency'];
    for (const path of gets) {
      const res = await admin.get(path);
      expect(res.status, `GET ${path}`).toBeLessThan(500);
    }
  });
});

describe('download names', () => {
  it('strip format characters and carry the extension of the type the content is', async () => {
    const lead = await createAgency(world.db, 'So Ngoai vu');
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const { id } = await json(await world.call('POST', '/v1/directives', { token: leader.token, body: { title: 'Tên tệp', leadAgency: lead.id } }));
    await eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
    const cases = [
      { sent: '\u202Efdp.exe', shown: 'fdp.pdf' },
      { sent: 'x.html', shown: 'x.pdf' },
      { sent: 'Ke\u0302\u0301t lua\u0323\u0302n so\u0302\u0301 12.pdf', shown: 'Kết luận số 12.pdf' },
      { sent: 'Báo cáo Q3.2024', shown: 'Báo cáo Q3.2024.pdf' },
      { sent: 'tai\u200Blieu\u2066.PDF', shown: 'tailieu.PDF' },
    ];
    for (const [i, c] of cases.entries()) {
      const form = new FormData();
      form.append('file', new Blob([pdf(`ten ${i} ${createHash('sha256').update(c.sent).digest('hex')}`)]), c.sent);
      const res = await world.app.request(`/v1/directives/${id}/attachments?kind=source`, { method: 'POST', headers: { authorization: `Bearer ${leader.token}` }, body: form });
      expect(res.status, c.sent).toBe(201);
      const a = await json(res);
      expect(a.filename, c.sent).toBe(c.shown);
      const got = await world.app.request(`/v1/attachments/${a.id}`, { headers: { authorization: `Bearer ${leader.token}` } });
      const disposition = got.headers.get('content-disposition') ?? '';
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(c.shown)}`);
      expect(decodeURIComponent(disposition)).not.toMatch(/\p{Cf}/u);
    }
  });
});
