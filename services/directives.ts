/**
 * Issuing and acting on directives: the one path both doors (the JSON API and the web pages) take. Writes
 * go through the directive's workflow (start, Updates); a refusal comes back as the workflow's reason.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { agencies, attachments, directiveReaders, explanationRequests, users } from '../db/schema.js';
import type { UpdateDefinition } from '@temporalio/common';
import { supervises } from '../db/scope.js';
import { DEFAULT_POLICY } from '../domain/deadlines.js';
import type { DirectiveState } from '../domain/directive.js';
import { FailureType, ServiceFailure, type FieldError } from '../domain/failures.js';
import type { Permission } from '../domain/policy.js';
import { instantProblem } from '../domain/horizon.js';
import { givenInstant, vnEndOfDay } from '../domain/vn-time.js';
import {
  acknowledgeUpdate,
  answerExplanationUpdate,
  cancelUpdate,
  closeExplanationUpdate,
  decideExtensionUpdate,
  delegateUpdate,
  reassignUpdate,
  requestExplanationUpdate,
  requestExtensionUpdate,
  reviewCompletionUpdate,
  submitCompletionUpdate,
  submitReportUpdate,
  type NewSubtask,
} from '../workflows/messages.js';
import { initialState } from '../workflows/state.js';
import { workflowIdFor, type DirectiveInput } from '../workflows/types.js';
import { resolveAgencyRefs } from './agency-refs.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import { directiveReads } from './directive-reads.js';
import { refusalOf, toPolicy, type DirectiveFields, type DirectiveView, type Retry } from './directive-model.js';
import { claimFor } from './idempotency.js';
import { startDirectiveWorkflow, updateWithin } from '../temporal/client.js';

export type * from './directive-model.js';

/** One sub-task as asked: for a sub-unit (id or code) or a named officer of the lead agency. */
export type SubtaskRequest = {
  title: string;
  body?: string | undefined;
  subUnit?: string | undefined;
  assignee?: string | undefined;
  dueDate?: string | undefined;
  dueAt?: string | undefined;
};
export { refusalOf } from './directive-model.js';

