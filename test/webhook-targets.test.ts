import http from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, webhooks } from '../db/schema.js';
import { freePort } from '../scripts/temporal-server.js';
import { createAgency, createUser, eventually, inSeconds, json, pastSoon, soon, startWorld, type World } from './support.js';

let world: World;
let receiver: http.Server;
let base = '';
const hits: string[] = [];

beforeAll(async () => {
  // As a production deployment runs by default: webhooks may only reach public addresses.
  world = await startWorld({ allowPrivateWebhookTargets: false, notify: { allowPrivateWebhookTargets: false } });
  const port = await freePort();
  receiver = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.statusCode = 204;
    res.end();
  });
  await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await world?.close();
});

describe('webhook targets in a production configuration', () => {
  it('refuses loopback, private and link-local targets with the reason, and takes a public one', async () => {
    const agency = await createAgency(world.db, 'So Tu phap');
    for (const url of [`${base}/hook`, 'http://localhost:9/hook', 'http://10.0.0.5/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hook', 'http://192.168.1.10:8080/']) {
      const res = await world.call('POST', '/v1/webhooks', { body: { agencyId: agency.id, url } });
      expect(res.status, url).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await json(res);
      expect(problem.errors, url).toEqual([expect.objectContaining({ pointer: '/url', message: expect.stringMatching(/public addresses/) })]);
    }
    const created = await world.call('POST', '/v1/webhooks', { body: { agencyId: agency.id, url: 'https://93.184.216.34/nhan-thong-bao' } });
    expect(created.status).toBe(201);
    const hook = await json(created);
    const moved = await world.call('PATCH', `/v1/webhooks/${hook.id}`, { body: { url: 'http://127.0.0.1:6379/' } });
    expect(moved.status).toBe(422);
    expect((await json(await world.call('GET', '/v1/webhooks'))).items.find((w: { id: string }) => w.id === hook.id).url).toBe('https://93.184.216.34/nhan-thong-bao');
    await world.call('DELETE', `/v1/webhooks/${hook.id}`);
  });

  it('does not call a webhook whose target became internal, and says why', async () => {
    const agency = await createAgency(world.db, 'Thanh tra tinh');
    // Registered while the setting allowed it (or the name then resolved elsewhere).
    await world.db.insert(webhooks).values({ agencyId: agency.id, url: `${base}/internal`, secret: `whsec_${Buffer.from('a secret of twenty-four!').toString('base64')}` });
    const leader = await createUser(world.db, { role: 'leader' });
    const res = await world.call('POST', '/v1/directives', {
      token: leader,
      body: {
        title: 'Rà soát hồ sơ',
        leadAgency: agency.id,
        dueAt: inSeconds(3600),
        regime: { kind: 'explicit', dueDates: [soon(2)] },
        policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1H' }, { duration: 'PT2H' }, { duration: 'PT3H' }] },
      },
    });
    expect(res.status).toBe(201);
    const id = (await json(res)).id as string;
    const row = await eventually(async () => {
      const [n] = await world.db.select().from(notifications).where(and(eq(notifications.directiveId, id), eq(notifications.channel, 'webhook')));
      return n && n.lastError ? n : undefined;
    }, pastSoon(2, 19));
    expect(row.channel).toBe('webhook');
    expect(row.lastError).toMatch(/^refused target: 127\.0\.0\.1 is in a loopback range/);
    expect(hits).toEqual([]);
  }, 60_000);
});
