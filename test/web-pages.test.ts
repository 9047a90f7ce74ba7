import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema.js';
import { createAgency, createUserWithId, eventually, inSeconds, startWorld, type World } from './support.js';

/**
 * The web app in-process (no browser): signing in, the form token, throttling, scopes, and every page
 * rendering for the role that uses it. The browser suite (test/browser/) drives the same pages in Chromium.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ publicUrl: 'http://127.0.0.1' });
});
afterAll(async () => world?.close());

/** A browser without JavaScript: keeps cookies, follows nothing by itself, posts forms with their token. */
class Browser {
  cookies = new Map<string, string>();
  constructor(private readonly w: World) {}
  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      const value = v.join('=');
      if (/Max-Age=0|expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(k!);
      else this.cookies.set(k!, value);
    }
    return res;
  }
  /** The form token of the last page, as its forms carry it. */
  csrf = '';
  async get(path: string) {
    const res = this.keep(await this.w.app.request(path, { headers: { cookie: this.header(), accept: 'text/html' } }));
    const token = /name="_csrf" value="([^"]+)"/.exec(await res.clone().text())?.[1];
    if (token) this.csrf = token;
    return res;
  }
  async post(path: string, fields: Record<string, string>, opts: { csrf?: boolean; origin?: string } = {}) {
    const body = new URLSearchParams({ ...fields, ...(opts.csrf === false ? {} : { _csrf: this.csrf }) });
    return this.keep(
      await this.w.app.request(path, {
        method: 'POST',
        headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded', origin: opts.origin ?? 'http://localhost' },
        body: body.toString(),
      }),
    );
  }
  async signIn(email: string, password: string) {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password, next: '/' });
    // Signed in, forms carry a token of the session: read it from a page, as a browser would.
    if (res.status === 303) await this.get('/');
    return res;
  }
}

async function person(role: 'leader' | 'officer' | 'supervisor' | 'admin', agencyId: string | undefined, email: string, password = 'mật khẩu đủ dài 123') {
  const u = await createUserWithId(world.db, { role, ...(agencyId ? { agencyId } : {}) });
  await world.db.update(users).set({ email }).where(eq(users.id, u.id));
  const admin = { userId: crypto.randomUUID(), name: 'admin', role: 'admin' as const, agencyId: null };
  await world.services.accounts.setPassword(admin, u.id, password);
  return { ...u, email, password };
}

