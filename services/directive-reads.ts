/**
 * Reading directives: the read model (lists, a directive with its history, what needs a person now) with the
 * workflow's live state added to a single directive. Every read is scoped to what the principal may see.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, asc, desc, eq, gte, ilike, isNull, lt, ne, notInArray, sql, type SQL } from 'drizzle-orm';
import { storedEvent } from '../db/events.js';
import type { Database, Tx } from '../db/database.js';
import { agencies, assignments, directiveEvents, directiveReaders, directives, explanationRequests as xr } from '../db/schema.js';
import { assignedToAny, confidentialAllowed, crossesScope, visibleAgencies } from '../db/scope.js';
import { titleFor } from '../domain/confidential.js';
import { escapeLike } from '../db/text.js';
import { returnsOf, standsReturned, type DirectiveState } from '../domain/directive.js';
import { CLOSED_STATUSES, TIMELINESS, type Timeliness } from '../domain/lists.js';
import { may } from '../domain/policy.js';
import { foldVietnamese } from '../domain/text.js';
import { allowedActions, withinSupervision, type AllowedActions } from '../workflows/allowed.js';
import { stateQuery } from '../workflows/messages.js';
import { workflowIdFor } from '../workflows/types.js';
import { agenciesById, type AgencySummary } from './agency-refs.js';
import type { Principal, ServiceDeps } from './context.js';
import { afterCursor, nextCursorOf } from './cursor.js';
import { maySee, visibility } from './visibility.js';
import {
  deadlinesFrom,
  explanationsFrom,
  extensionsFrom,
  instantOf,
  notFound,
  rowToState,
  STATE_COLUMNS,
  unknownAgency,
  type DirectiveDetail,
  type ProjectedState,
  type SubtaskRollup,
  worstTimelinessOf,
  type DirectiveQuery,
  type DirectiveView,
  type StoredEventView,
  type Workload,
} from './directive-model.js';

/**
 * The principal's scope and the agency filter as one condition. A directive assigned to the asked agency is in
 * the scope when that agency is; otherwise both must hold, and one subquery joining the two agencies' current
 * assignments lets the planner pair two short lists instead of probing both for every directive it walks.
 */
function assignedInScope(scope: string[] | null, agency: string | undefined): SQL | undefined {
  if (!agency) return assignedToAny(scope);
  if (scope === null || !crossesScope(scope, agency)) return assignedToAny([agency]);
  if (scope.length === 0) return sql`false`;
  return sql`${directives.id} in (
    select a.directive_id from ${assignments} a
    join ${assignments} b on b.directive_id = a.directive_id and b.ended_at is null and b.agency_id = ${agency}
    where a.ended_at is null and a.agency_id in (${sql.join(
      scope.map((id) => sql`${id}`),
      sql`, `,
    )}))`;
}

/**
 * What a page's statement needs of the planner, set for that statement only. A scope crossed with another agency:
 * the planner walks the newest directives in parallel, and on two cores its workers cost more to start than the
 * walk (150 ms with two, 7 ms without). A rare search phrase is the opposite (15 ms with them, 50–150 ms without):
 * every other page keeps them. (Every statement is planned for its own values: db/client.ts, SESSION_SETTINGS.)
 */
export function planSettingsFor(scope: string[] | null, q: { agency?: string | undefined }): Array<[string, string]> {
  return crossesScope(scope, q.agency) ? [['max_parallel_workers_per_gather', '0']] : [];
}

