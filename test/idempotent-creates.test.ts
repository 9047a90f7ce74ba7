import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgency, expectProblem, json, startWorld, type World } from './support.js';

/**
 * Every create that takes an Idempotency-Key answers a retry the same way: 200 with `Idempotent-Replayed: true`,
 * the `Location` of what the first request made, and that resource, never a second one; a secret or token shown
 * once is not shown again. The same key with another body is refused with 422.
 */
let world: World;
let lead: { id: string; code: string };
beforeAll(async () => {
  world = await startWorld();
  lead = await createAgency(world.db, 'Cong an tinh');
});
afterAll(async () => world?.close());

/** One deadline for a whole test: a retry sends the same body. */
const due = new Date(Date.now() + 3_600_000).toISOString();
const code = `IDEM-${randomUUID().slice(0, 8)}`;
type Create = { path: string; body: () => unknown; other: () => unknown; idOf: (b: any) => string; once?: string };
const creates: Create[] = [
  { path: '/v1/directives', body: () => ({ title: 'Rà soát đơn thư', leadAgency: lead.id, dueAt: due }), other: () => ({ title: 'Khác', leadAgency: lead.id }), idOf: (b) => b.id },
  {
    path: '/v1/conferences',
    body: () => ({ title: 'Giao ban quý IV', directives: [{ title: 'Nhiệm vụ (1)', leadAgency: lead.id, dueAt: due }] }),
    other: () => ({ title: 'Giao ban khác', directives: [{ title: 'Nhiệm vụ (1)', leadAgency: lead.id }] }),
    idOf: (b) => b.conference.id,
  },
  { path: '/v1/agencies', body: () => ({ code, name: 'Cơ quan một lần' }), other: () => ({ code: `${code}-2`, name: 'Khác' }), idOf: (b) => b.id },
  { path: '/v1/users', body: () => ({ name: 'Cán bộ một lần', role: 'leader' }), other: () => ({ name: 'Khác', role: 'leader' }), idOf: (b) => b.id, once: 'token' },
  {
    path: '/v1/webhooks',
    body: () => ({ agencyId: lead.id, url: 'http://127.0.0.1:9/once' }),
    other: () => ({ agencyId: lead.id, url: 'http://127.0.0.1:9/other' }),
    idOf: (b) => b.id,
    once: 'secret',
  },
];

describe('a create retried with the same Idempotency-Key', () => {
  it.each(creates.map((c) => [c.path, c] as const))('POST %s answers 200 with the first result, marked replayed, and makes nothing new', async (_path, c) => {
    const headers = { 'idempotency-key': `idem-${randomUUID()}` };
    const first = await world.call('POST', c.path, { body: c.body(), headers });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const made = await json(first);
    if (c.once) expect(made[c.once]).toEqual(expect.any(String));

    const again = await world.call('POST', c.path, { body: c.body(), headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const replayed = await json(again);
    expect(c.idOf(replayed)).toBe(c.idOf(made));
    // Shown once: the replay answers with the resource only.
    if (c.once) expect(replayed).not.toHaveProperty(c.once);

    const reused = await world.call('POST', c.path, { body: c.other(), headers });
    expectProblem(reused, 422);
    expect((await json(reused)).type).toBe('/problems/idempotency-key-reused');
  });
});
