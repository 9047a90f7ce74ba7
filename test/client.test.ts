import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type DirectiveTrackerClient } from '../api/client.js';
import { startHttpServer, type HttpServer } from '../http/serve.js';
import { createAgency, eventually, startWorld, type World } from './support.js';

let world: World;
let server: HttpServer;
let api: DirectiveTrackerClient;
let lead: { id: string; code: string };

beforeAll(async () => {
  world = await startWorld();
  server = await startHttpServer(world.app, '127.0.0.1', 0);
  api = createClient(server.url, { token: world.adminToken });
  lead = await createAgency(world.db, 'Thanh tra tinh');
});
afterAll(async () => {
  await server?.close();
  await world?.close();
});

describe('the typed client', () => {
  it('issues a directive over HTTP, reads it back and lists it, with typed bodies', async () => {
    const created = await api.v1.directives.$post({
      json: { title: 'Rà soát đơn thư tồn đọng', leadAgency: lead.code, dueDate: `${new Date().getUTCFullYear() + 1}-03-31` },
      header: { 'idempotency-key': `client-${lead.id}` },
    });
    expect(created.status).toBe(201);
    if (created.status !== 201) throw new Error('unreachable');
    const directive = await created.json();
    expect(directive).toMatchObject({ title: 'Rà soát đơn thư tồn đọng', leadAgency: { id: lead.id }, status: 'issued' });

    const detail = await eventually(async () => {
      const res = await api.v1.directives[':id'].$get({ param: { id: directive.id } });
      if (res.status !== 200) return undefined;
      const body = await res.json();
      return body.lastSeq >= 1 ? body : undefined;
    });
    expect(detail.live).toMatchObject({ status: 'issued' });

    const page = await api.v1.directives.$get({ query: { leadAgency: lead.id } });
    expect(page.status).toBe(200);
    if (page.status !== 200) throw new Error('unreachable');
    expect((await page.json()).items.map((d) => d.id)).toEqual([directive.id]);

    const me = await api.v1.me.$get();
    expect(me.status).toBe(200);
  });

  it('returns problem+json for a refused request, with the status in its type', async () => {
    const res = await api.v1.directives[':id'].$get({ param: { id: '00000000-0000-4000-8000-000000000000' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');

    const anonymous = createClient(server.url);
    const unauthorised = await anonymous.v1.agencies.$get();
    expect(unauthorised.status).toBe(401);
  });

  it('carries the route types, so a wrong call does not compile', () => {
    const typeErrors = () => {
      // @ts-expect-error: dueDate must be a string
      void api.v1.directives.$post({ json: { title: 't', leadAgency: 'X', dueDate: 20261231 }, header: {} });
      // @ts-expect-error: no such route
      void api.v1.nonexistent.$get();
      // @ts-expect-error: the id parameter is required
      void api.v1.directives[':id'].$get({ param: {} });
    };
    expect(typeof typeErrors).toBe('function');
  });
});
