import { createHash, randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { conferences, directives } from '../db/schema.js';
import { initialState } from '../workflows/rules.js';
import { TIMELINESS } from '../workflows/types.js';
import { agenciesById } from './agency-refs.js';
import { requireRole } from './auth.js';
import type { AppDeps } from './context.js';
import { DirectiveFields, DirectiveView, directiveKit, oneDeadline } from './directives.js';
import { claimIdempotencyKey } from './idempotency.js';
import { bearerSecurity, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';
import { ApiProblem, type FieldError } from './problem.js';
import { assignedToAny, visibleAgencies } from '../db/scope.js';

const Conference = z
  .object({
    id: z.uuid(),
    title: z.string(),
    kind: z.string(),
    heldOn: z.string().nullable(),
    chair: z.string().nullable(),
    conclusionRef: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Conference');

const NewConference = z
  .object({
    title: z.string().trim().min(1).max(500).openapi({ example: 'Giao ban Tổ công tác cấp huyện quý III/2024' }),
    kind: z.enum(['giao_ban', 'tong_ket', 'chuyen_de']).default('giao_ban'),
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

const Counts = z.object(Object.fromEntries(TIMELINESS.map((t) => [t, z.number().int()])) as Record<(typeof TIMELINESS)[number], z.ZodNumber>);

/** The n-th directive of a conference has a fixed id, so a retried creation starts exactly the missing ones. */
function directiveIdFor(conferenceId: string, index: number): string {
  const h = createHash('sha256').update(`${conferenceId}/${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const view = (r: typeof conferences.$inferSelect): z.infer<typeof Conference> => ({
  id: r.id,
  title: r.title,
  kind: r.kind,
  heldOn: r.heldOn,
  chair: r.chair,
  conclusionRef: r.conclusionRef,
  createdAt: r.createdAt.toISOString(),
});

export function conferencesApp(deps: AppDeps) {
  const { db } = deps;
  const kit = directiveKit(deps);
  const app = newApp();
  app.post('/', requireRole('leader', 'admin'));

  return app
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['conferences'],
        summary: "Record a conference and issue all its directives in one idempotent call (leader)",
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewConference } }, required: true } },
        responses: {
          201: {
            description: 'Recorded and issued',
            content: { 'application/json': { schema: z.object({ conference: Conference, directives: z.array(DirectiveView) }) } },
          },
          ...problems,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const principal = c.get('principal');
        const now = new Date();
        const prepared = await Promise.all(body.directives.map((d, i) => kit.prepare(d, `/directives/${i}`, now)));
        const errors: FieldError[] = prepared.flatMap((p) => p.errors);
        if (errors.length > 0) throw new ApiProblem(422, { slug: 'invalid-directive', detail: 'Some directives cannot be issued as given.', errors });

        let conferenceId: string = randomUUID();
        let replayed = false;
        const key = c.req.valid('header')['idempotency-key'];
        if (key) {
          const claim = await claimIdempotencyKey(db, { scope: `POST /v1/conferences ${principal.userId}`, key, request: body, newResourceId: conferenceId });
          conferenceId = claim.resourceId;
          replayed = claim.replayed;
        }
        await db
          .insert(conferences)
          .values({
            id: conferenceId,
            title: body.title,
            kind: body.kind,
            heldOn: body.heldOn ?? null,
            chair: body.chair ?? null,
            conclusionRef: body.conclusionRef ?? null,
            createdBy: principal.userId,
          })
          .onConflictDoNothing();
        const inputs = prepared.map((p, i) => p.build(directiveIdFor(conferenceId, i), conferenceId, principal.userId));
        // Each start is idempotent on its fixed workflow id: a retry after a crash starts only what is missing.
        for (const input of inputs) await kit.start(input);
        const [row] = await db.select().from(conferences).where(eq(conferences.id, conferenceId));
        const agencies = new Map(prepared.flatMap((p) => [...p.agencies]));
        return c.json(
          { conference: view(row!), directives: inputs.map((input) => kit.view(initialState(input), agencies)) },
          201,
          { location: `/v1/conferences/${conferenceId}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) },
        );
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
      async (c) => {
        const rows = await db.select().from(conferences).orderBy(desc(conferences.createdAt)).limit(c.req.valid('query').limit);
        return c.json({ items: rows.map(view) }, 200);
      },
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
        const { id } = c.req.valid('param');
        const [row] = await db.select().from(conferences).where(eq(conferences.id, id));
        if (!row) throw new ApiProblem(404, { detail: `No conference ${id}.` });
        const visible = await visibleAgencies(db, c.get('principal'));
        const rows = await db
          .select({ id: directives.id })
          .from(directives)
          .where(and(eq(directives.conferenceId, id), assignedToAny(visible)))
          .orderBy(asc(directives.issuedAt), asc(sql`${directives.title}`));
        const states = (await Promise.all(rows.map((r) => kit.projected(r.id)))).filter((s) => s !== null);
        const agencies = await agenciesById(db, states.flatMap((s) => [s.leadAgencyId, ...s.coordinatingAgencyIds]));
        const counts = Object.fromEntries(TIMELINESS.map((t) => [t, states.filter((s) => s.timeliness === t).length])) as z.infer<typeof Counts>;
        return c.json({ conference: view(row), counts, directives: states.map((s) => kit.view(s, agencies)) }, 200);
      },
    );
}
