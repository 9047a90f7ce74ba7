/**
 * Issuing, acting on, listing and reading directives: the one path both doors (the JSON API and the web
 * pages) take. Writes go through the directive's workflow (start, Updates); reads come from the read model,
 * with the workflow's live state added to a single directive's detail.
 */
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, ne, notInArray, sql, type SQL } from 'drizzle-orm';
import { storedEvent } from '../db/events.js';
import { assignments, directiveEvents, directives } from '../db/schema.js';
import { assignedToAny, seesAgencies, supervises, visibleAgencies } from '../db/scope.js';
import { escapeLike } from '../db/text.js';
import { DEFAULT_POLICY, type DeadlinePolicy, type Offset, type PlannedDeadline, type ReportingRegime } from '../domain/deadlines.js';
import type { DirectiveState, ExtensionRequest, Report } from '../domain/directive.js';
import type { DirectiveEvent } from '../domain/events.js';
import { FailureType, isFailureType, ServiceFailure, type FieldError } from '../domain/failures.js';
import { CLOSED_STATUSES, TIMELINESS, type DirectiveStatus, type Timeliness } from '../domain/lists.js';
import { may, type Permission } from '../domain/policy.js';
import { foldVietnamese } from '../domain/text.js';
import { vnEndOfDay, vnStartOfDay } from '../domain/vn-time.js';
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
import { initialState, normalizeExtension } from '../workflows/state.js';
import { workflowIdFor, type DirectiveInput } from '../workflows/types.js';
import { agenciesById, resolveAgencyRefs, type AgencySummary } from './agency-refs.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import { afterCursor, nextCursorOf } from './cursor.js';
import { claimFor } from './idempotency.js';
import { startDirectiveWorkflow } from './temporal.js';

/** A directive as it is asked to be issued; agencies by id or code. */
export type DirectiveFields = {
  title: string;
  body: string;
  leadAgency: string;
  coordinatingAgencies: string[];
  /** The final deadline as a calendar day (ends at 24:00 Vietnam time), or */
  dueDate?: string | undefined;
  /** as an exact instant; neither: a standing directive. */
  dueAt?: string | undefined;
  conferenceId?: string | undefined;
  regime?: ReportingRegime | undefined;
  /** Exactly three escalation offsets. */
  policy?: { reminders: Offset[]; escalations: Offset[] } | undefined;
};

/** A directive as both doors show it: the state's summary with its agencies named and its links. */
export type DirectiveView = Pick<
  DirectiveState,
  'title' | 'body' | 'status' | 'timeliness' | 'conferenceId' | 'dueAt' | 'nextDeadlineAt' | 'escalationLevel' | 'issuedBy' | 'issuedAt' | 'completedAt'
> & {
  id: string;
  workflowId: string;
  leadAgency: AgencySummary;
  coordinatingAgencies: AgencySummary[];
  lastSeq: number;
  links: { self: string; events: string; temporalUi?: string };
};

export type ExtensionRequestView = ExtensionRequest;

export type DirectiveDetail = DirectiveView & {
  /** From the history: the report periods and final deadline in force, with their reminders and ladder. */
  deadlines: PlannedDeadline[];
  /** From the history: which agencies acknowledged, and the reports sent. */
  acknowledgements: Array<{ agencyId: string; at: string }>;
  reports: Report[];
  /** From the history: every extension request and its decision. */
  extensionRequests: ExtensionRequestView[];
  /** The workflow's live `state` query, or null when no worker can answer now. */
  live: DirectiveState | null;
};

