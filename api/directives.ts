import { createHash, randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, ne, type SQL } from 'drizzle-orm';
import { escapeLike, foldVietnamese } from '../db/text.js';
import { vnEndOfDay, vnStartOfDay } from '../workflows/vn-time.js';
import { assignments, directiveEvents, directives } from '../db/schema.js';
import {
  acknowledgeUpdate,
  cancelUpdate,
  decideExtensionUpdate,
  reassignUpdate,
  requestExtensionUpdate,
  reviewCompletionUpdate,
  stateQuery,
  submitCompletionUpdate,
  submitReportUpdate,
} from '../workflows/messages.js';
import { initialState } from '../workflows/rules.js';
import { searchAttributesFor } from '../workflows/search-attributes.js';
import {
  DEFAULT_POLICY,
  DIRECTIVE_STATUSES,
  PERIODIC_REGIMES,
  DIRECTIVE_WORKFLOW,
  TIMELINESS,
  workflowIdFor,
  type Actor,
  type DeadlinePolicy,
  type DirectiveInput,
  type DirectiveState,
} from '../workflows/types.js';
import type { directiveWorkflow } from '../workflows/directive.js';
import { agenciesById, resolveAgencyRefs, type AgencySummary } from './agency-refs.js';
import { requireRole } from './auth.js';
import type { AppDeps, AppEnv, Principal } from './context.js';
import { assignedToAny, seesAgencies, supervises, visibleAgencies } from '../db/scope.js';
import { claimIdempotencyKey } from './idempotency.js';
import { afterCursor, encodeCursor } from './cursor.js';
import { bearerSecurity, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';
import { ApiProblem, type FieldError } from './problem.js';


const AgencyRef = z.string().trim().min(1).max(100).openapi({ description: 'Agency id or code', example: 'CAT' });

const Offset = z
  .union([
    z.object({ workingDays: z.number().int().min(0).max(60) }).strict(),
    z.object({ duration: z.iso.duration() }).strict(),
  ])
  .openapi('Offset', { description: 'Working days on the Vietnamese calendar, or an ISO-8601 duration.' });

const Regime = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }).strict(),
    z.object({ kind: z.enum(PERIODIC_REGIMES), submitAfterCutoff: Offset.optional() }).strict(),
    z
      .object({
        kind: z.literal('explicit'),
        dueDates: z.array(z.union([z.iso.date(), z.iso.datetime({ offset: true })])).min(1).max(400),
      })
      .strict(),
  ])
  .openapi('ReportingRegime', {
    description: 'Report periods: Decree 09/2019 cut-offs (the 14th) for periodic regimes, or explicit due days.',
  });

const Policy = z
  // An array of exactly three rather than a tuple: OpenAPI linters want `items` on every array.
  .object({ reminders: z.array(Offset).max(5), escalations: z.array(Offset).length(3) })
  .strict()
  .openapi('DeadlinePolicy');

export const DirectiveFields = z
  .object({
    title: z.string().trim().min(1).max(500).openapi({ example: 'Đẩy nhanh tiến độ giải quyết đơn thư trễ hạn' }),
    body: z.string().max(20_000).default(''),
    leadAgency: AgencyRef,
    coordinatingAgencies: z.array(AgencyRef).max(50).default([]),
    dueDate: z.iso.date().optional().openapi({
      description: 'Final deadline as a calendar day; it ends at 24:00 Vietnam time. Omit for a standing directive.',
      example: '2026-12-31',
    }),
    dueAt: z.iso.datetime({ offset: true }).optional().openapi({
      description: 'Final deadline as an exact instant (alternative to dueDate).',
    }),
    conferenceId: z.uuid().optional(),
    regime: Regime.optional(),
    policy: Policy.optional(),
  })
  .strict();

/** A deadline is a calendar day or an instant, never both. */
export const oneDeadline = { check: (b: { dueDate?: string; dueAt?: string }) => !(b.dueDate && b.dueAt), message: 'Give dueDate or dueAt, not both', path: ['dueAt'] };

export const CreateDirectiveBody = DirectiveFields.refine(oneDeadline.check, { message: oneDeadline.message, path: oneDeadline.path }).openapi(
  'CreateDirective',
);

const AgencySummarySchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() }).openapi('AgencySummary');

