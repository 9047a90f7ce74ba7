import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInFailures, users } from '../../db/schema.js';
import { signInDelaySeconds, THROTTLE } from '../../services/accounts.js';
import { createUser, createUserWithId, expectProblem, formBrowser, startWorld, webSession, type World } from '../support.js';

/**
 * Throttles that hold (review 2026-12, findings 10 and 12): the API's rate limit counts a person once however their
 * token is written, and an anonymous client by the address TRUSTED_PROXIES vouches for, never by a header it
 * writes; failed sign-ins slow down the place they come from, progressively, and lock nobody out for good.
 */
const LIMIT = 5;
let limited: World;
let behindProxy: World;
beforeAll(async () => {
  [limited, behindProxy] = await Promise.all([startWorld({ rateLimitPerMinute: LIMIT }), startWorld({ trustedProxies: 1 })]);
});
afterAll(async () => Promise.all([limited?.close(), behindProxy?.close()]));

describe('the API’s rate limit', () => {
  it('counts one token once, however its scheme is cased or spaced', async () => {
    const token = await createUser(limited.db, { role: 'leader' });
    const spellings = ['Bearer', 'bearer', 'BEARER ', 'Bearer   ', 'bEaReR'];
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await limited.call('GET', '/v1/me', { token: null, headers: { authorization: `${spellings[i % spellings.length]} ${token}` } });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  });

  it('counts an anonymous client by its address, whatever X-Forwarded-For it writes', async () => {
    // In-process requests have no socket: every anonymous one here is the same client, "unknown".
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await limited.call('GET', '/v1/directives', { token: null, headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('gives two people at one address an allowance each', async () => {
    const [a, b] = await Promise.all([createUser(limited.db, { role: 'leader' }), createUser(limited.db, { role: 'leader' })]);
    for (let i = 0; i < LIMIT; i++) expect((await limited.call('GET', '/v1/me', { token: a })).status).toBe(200);
    expectProblem(await limited.call('GET', '/v1/me', { token: a }), 429);
    expect((await limited.call('GET', '/v1/me', { token: b })).status).toBe(200);
  });
});

/** A browser at one client address (behind the one trusted proxy, which names it in X-Forwarded-For). */
function browserAt(address: string) {
  return async (email: string, password: string): Promise<Response> => {
    const browser = formBrowser(behindProxy, undefined, undefined, { 'x-forwarded-for': address });
    await browser.get('/sign-in');
    return browser.post('/sign-in', { email, password, next: '/' });
  };
}

async function personWithPassword(): Promise<{ id: string; email: string; password: string }> {
  const session = await webSession(behindProxy, 'officer');
  const [row] = await behindProxy.db.select({ email: users.email }).from(users).where(eq(users.id, session.id));
  return { id: session.id, email: row!.email!, password: 'một mật khẩu đủ dài' };
}

describe('failed sign-ins', () => {
  it('one attacker at one address cannot lock a person out: they still sign in from elsewhere', async () => {
    const victim = await personWithPassword();
    const attacker = browserAt('198.51.100.7');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attacker(victim.email, `đoán mò ${i}`)).status);
    // The first ones are checked (wrong: 401); then the attacker's own place waits.
    expect(statuses.slice(0, THROTTLE.pairAttempts)).toEqual(Array(THROTTLE.pairAttempts).fill(401));
    expect(statuses.at(-1)).toBe(429);
    expect((await browserAt('192.0.2.10')(victim.email, victim.password)).status).toBe(303);
  });

  it('makes each attempt past the free ones wait longer than the last, and says how long', async () => {
    const person = await personWithPassword();
    const at = browserAt('198.51.100.8');
    for (let i = 0; i < THROTTLE.pairAttempts; i++) expect((await at(person.email, 'sai')).status).toBe(401);
    // The first past the free ones is still checked, and makes the next wait.
    expect((await at(person.email, 'sai')).status).toBe(401);
    const waiting = await at(person.email, person.password);
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(THROTTLE.firstDelaySeconds - 2);
    expect(Number(waiting.headers.get('retry-after'))).toBeLessThanOrEqual(THROTTLE.firstDelaySeconds);
    expect(await waiting.text()).toContain('Vui lòng chờ');
    // Its wait over (moved into the past here, rather than waited for), the next attempt is checked and the one after waits twice as long.
    const pairKey = `pair:${person.email.toLowerCase()}|198.51.100.8`;
    await behindProxy.db.update(signInFailures).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(signInFailures.key, pairKey));
    expect((await at(person.email, 'sai')).status).toBe(401);
    const longer = await at(person.email, person.password);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get('retry-after'))).toBeGreaterThan(2 * THROTTLE.firstDelaySeconds - 2);
  });

  it('an admin unblocks an account, from every address it was tried at', async () => {
    const person = await personWithPassword();
    for (const address of ['198.51.100.20', '198.51.100.21']) {
      const at = browserAt(address);
      for (let i = 0; i <= THROTTLE.pairAttempts; i++) await at(person.email, 'sai');
      expect((await at(person.email, person.password)).status).toBe(429);
    }
    const admin = await createUserWithId(behindProxy.db, { role: 'admin' });
    expectProblem(await behindProxy.call('POST', `/v1/users/${person.id}/sign-in-unlock`, { token: await createUser(behindProxy.db, { role: 'leader' }) }), 403);
    expect((await behindProxy.call('POST', `/v1/users/${person.id}/sign-in-unlock`, { token: admin.token })).status).toBe(204);
    expect(await behindProxy.db.select().from(signInFailures).where(like(signInFailures.key, `pair:${person.email.toLowerCase()}|%`))).toEqual([]);
    expect((await browserAt('198.51.100.20')(person.email, person.password)).status).toBe(303);
  });
});

describe('the sign-in delays', () => {
  it('are none for the free attempts, then double from the first delay up to the cap', () => {
    const free = THROTTLE.pairAttempts;
    expect(signInDelaySeconds(free, free)).toBe(0);
    expect([1, 2, 3, 4].map((k) => signInDelaySeconds(free + k, free))).toEqual([30, 60, 120, 240]);
    expect(signInDelaySeconds(free + 20, free)).toBe(THROTTLE.maxDelayMinutes * 60);
  });
});