describe('the web app, without a browser', () => {
  it('sends a visitor to sign in, signs them in with a session cookie and out again', async () => {
    const b = new Browser(world);
    const home = await b.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/sign-in?next=%2F');
    const page = await b.get('/sign-in');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Đăng nhập');
    const agency = await createAgency(world.db, 'Cong an huyen');
    const officer = await person('officer', agency.id, `officer.${agency.code.toLowerCase()}@so.test`);
    const signedIn = await b.signIn(officer.email.toUpperCase(), officer.password);
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('dt_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await b.get('/')).status).toBe(200);
    const out = await b.post('/sign-out', {});
    expect(out.headers.get('location')).toBe('/sign-in?signed-out');
    expect((await b.get('/')).status).toBe(303);
  });

  it('switches to English and back, kept with the person once signed in', async () => {
    const agency = await createAgency(world.db, 'Thanh tra huyen');
    const officer = await person('officer', agency.id, `lang.${agency.code.toLowerCase()}@so.test`);
    const b = new Browser(world);
    await b.get('/sign-in');
    await b.post('/language', { language: 'en', back: '/sign-in' });
    expect(await (await b.get('/sign-in')).text()).toContain('<h1>Sign in</h1>');
    // Signed in, the person's own setting counts; switching now keeps it with them.
    await b.signIn(officer.email, officer.password);
    expect(await (await b.get('/')).text()).toContain('<h1>Việc của tôi</h1>');
    await b.post('/language', { language: 'en', back: '/' });
    expect(await (await b.get('/')).text()).toContain('<h1>My work</h1>');
    const fresh = new Browser(world);
    await fresh.signIn(officer.email, officer.password);
    expect(await (await fresh.get('/')).text()).toContain('<h1>My work</h1>');
    await fresh.post('/language', { language: 'vi', back: '/' });
    expect(await (await fresh.get('/')).text()).toContain('<h1>Việc của tôi</h1>');
  });

  it('refuses a form posted without its token, or from another origin even with it', async () => {
    const b = new Browser(world);
    const page = await b.get('/sign-in');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const res = await b.post('/sign-in', { email: 'x@so.test', password: 'whatever-long' }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Biểu mẫu đã hết hiệu lực');
    for (const origin of ['http://evil.example', 'null']) {
      expect((await b.post('/sign-in', { email: 'x@so.test', password: 'whatever-long' }, { origin })).status, origin).toBe(403);
    }
  });

  it('makes a place wait after six wrong passwords for an account, even for the right one', async () => {
    const agency = await createAgency(world.db, 'Toa an huyen');
    const officer = await person('officer', agency.id, `lock.${agency.code.toLowerCase()}@so.test`);
    const b = new Browser(world);
    for (let i = 0; i < 6; i++) expect((await b.signIn(officer.email, 'sai mật khẩu rồi')).status).toBe(401);
    const waiting = await b.signIn(officer.email, officer.password);
    expect(waiting.status).toBe(429);
    expect(await waiting.text()).toContain('Đăng nhập sai nhiều lần. Vui lòng chờ');
  });

  it('counts guesses sent in parallel before checking them, so no more than six get through', async () => {
    const agency = await createAgency(world.db, 'Chi cuc Thue');
    const officer = await person('officer', agency.id, `parallel.${agency.code.toLowerCase()}@so.test`);
    const browsers = Array.from({ length: 16 }, () => new Browser(world));
    await Promise.all(browsers.map((b) => b.get('/sign-in')));
    const statuses = await Promise.all(browsers.map((b, i) => b.post('/sign-in', { email: officer.email, password: `đoán mò lần ${i}` }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('ends a revoked person’s sessions, and an earlier invitation once a new one is made', async () => {
    const agency = await createAgency(world.db, 'So Tu phap');
    const officer = await person('officer', agency.id, `revoke.${agency.code.toLowerCase()}@so.test`);
    const admin = { userId: crypto.randomUUID(), name: 'admin', role: 'admin' as const, agencyId: null };
    const b = new Browser(world);
    await b.signIn(officer.email, officer.password);
    expect((await b.get('/')).status).toBe(200);
    const first = await world.services.accounts.invite(admin, officer.id);
    await world.services.accounts.invite(admin, officer.id);
    expect(await world.services.accounts.invitation(first.token)).toBeUndefined();
    await world.services.users.revokeToken(admin, officer.id);
    expect((await b.get('/')).status).toBe(303);
  });

  it("answers another agency's directive with the not-found page", async () => {
    const mine = await createAgency(world.db, 'Vien KSND huyen');
    const theirs = await createAgency(world.db, 'Chi cuc THADS');
    const officer = await person('officer', mine.id, `scope.${mine.code.toLowerCase()}@so.test`);
    const res = await world.call('POST', '/v1/directives', { body: { title: 'Việc của cơ quan khác', leadAgency: theirs.id, dueAt: inSeconds(3600) } });
    const { id } = await res.json() as { id: string };
    await eventually(async () => (await world.call('GET', `/v1/directives/${id}`)).status, (status) => status === 200);
    const b = new Browser(world);
    await b.signIn(officer.email, officer.password);
    const page = await b.get(`/directives/${id}`);
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('Không tìm thấy trang này');
    expect(html).not.toContain('Việc của cơ quan khác');
  });

  it('renders every page for the role that uses it', async () => {
    const supervising = await createAgency(world.db, 'Ban Noi chinh');
    const lead = await createAgency(world.db, 'Cong an tinh', supervising.id);
    const admin = await person('admin', undefined, `admin.${lead.code.toLowerCase()}@so.test`);
    const b = new Browser(world);
    await b.signIn(admin.email, admin.password);
    const res = await world.call('POST', '/v1/directives', { body: { title: 'Trang nhiệm vụ', leadAgency: lead.id, dueAt: inSeconds(3600), regime: { kind: 'explicit', dueDates: [inSeconds(1800)] } } });
    const { id } = await res.json() as { id: string };
    await eventually(async () => (await world.call('GET', `/v1/directives/${id}/events`)).status, (status) => status === 200);
    for (const path of ['/', '/directives', `/directives/${id}`, '/conferences', '/conferences/new', '/inbox', '/admin/agencies', '/admin/users', '/admin/calendar', '/admin/webhooks']) {
      const page = await b.get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type'), path).toMatch(/text\/html/);
    }
    expect(await (await b.get(`/directives/${id}`)).text()).toContain('Trang nhiệm vụ');
  });
});