export const DirectiveView = z
  .object({
    id: z.uuid(),
    workflowId: z.string(),
    title: z.string(),
    body: z.string(),
    status: z.enum(DIRECTIVE_STATUSES),
    timeliness: z.enum(TIMELINESS),
    leadAgency: AgencySummarySchema,
    coordinatingAgencies: z.array(AgencySummarySchema),
    conferenceId: z.uuid().nullable(),
    dueAt: z.string().nullable(),
    nextDeadlineAt: z.string().nullable(),
    escalationLevel: z.number().int(),
    issuedBy: z.string().nullable(),
    issuedAt: z.string(),
    completedAt: z.string().nullable(),
    lastSeq: z.number().int(),
    links: z.object({ self: z.string(), events: z.string(), temporalUi: z.string().optional() }),
  })
  .openapi('Directive');

const DirectiveDetail = DirectiveView.extend({
  live: z
    .unknown()
    .nullable()
    .openapi({ description: "The workflow's live `state` query, or null when the worker cannot answer now." }),
}).openapi('DirectiveDetail');

const DirectiveEvent = z
  .object({
    seq: z.number().int(),
    type: z.string(),
    occurredAt: z.string(),
    actorId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('DirectiveEvent');


const Instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const ListQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Words in the title or body, with or without diacritics' }),
  overdue: z.enum(['true', 'false']).optional(),
  agency: z.uuid().optional().openapi({ description: 'Assigned (lead or coordinating) agency' }),
  dueBefore: Instant.optional(),
  dueAfter: Instant.optional(),
  status: z.enum(DIRECTIVE_STATUSES).optional(),
  timeliness: z.enum(TIMELINESS).optional(),
  leadAgency: z.uuid().optional(),
  conferenceId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});


const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
/** A bare date in a filter means the start of that day in Vietnam. */
const instantOf = (v: string): Date => (v.includes('T') ? new Date(v) : vnStartOfDay(v));

function rowToState(row: typeof directives.$inferSelect, coordinatingAgencyIds: string[]): DirectiveState {
  return {
    directiveId: row.id,
    title: row.title,
    body: row.body,
    leadAgencyId: row.leadAgencyId,
    coordinatingAgencyIds,
    conferenceId: row.conferenceId,
    status: row.status as DirectiveState['status'],
    timeliness: row.timeliness as DirectiveState['timeliness'],
    dueAt: iso(row.dueAt),
    nextDeadlineAt: iso(row.nextDeadlineAt),
    escalationLevel: row.escalationLevel,
    issuedBy: row.issuedBy,
    issuedAt: row.issuedAt.toISOString(),
    completedAt: iso(row.completedAt),
    seq: row.lastSeq,
  };
}

