import { createRoute, z } from '@hono/zod-openapi';
import { ESCALATION_STATES } from '../domain/lists.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, newApp, problems } from './openapi.js';

const EscalationView = z
  .object({
    id: z.number().int(),
    directiveId: z.uuid(),
    directiveTitle: z.string(),
    deadlineKey: z.string(),
    dueAt: z.string(),
    agencyId: z.uuid(),
    level: z.number().int().min(1).max(3),
    target: z.object({ agencyId: z.uuid().nullable(), userId: z.uuid().nullable(), label: z.string() }),
    openedAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resolution: z.string().nullable(),
    secondsToResolution: z.number().nullable(),
  })
  .openapi('Escalation');

export function escalationsApp({ services }: AppDeps) {
  return newApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['escalations'],
        summary: "The caller's escalation inbox, newest first",
        security: bearerSecurity,
        request: {
          query: z.object({
            status: z.enum(ESCALATION_STATES).default('open'),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
        },
        responses: {
          200: { description: 'Escalations', content: { 'application/json': { schema: z.object({ items: z.array(EscalationView) }) } } },
          ...problems,
        },
      }),
      async (c) => {
        const { status, limit } = c.req.valid('query');
        return c.json({ items: await services.escalations.inbox(c.get('principal'), status, limit) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/acknowledgement',
        tags: ['escalations'],
        summary: 'Acknowledge an escalation in your inbox',
        security: bearerSecurity,
        request: { params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) }) },
        responses: { 200: { description: 'The escalation', content: { 'application/json': { schema: EscalationView } } }, ...problems },
      }),
      async (c) => c.json(await services.escalations.acknowledge(c.get('principal'), c.req.valid('param').id), 200),
    );
}
