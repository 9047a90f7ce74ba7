import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { PrincipalCache } from '../../api/auth.js';
import { rateLimit, SECURITY_HEADERS, stackHeaders } from '../../api/ops.js';
import type { Principal } from '../../services/index.js';

const someone: Principal = { userId: '00000000-0000-4000-8000-000000000001', name: 'Cán bộ', role: 'officer', agencyId: null };

describe('the HTTP stack’s own headers', () => {
  it('sends what hono’s secureHeaders({ referrerPolicy: same-origin }) sent, and a request id', async () => {
    const theirs = new Hono().use('*', secureHeaders({ referrerPolicy: 'same-origin' })).get('/', (c) => c.text('x'));
    const ours = new Hono().use('*', stackHeaders()).get('/', (c) => c.text('x'));
    const pick = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k !== 'content-type' && k !== 'x-request-id'));
    const mine = await ours.request('/');
    expect(pick(mine)).toEqual(pick(await theirs.request('/')));
    expect(Object.keys(pick(mine)).sort()).toEqual(SECURITY_HEADERS.map(([k]) => k).sort());
    expect(mine.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ours.request('/', { headers: { 'x-request-id': 'abc-123=' } })).headers.get('x-request-id')).toBe('abc-123=');
    expect((await ours.request('/', { headers: { 'x-request-id': 'a b' } })).headers.get('x-request-id')).not.toBe('a b');
    expect((await ours.request('/', { headers: { 'x-request-id': 'a'.repeat(256) } })).headers.get('x-request-id')).toHaveLength(36);
  });

  it('puts them on the wire behind @hono/node-server, whatever built the answer', async () => {
    const app = new Hono()
      .use('*', stackHeaders())
      .use('*', rateLimit(1, 60_000))
      .get('/', (c) => c.json({ ok: true }))
      .get('/raw', () => new Response('raw', { headers: { 'x-frame-options': 'DENY' } }));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ok = await fetch(`${base}/`, { headers: { 'x-request-id': 'given-id' } });
      expect(ok.headers.get('x-request-id')).toBe('given-id');
      for (const [k, v] of SECURITY_HEADERS) expect(ok.headers.get(k)).toBe(v);
      expect(ok.headers.get('ratelimit-remaining')).toBe('0');
      expect(ok.headers.get('content-type')).toBe('application/json');
      const limited = await fetch(`${base}/`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      expect(limited.headers.get('x-content-type-options')).toBe('nosniff');
      // A route's own value of one of them is kept (Node's writeHead wins over the stack's setHeader).
      const raw = await fetch(`${base}/raw`, { headers: { authorization: 'Bearer other' } });
      expect(raw.headers.get('x-frame-options')).toBe('DENY');
      expect(raw.headers.get('referrer-policy')).toBe('same-origin');
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('limits each client per window with the draft-6 RateLimit headers and Retry-After', async () => {
    const app = new Hono().use('*', rateLimit(2, 60_000)).get('/', (c) => c.text('x'));
    const a = { authorization: 'Bearer a' };
    const first = await app.request('/', { headers: a });
    expect(first.headers.get('ratelimit-policy')).toBe('2;w=60');
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(first.headers.get('ratelimit-reset')).toBe('60');
    expect((await app.request('/', { headers: a })).status).toBe(200);
    const limited = await app.request('/', { headers: a });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await app.request('/', { headers: { authorization: 'Bearer b' } })).status).toBe(200);
  });
});

describe('PrincipalCache', () => {
  const counting = () => {
    const tokens = new Map<string, Principal>([['good', someone]]);
    const asked: string[] = [];
    return { tokens, asked, lookup: async (t: string) => (asked.push(t), tokens.get(t)) };
  };

  it('asks the database again once its few seconds are over, so a revocation elsewhere takes effect', async () => {
    let now = 0;
    const db = counting();
    const cache = new PrincipalCache(db.lookup, 5_000, 100, () => now);
    expect(await cache.principalFor('good')).toEqual(someone);
    now = 4_999;
    expect(await cache.principalFor('good')).toEqual(someone);
    expect(db.asked).toEqual(['good']);
    db.tokens.delete('good'); // revoked by another process
    now = 5_000;
    expect(await cache.principalFor('good')).toBeUndefined();
    expect(db.asked).toEqual(['good', 'good']);
  });

  it('never keeps an unknown token, and forgets everything on clear()', async () => {
    const db = counting();
    const cache = new PrincipalCache(db.lookup);
    expect(await cache.principalFor('nobody')).toBeUndefined();
    expect(await cache.principalFor('nobody')).toBeUndefined();
    expect(db.asked).toEqual(['nobody', 'nobody']);
    await cache.principalFor('good');
    db.tokens.delete('good');
    cache.clear();
    expect(await cache.principalFor('good')).toBeUndefined();
  });

  it('does not keep an answer that was on its way while the cache was cleared', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new PrincipalCache(async () => (await gate, someone));
    const pending = cache.principalFor('good');
    cache.clear();
    release();
    expect(await pending).toEqual(someone);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries tokens, dropping the oldest', async () => {
    const cache = new PrincipalCache(async () => someone, 5_000, 2);
    for (const t of ['a', 'b', 'c']) await cache.principalFor(t);
    expect(cache.size).toBe(2);
  });
});