export type DirectiveQuery = {
  q?: string | undefined;
  overdue?: boolean | undefined;
  agency?: string | undefined;
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  status?: DirectiveStatus | undefined;
  timeliness?: Timeliness | undefined;
  leadAgency?: string | undefined;
  conferenceId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

export type Workload = {
  overdue: DirectiveView[];
  dueSoon: DirectiveView[];
  extensions: DirectiveView[];
  reviews: DirectiveView[];
  counts: Record<Timeliness, number>;
};

export type StoredEventView = DirectiveEvent & { seq: number; occurredAt: string; actorId: string | null };

/** How a retried call is told apart: the Idempotency-Key of the API, or a form's one-time token. */
export type Retry = { idempotencyKey?: string | undefined };

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
/** A bare date in a filter means the start of that day in Vietnam. */
const instantOf = (v: string): Date => (v.includes('T') ? new Date(v) : vnStartOfDay(v));
const unknownAgency = (id: string): AgencySummary => ({ id, code: '?', name: '(unknown agency)' });
const notFound = (id: string) => new ServiceFailure(FailureType.NotFound, `No directive ${id}.`);

function rowToState(row: typeof directives.$inferSelect, coordinatingAgencyIds: string[]): DirectiveState {
  return {
    directiveId: row.id,
    title: row.title,
    body: row.body,
    leadAgencyId: row.leadAgencyId,
    coordinatingAgencyIds,
    conferenceId: row.conferenceId,
    status: row.status,
    timeliness: row.timeliness,
    dueAt: iso(row.dueAt),
    nextDeadlineAt: iso(row.nextDeadlineAt),
    escalationLevel: row.escalationLevel,
    issuedBy: row.issuedBy,
    issuedAt: row.issuedAt.toISOString(),
    completedAt: iso(row.completedAt),
    seq: row.lastSeq,
  };
}

const toPolicy = (p: NonNullable<DirectiveFields['policy']>): DeadlinePolicy | null => {
  const [l1, l2, l3, ...more] = p.escalations;
  return l1 && l2 && l3 && more.length === 0 ? { reminders: p.reminders, escalations: [l1, l2, l3] } : null;
};

/** A workflow's refusal, as the application's failure: its type and reason reach the caller unchanged. */
export function refusalOf(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = isFailureType(err.cause.type) ? err.cause.type : FailureType.Invalid;
    return new ServiceFailure(type, err.cause.message, `directive-${(err.cause.type ?? 'refused').toLowerCase()}`);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ServiceFailure(FailureType.Closed, 'The directive is closed; nothing more can be done.', 'directive-closed');
  }
  return err;
}

/** The plan in force as the history tells it: issued, re-planned by an extension or an upgrade, extended by a year. */
function deadlinesFrom(events: StoredEventView[]): PlannedDeadline[] {
  let deadlines: PlannedDeadline[] = [];
  for (const e of events) {
    if (e.type === 'issued') deadlines = e.data.deadlines ?? [];
    if (e.type === 'replanned') deadlines = e.data.reason === 'next_year' ? [...deadlines, ...e.data.deadlines] : e.data.deadlines;
  }
  return deadlines;
}

/** Extension requests as the history tells them: requested, then decided. */
function extensionsFrom(events: StoredEventView[]): ExtensionRequestView[] {
  const requests = new Map<string, ExtensionRequest>();
  for (const e of events) {
    if (e.type === 'extension_requested') requests.set(e.data.request.id, normalizeExtension(e.data.request));
    if (e.type === 'extension_decided') {
      const r = requests.get(e.data.requestId);
      const decision = { approved: e.data.approved, note: e.data.note, by: e.actorId ?? '', at: e.occurredAt };
      if (r && r.decision === null) requests.set(r.id, { ...r, decision });
    }
  }
  return [...requests.values()];
}

