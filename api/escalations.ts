import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { directives, escalations } from '../db/schema.js';
import { acknowledgeEscalationUpdate } from '../workflows/messages.js';
import { workflowIdFor } from '../workflows/types.js';
import type { AppDeps, Principal } from './context.js';
import { updateProblem } from './directives.js';
import { bearerSecurity, newApp, problems } from './openapi.js';
import { ApiProblem } from './problem.js';

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

/** Whose inbox a rung is in: its target agency's people, the targeted leader, or (unaddressed) every leader. */
function inboxOf(p: Principal): SQL | undefined {
  if (p.role === 'admin') return undefined;
  if (p.role === 'leader') {
    return or(eq(escalations.targetUserId, p.userId), and(isNull(escalations.targetUserId), isNull(escalations.targetAgencyId)));
  }
  return p.agencyId ? eq(escalations.targetAgencyId, p.agencyId) : sql`false`;
}

const STATUS: Record<string, SQL | undefined> = {
  open: and(isNull(escalations.resolvedAt), isNull(escalations.acknowledgedAt)),
  acknowledged: and(isNull(escalations.resolvedAt), isNotNull(escalations.acknowledgedAt)),
  resolved: isNotNull(escalations.resolvedAt),
  all: undefined,
};

export function escalationsApp({ db, temporal }: AppDeps) {
  const app = newApp();
  const select = (where: SQL | undefined, limit: number) =>
    db
      .select({ e: escalations, title: directives.title })
      .from(escalations)
      .innerJoin(directives, eq(directives.id, escalations.directiveId))
      .where(where)
      .orderBy(desc(escalations.openedAt), desc(escalations.id))
      .limit(limit);
  const view = ({ e, title }: Awaited<ReturnType<typeof select>>[number]): z.infer<typeof EscalationView> => ({
    id: e.id,
    directiveId: e.directiveId,
    directiveTitle: title,
    deadlineKey: e.deadlineKey,
    dueAt: e.dueAt.toISOString(),
    agencyId: e.agencyId,
    level: e.level,
    target: { agencyId: e.targetAgencyId, userId: e.targetUserId, label: e.targetLabel },
    openedAt: e.openedAt.toISOString(),
    acknowledgedAt: e.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: e.resolvedAt?.toISOString() ?? null,
    resolution: e.resolution,
    secondsToResolution: e.resolvedAt ? Math.round((e.resolvedAt.getTime() - e.openedAt.getTime()) / 1000) : null,
  });

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['escalations'],
        summary: "The caller's escalation inbox, newest first",
        security: bearerSecurity,
        request: {
          query: z.object({
            status: z.enum(['open', 'acknowledged', 'resolved', 'all']).default('open'),
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
        const rows = await select(and(inboxOf(c.get('principal')), STATUS[status]), limit);
        return c.json({ items: rows.map(view) }, 200);
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
      async (c) => {
        const { id } = c.req.valid('param');
        const principal = c.get('principal');
        const mine = and(eq(escalations.id, id), inboxOf(principal));
        const [row] = await select(mine, 1);
        // Someone else's escalation is answered like a missing one: its existence is not the caller's business.
        if (!row) throw new ApiProblem(404, { detail: `No escalation ${id} in your inbox.` });
        if (!row.e.acknowledgedAt) {
          try {
            await temporal.workflow.getHandle(workflowIdFor(row.e.directiveId)).executeUpdate(acknowledgeEscalationUpdate, {
              args: [
                {
                  actor: { userId: principal.userId, role: principal.role, agencyId: principal.agencyId },
                  escalation: { deadlineKey: row.e.deadlineKey, dueAt: row.e.dueAt.toISOString(), agencyId: row.e.agencyId, level: row.e.level as 1 | 2 | 3 },
                },
              ],
            });
          } catch (err) {
            throw updateProblem(err);
          }
        }
        const [after] = await select(mine, 1);
        return c.json(view(after!), 200);
      },
    );
}