/** Runs `statement` with `settings` in force for it alone (set_config(…, true) lasts until its transaction ends). */
async function withPlanSettings<T>(db: Database, settings: Array<[string, string]>, statement: (x: Database | Tx) => Promise<T>): Promise<T> {
  if (settings.length === 0) return statement(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select ${sql.join(settings.map(([name, value]) => sql`set_config(${name}, ${value}, true)`), sql`, `)}`);
    return statement(tx);
  });
}

export function directiveReads(deps: ServiceDeps) {
  const { db, temporal, config, logger } = deps;
  const seeing = visibility(db);

  const links = (id: string, workflowId: string) => ({
    self: `/v1/directives/${id}`,
    events: `/v1/directives/${id}/events`,
    ...(config.temporal.uiUrl
      ? {
          temporalUi: `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`,
        }
      : {}),
  });

  function view(s: ProjectedState, agencies: Map<string, AgencySummary>): DirectiveView {
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
      confidential: s.confidential === true,
      returned: s.returned ?? standsReturned(s),
      returnCount: s.returnCount ?? returnsOf(s),
      links: links(s.directiveId, workflowId),
    };
  }

  async function viewOf(s: DirectiveState): Promise<DirectiveView> {
    return view(s, await agenciesById(db, [s.leadAgencyId, ...s.coordinatingAgencyIds]));
  }

  /**
   * What the principal may do now: the workflow's answer (workflows/allowed.ts) with the supervisor's scope
   * folded in, as the actions themselves check it (services/directives.ts `act`: the agency supervised is below
   * the supervisor's own).
   */
  async function allowedFor(principal: Principal, s: DirectiveState): Promise<AllowedActions> {
    const allowed = allowedActions(s, { userId: principal.userId, role: principal.role, agencyId: principal.agencyId }, Date.now());
    if (principal.role !== 'supervisor') return allowed;
    const below = principal.agencyId ? new Set(await visibleAgencies(db, principal)) : new Set<string>();
    return withinSupervision(allowed, s, (agencyId) => agencyId !== principal.agencyId && below.has(agencyId));
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

  /** A sub-task's parent and the parent's lead agency now (whose officers see and receive its first rung). */
  async function parentOf(id: string): Promise<{ id: string; leadAgencyId: string; title: string } | null> {
    const [row] = await db
      .select({ id: directives.id, leadAgencyId: directives.leadAgencyId, title: directives.title })
      .from(directives)
      .where(sql`${directives.id} = (select c.parent_id from ${directives} c where c.id = ${id})`);
    return row ?? null;
  }

  /** Who sees a directive (services/visibility.ts `maySee`), with the facts the state does not carry read for it. */
  async function sees(principal: Principal, known: DirectiveState): Promise<boolean> {
    const confidential = known.confidential === true;
    const [parentLead, readers, scope] = await Promise.all([
      // A sub-task's parent lead: from the state when it says, else from the read model.
      known.parent ? known.parent.leadAgencyId : parentOf(known.directiveId).then((p) => p?.leadAgencyId ?? null),
      confidential ? db.select({ userId: directiveReaders.userId }).from(directiveReaders).where(eq(directiveReaders.directiveId, known.directiveId)) : [],
      confidential ? null : visibleAgencies(db, principal),
    ]);
    return maySee(principal, scope, {
      confidential,
      issuedBy: known.issuedBy,
      assignedAgencyIds: [known.leadAgencyId, ...known.coordinatingAgencyIds],
      parentLeadAgencyId: parentLead,
      readers: readers.map((r) => r.userId),
    });
  }

  /**
   * A directive the principal may see, or NotFound, decided before anything else of it is read: its history is
   * not loaded nor its workflow asked for a directive outside the caller's scope, so neither the answer nor its
   * cost tells that it exists. `fromWorkflow`: the projection did not hold it yet, so the state is the workflow's.
   */
  async function located(principal: Principal, id: string): Promise<{ state: DirectiveState; fromWorkflow: boolean }> {
    const fromDb = await projected(id);
    if (fromDb) {
      if (!(await sees(principal, fromDb))) throw notFound(id);
      return { state: fromDb, fromWorkflow: false };
    }
    // The projection may trail a just-issued directive by a moment; the workflow knows it already.
    const live = await liveState(id);
    if (!live || !(await sees(principal, live))) throw notFound(id);
    return { state: live, fromWorkflow: true };
  }

  /** A directive the principal may see, or NotFound: its existence outside the caller's scope does not leak. */
  async function visible(principal: Principal, id: string): Promise<DirectiveState> {
    return (await located(principal, id)).state;
  }

  /**
   * The history with each sub-task it names titled as the principal may read it: a sub-task is judged on its own,
   * so a reader of the parent may see one only by reference.
   */
  async function historyAsSeen(principal: Principal, events: StoredEventView[]): Promise<StoredEventView[]> {
    const named = events.flatMap((e) => (e.type === 'delegated' ? e.data.subtasks.map((x) => x.directiveId) : []));
    if (named.length === 0) return events;
    const may = await seeing.readable(principal, named);
    return events.map((e) =>
      e.type === 'delegated' ? { ...e, data: { ...e.data, subtasks: e.data.subtasks.map((x) => ({ ...x, title: titleFor(may.has(x.directiveId), { id: x.directiveId, title: x.title }) })) } } : e,
    );
  }

  /** A directive's sub-tasks as the read model has them, and the roll-up: done / total and the worst timeliness. */
  async function subtasksOf(id: string): Promise<SubtaskRollup | null> {
    const rows = await db
      .select({
        id: directives.id,
        title: directives.title,
        leadAgencyId: directives.leadAgencyId,
        assigneeId: directives.assigneeId,
        status: directives.status,
        timeliness: directives.timeliness,
        dueAt: directives.dueAt,
      })
      .from(directives)
      .where(eq(directives.parentId, id))
      .orderBy(asc(directives.issuedAt), asc(directives.id));
    if (rows.length === 0) return null;
    const items = rows.map((r) => ({ ...r, dueAt: r.dueAt?.toISOString() ?? null }));
    return { total: items.length, done: items.filter((r) => r.status === 'completed').length, worstTimeliness: worstTimelinessOf(items.filter((r) => r.status !== 'cancelled').map((r) => r.timeliness)), items };
  }

  return {
    view,
    viewOf,
    liveState,
    projected,
    visible,

    /**
     * One page, newest first, in one statement: the rows with their lead and coordinating agencies named.
     * Every filter has an index that starts with it and ends in (issued_at, id), so a page stops after its
     * rows (db/schema.ts); `q` has a trigram index for words that few directives contain.
     */
    async list(principal: Principal, q: DirectiveQuery): Promise<{ items: DirectiveView[]; nextCursor: string | null }> {
      const scope = await visibleAgencies(db, principal);
      const where: Array<SQL | undefined> = [
        assignedInScope(scope, q.agency),
        confidentialAllowed(principal),
        q.status ? eq(directives.status, q.status) : undefined,
        q.timeliness ? eq(directives.timeliness, q.timeliness) : undefined,
        q.leadAgency ? eq(directives.leadAgencyId, q.leadAgency) : undefined,
        q.conferenceId ? eq(directives.conferenceId, q.conferenceId) : undefined,
        q.q ? ilike(directives.searchText, `%${escapeLike(foldVietnamese(q.q))}%`) : undefined,
        q.overdue === true ? eq(directives.timeliness, 'open_overdue') : undefined,
        q.overdue === false ? ne(directives.timeliness, 'open_overdue') : undefined,
        q.returned === undefined ? undefined : eq(directives.returned, q.returned),
        q.dueBefore ? lt(directives.dueAt, instantOf(q.dueBefore)) : undefined,
        q.dueAfter ? gte(directives.dueAt, instantOf(q.dueAfter)) : undefined,
        q.cursor ? afterCursor(q.cursor, directives.issuedAt, directives.id) : undefined,
      ];
      const pageOf = (x: Database | Tx) =>
        x
          .select({
            row: STATE_COLUMNS,
            leadCode: agencies.code,
            leadName: agencies.name,
            coordinating: sql<Array<{ id: string; code: string | null; name: string | null }>>`coalesce((
              select json_agg(json_build_object('id', c.agency_id, 'code', ca.code, 'name', ca.name) order by c.assigned_at, c.agency_id)
              from ${assignments} c left join ${agencies} ca on ca.id = c.agency_id
              where c.directive_id = ${directives.id} and c.role = 'coordinating' and c.ended_at is null), '[]'::json)`,
          })
          .from(directives)
          .leftJoin(agencies, eq(agencies.id, directives.leadAgencyId))
          .where(and(...where))
          .orderBy(desc(directives.issuedAt), desc(directives.id))
          .limit(q.limit + 1);
      const rows = await withPlanSettings(db, planSettingsFor(scope, q), pageOf);
      const page = rows.slice(0, q.limit);
      const named = new Map<string, AgencySummary>();
      for (const r of page) {
        if (r.leadCode !== null && r.leadName !== null) named.set(r.row.leadAgencyId, { id: r.row.leadAgencyId, code: r.leadCode, name: r.leadName });
        for (const c of r.coordinating) if (c.code !== null && c.name !== null) named.set(c.id, { id: c.id, code: c.code, name: c.name });
      }
      const items = page.map((r) =>
        view(
          rowToState(
            r.row,
            r.coordinating.map((c) => c.id),
          ),
          named,
        ),
      );
      return { items, nextCursor: nextCursorOf(rows, q.limit, (r) => ({ t: r.row.issuedAt.toISOString(), id: r.row.id })) };
    },

    /** The projection when it exists, else the workflow's own answer (the projection may lag a start by a moment). */
    async detail(principal: Principal, id: string): Promise<DirectiveDetail> {
      const found = await located(principal, id);
      const base = found.state;
      const [live, events, parent, subtasks] = await Promise.all([found.fromWorkflow ? found.state : liveState(id), storedEvents(id), parentOf(id), subtasksOf(id)]);
      const may = await seeing.readable(principal, [...(parent ? [parent.id] : []), ...(subtasks?.items.map((x) => x.id) ?? []), ...(live?.subtasks?.map((x) => x.directiveId) ?? [])]);
      const seen = (x: { id: string; title: string }) => titleFor(may.has(x.id), x);
      const deadlines = deadlinesFrom(events);
      const extensionRequests = extensionsFrom(events);
      const explanationRequests = explanationsFrom(events);
      // The live state answers what may be done; without a worker, the history's folds stand in for it.
      const known: DirectiveState = live ?? {
        ...base,
        deadlines,
        extensions: extensionRequests,
        explanations: explanationRequests,
        reports: events.flatMap((e) => (e.type === 'report_submitted' ? [e.data.report] : [])),
        acknowledgements: events.flatMap((e) => (e.type === 'acknowledged' ? [{ agencyId: e.data.agencyId, at: e.occurredAt, by: e.actorId ?? '' }] : [])),
      };
      return {
        ...(await viewOf(base)),
        // A sub-unit may read its sub-task and not the confidential parent: it sees the parent by reference.
        parent: parent ? { id: parent.id, title: seen(parent) } : null,
        assigneeId: live?.assigneeId ?? base.assigneeId ?? null,
        subtasks: subtasks ? { ...subtasks, items: subtasks.items.map((x) => ({ ...x, title: seen(x) })) } : null,
        deadlines,
        acknowledgements: events.flatMap((e) => (e.type === 'acknowledged' ? [{ agencyId: e.data.agencyId, at: e.occurredAt }] : [])),
        reports: events.flatMap((e) => (e.type === 'report_submitted' ? [e.data.report] : [])),
        extensionRequests,
        explanationRequests,
        live: live?.subtasks ? { ...live, subtasks: live.subtasks.map((x) => ({ ...x, title: seen({ id: x.directiveId, title: x.title }) })) } : live,
        allowedActions: await allowedFor(principal, known),
      };
    },

    /**
     * What needs the principal now, in their scope: overdue and soon-due directives, explanation requests its
     * agency is to answer, and for those who decide, extension requests, completions and answered explanations
     * waiting for them; with the scope's count per timeliness category.
     */
    async workload(principal: Principal, nowMs = Date.now()): Promise<Workload> {
      const scope = and(assignedToAny(await visibleAgencies(db, principal)), confidentialAllowed(principal));
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
      // Explanation requests that wait for this person: its agency's to answer; for deciders, answers to conclude.
      const mineToAnswer = principal.agencyId ? sql`(${xr.agencyId} = ${principal.agencyId} and ${xr.answeredAt} is null)` : sql`false`;
      const toConclude = decides ? sql`${xr.answeredAt} is not null` : sql`false`;
      const waitingExplanation = sql`exists (select 1 from ${xr} where ${xr.directiveId} = ${directives.id} and ${xr.closedAt} is null and (${mineToAnswer} or ${toConclude}))`;
      const [overdue, dueSoon, extensions, reviews, explanations, counted] = await Promise.all([
        page(and(open, eq(directives.timeliness, 'open_overdue')), asc(directives.nextDeadlineAt)),
        page(
          and(open, gte(directives.nextDeadlineAt, new Date(nowMs)), lt(directives.nextDeadlineAt, new Date(nowMs + 7 * 86_400_000))),
          asc(directives.nextDeadlineAt),
        ),
        decides ? page(and(open, pendingExtension), asc(directives.dueAt)) : Promise.resolve([]),
        decides ? page(eq(directives.status, 'completion_submitted'), asc(directives.updatedAt)) : Promise.resolve([]),
        page(and(open, waitingExplanation), asc(directives.nextDeadlineAt)),
        db.select({ timeliness: directives.timeliness, n: sql<number>`count(*)::int` }).from(directives).where(scope).groupBy(directives.timeliness),
      ]);
      const counts = Object.fromEntries(TIMELINESS.map((t) => [t, counted.find((c) => c.timeliness === t)?.n ?? 0])) as Record<Timeliness, number>;
      return { overdue, dueSoon, extensions, reviews, explanations, counts };
    },

    /** The history, and whether the directive is confidential (its every read is audited by the door). */
    async events(principal: Principal, id: string): Promise<{ items: StoredEventView[]; confidential: boolean }> {
      const known = await projected(id);
      if (!known || !(await sees(principal, known))) throw notFound(id);
      return { items: await historyAsSeen(principal, await storedEvents(id)), confidential: known.confidential === true };
    },

  };
}

export type DirectiveReads = ReturnType<typeof directiveReads>;
