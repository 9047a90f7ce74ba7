import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ rateLimitPerMinute: 5 });
});
afterAll(async () => world?.close());

describe('operational surface', () => {
  it('limits each client’s rate with a 429 problem and RateLimit headers, counting clients apart', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await world.call('GET', '/v1/agencies')).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await world.call('GET', '/v1/agencies');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(limited.headers.get('ratelimit-limit')).toBe('5');
    // Another client (another token) has its own budget.
    expect((await world.call('GET', '/v1/agencies', { token: 'some-other-token-some-other-token' })).status).toBe(401);
  });

  it('refuses NUL characters, which PostgreSQL cannot store, with a 400 instead of failing deep inside (found by the fuzz test)', async () => {
    // Its own token: the rate-limit test above has spent the admin's budget.
    const token = await createUser(world.db, { role: 'admin' });
    for (const res of [
      await world.call('GET', '/v1/directives?q=%00', { token }),
      await world.call('POST', '/v1/directives', { token, body: { title: 'a\u0000b', leadAgency: 'X' } }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('serves Prometheus metrics with the HTTP requests it has answered', async () => {
    await world.call('GET', '/readyz', { token: null });
    const res = await world.call('GET', '/metrics', { token: null });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/readyz"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('serves the API docs without anything from the internet', async () => {
    const page = await world.call('GET', '/docs', { token: null });
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const a of assets) {
      expect(a.startsWith('/docs/assets/')).toBe(true);
      const res = await world.call('GET', a, { token: null });
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(50);
    }
    expect((await world.call('GET', '/docs/assets/..%2Fpackage.json', { token: null })).status).toBe(404);
  });
});
