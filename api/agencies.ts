import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from './auth.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, createdHeaders, createResponses, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';

const Reorganisation = z
  .object({
    id: z.uuid(),
    kind: z.enum(['merge', 'split']),
    fromAgencyId: z.uuid(),
    toAgencyId: z.uuid(),
    reason: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    examined: z.number().int().nullable().openapi({ description: "The predecessor's open directives asked to move" }),
    moved: z.number().int().nullable(),
    rules: z.array(z.object({ toAgencyId: z.uuid(), keywords: z.array(z.string()) })).nullable().openapi({ description: "A split's rules; its toAgencyId is the default successor" }),
  })
  .openapi('Reorganisation');

const SplitRule = z
  .object({
    toAgencyId: z.uuid(),
    keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(50).openapi({ description: 'Whole words the title holds (case and diacritics ignored)' }),
  })
  .strict();
const SplitRequest = z
  .object({
    defaultSuccessorId: z.uuid().openapi({ description: 'Takes what no rule and no choice sends elsewhere: directives, sub-units, users not named, webhooks' }),
    rules: z.array(SplitRule).max(50).optional().openapi({ description: 'In order: the first rule one of whose keywords the title holds decides' }),
    directives: z
      .array(z.object({ directiveId: z.uuid(), toAgencyId: z.uuid() }).strict())
      .max(10_000)
      .optional()
      .openapi({ description: "The admin's choice for single directives; it comes before the rules" }),
    users: z
      .array(z.object({ userId: z.uuid(), toAgencyId: z.uuid().nullable() }).strict())
      .max(10_000)
      .optional()
      .openapi({ description: 'Where a user goes; null deactivates the account. Users not named go to the default successor' }),
  })
  .strict()
  .openapi('SplitRequest');
const SplitPreview = z
  .array(
    z.object({
      directiveId: z.uuid(),
      title: z.string(),
      role: z.enum(['lead', 'coordinating']),
      toAgencyId: z.uuid(),
      by: z.enum(['admin', 'rule', 'default']),
      keyword: z.string().nullable(),
    }),
  )
  .openapi('SplitPreview');
const SplitMoves = z.array(z.object({ directiveId: z.uuid(), toAgencyId: z.uuid(), by: z.enum(['admin', 'rule', 'default']), keyword: z.string().nullable() }));

const Agency = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    shortName: z.string().nullable(),
    aliases: z.array(z.string()).openapi({ description: 'Other names conclusions use for it; the importer matches them.' }),
    parentId: z.uuid().nullable(),
    supervisorId: z.uuid().nullable(),
    active: z.boolean(),
  })
  .openapi('Agency');
const NewAlias = z
  .object({ alias: z.string().trim().min(2).max(200).openapi({ example: 'Tòa án tỉnh' }) })
  .strict()
  .openapi('AgencyAlias');

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

/** The agency directory: a tree of any depth with a supervising agency per node (organisation is data). */
export function agenciesApp({ services }: AppDeps) {
  const app = newApp();
  app.post('/', requirePermission('administer'));
  app.patch('/:id', requirePermission('administer'));
  app.post('/:id/aliases', requirePermission('importConclusions'));
  app.post('/:id/merge', requirePermission('administer'));
  app.post('/:id/split', requirePermission('administer'));
  app.post('/:id/split-preview', requirePermission('administer'));

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
      async (c) => c.json({ items: await services.agencies.list(c.get('principal')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['agencies'],
        summary: 'Add an agency (admin)',
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewAgency } }, required: true } },
        responses: createResponses(Agency, 'Created', Agency),
      }),
      async (c) => {
        const { agency, replayed } = await services.agencies.create(c.get('principal'), c.req.valid('json'), {
          idempotencyKey: c.req.valid('header')['idempotency-key'],
        });
        return c.json(agency, replayed ? 200 : 201, createdHeaders(`/v1/agencies/${agency.id}`, replayed));
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
      async (c) => c.json(await services.agencies.update(c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/aliases',
        tags: ['agencies'],
        summary: 'Remember another name of an agency, as a conclusion wrote it (leader, admin); the importer matches it from then on',
        security: bearerSecurity,
        request: { params: IdParam, body: { content: { 'application/json': { schema: NewAlias } }, required: true } },
        responses: { 200: { description: 'The agency with its aliases (adding one it has already changes nothing)', content: { 'application/json': { schema: Agency } } }, ...problems },
      }),
      async (c) => c.json(await services.agencies.addAlias(c.get('principal'), c.req.valid('param').id, c.req.valid('json').alias), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/merge',
        tags: ['agencies'],
        summary:
          "Merge an agency into its successor (admin): it becomes inactive, its sub-units, users and webhooks move, and its open directives move through their workflows (reason 'sáp nhập')",
        security: bearerSecurity,
        request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ successorId: z.uuid() }).strict() } }, required: true } },
        responses: { 202: { description: 'Merged; the directives are moving', content: { 'application/json': { schema: Reorganisation } } }, ...problems },
      }),
      async (c) => c.json(await services.agencies.merge(c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 202),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/split-preview',
        tags: ['agencies'],
        summary: 'Where each open directive of an agency would go if it were split with these rules (admin); changes nothing',
        security: bearerSecurity,
        request: { params: IdParam, body: { content: { 'application/json': { schema: SplitRequest } }, required: true } },
        responses: { 200: { description: 'One line per open directive', content: { 'application/json': { schema: SplitPreview } } }, ...problems },
      }),
      async (c) => c.json(await services.agencies.splitPreview(c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/split',
        tags: ['agencies'],
        summary:
          "Split an agency into several (admin): it becomes inactive, each open directive moves through its workflow to the successor chosen for it, by a rule or the default (reason 'chia tách'); users go where named (or are deactivated), the rest of the directory to the default successor",
        security: bearerSecurity,
        request: { params: IdParam, body: { content: { 'application/json': { schema: SplitRequest } }, required: true } },
        responses: { 202: { description: 'Split; the directives are moving', content: { 'application/json': { schema: Reorganisation } } }, ...problems },
      }),
      async (c) => c.json(await services.agencies.split(c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 202),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/reorganisations/{id}/moves',
        tags: ['agencies'],
        summary: "A split's plan: the successor of each directive and why (admin)",
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 200: { description: 'In directive id order', content: { 'application/json': { schema: SplitMoves } } }, ...problems },
      }),
      async (c) => c.json(await services.agencies.moves(c.get('principal'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/reorganisations',
        tags: ['agencies'],
        summary: 'The latest merges and splits and how far the move of their directives got (admin)',
        security: bearerSecurity,
        responses: { 200: { description: 'Newest first', content: { 'application/json': { schema: z.array(Reorganisation) } } }, ...problems },
      }),
      async (c) => c.json(await services.agencies.reorganisations(c.get('principal')), 200),
    );
}