export function directiveService(deps: ServiceDeps) {
  const { db, temporal, config } = deps;
  const reads = directiveReads(deps);
  const { view, viewOf, liveState, projected, visible } = reads;

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
    } else if (dueAt) {
      const problem = instantProblem(dueAt.getTime(), now.getTime());
      if (problem) errors.push({ location: 'body', pointer: `${pointer}${body.dueDate ? '/dueDate' : '/dueAt'}`, message: problem });
    }
    if (body.regime?.kind === 'explicit') {
      body.regime.dueDates.forEach((d, i) => {
        const problem = instantProblem(givenInstant(d).getTime(), now.getTime());
        if (problem) errors.push({ location: 'body', pointer: `${pointer}/regime/dueDates/${i}`, message: problem });
      });
    }
    const policy = body.policy ? toPolicy(body.policy) : DEFAULT_POLICY;
    if (!policy) errors.push({ location: 'body', pointer: `${pointer}/policy/escalations`, message: 'Give exactly three escalation offsets' });
    const readers = [...new Set(body.readers ?? [])];
    if (readers.length > 0 && !body.confidential) errors.push({ location: 'body', pointer: `${pointer}/readers`, message: 'Readers are named for a confidential directive only' });
    const known = readers.length ? await db.select({ id: users.id }).from(users).where(inArray(users.id, readers)) : [];
    readers.forEach((r, i) => {
      if (!known.some((u) => u.id === r)) errors.push({ location: 'body', pointer: `${pointer}/readers/${i}`, message: `No user ${r}` });
    });
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
      ...(body.confidential ? { confidential: true } : {}),
    });
    /** Named before the start, so the directive is never readable by fewer people than its leader meant. */
    const saveReaders = async (directiveId: string, by: string) => {
      if (readers.length) await db.insert(directiveReaders).values(readers.map((userId) => ({ directiveId, userId, addedBy: by }))).onConflictDoNothing();
    };
    return { errors, agencies, build, saveReaders };
  }

  /** Starts a directive's workflow; false when a run with its id had finished already (a retry), never twice. */
  const start = async (input: DirectiveInput): Promise<boolean> => (await startDirectiveWorkflow(temporal, config.temporal.taskQueue, input)) !== null;

  async function act<Args>(
    principal: Principal,
    id: string,
    update: UpdateDefinition<DirectiveState, [Args]>,
    args: Args,
    /** `supervisorScope`: a supervisor must supervise the lead agency (true), or the agency a function names (the lead when it names none). */
    opts: Retry & { permission?: Permission; supervisorScope?: boolean | (() => string | null | Promise<string | null>) } = {},
  ): Promise<DirectiveState> {
    if (opts.permission) requirePermission(principal, opts.permission);
    const known = await visible(principal, id);
    if (opts.supervisorScope && principal.role === 'supervisor') {
      const named = typeof opts.supervisorScope === 'function' ? await opts.supervisorScope() : null;
      const agencyId = named ?? known.leadAgencyId;
      if (!principal.agencyId || !(await supervises(db, principal.agencyId, agencyId))) {
        throw new ServiceFailure(
          FailureType.Forbidden,
          agencyId === known.leadAgencyId ? 'Your agency does not supervise the lead agency of this directive.' : 'Your agency does not supervise the agency asked.',
        );
      }
    }
    const handle = temporal.workflow.getHandle(workflowIdFor(id));
    try {
      return await updateWithin(temporal, () =>
        handle.executeUpdate(update, {
          args: [args] as [Args],
          // The same key gives the same update id, which Temporal runs at most once.
          ...(opts.idempotencyKey
            ? { updateId: createHash('sha256').update(`${principal.userId} ${update.name} ${opts.idempotencyKey}`).digest('hex') }
            : {}),
        }),
      );
    } catch (err) {
      throw refusalOf(err);
    }
  }

  const actor = (p: Principal) => ({ userId: p.userId, role: p.role, agencyId: p.agencyId });

  return {
    ...reads,
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
      await prepared.saveReaders(input.directiveId, principal.userId);
      const replayed = !(await start(input)) || claim.replayed;
      if (replayed) {
        const existing = (await projected(input.directiveId)) ?? (await liveState(input.directiveId));
        if (existing) return { directive: await viewOf(existing), replayed };
      }
      return { directive: view(initialState(input), prepared.agencies), replayed };
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

    /**
     * A leader or supervisor asks an assigned agency (by id or code) to explain an overdue item by a day or an
     * instant; the answer then has its own reminders and ladder. The directive and the request it now holds.
     */
    async requestExplanation(
      p: Principal,
      id: string,
      body: { agency: string; deadlineKey: string; question: string; dueDate?: string | undefined; dueAt?: string | undefined },
      retry: Retry = {},
    ) {
      requirePermission(p, 'decide');
      const found = await resolveAgencyRefs(db, [body.agency]);
      const agency = found.get(body.agency);
      if (!agency) {
        throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', 'invalid-explanation-request', [
          { location: 'body', pointer: '/agency', message: `No agency with id or code "${body.agency}"` },
        ]);
      }
      const due = body.dueDate ? { dueDate: body.dueDate } : body.dueAt ? { dueAt: new Date(body.dueAt).toISOString() } : null;
      if (!due) throw new ServiceFailure(FailureType.Invalid, "Give the answer's deadline as a date or an instant.");
      const args = { actor: actor(p), agencyId: agency.id, deadlineKey: body.deadlineKey, question: body.question, ...due };
      // A supervisor asks an agency it supervises (the lead or a coordinating one).
      const state = await act(p, id, requestExplanationUpdate, args, { ...retry, permission: 'decide', supervisorScope: () => agency.id });
      // The open request of that agency and item is this one: a second one is refused while it is open.
      const request = state.explanations!.findLast((x) => x.agencyId === agency.id && x.deadlineKey === body.deadlineKey && x.closure === null)!;
      return { ...(await viewOf(state)), explanationRequest: request };
    },

    /** The asked agency answers, naming the files it attached to this request (kind explanation) beforehand. */
    async answerExplanation(p: Principal, id: string, requestId: string, body: { text: string; attachmentIds?: string[] | undefined }, retry: Retry = {}) {
      await visible(p, id);
      const attachmentIds = [...new Set(body.attachmentIds ?? [])];
      if (attachmentIds.length > 0) {
        const found = await db
          .select({ id: attachments.id })
          .from(attachments)
          .where(and(inArray(attachments.id, attachmentIds), eq(attachments.directiveId, id), eq(attachments.kind, 'explanation'), eq(attachments.deadlineKey, requestId)));
        const errors: FieldError[] = attachmentIds.flatMap((a, i) =>
          found.some((f) => f.id === a) ? [] : [{ location: 'body' as const, pointer: `/attachmentIds/${i}`, message: `No file ${a} attached to explanation request ${requestId}` }],
        );
        if (errors.length) throw new ServiceFailure(FailureType.Invalid, 'Unknown attachments.', 'invalid-explanation-answer', errors);
      }
      const state = await act(p, id, answerExplanationUpdate, { actor: actor(p), requestId, text: body.text, attachmentIds }, retry);
      return { ...(await viewOf(state)), explanationRequest: state.explanations!.find((x) => x.id === requestId)! };
    },

    /** The leader or supervisor closes the request: accepted (once answered) or not, with a note. */
    async closeExplanation(p: Principal, id: string, requestId: string, body: { accepted: boolean; note: string }, retry: Retry = {}) {
      // A supervisor closes what was asked of an agency it supervises.
      const supervised = async () =>
        (await db.select({ agencyId: explanationRequests.agencyId }).from(explanationRequests).where(and(eq(explanationRequests.directiveId, id), eq(explanationRequests.requestId, requestId))))[0]
          ?.agencyId ?? null;
      const state = await act(p, id, closeExplanationUpdate, { actor: actor(p), requestId, ...body }, { ...retry, permission: 'decide', supervisorScope: supervised });
      return { ...(await viewOf(state)), explanationRequest: state.explanations!.find((x) => x.id === requestId)! };
    },

    /**
     * The lead agency splits a directive into sub-tasks ("chuyển tiếp tới các cấp trực thuộc"): each for one of
     * its sub-units (agencies whose organisational parent it is) or a named officer of it, due no later than the
     * directive; each becomes a directive of its own, started by the directive's workflow as its child.
     */
    async delegate(p: Principal, id: string, body: { subtasks: SubtaskRequest[] }, retry: Retry = {}) {
      const known = await visible(p, id);
      const now = new Date();
      const errors: FieldError[] = [];
      const found = await resolveAgencyRefs(db, body.subtasks.flatMap((t) => (t.subUnit ? [t.subUnit] : [])));
      const units = found.size
        ? await db
            .select({ id: agencies.id, parentId: agencies.parentId, active: agencies.active })
            .from(agencies)
            .where(inArray(agencies.id, [...found.values()].map((a) => a.id)))
        : [];
      const assignees = body.subtasks.flatMap((t) => (t.assignee ? [t.assignee] : []));
      const staff = assignees.length
        ? await db
            .select({ id: users.id })
            .from(users)
            .where(and(inArray(users.id, assignees), eq(users.agencyId, known.leadAgencyId), eq(users.role, 'officer'), isNull(users.revokedAt)))
        : [];
      const subtasks: NewSubtask[] = body.subtasks.map((t, i) => {
        const at = `/subtasks/${i}`;
        const unit = t.subUnit ? units.find((u) => u.id === found.get(t.subUnit!)?.id) : undefined;
        if (t.subUnit && (!unit || unit.parentId !== known.leadAgencyId || !unit.active)) {
          errors.push({ location: 'body', pointer: `${at}/subUnit`, message: `"${t.subUnit}" is not an active sub-unit of the lead agency` });
        }
        if (t.assignee && !staff.some((u) => u.id === t.assignee)) {
          errors.push({ location: 'body', pointer: `${at}/assignee`, message: 'Not an officer of the lead agency' });
        }
        const due = t.dueDate ? vnEndOfDay(t.dueDate) : t.dueAt ? new Date(t.dueAt) : null;
        if (due && Number.isNaN(due.getTime())) errors.push({ location: 'body', pointer: `${at}${t.dueDate ? '/dueDate' : '/dueAt'}`, message: 'Not a date' });
        else if (due && due.getTime() <= now.getTime()) errors.push({ location: 'body', pointer: `${at}${t.dueDate ? '/dueDate' : '/dueAt'}`, message: 'The deadline has already passed' });
        else if (due) {
          const problem = instantProblem(due.getTime(), now.getTime());
          if (problem) errors.push({ location: 'body', pointer: `${at}${t.dueDate ? '/dueDate' : '/dueAt'}`, message: problem });
        }
        return {
          directiveId: randomUUID(),
          title: t.title,
          body: t.body ?? '',
          leadAgencyId: unit?.id ?? known.leadAgencyId,
          assigneeId: t.assignee ?? null,
          dueAt: t.dueAt ? new Date(t.dueAt).toISOString() : null,
          dueDate: t.dueDate ?? null,
        };
      });
      if (errors.length > 0) throw new ServiceFailure(FailureType.Invalid, 'The sub-tasks cannot be given as asked.', 'invalid-subtasks', errors);
      const state = await act(p, id, delegateUpdate, { actor: actor(p), subtasks }, retry);
      return viewOf(state);
    },

    /** The readers of a confidential directive, set by the leader who issued it (the list replaces the one before). */
    async setReaders(p: Principal, id: string, readers: string[]): Promise<{ readers: string[] }> {
      const known = await visible(p, id);
      if (!known.confidential) throw new ServiceFailure(FailureType.Conflict, 'Readers are named for a confidential directive only.');
      if (known.issuedBy !== p.userId) throw new ServiceFailure(FailureType.Forbidden, 'Only the leader who issued it names its readers.');
      const unique = [...new Set(readers)];
      const found = unique.length ? await db.select({ id: users.id }).from(users).where(inArray(users.id, unique)) : [];
      const errors: FieldError[] = unique.flatMap((r, i) => (found.some((u) => u.id === r) ? [] : [{ location: 'body' as const, pointer: `/readers/${i}`, message: `No user ${r}` }]));
      if (errors.length) throw new ServiceFailure(FailureType.Invalid, 'Unknown readers.', 'invalid-readers', errors);
      await db.transaction(async (tx) => {
        await tx.delete(directiveReaders).where(eq(directiveReaders.directiveId, id));
        if (unique.length) await tx.insert(directiveReaders).values(unique.map((userId) => ({ directiveId: id, userId, addedBy: p.userId })));
      });
      return { readers: unique };
    },

    submitCompletion: async (p: Principal, id: string, body: { summary: string; closeOpenSubtasks?: { note: string } | undefined }, retry: Retry = {}) =>
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
