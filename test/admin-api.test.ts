import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, json, startWorld, type World } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

const code = () => `T-${randomUUID().slice(0, 8)}`;

describe('admin: the agency directory', () => {
  it('adds agencies (once per Idempotency-Key), refuses duplicates and supervision loops, and is closed to others', async () => {
    const officer = await createUser(world.db, { role: 'officer' });
    expect((await world.call('POST', '/v1/agencies', { token: officer, body: { code: code(), name: 'X' } })).status).toBe(403);

    const bncCode = code();
    const headers = { 'idempotency-key': `agency-${bncCode}` };
    const first = await world.call('POST', '/v1/agencies', { body: { code: bncCode, name: 'Ban Nội chính Tỉnh ủy' }, headers });
    expect(first.status).toBe(201);
    const bnc = await json(first);
    const again = await world.call('POST', '/v1/agencies', { body: { code: bncCode, name: 'Ban Nội chính Tỉnh ủy' }, headers });
    expect((await json(again)).id).toBe(bnc.id);
    expect((await world.call('POST', '/v1/agencies', { body: { code: bncCode, name: 'Trùng mã' } })).status).toBe(409);

    const cat = await json(await world.call('POST', '/v1/agencies', { body: { code: code(), name: 'Công an tỉnh', supervisorId: bnc.id } }));
    expect(cat.supervisorId).toBe(bnc.id);
    const loop = await world.call('PATCH', `/v1/agencies/${bnc.id}`, { body: { supervisorId: cat.id } });
    expect(loop.status).toBe(422);
    expect((await world.call('PATCH', `/v1/agencies/${randomUUID()}`, { body: { name: 'x' } })).status).toBe(404);
    const renamed = await world.call('PATCH', `/v1/agencies/${cat.id}`, { body: { name: 'Công an tỉnh (mới)' } });
    expect(await json(renamed)).toMatchObject({ name: 'Công an tỉnh (mới)', supervisorId: bnc.id });
    expect((await world.call('POST', '/v1/agencies', { body: { code: code(), name: 'Y', parentId: randomUUID() } })).status).toBe(422);
  });
});

describe('admin: users and tokens', () => {
  it('shows a new token once; the token works until rotated or revoked', async () => {
    const agency = await json(await world.call('POST', '/v1/agencies', { body: { code: code(), name: 'Viện KSND tỉnh' } }));
    expect((await world.call('POST', '/v1/users', { body: { name: 'Cán bộ', role: 'officer' } })).status).toBe(400);
    const created = await world.call('POST', '/v1/users', { body: { name: 'Nguyễn Văn A', role: 'officer', agencyId: agency.id } });
    expect(created.status).toBe(201);
    const user = await json(created);
    expect(user.token).toEqual(expect.any(String));

    const me = await json(await world.call('GET', '/v1/me', { token: user.token }));
    expect(me).toMatchObject({ id: user.id, role: 'officer', agencyId: agency.id, revoked: false });
    expect(me.token).toBeUndefined();
    expect((await world.call('GET', '/v1/users', { token: user.token })).status).toBe(403);
    const listed = await json(await world.call('GET', '/v1/users'));
    expect(JSON.stringify(listed)).not.toContain(user.token);

    const rotated = await json(await world.call('POST', `/v1/users/${user.id}/token`));
    expect((await world.call('GET', '/v1/me', { token: user.token })).status).toBe(401);
    expect((await world.call('GET', '/v1/me', { token: rotated.token })).status).toBe(200);
    expect((await world.call('DELETE', `/v1/users/${user.id}/token`)).status).toBe(200);
    expect((await world.call('GET', '/v1/me', { token: rotated.token })).status).toBe(401);
  });
});
