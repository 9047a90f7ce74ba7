import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { agencies } from '../db/schema.js';
import { requireRole } from './auth.js';
import type { AppDeps } from './context.js';
import { claimIdempotencyKey } from './idempotency.js';
import { bearerSecurity, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';
import { ApiProblem } from './problem.js';

const Agency = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    shortName: z.string().nullable(),
    parentId: z.uuid().nullable(),
    supervisorId: z.uuid().nullable(),
    active: z.boolean(),
  })
  .openapi('Agency');

const Code = z.string().trim().min(1).max(50).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -');
const NewAgency = z
  .object({
    code: Code,
    name: z.string().trim().min(1).max(300),
    shortName: z.string().trim().max(100).optional(),
    parentId: z.uuid().optional(),
    supervisorId: z.uuid().optional(),
  })
  .strict()
  .openapi('NewAgency');
const AgencyPatch = z
  .object({
    name: z.string().trim().min(1).max(300).optional(),
    shortName: z.string().trim().max(100).nullable().optional(),
    parentId: z.uuid().nullable().optional(),
    supervisorId: z.uuid().nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('AgencyPatch');

const columns = {
  id: agencies.id,
  code: agencies.code,
  name: agencies.name,
  shortName: agencies.shortName,
  parentId: agencies.parentId,
  supervisorId: agencies.supervisorId,
  active: agencies.active,
};

/** The agency directory: a tree of any depth with a supervising agency per node (organisation is data). */
export function agenciesApp({ db }: AppDeps) {
  const app = newApp();

  const requireAgencies = async (ids: Array<string | null | undefined>, pointer: string[]) => {
    for (const [i, id] of ids.entries()) {
      if (!id) continue;
      const [row] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, id));
      if (!row) throw new ApiProblem(422, { detail: 'Unknown agency.', errors: [{ location: 'body', pointer: pointer[i]!, message: `No agency ${id}` }] });
    }
  };
  /** Refuses a supervising chain that loops back: escalations walk it upwards. */
  const requireNoCycle = async (id: string, supervisorId: string | null | undefined, parentId: string | null | undefined) => {
    for (const start of [supervisorId, parentId]) {
      let current = start ?? null;
      for (let hops = 0; current && hops < 64; hops++) {
        if (current === id) throw new ApiProblem(422, { detail: 'An agency cannot supervise or contain itself, directly or up the chain.' });
        const [row]: Array<{ up: string | null }> = await db
          .select({ up: agencies.supervisorId })
          .from(agencies)
          .where(eq(agencies.id, current));
        current = row?.up ?? null;
      }
    }
  };

  app.post('/', requireRole('admin'));
  app.patch('/:id', requireRole('admin'));

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['agencies'],
        summary: 'The agency directory',
        security: bearerSecurity,
        responses: {
          200: { description: 'All agencies', content: { 'application/json': { schema: z.object({ items: z.array(Agency) }) } } },
          ...problems,
        },
      }),
      async (c) => c.json({ items: await db.select(columns).from(agencies).orderBy(asc(agencies.code)) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['agencies'],
        summary: 'Add an agency (admin)',
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewAgency } }, required: true } },
        responses: { 201: { description: 'Created', content: { 'application/json': { schema: Agency } } }, ...problems },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const key = c.req.valid('header')['idempotency-key'];
        let id: string = randomUUID();
        if (key) {
          const claim = await claimIdempotencyKey(db, { scope: `POST /v1/agencies ${c.get('principal').userId}`, key, request: body, newResourceId: id });
          id = claim.resourceId;
          if (claim.replayed) {
            const [existing] = await db.select(columns).from(agencies).where(eq(agencies.id, id));
            if (existing) return c.json(existing, 201);
          }
        }
        await requireAgencies([body.parentId, body.supervisorId], ['/parentId', '/supervisorId']);
        const [row] = await db
          .insert(agencies)
          .values({ id, code: body.code, name: body.name, shortName: body.shortName ?? null, parentId: body.parentId ?? null, supervisorId: body.supervisorId ?? null })
          .onConflictDoNothing({ target: agencies.code })
          .returning(columns);
        if (!row) throw new ApiProblem(409, { detail: `An agency with code ${body.code} already exists.` });
        return c.json(row, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags: ['agencies'],
        summary: 'Rename, move or deactivate an agency (admin)',
        security: bearerSecurity,
        request: { params: IdParam, body: { content: { 'application/json': { schema: AgencyPatch } }, required: true } },
        responses: { 200: { description: 'Updated', content: { 'application/json': { schema: Agency } } }, ...problems },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const patch = c.req.valid('json');
        const [current] = await db.select(columns).from(agencies).where(eq(agencies.id, id));
        if (!current) throw new ApiProblem(404, { detail: `No agency ${id}.` });
        await requireAgencies([patch.parentId, patch.supervisorId], ['/parentId', '/supervisorId']);
        await requireNoCycle(id, patch.supervisorId, patch.parentId);
        if (Object.keys(patch).length === 0) return c.json(current, 200);
        const [row] = await db.update(agencies).set(patch).where(eq(agencies.id, id)).returning(columns);
        return c.json(row!, 200);
      },
    );
}