export function directiveService(deps: ServiceDeps) {
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

  function view(s: DirectiveState, agencies: Map<string, AgencySummary>): DirectiveView {
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

  async function viewOf(s: DirectiveState): Promise<DirectiveView> {
    return view(s, await agenciesById(db, [s.leadAgencyId, ...s.coordinatingAgencyIds]));
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

  const coordinatingOf = async (id: string): Promise<string[]> =>
    (
      await db
        .select({ agencyId: assignments.agencyId })
        .from(assignments)
        .where(and(eq(assignments.directiveId, id), eq(assignments.role, 'coordinating'), isNull(assignments.endedAt)))
        .orderBy(asc(assignments.assignedAt))
    ).map((c) => c.agencyId);

  async function projected(id: string): Promise<DirectiveState | null> {
    const [row] = await db.select().from(directives).where(eq(directives.id, id));
    return row ? rowToState(row, await coordinatingOf(id)) : null;
  }

  async function storedEvents(id: string): Promise<StoredEventView[]> {
    const rows = await db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, id)).orderBy(asc(directiveEvents.seq));
    return rows.map((r) => ({ ...storedEvent(r), seq: r.seq, occurredAt: r.occurredAt.toISOString(), actorId: r.actorId }));
  }

  /** A directive the principal may see, or NotFound: its existence outside the caller's scope does not leak. */
  async function visible(principal: Principal, id: string): Promise<DirectiveState> {
    // The projection may trail a just-issued directive by a moment; the workflow knows it already.
    const known = (await projected(id)) ?? (await liveState(id));
    const scope = await visibleAgencies(db, principal);
    if (!known || !seesAgencies(scope, [known.leadAgencyId, ...known.coordinatingAgencyIds])) throw notFound(id);
    return known;
  }

  /**
   * Checks one directive of a request against the directory and the clock; errors point into the request
   * at `pointer`. `build` gives the workflow input once an id is known.
   */
  async function prepare(body: DirectiveFields, pointer: string, now: Date) {
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
    if (body.dueDate && body.dueAt) errors.push({ location: 'body', pointer: `${pointer}/dueAt`, message: 'Give dueDate or dueAt, not both' });
    const dueAt = body.dueDate ? vnEndOfDay(body.dueDate) : body.dueAt ? new Date(body.dueAt) : null;
    if (dueAt && dueAt.getTime() <= now.getTime()) {
      errors.push({ location: 'body', pointer: `${pointer}${body.dueDate ? '/dueDate' : '/dueAt'}`, message: 'The deadline has already passed' });
    }
    const policy = body.policy ? toPolicy(body.policy) : DEFAULT_POLICY;
    if (!policy) errors.push({ location: 'body', pointer: `${pointer}/policy/escalations`, message: 'Give exactly three escalation offsets' });
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
      policy: policy ?? DEFAULT_POLICY,
    });
    return { errors, agencies, build };
  }

  /** Starts a directive's workflow; false when a run with its id had finished already (a retry), never twice. */
  const start = async (input: DirectiveInput): Promise<boolean> => (await startDirectiveWorkflow(temporal, config.temporal.taskQueue, input)) !== null;

  async function act<Args>(
    principal: Principal,
    id: string,
    update: UpdateDefinition<DirectiveState, [Args]>,
    args: Args,
    opts: Retry & { permission?: Permission; supervisorScope?: boolean } = {},
  ): Promise<DirectiveState> {
    if (opts.permission) requirePermission(principal, opts.permission);
    const known = await visible(principal, id);
    if (opts.supervisorScope && principal.role === 'supervisor') {
      if (!principal.agencyId || !(await supervises(db, principal.agencyId, known.leadAgencyId))) {
        throw new ServiceFailure(FailureType.Forbidden, 'Your agency does not supervise the lead agency of this directive.');
      }
    }
    const handle = temporal.workflow.getHandle(workflowIdFor(id));
    try {
      return await handle.executeUpdate(update, {
        args: [args] as [Args],
        // The same key gives the same update id, which Temporal runs at most once.
        ...(opts.idempotencyKey
          ? { updateId: createHash('sha256').update(`${principal.userId} ${update.name} ${opts.idempotencyKey}`).digest('hex') }
          : {}),
      });
    } catch (err) {
      throw refusalOf(err);
    }
  }

  const actor = (p: Principal) => ({ userId: p.userId, role: p.role, agencyId: p.agencyId });

  return {
    view,
    viewOf,
    projected,
    prepare,
    start,

    /** Issues one directive (leader, admin). With a retry key, a retry returns the first result and starts nothing. */
    async issue(principal: Principal, body: DirectiveFields, retry: Retry = {}): Promise<{ directive: DirectiveView; replayed: boolean }> {
      requirePermission(principal, 'issueDirectives');
      const now = new Date();
      const prepared = await prepare(body, '', now);
      if (prepared.errors.length > 0) {
        throw new ServiceFailure(FailureType.Invalid, 'The directive cannot be issued as given.', 'invalid-directive', prepared.errors);
      }
      const claim = await claimFor(db, `POST /v1/directives ${principal.userId}`, retry.idempotencyKey, body);
      const input = prepared.build(claim.resourceId, body.conferenceId ?? null, principal.userId);
      const replayed = !(await start(input)) || claim.replayed;
      if (replayed) {
        const existing = (await projected(input.directiveId)) ?? (await liveState(input.directiveId));
        if (existing) return { directive: await viewOf(existing), replayed };
      }
      return { directive: view(initialState(input), prepared.agencies), replayed };
    },

    async list(principal: Principal, q: DirectiveQuery): Promise<{ items: DirectiveView[]; nextCursor: string | null }> {
      const where: Array<SQL | undefined> = [
        assignedToAny(await visibleAgencies(db, principal)),
        q.status ? eq(directives.status, q.status) : undefined,
        q.timeliness ? eq(directives.timeliness, q.timeliness) : undefined,
        q.leadAgency ? eq(directives.leadAgencyId, q.leadAgency) : undefined,
        q.conferenceId ? eq(directives.conferenceId, q.conferenceId) : undefined,
        q.q ? ilike(directives.searchText, `%${escapeLike(foldVietnamese(q.q))}%`) : undefined,
        q.overdue === true ? eq(directives.timeliness, 'open_overdue') : undefined,
        q.overdue === false ? ne(directives.timeliness, 'open_overdue') : undefined,
        q.agency ? assignedToAny([q.agency]) : undefined,
        q.dueBefore ? lt(directives.dueAt, instantOf(q.dueBefore)) : undefined,
        q.dueAfter ? gte(directives.dueAt, instantOf(q.dueAfter)) : undefined,
        q.cursor ? afterCursor(q.cursor, directives.issuedAt, directives.id) : undefined,
      ];
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
      return { items, nextCursor: nextCursorOf(rows, q.limit, (r) => ({ t: r.issuedAt.toISOString(), id: r.id })) };
    },

    /** The projection when it exists, else the workflow's own answer (the projection may lag a start by a moment). */
    async detail(principal: Principal, id: string): Promise<DirectiveDetail> {
      const [fromDb, live, events] = await Promise.all([projected(id), liveState(id), storedEvents(id)]);
      const base = fromDb ?? live;
      const scope = await visibleAgencies(db, principal);
      if (!base || !seesAgencies(scope, [base.leadAgencyId, ...base.coordinatingAgencyIds])) throw notFound(id);
      return {
        ...(await viewOf(base)),
        deadlines: deadlinesFrom(events),
        acknowledgements: events.flatMap((e) => (e.type === 'acknowledged' ? [{ agencyId: e.data.agencyId, at: e.occurredAt }] : [])),
        reports: events.flatMap((e) => (e.type === 'report_submitted' ? [e.data.report] : [])),
        extensionRequests: extensionsFrom(events),
        live,
      };
    },

    /**
     * What needs the principal now, in their scope: overdue and soon-due directives, and for those who decide,
     * extension requests and completions waiting for them; with the scope's count per timeliness category.
     */
    async workload(principal: Principal, nowMs = Date.now()): Promise<Workload> {
      const scope = assignedToAny(await visibleAgencies(db, principal));
      const open = notInArray(directives.status, [...CLOSED_STATUSES]);
      const page = async (where: SQL | undefined, order: SQL, limit = 50) => {
        const rows = await db.select().from(directives).where(and(scope, where)).orderBy(order).limit(limit);
        return Promise.all(rows.map(async (r) => viewOf(rowToState(r, await coordinatingOf(r.id)))));
      };
      const decides = may(principal.role, 'decide');
      const pendingExtension = sql`exists (
        select 1 from ${directiveEvents} r where r.directive_id = ${directives.id} and r.type = 'extension_requested'
        and not exists (select 1 from ${directiveEvents} x where x.directive_id = ${directives.id} and x.type = 'extension_decided'
                        and x.data->>'requestId' = r.data->'request'->>'id'))`;
      const [overdue, dueSoon, extensions, reviews, counted] = await Promise.all([
        page(and(open, eq(directives.timeliness, 'open_overdue')), asc(directives.nextDeadlineAt)),
        page(
          and(open, gte(directives.nextDeadlineAt, new Date(nowMs)), lt(directives.nextDeadlineAt, new Date(nowMs + 7 * 86_400_000))),
          asc(directives.nextDeadlineAt),
        ),
        decides ? page(and(open, pendingExtension), asc(directives.dueAt)) : Promise.resolve([]),
        decides ? page(eq(directives.status, 'completion_submitted'), asc(directives.updatedAt)) : Promise.resolve([]),
        db.select({ timeliness: directives.timeliness, n: sql<number>`count(*)::int` }).from(directives).where(scope).groupBy(directives.timeliness),
      ]);
      const counts = Object.fromEntries(TIMELINESS.map((t) => [t, counted.find((c) => c.timeliness === t)?.n ?? 0])) as Record<Timeliness, number>;
      return { overdue, dueSoon, extensions, reviews, counts };
    },

    async events(principal: Principal, id: string): Promise<StoredEventView[]> {
      const [exists] = await db
        .select({ id: directives.id })
        .from(directives)
        .where(and(eq(directives.id, id), assignedToAny(await visibleAgencies(db, principal))));
      if (!exists) throw notFound(id);
      return storedEvents(id);
    },

    // --- actions: each is one workflow Update; a validator's refusal comes back as a ServiceFailure --------------
    acknowledge: async (p: Principal, id: string, retry: Retry = {}) => viewOf(await act(p, id, acknowledgeUpdate, { actor: actor(p) }, retry)),

    submitReport: async (p: Principal, id: string, body: { deadlineKey: string; summary: string }, retry: Retry = {}) =>
      viewOf(await act(p, id, submitReportUpdate, { actor: actor(p), ...body }, retry)),

    /** The directive and the request it now holds, whose id a decision names. */
    async requestExtension(p: Principal, id: string, body: { proposedDueDate?: string | undefined; proposedDueAt?: string | undefined; reason: string }, retry: Retry = {}) {
      const proposed = body.proposedDueDate ? { proposedDueDate: body.proposedDueDate } : body.proposedDueAt ? { proposedDueAt: body.proposedDueAt } : null;
      if (!proposed) throw new ServiceFailure(FailureType.Invalid, 'Give the proposed deadline as a date or an instant.');
      const state = await act(p, id, requestExtensionUpdate, { actor: actor(p), reason: body.reason, ...proposed }, retry);
      const request = state.extensions!.at(-1)!;
      return { ...(await viewOf(state)), extensionRequest: request };
    },

    decideExtension: async (p: Principal, id: string, requestId: string, body: { approve: boolean; note: string }, retry: Retry = {}) =>
      viewOf(await act(p, id, decideExtensionUpdate, { actor: actor(p), requestId, ...body }, { ...retry, permission: 'decide', supervisorScope: true })),

    submitCompletion: async (p: Principal, id: string, body: { summary: string }, retry: Retry = {}) =>
      viewOf(await act(p, id, submitCompletionUpdate, { actor: actor(p), ...body }, retry)),

    reviewCompletion: async (p: Principal, id: string, body: { accept: boolean; note: string }, retry: Retry = {}) =>
      viewOf(await act(p, id, reviewCompletionUpdate, { actor: actor(p), ...body }, { ...retry, permission: 'decide', supervisorScope: true })),

    async reassign(p: Principal, id: string, body: { leadAgency: string; coordinatingAgencies: string[]; reason: string }, retry: Retry = {}) {
      requirePermission(p, 'reassign');
      const refs = [body.leadAgency, ...body.coordinatingAgencies];
      const found = await resolveAgencyRefs(db, refs);
      const missing = refs.filter((r) => !found.has(r));
      if (missing.length > 0) throw new ServiceFailure(FailureType.Invalid, `Unknown agencies: ${missing.join(', ')}.`, 'invalid-reassignment');
      const args = {
        actor: actor(p),
        leadAgencyId: found.get(body.leadAgency)!.id,
        coordinatingAgencyIds: body.coordinatingAgencies.map((r) => found.get(r)!.id),
        reason: body.reason,
      };
      return viewOf(await act(p, id, reassignUpdate, args, retry));
    },

    cancel: async (p: Principal, id: string, body: { reason: string }, retry: Retry = {}) =>
      viewOf(await act(p, id, cancelUpdate, { actor: actor(p), ...body }, { ...retry, permission: 'cancel' })),
  };
}

export type DirectiveService = ReturnType<typeof directiveService>;