/** What issuing and showing directives needs, shared by the directive and conference routes. */
export function directiveKit(deps: AppDeps) {
  const { db, temporal, config, logger } = deps;

  const links = (id: string, workflowId: string) => ({
    self: `/v1/directives/${id}`,
    events: `/v1/directives/${id}/events`,
    ...(config.temporal.uiUrl
      ? {
          temporalUi: `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`,
        }
      : {}),
  });

  const unknownAgency = (id: string): AgencySummary => ({ id, code: '?', name: '(unknown agency)' });

  function view(s: DirectiveState, agencies: Map<string, AgencySummary>): z.infer<typeof DirectiveView> {
    const workflowId = workflowIdFor(s.directiveId);
    return {
      id: s.directiveId,
      workflowId,
      title: s.title,
      body: s.body,
      status: s.status,
      timeliness: s.timeliness,
      leadAgency: agencies.get(s.leadAgencyId) ?? unknownAgency(s.leadAgencyId),
      coordinatingAgencies: s.coordinatingAgencyIds.map((a) => agencies.get(a) ?? unknownAgency(a)),
      conferenceId: s.conferenceId,
      dueAt: s.dueAt,
      nextDeadlineAt: s.nextDeadlineAt,
      escalationLevel: s.escalationLevel,
      issuedBy: s.issuedBy,
      issuedAt: s.issuedAt,
      completedAt: s.completedAt,
      lastSeq: s.seq,
      links: links(s.directiveId, workflowId),
    };
  }

  async function liveState(id: string): Promise<DirectiveState | null> {
    const handle = temporal.workflow.getHandle(workflowIdFor(id));
    try {
      // A query needs a worker; without one it would wait for the whole RPC timeout.
      return await temporal.connection.withDeadline(Date.now() + 3000, () => handle.query(stateQuery));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) logger.warn({ err, directiveId: id }, 'live state query failed');
      return null;
    }
  }

  async function projected(id: string): Promise<DirectiveState | null> {
    const [row] = await db.select().from(directives).where(eq(directives.id, id));
    if (!row) return null;
    const coordinating = await db
      .select({ agencyId: assignments.agencyId })
      .from(assignments)
      .where(and(eq(assignments.directiveId, id), eq(assignments.role, 'coordinating'), isNull(assignments.endedAt)))
      .orderBy(asc(assignments.assignedAt));
    return rowToState(row, coordinating.map((c) => c.agencyId));
  }

  /** The projection when it exists, else the workflow's own answer (the projection may lag a start by a moment). */
  async function detail(id: string) {
    const [fromDb, live] = await Promise.all([projected(id), liveState(id)]);
    const base = fromDb ?? live;
    if (!base) return null;
    const agencies = await agenciesById(db, [base.leadAgencyId, ...base.coordinatingAgencyIds]);
    return { ...view(base, agencies), live };
  }


  /** Checks one directive of a request against the directory and the clock; errors point into the request body. */
  async function prepare(body: z.infer<typeof CreateDirectiveBody>, pointer: string, now: Date) {
    const found = await resolveAgencyRefs(db, [body.leadAgency, ...body.coordinatingAgencies]);
    const errors: FieldError[] = [];
    if (!found.has(body.leadAgency)) {
      errors.push({ location: 'body', pointer: `${pointer}/leadAgency`, message: `No agency with id or code "${body.leadAgency}"` });
    }
    body.coordinatingAgencies.forEach((ref, i) => {
      if (!found.has(ref)) errors.push({ location: 'body', pointer: `${pointer}/coordinatingAgencies/${i}`, message: `No agency with id or code "${ref}"` });
    });
    const lead = found.get(body.leadAgency);
    const coordinating = [...new Set(body.coordinatingAgencies.map((r) => found.get(r)?.id).filter((x): x is string => !!x))];
    if (lead && coordinating.includes(lead.id)) {
      errors.push({ location: 'body', pointer: `${pointer}/coordinatingAgencies`, message: 'The lead agency cannot also be a coordinating agency' });
    }
    const dueAt = body.dueDate ? vnEndOfDay(body.dueDate) : body.dueAt ? new Date(body.dueAt) : null;
    if (dueAt && dueAt.getTime() <= now.getTime()) {
      errors.push({ location: 'body', pointer: `${pointer}${body.dueDate ? '/dueDate' : '/dueAt'}`, message: 'The deadline has already passed' });
    }
    const agencies = new Map([...found.values()].map((a) => [a.id, a]));
    const build = (directiveId: string, conferenceId: string | null, issuedBy: string): DirectiveInput => ({
      directiveId,
      title: body.title,
      body: body.body,
      leadAgencyId: lead!.id,
      coordinatingAgencyIds: coordinating,
      conferenceId,
      dueAt: dueAt ? dueAt.toISOString() : null,
      // The plan moves a due day that is not a working day to the end of the next one.
      dueDate: body.dueDate ?? null,
      issuedBy,
      issuedAt: now.toISOString(),
      regime: body.regime ?? { kind: 'none' },
      policy: (body.policy as DeadlinePolicy | undefined) ?? DEFAULT_POLICY,
    });
    return { errors, agencies, build };
  }

  /** Starts a directive's workflow; false when it had been started already (a retry), never twice. */
  async function start(input: DirectiveInput): Promise<boolean> {
    try {
      await temporal.workflow.start<typeof directiveWorkflow>(DIRECTIVE_WORKFLOW, {
        workflowId: workflowIdFor(input.directiveId),
        taskQueue: config.temporal.taskQueue,
        args: [input],
        // A retry that races the first start joins it; a finished directive is never issued again.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: searchAttributesFor(initialState(input)),
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  return { links, view, liveState, projected, detail, prepare, start };
}

export function directivesApp(deps: AppDeps) {
  const { db, temporal } = deps;
  const { view, liveState, projected, detail, prepare, start } = directiveKit(deps);
  const app = newApp();

  const createRouteDef = createRoute({
    method: 'post',
    path: '/',
    tags: ['directives'],
    summary: 'Issue a directive: starts its workflow',
    security: bearerSecurity,
    request: {
      headers: IdempotencyHeaders,
      body: { content: { 'application/json': { schema: CreateDirectiveBody } }, required: true },
    },
    responses: {
      201: { description: 'Issued', content: { 'application/json': { schema: DirectiveView } } },
      200: { description: 'Already issued by an earlier request with this Idempotency-Key', content: { 'application/json': { schema: DirectiveView } } },
      ...problems,
    },
  });

  app.use(createRouteDef.getRoutingPath(), async (c, next) => {
    if (c.req.method === 'POST') return requireRole('leader', 'admin')(c, next);
    return next();
  });

  // --- actions: each maps to one workflow Update; a validator's refusal becomes a 4xx with its reason ---------
  const ActionResult = { 200: { description: 'The directive after the action', content: { 'application/json': { schema: DirectiveView } } }, ...problems };

  async function act<Args>(
    c: Context<AppEnv>,
    id: string,
    update: UpdateDefinition<DirectiveState, [Args]>,
    args: Args,
    opts: { roles?: Principal['role'][]; supervisorScope?: boolean } = {},
  ) {
    const principal = c.get('principal');
    if (opts.roles && !opts.roles.includes(principal.role)) {
      throw new ApiProblem(403, { detail: `This action needs one of the roles: ${opts.roles.join(', ')}.` });
    }
    // The projection may trail a just-issued directive by a moment; the workflow knows it already.
    const known = (await projected(id)) ?? (await liveState(id));
    const visible = await visibleAgencies(db, principal);
    if (!known || !seesAgencies(visible, [known.leadAgencyId, ...known.coordinatingAgencyIds])) {
      throw new ApiProblem(404, { detail: `No directive ${id}.` });
    }
    const leadAgencyId = known.leadAgencyId;
    if (opts.supervisorScope && principal.role === 'supervisor') {
      if (!principal.agencyId || !(await supervises(db, principal.agencyId, leadAgencyId))) {
        throw new ApiProblem(403, { detail: 'Your agency does not supervise the lead agency of this directive.' });
      }
    }
    // Every action route declares IdempotencyHeaders, so the key has been validated already.
    const key = c.req.header('idempotency-key');
    const handle = temporal.workflow.getHandle(workflowIdFor(id));
    try {
      const state = await handle.executeUpdate(update, {
        args: [args] as [Args],
        // The same key gives the same update id, which Temporal runs at most once.
        ...(key ? { updateId: createHash('sha256').update(`${principal.userId} ${update.name} ${key}`).digest('hex') } : {}),
      });
      const agencies = await agenciesById(db, [state.leadAgencyId, ...state.coordinatingAgencyIds]);
      return c.json(view(state, agencies), 200);
    } catch (err) {
      throw updateProblem(err);
    }
  }

  const actor = (c: Context<AppEnv>): Actor => {
    const p = c.get('principal');
    return { userId: p.userId, role: p.role, agencyId: p.agencyId };
  };
  const route = { method: 'post' as const, tags: ['actions'], security: bearerSecurity, responses: ActionResult };
  const action = <P extends string>(path: P, summary: string) =>
    createRoute({ ...route, path, summary, request: { params: IdParam, headers: IdempotencyHeaders } });
  // The path stays a literal type so the typed client sees each action as its own route.
  const actionWithBody = <P extends string, S extends z.ZodType>(path: P, summary: string, body: S) =>
    createRoute({
      ...route,
      path,
      summary,
      request: { params: IdParam, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: body } }, required: true } },
    });

  const Text = (max: number) => z.string().trim().min(1).max(max);
  const ReportBody = z.object({ deadlineKey: z.string().min(1).max(50), summary: Text(20_000) }).strict().openapi('ReportSubmission');
  const ExtensionBody = z
    .object({ proposedDueDate: z.iso.date().optional(), proposedDueAt: z.iso.datetime({ offset: true }).optional(), reason: Text(2000) })
    .strict()
    .refine((b) => !b.proposedDueDate !== !b.proposedDueAt, { message: 'Give proposedDueDate or proposedDueAt', path: ['proposedDueDate'] })
    .openapi('ExtensionRequest');
  const DecisionBody = z.object({ approve: z.boolean(), note: z.string().max(2000).default('') }).strict().openapi('ExtensionDecision');
  const CompletionBody = z.object({ summary: Text(20_000) }).strict().openapi('CompletionSubmission');
  const ReviewBody = z.object({ accept: z.boolean(), note: z.string().max(2000).default('') }).strict().openapi('CompletionReview');
  const ReassignBody = z
    .object({ leadAgency: AgencyRef, coordinatingAgencies: z.array(AgencyRef).max(50).default([]), reason: Text(2000) })
    .strict()
    .openapi('Reassignment');
  const CancelBody = z.object({ reason: Text(2000) }).strict().openapi('Cancellation');

  const decisionRoute = createRoute({
    ...route,
    path: '/{id}/extension-requests/{requestId}/decision',
    summary: 'Approve or reject an extension request',
    request: {
      params: IdParam.extend({ requestId: z.string().min(1).max(20).openapi({ param: { name: 'requestId', in: 'path' } }) }),
      headers: IdempotencyHeaders,
      body: { content: { 'application/json': { schema: DecisionBody } }, required: true },
    },
  });

  return app
    .openapi(createRouteDef, async (c) => {
      const body = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      const principal = c.get('principal');
      const now = new Date();
      const prepared = await prepare(body, '', now);
      if (prepared.errors.length > 0) {
        throw new ApiProblem(422, { slug: 'invalid-directive', detail: 'The directive cannot be issued as given.', errors: prepared.errors });
      }

      let directiveId: string = randomUUID();
      let replayed = false;
      if (key) {
        const claim = await claimIdempotencyKey(db, {
          scope: `POST /v1/directives ${principal.userId}`,
          key,
          request: body,
          newResourceId: directiveId,
        });
        directiveId = claim.resourceId;
        replayed = claim.replayed;
      }
      const input = prepared.build(directiveId, body.conferenceId ?? null, principal.userId);
      if (!(await start(input))) replayed = true;

      if (replayed) {
        const existing = await detail(directiveId);
        if (existing) {
          const { live: _live, ...rest } = existing;
          return c.json(rest, 200, { 'idempotent-replayed': 'true', location: rest.links.self });
        }
      }
      const v = view(initialState(input), prepared.agencies);
      return c.json(v, replayed ? 200 : 201, {
        location: v.links.self,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
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
        const q = c.req.valid('query');
        const where: Array<SQL | undefined> = [
          assignedToAny(await visibleAgencies(db, c.get('principal'))),
          q.status ? eq(directives.status, q.status) : undefined,
          q.timeliness ? eq(directives.timeliness, q.timeliness) : undefined,
          q.leadAgency ? eq(directives.leadAgencyId, q.leadAgency) : undefined,
          q.conferenceId ? eq(directives.conferenceId, q.conferenceId) : undefined,
          q.q ? ilike(directives.searchText, `%${escapeLike(foldVietnamese(q.q))}%`) : undefined,
          q.overdue === 'true' ? eq(directives.timeliness, 'open_overdue') : undefined,
          q.overdue === 'false' ? ne(directives.timeliness, 'open_overdue') : undefined,
          q.agency ? assignedToAny([q.agency]) : undefined,
          q.dueBefore ? lt(directives.dueAt, instantOf(q.dueBefore)) : undefined,
          q.dueAfter ? gte(directives.dueAt, instantOf(q.dueAfter)) : undefined,
        ];
        if (q.cursor) where.push(afterCursor(q.cursor, directives.issuedAt, directives.id));
        const rows = await db
          .select()
          .from(directives)
          .where(and(...where))
          .orderBy(desc(directives.issuedAt), desc(directives.id))
          .limit(q.limit + 1);
        const page = rows.slice(0, q.limit);
        const ids = page.map((r) => r.id);
        const coord = ids.length
          ? await db
              .select({ directiveId: assignments.directiveId, agencyId: assignments.agencyId })
              .from(assignments)
              .where(and(inArray(assignments.directiveId, ids), eq(assignments.role, 'coordinating'), isNull(assignments.endedAt)))
          : [];
        const agencies = await agenciesById(db, [...page.map((r) => r.leadAgencyId), ...coord.map((r) => r.agencyId)]);
        const items = page.map((row) =>
          view(
            rowToState(
              row,
              coord.filter((x) => x.directiveId === row.id).map((x) => x.agencyId),
            ),
            agencies,
          ),
        );
        const last = page.at(-1);
        const nextCursor = rows.length > q.limit && last ? encodeCursor({ t: last.issuedAt.toISOString(), id: last.id }) : null;
        return c.json({ items, nextCursor }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags: ['directives'],
        summary: 'One directive: its projection and the live workflow state',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: {
          200: { description: 'The directive', content: { 'application/json': { schema: DirectiveDetail } } },
          ...problems,
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const d = await detail(id);
        // A directive outside the caller's scope is answered like a missing one.
        const visible = await visibleAgencies(db, c.get('principal'));
        if (!d || !seesAgencies(visible, [d.leadAgency.id, ...d.coordinatingAgencies.map((a) => a.id)])) {
          throw new ApiProblem(404, { detail: `No directive ${id}.` });
        }
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
        const { id } = c.req.valid('param');
        const [exists] = await db
          .select({ id: directives.id })
          .from(directives)
          .where(and(eq(directives.id, id), assignedToAny(await visibleAgencies(db, c.get('principal')))));
        if (!exists) throw new ApiProblem(404, { detail: `No directive ${id}.` });
        const rows = await db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, id)).orderBy(asc(directiveEvents.seq));
        return c.json(
          {
            items: rows.map((r) => ({
              seq: r.seq,
              type: r.type,
              occurredAt: r.occurredAt.toISOString(),
              actorId: r.actorId,
              data: r.data as Record<string, unknown>,
            })),
          },
          200,
        );
      },
    )
    .openapi(action('/{id}/acknowledgements', "Acknowledge for the caller's agency"), (c) =>
      act(c, c.req.valid('param').id, acknowledgeUpdate, { actor: actor(c) }),
    )
    .openapi(actionWithBody('/{id}/reports', "Submit the caller's agency's report for a period", ReportBody), (c) =>
      act(c, c.req.valid('param').id, submitReportUpdate, { actor: actor(c), ...c.req.valid('json') }),
    )
    .openapi(actionWithBody('/{id}/extension-requests', 'Ask for a later deadline (lead agency)', ExtensionBody), (c) =>
      act(c, c.req.valid('param').id, requestExtensionUpdate, { actor: actor(c), ...c.req.valid('json') }),
    )
    .openapi(decisionRoute, (c) => {
      const { id, requestId } = c.req.valid('param');
      const { approve, note } = c.req.valid('json');
      return act(c, id, decideExtensionUpdate, { actor: actor(c), requestId, approve, note }, { roles: ['supervisor', 'leader', 'admin'], supervisorScope: true });
    })
    .openapi(actionWithBody('/{id}/completion', 'Submit completion (lead agency)', CompletionBody), (c) =>
      act(c, c.req.valid('param').id, submitCompletionUpdate, { actor: actor(c), ...c.req.valid('json') }),
    )
    .openapi(actionWithBody('/{id}/completion/review', 'Accept or reject a completion', ReviewBody), (c) => {
      const { accept, note } = c.req.valid('json');
      return act(c, c.req.valid('param').id, reviewCompletionUpdate, { actor: actor(c), accept, note }, {
        roles: ['supervisor', 'leader', 'admin'],
        supervisorScope: true,
      });
    })
    .openapi(actionWithBody('/{id}/reassignment', 'Move ownership to other agencies (leader)', ReassignBody), async (c) => {
      const body = c.req.valid('json');
      const found = await resolveAgencyRefs(db, [body.leadAgency, ...body.coordinatingAgencies]);
      const missing = [body.leadAgency, ...body.coordinatingAgencies].filter((r) => !found.has(r));
      if (missing.length > 0) {
        throw new ApiProblem(422, { slug: 'invalid-reassignment', detail: `Unknown agencies: ${missing.join(', ')}.` });
      }
      return act(
        c,
        c.req.valid('param').id,
        reassignUpdate,
        {
          actor: actor(c),
          leadAgencyId: found.get(body.leadAgency)!.id,
          coordinatingAgencyIds: body.coordinatingAgencies.map((r) => found.get(r)!.id),
          reason: body.reason,
        },
        { roles: ['leader', 'admin'] },
      );
    })
    .openapi(actionWithBody('/{id}/cancellation', 'Cancel with a reason (leader)', CancelBody), (c) =>
      act(c, c.req.valid('param').id, cancelUpdate, { actor: actor(c), reason: c.req.valid('json').reason }, { roles: ['leader', 'admin'] }),
    );
}

const FAILURE_STATUS: Record<string, 403 | 404 | 409 | 422> = {
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  InvalidState: 409,
  Invalid: 422,
};

/** A workflow's refusal, as the HTTP problem a caller can act on. */
export function updateProblem(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = FAILURE_STATUS[err.cause.type ?? ''] ?? 422;
    return new ApiProblem(status, { slug: `directive-${(err.cause.type ?? 'refused').toLowerCase()}`, detail: err.cause.message });
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ApiProblem(409, { slug: 'directive-closed', detail: 'The directive is closed; nothing more can be done.' });
  }
  return err;
}
