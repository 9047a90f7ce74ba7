import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.js';
import { expectProblem, formBrowser, json, startWorld, webSession, type World } from '../support.js';

/**
 * Revoked means out (review 2026-12, finding 13): renewing a revoked user's token does not revive their web
 * password, and letting them back in is an act of its own that leaves them no password.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

/** Signs in through the sign-in form as a browser would; the status of the answer (303 in, 401 refused). */
async function signIn(email: string, password: string): Promise<number> {
  const browser = formBrowser(world);
  await browser.get('/sign-in');
  return (await browser.post('/sign-in', { email, password, next: '/' })).status;
}

describe('a revoked user', () => {
  it('renewing a revoked user’s token does not turn their old web password back on', async () => {
    const person = await webSession(world, 'officer');
    const [{ email } = { email: null }] = await world.db.select({ email: users.email }).from(users).where(eq(users.id, person.id));
    const password = 'một mật khẩu đủ dài';
    expect(await signIn(email!, password)).toBe(303);

    expect((await world.call('DELETE', `/v1/users/${person.id}/token`)).status).toBe(200);
    expect(await signIn(email!, password)).toBe(401);
    // The attack of the review: a new token, and the old password signed in again.
    const renewed = await world.call('POST', `/v1/users/${person.id}/token`);
    expectProblem(renewed, 409);
    expect(await signIn(email!, password)).toBe(401);
  });

  it('comes back only by an explicit restoration, with a new token and no password until a new invitation', async () => {
    const person = await webSession(world, 'officer');
    const [{ email } = { email: null }] = await world.db.select({ email: users.email }).from(users).where(eq(users.id, person.id));
    expect((await world.call('DELETE', `/v1/users/${person.id}/token`)).status).toBe(200);
    expectProblem(await world.call('POST', `/v1/users/${person.id}/restoration`, { token: null }), 401);

    const restored = await world.call('POST', `/v1/users/${person.id}/restoration`);
    expect(restored.status).toBe(200);
    const body = await json(restored);
    expect(body).toMatchObject({ id: person.id, revoked: false });
    expect((await world.call('GET', '/v1/me', { token: body.token })).status).toBe(200);
    expect(await signIn(email!, 'một mật khẩu đủ dài')).toBe(401);
    // Restoring someone who is not revoked is refused.
    expectProblem(await world.call('POST', `/v1/users/${person.id}/restoration`), 409);

    const invited = await json(await world.call('POST', `/v1/users/${person.id}/invitation`));
    expect(invited.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

