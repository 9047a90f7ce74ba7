import { createRoute, z } from '@hono/zod-openapi';
import { CONFERENCE_KINDS, TIMELINESS, type Timeliness } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { AppDeps } from './context.js';
import { DirectiveFields, DirectiveView, oneDeadline } from './directives/schemas.js';
import { bearerSecurity, createdHeaders, createResponses, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';

const Conference = z
  .object({
    id: z.uuid(),
    title: z.string(),
    kind: z.enum(CONFERENCE_KINDS),
    heldOn: z.string().nullable(),
    chair: z.string().nullable(),
    conclusionRef: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Conference');

const NewConference = z
  .object({
    title: z.string().trim().min(1).max(500).openapi({ example: 'Giao ban Tổ công tác cấp huyện quý III/2024' }),
    kind: z.enum(CONFERENCE_KINDS).default('giao_ban'),
    heldOn: z.iso.date().optional(),
    chair: z.string().trim().max(200).optional(),
    conclusionRef: z.string().trim().max(200).optional().openapi({ example: 'Kết luận số 123-KL/TU' }),
    directives: z
      .array(DirectiveFields.omit({ conferenceId: true }).refine(oneDeadline.check, { message: oneDeadline.message, path: oneDeadline.path }))
      .min(1)
      .max(100),
  })
  .strict()
  .openapi('NewConference');

const Counts = z.object(Object.fromEntries(TIMELINESS.map((t) => [t, z.number().int()])) as Record<Timeliness, z.ZodNumber>);
const IssuedConference = z.object({ conference: Conference, directives: z.array(DirectiveView) }).openapi('IssuedConference');

export function conferencesApp({ services }: AppDeps) {
  const app = newApp();
  app.post('/', requirePermission('issueDirectives'));

  return app
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['conferences'],
        summary: 'Record a conference and issue all its directives in one idempotent call (leader)',
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewConference } }, required: true } },
        responses: createResponses(IssuedConference, 'Recorded and issued', IssuedConference),
      }),
      async (c) => {
        const { replayed, ...issued } = await services.conferences.issue(c.get('principal'), c.req.valid('json'), {
          idempotencyKey: c.req.valid('header')['idempotency-key'],
        });
        return c.json(issued, replayed ? 200 : 201, createdHeaders(`/v1/conferences/${issued.conference.id}`, replayed));
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['conferences'],
        summary: 'Conferences, newest first',
        security: bearerSecurity,
        request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
        responses: { 200: { description: 'Conferences', content: { 'application/json': { schema: z.object({ items: z.array(Conference) }) } } }, ...problems },
      }),
      async (c) => c.json({ items: await services.conferences.list(c.get('principal'), c.req.valid('query').limit) }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags: ['conferences'],
        summary: 'A conference with the directives the caller may see and their count per timeliness category',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: {
          200: {
            description: 'The conference',
            content: { 'application/json': { schema: z.object({ conference: Conference, counts: Counts, directives: z.array(DirectiveView) }) } },
          },
          ...problems,
        },
      }),
      async (c) => {
        const { confidential, ...detail } = await services.conferences.detail(c.get('principal'), c.req.valid('param').id);
        if (confidential) c.set('auditRead', true);
        return c.json(detail, 200);
      },
    );
}
