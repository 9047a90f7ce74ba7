import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../context.js';
import { requirePermission } from '../auth.js';
import { bearerSecurity, createdHeaders, createResponses, IdempotencyHeaders, IdParam, newApp, problems } from '../openapi.js';
import { CreateDirectiveBody, DirectiveDetail, DirectiveEvent, DirectiveView, ListQuery } from './schemas.js';

const createDirective = createRoute({
  method: 'post',
  path: '/',
  tags: ['directives'],
  summary: 'Issue a directive: starts its workflow',
  security: bearerSecurity,
  request: {
    headers: IdempotencyHeaders,
    body: { content: { 'application/json': { schema: CreateDirectiveBody } }, required: true },
  },
  responses: createResponses(DirectiveView, 'Issued', DirectiveView),
});

/** Issue, list and read directives. */
export function directivesApp({ services }: AppDeps) {
  const app = newApp();
  app.use(createDirective.getRoutingPath(), async (c, next) => (c.req.method === 'POST' ? requirePermission('issueDirectives')(c, next) : next()));

  return app
    .openapi(createDirective, async (c) => {
      const { directive, replayed } = await services.directives.issue(c.get('principal'), c.req.valid('json'), {
        idempotencyKey: c.req.valid('header')['idempotency-key'],
      });
      return c.json(directive, replayed ? 200 : 201, createdHeaders(directive.links.self, replayed));
    })
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['directives'],
        summary: 'List directives, newest first',
        security: bearerSecurity,
        request: { query: ListQuery },
        responses: {
          200: {
            description: 'A page of directives',
            content: {
              'application/json': {
                schema: z.object({ items: z.array(DirectiveView), nextCursor: z.string().nullable() }).openapi('DirectivePage'),
              },
            },
          },
          ...problems,
        },
      }),
      async (c) => {
        const { overdue, returned, ...q } = c.req.valid('query');
        const page = await services.directives.list(c.get('principal'), {
          ...q,
          ...(overdue ? { overdue: overdue === 'true' } : {}),
          ...(returned ? { returned: returned === 'true' } : {}),
        });
        if (page.items.some((d) => d.confidential)) c.set('auditRead', true);
        return c.json(page, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags: ['directives'],
        summary: 'One directive: its projection, its extension requests and the live workflow state',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: {
          200: { description: 'The directive', content: { 'application/json': { schema: DirectiveDetail } } },
          ...problems,
        },
      }),
      async (c) => {
        const d = await services.directives.detail(c.get('principal'), c.req.valid('param').id);
        // Every read of a confidential directive is audited (api/app.ts).
        if (d.confidential) c.set('auditRead', true);
        return c.json(d, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/events',
        tags: ['directives'],
        summary: "A directive's history, oldest first",
        security: bearerSecurity,
        request: { params: IdParam },
        responses: {
          200: { description: 'Events', content: { 'application/json': { schema: z.object({ items: z.array(DirectiveEvent) }) } } },
          ...problems,
        },
      }),
      async (c) => {
        const { items, confidential } = await services.directives.events(c.get('principal'), c.req.valid('param').id);
        if (confidential) c.set('auditRead', true);
        return c.json({ items }, 200);
      },
    );
}
