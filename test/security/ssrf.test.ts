import type * as Dns from 'node:dns';
import type * as DnsPromises from 'node:dns/promises';
import http from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { notifications, webhooks } from '../../db/schema.js';
import { freePort } from '../../scripts/temporal-server.js';
import { createAgency, createUser, eventually, inSeconds, json, pastSoon, soon, startWorld, type World } from '../support.js';

/**
 * Webhook delivery connects only to the address that was vetted (review 2026-12, finding 11), and a refusal does not
 * say what a name resolved to. The resolver is the machine's, except while `rebinding` is on: then `localhost`
 * answers a public address to the first question and its real loopback address to every later one, as a name with
 * a TTL of 0 can.
 */
const dnsState = vi.hoisted(() => ({ rebinding: false, asked: 0 }));
const PUBLIC = '93.184.216.34';

type Callback = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

vi.mock('node:dns', async (importOriginal) => {
  const real = await importOriginal<typeof Dns>();
  const lookup = (hostname: string, options: unknown, callback?: Callback) => {
    const cb = (typeof options === 'function' ? options : callback) as Callback;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean };
    if (dnsState.rebinding && hostname === 'localhost' && dnsState.asked++ === 0) {
      queueMicrotask(() => (opts.all ? cb(null, [{ address: PUBLIC, family: 4 }]) : cb(null, PUBLIC, 4)));
      return;
    }
    (real.lookup as (h: string, o: unknown, c: Callback) => void)(hostname, opts, cb);
  };
  return { ...real, default: { ...real, lookup }, lookup };
});
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof DnsPromises>();
  const lookup = async (hostname: string, options?: { all?: boolean }) => {
    if (dnsState.rebinding && hostname === 'localhost' && dnsState.asked++ === 0) return options?.all ? [{ address: PUBLIC, family: 4 }] : { address: PUBLIC, family: 4 };
    return real.lookup(hostname, options as never);
  };
  return { ...real, default: { ...real, lookup }, lookup };
});

let world: World;
let receiver: http.Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  // As a production deployment runs by default: webhooks may only reach public addresses.
  world = await startWorld({ allowPrivateWebhookTargets: false, notify: { allowPrivateWebhookTargets: false } });
  port = await freePort();
  receiver = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.statusCode = 204;
    res.end();
  });
  // Every loopback address the name may give: IPv4 and IPv6.
  await new Promise<void>((resolve) => receiver.listen(port, 'localhost', () => resolve()));
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await world?.close();
});

/** A webhook of a fresh agency at `url`, written as if registered while the name resolved elsewhere, and a directive whose reminder it is sent. */
async function remindThrough(url: string): Promise<string> {
  const agency = await createAgency(world.db, 'So Thong tin');
  await world.db.insert(webhooks).values({ agencyId: agency.id, url, secret: `whsec_${Buffer.from('a secret of twenty-four!').toString('base64')}` });
  const leader = await createUser(world.db, { role: 'leader' });
  const res = await world.call('POST', '/v1/directives', {
    token: leader,
    body: {
      title: 'Rà soát hạ tầng',
      leadAgency: agency.id,
      dueAt: inSeconds(3600),
      regime: { kind: 'explicit', dueDates: [soon(2)] },
      policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1H' }, { duration: 'PT2H' }, { duration: 'PT3H' }] },
    },
  });
  expect(res.status).toBe(201);
  return (await json(res)).id as string;
}

const webhookRow = (directiveId: string) => async () =>
  (await world.db.select().from(notifications).where(and(eq(notifications.directiveId, directiveId), eq(notifications.channel, 'webhook'))))[0];

describe('webhook delivery and DNS', () => {
  it('never reaches a loopback receiver through a name that resolved to a public address when it was checked', async () => {
    hits.length = 0;
    dnsState.asked = 0;
    dnsState.rebinding = true;
    try {
      const id = await remindThrough(`http://localhost:${port}/rebound`);
      // The first attempt has ended, one way or the other: sent (it reached the receiver) or failed (it did not).
      const row = await eventually(webhookRow(id), (n) => n !== undefined && n.attempts > 0 && (n.status === 'sent' || n.lastError !== null), pastSoon(2, 29));
      expect(dnsState.asked, 'the name was resolved').toBeGreaterThan(0);
      expect(hits, `the receiver on loopback was called (row ${row.status}: ${row.lastError})`).toEqual([]);
      expect(row.status).not.toBe('sent');
    } finally {
      dnsState.rebinding = false;
    }
  }, 60_000);

  it('refuses a name that resolves to loopback without saying the address, at registration and at delivery', async () => {
    hits.length = 0;
    const agency = await createAgency(world.db, 'So Khoa hoc');
    const registered = await world.call('POST', '/v1/webhooks', { body: { agencyId: agency.id, url: `http://localhost:${port}/hook` } });
    expect(registered.status).toBe(422);
    const problem = JSON.stringify(await json(registered));
    expect(problem).toMatch(/localhost/);
    expect(problem).not.toMatch(/127\.0\.0\.1|::1|loopback/);

    const id = await remindThrough(`http://localhost:${port}/refused`);
    const row = await eventually(webhookRow(id), (n) => n?.lastError != null, pastSoon(2, 29));
    expect(row.lastError).toMatch(/^refused target: localhost /);
    expect(row.lastError).not.toMatch(/127\.0\.0\.1|::1|loopback/);
    expect(hits).toEqual([]);
  }, 60_000);
});
