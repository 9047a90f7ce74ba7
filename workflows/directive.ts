import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { createRecorder, planSchedule, resolveEscalationTarget } from './activities.js';
import { reject, FailureType } from './errors.js';
import { legacyIssuedSlice } from './legacy-slice.js';
import {
  escalationLevelOf,
  isSatisfied,
  nextDeadlineOf,
  openEscalations,
  ownersOf,
  pendingTimers,
  stampOf,
  type TimerItem,
} from './lifecycle.js';
import {
  acknowledgeEscalationUpdate,
  acknowledgeUpdate,
  cancelUpdate,
  decideExtensionUpdate,
  reassignUpdate,
  requestExtensionUpdate,
  reviewCompletionUpdate,
  stateQuery,
  submitCompletionUpdate,
  submitReportUpdate,
} from './messages.js';
import { initialState, isClosed, timelinessOf } from './rules.js';
import { searchAttributesFor } from './search-attributes.js';
import { vnEndOfDay } from './vn-time.js';
import {
  DEFAULT_POLICY,
  type Actor,
  type DirectiveInput,
  type DirectiveState,
  type Escalation,
  type PlannedDeadline,
} from './types.js';

/** Marks histories written by the full lifecycle; runs started before it continue on the first release's code. */
export const LIFECYCLE_PATCH = 'directive-lifecycle-v1';

const LEADER_ROLES = ['leader', 'admin'] as const;
const DECIDER_ROLES = ['supervisor', 'leader', 'admin'] as const;

/**
 * One workflow per directive (`directive-<id>`): the source of truth for its lifecycle and timers.
 * The workflow name and its messages are a contract with running workflows: never rename them.
 */
export async function directiveWorkflow(input: DirectiveInput): Promise<DirectiveState> {
  const state: DirectiveState = input.resume ?? initialState(input);
  setHandler(stateQuery, () => state);
  const record = createRecorder(state);
  if (!patched(LIFECYCLE_PATCH)) return legacyIssuedSlice(state, record);

  const now = () => new Date().toISOString();
  let dirty = false;
  let planned = input.resume !== undefined;
  let lastSearchAttributes = '';

  const refresh = () => {
    state.timeliness = timelinessOf(state, Date.now());
    state.nextDeadlineAt = nextDeadlineOf(state);
    state.escalationLevel = escalationLevelOf(state);
    const attrs = searchAttributesFor(state);
    const serialized = JSON.stringify(attrs.map((a) => [a.key.name, a.value]));
    if (serialized !== lastSearchAttributes) {
      upsertSearchAttributes(attrs);
      lastSearchAttributes = serialized;
    }
    dirty = true;
  };

  const resolveEscalations = async (match: (e: Escalation) => boolean, resolution: string, actorId: string | null) => {
    const at = now();
    const resolved = openEscalations(state).filter(match);
    for (const e of resolved) {
      e.resolvedAt = at;
      e.resolution = resolution;
    }
    if (resolved.length > 0) {
      refresh();
      await record('escalation_resolved', { escalations: resolved, resolution }, actorId);
    }
  };

  // --- who may do what: validators reject before anything is written to history ---------------------------
  const isOpen = () => !isClosed(state.status);
  const requireOpen = () => {
    if (!isOpen()) reject(FailureType.InvalidState, `The directive is ${state.status}; nothing more can be done.`);
  };
  const assigned = (agencyId: string | null) =>
    agencyId !== null && (agencyId === state.leadAgencyId || state.coordinatingAgencyIds.includes(agencyId));
  const requireAssigned = (actor: Actor) => {
    if (!assigned(actor.agencyId)) reject(FailureType.Forbidden, 'Your agency is not assigned to this directive.');
  };
  const requireLead = (actor: Actor, what: string) => {
    if (actor.agencyId !== state.leadAgencyId) {
      reject(
        FailureType.Forbidden,
        assigned(actor.agencyId) ? `Only the lead agency may ${what}; coordinating agencies report their part.` : `Only the lead agency may ${what}.`,
      );
    }
  };
  const requireRole = (actor: Actor, roles: readonly string[], what: string) => {
    if (!roles.includes(actor.role)) reject(FailureType.Forbidden, `Only ${roles.join(' or ')} may ${what}.`);
  };
  const findReportDeadline = (key: string): PlannedDeadline | undefined =>
    (state.deadlines ?? []).find((d) => d.kind === 'report' && d.key === key);

  setHandler(
    acknowledgeUpdate,
    async ({ actor }) => {
      const agencyId = actor.agencyId!;
      state.acknowledgements = [...(state.acknowledgements ?? []), { agencyId, at: now(), by: actor.userId }];
      if (agencyId === state.leadAgencyId && state.status === 'issued') state.status = 'in_progress';
      refresh();
      await record('acknowledged', { agencyId }, actor.userId);
      return state;
    },
    {
      validator: ({ actor }) => {
        requireOpen();
        requireAssigned(actor);
        if ((state.acknowledgements ?? []).some((a) => a.agencyId === actor.agencyId)) {
          reject(FailureType.Conflict, 'Your agency has already acknowledged this directive.');
        }
      },
    },
  );

  setHandler(
    submitReportUpdate,
    async ({ actor, deadlineKey, summary }) => {
      await condition(() => planned);
      const deadline = findReportDeadline(deadlineKey);
      if (!deadline) return reject(FailureType.NotFound, `No reporting period "${deadlineKey}" for this directive.`);
      const agencyId = actor.agencyId!;
      if (isSatisfied(state, deadline, agencyId)) return reject(FailureType.Conflict, 'Your agency has already reported for this period.');
      const at = now();
      const report = { deadlineKey, agencyId, at, summary, late: Date.parse(at) > Date.parse(deadline.dueAt), by: actor.userId };
      state.reports = [...(state.reports ?? []), report];
      if (agencyId === state.leadAgencyId && state.status === 'issued') state.status = 'in_progress';
      refresh();
      await record('report_submitted', { report }, actor.userId);
      await resolveEscalations((e) => e.deadlineKey === deadlineKey && e.agencyId === agencyId, 'reported', actor.userId);
      return state;
    },
    {
      validator: ({ actor, deadlineKey, summary }) => {
        requireOpen();
        requireAssigned(actor);
        if (!summary.trim()) reject(FailureType.Invalid, 'A report needs a summary.');
        if (planned && !findReportDeadline(deadlineKey)) {
          reject(FailureType.NotFound, `No reporting period "${deadlineKey}" for this directive.`);
        }
      },
    },
  );

  setHandler(
    requestExtensionUpdate,
    async ({ actor, proposedDueAt, proposedDueDate, reason }) => {
      const request = {
        id: `x${(state.extensions ?? []).length + 1}`,
        requestedAt: now(),
        requestedBy: actor.userId,
        proposedDueAt: proposedDueDate ?? proposedDueAt!,
        reason,
        decision: null,
      };
      state.extensions = [...(state.extensions ?? []), request];
      refresh();
      await record('extension_requested', { request }, actor.userId);
      return state;
    },
    {
      validator: ({ actor, proposedDueAt, proposedDueDate, reason }) => {
        requireOpen();
        requireLead(actor, 'ask for an extension');
        if (state.status === 'completion_submitted') reject(FailureType.InvalidState, 'Completion is under review.');
        if (state.dueAt === null) reject(FailureType.InvalidState, 'A standing directive has no deadline to extend.');
        if (!reason.trim()) reject(FailureType.Invalid, 'An extension request needs a reason.');
        if (!proposedDueAt === !proposedDueDate) reject(FailureType.Invalid, 'Give the proposed deadline as a date or an instant.');
        const proposed = proposedDueDate ? vnEndOfDay(proposedDueDate).getTime() : Date.parse(proposedDueAt!);
        if (Number.isNaN(proposed) || proposed <= Date.parse(state.dueAt!)) {
          reject(FailureType.Invalid, 'The proposed deadline must be later than the one in force.');
        }
        if ((state.extensions ?? []).some((x) => x.decision === null)) {
          reject(FailureType.Conflict, 'An extension request is already awaiting a decision.');
        }
      },
    },
  );

  setHandler(
    decideExtensionUpdate,
    async ({ actor, requestId, approve, note }) => {
      const request = (state.extensions ?? []).find((x) => x.id === requestId)!;
      request.decision = { approved: approve, by: actor.userId, at: now(), note };
      refresh();
      await record('extension_decided', { requestId, approved: approve, note }, actor.userId);
      if (!approve) return state;

      const oldFinal = (state.deadlines ?? []).find((d) => d.kind === 'final');
      const isDate = !request.proposedDueAt.includes('T');
      const plan = await planSchedule({
        issuedAt: state.issuedAt,
        from: now(),
        dueAt: isDate ? null : request.proposedDueAt,
        dueDate: isDate ? request.proposedDueAt : null,
        regime: state.regime ?? { kind: 'none' },
        policy: state.policy ?? DEFAULT_POLICY,
      });
      const passed = (state.deadlines ?? []).filter((d) => d.kind === 'report' && Date.parse(d.dueAt) <= Date.now());
      const keep = new Set(passed.map((d) => d.key));
      state.deadlines = [...passed, ...plan.deadlines.filter((d) => !keep.has(d.key))];
      state.dueAt = plan.finalDueAt;
      state.plannedAt = now();
      refresh();
      await record('replanned', { reason: 'extension', requestId, dueAt: state.dueAt, deadlines: state.deadlines }, actor.userId);
      if (oldFinal) {
        await resolveEscalations((e) => e.deadlineKey === 'final' && e.dueAt === oldFinal.dueAt, 'extended', actor.userId);
      }
      return state;
    },
    {
      validator: ({ actor, requestId }) => {
        requireOpen();
        requireRole(actor, DECIDER_ROLES, 'decide an extension');
        const request = (state.extensions ?? []).find((x) => x.id === requestId);
        if (!request) reject(FailureType.NotFound, `No extension request "${requestId}".`);
        if (request!.decision !== null) reject(FailureType.Conflict, 'This extension request has already been decided.');
      },
    },
  );

  setHandler(
    submitCompletionUpdate,
    async ({ actor, summary }) => {
      state.completion = { submittedAt: now(), by: actor.userId, summary };
      state.status = 'completion_submitted';
      refresh();
      await record('completion_submitted', { summary }, actor.userId);
      await resolveEscalations((e) => e.deadlineKey === 'final', 'completion_submitted', actor.userId);
      return state;
    },
    {
      validator: ({ actor, summary }) => {
        requireOpen();
        requireLead(actor, 'submit completion');
        if (state.status === 'completion_submitted') reject(FailureType.Conflict, 'Completion is already under review.');
        if (!summary.trim()) reject(FailureType.Invalid, 'A completion report needs a summary.');
      },
    },
  );

  setHandler(
    reviewCompletionUpdate,
    async ({ actor, accept, note }) => {
      const at = now();
      state.reviews = [...(state.reviews ?? []), { at, by: actor.userId, accepted: accept, note }];
      if (accept) {
        state.status = 'completed';
        // Timeliness counts the lead's accepted submission against the deadline in force.
        state.completedAt = state.completion!.submittedAt;
      } else {
        state.status = 'in_progress';
        state.completion = null;
      }
      refresh();
      await record('completion_reviewed', { accepted: accept, note }, actor.userId);
      if (accept) await resolveEscalations(() => true, 'completed', actor.userId);
      return state;
    },
    {
      validator: ({ actor, accept, note }) => {
        requireRole(actor, DECIDER_ROLES, 'review completion');
        if (state.status !== 'completion_submitted') reject(FailureType.InvalidState, 'No completion is awaiting review.');
        if (!accept && !note.trim()) reject(FailureType.Invalid, 'A rejected completion needs the reviewer’s note.');
      },
    },
  );

  setHandler(
    reassignUpdate,
    async ({ actor, leadAgencyId, coordinatingAgencyIds, reason }) => {
      const before = { leadAgencyId: state.leadAgencyId, coordinatingAgencyIds: state.coordinatingAgencyIds };
      state.leadAgencyId = leadAgencyId;
      state.coordinatingAgencyIds = [...new Set(coordinatingAgencyIds)];
      refresh();
      await record('reassigned', { before, after: { leadAgencyId, coordinatingAgencyIds }, reason }, actor.userId);
      await resolveEscalations((e) => !assigned(e.agencyId), 'reassigned', actor.userId);
      return state;
    },
    {
      validator: ({ actor, leadAgencyId, coordinatingAgencyIds, reason }) => {
        requireOpen();
        requireRole(actor, LEADER_ROLES, 'reassign a directive');
        if (!leadAgencyId) reject(FailureType.Invalid, 'A directive needs exactly one lead agency.');
        if (coordinatingAgencyIds.includes(leadAgencyId)) reject(FailureType.Invalid, 'The lead agency cannot also coordinate.');
        if (!reason.trim()) reject(FailureType.Invalid, 'A reassignment needs a reason.');
      },
    },
  );

  setHandler(
    cancelUpdate,
    async ({ actor, reason }) => {
      state.cancellation = { at: now(), by: actor.userId, reason };
      state.status = 'cancelled';
      refresh();
      await record('cancelled', { reason }, actor.userId);
      await resolveEscalations(() => true, 'cancelled', actor.userId);
      return state;
    },
    {
      validator: ({ actor, reason }) => {
        requireOpen();
        requireRole(actor, LEADER_ROLES, 'cancel a directive');
        if (!reason.trim()) reject(FailureType.Invalid, 'A cancellation needs a reason.');
      },
    },
  );

  const findEscalation = (r: { deadlineKey: string; dueAt: string; agencyId: string; level: number }) =>
    (state.escalations ?? []).find(
      (e) => e.deadlineKey === r.deadlineKey && e.dueAt === r.dueAt && e.agencyId === r.agencyId && e.level === r.level,
    );

  setHandler(
    acknowledgeEscalationUpdate,
    async ({ actor, escalation: ref }) => {
      const e = findEscalation(ref)!;
      if (e.acknowledgedAt) return state;
      e.acknowledgedAt = now();
      e.acknowledgedBy = actor.userId;
      refresh();
      await record('escalation_acknowledged', { escalation: e }, actor.userId);
      return state;
    },
    {
      // The API checks that the rung is in the caller's inbox; the workflow checks that it is still open.
      validator: ({ escalation: ref }) => {
        const e = findEscalation(ref);
        if (!e) reject(FailureType.NotFound, 'No such escalation on this directive.');
        if (e!.resolvedAt !== null) reject(FailureType.InvalidState, `The escalation was already resolved (${e!.resolution}).`);
      },
    },
  );

  // --- issue ------------------------------------------------------------------------------------------------
  if (!input.resume) {
    state.regime = input.regime ?? { kind: 'none' };
    state.policy = input.policy ?? DEFAULT_POLICY;
    const plan = await planSchedule({
      issuedAt: state.issuedAt,
      from: state.issuedAt,
      dueAt: input.dueAt,
      dueDate: input.dueDate ?? null,
      regime: state.regime,
      policy: state.policy,
    });
    state.deadlines = plan.deadlines;
    state.dueAt = plan.finalDueAt;
    state.plannedAt = now();
    state.fired = [];
    state.escalations = [];
    planned = true;
    refresh();
    await record(
      'issued',
      {
        leadAgencyId: state.leadAgencyId,
        coordinatingAgencyIds: state.coordinatingAgencyIds,
        dueAt: state.dueAt,
        regime: state.regime,
        deadlines: state.deadlines,
      },
      state.issuedBy,
    );
  } else {
    refresh();
  }

  // --- timers: one durable wait for the earliest pending instant; any message re-evaluates -----------------
  const currentDeadline = (d: PlannedDeadline) => (state.deadlines ?? []).find((x) => x.key === d.key);

  const fire = async (item: TimerItem) => {
    state.fired = [...(state.fired ?? []), item.id];
    const d = item.deadline;
    if (item.kind === 'reminder') {
      await record('reminder_due', { deadlineKey: d.key, label: d.label, dueAt: d.dueAt, agencyId: item.agencyId, reminder: item.index }, null);
    } else if (item.kind === 'due') {
      const missing = ownersOf(state, d).filter((a) => !isSatisfied(state, d, a));
      refresh();
      await record(d.kind === 'final' ? 'overdue' : 'deadline_missed', { deadlineKey: d.key, label: d.label, dueAt: d.dueAt, missing }, null);
    } else {
      const target = await resolveEscalationTarget({ agencyId: item.agencyId, level: item.level, issuedBy: state.issuedBy });
      // The missing report may have arrived while the target was being resolved.
      if (isClosed(state.status) || isSatisfied(state, d, item.agencyId) || stampOf(d) !== stampOf(currentDeadline(d) ?? d)) return;
      const escalation: Escalation = {
        deadlineKey: d.key,
        dueAt: d.dueAt,
        agencyId: item.agencyId,
        level: item.level,
        openedAt: now(),
        target,
        resolvedAt: null,
        resolution: null,
      };
      state.escalations = [...(state.escalations ?? []), escalation];
      refresh();
      await record('escalated', { escalation, label: d.label }, null);
    }
  };
  // A standing directive is planned a year at a time; the next year is planned when the last period falls due.
  let horizonExhausted = false;
  const needsNextYear = () =>
    !horizonExhausted &&
    state.dueAt === null &&
    (state.regime?.kind ?? 'none') !== 'none' &&
    state.regime?.kind !== 'explicit' &&
    !(state.deadlines ?? []).some((d) => Date.parse(d.dueAt) > Date.now());
  const planNextYear = async () => {
    const last = (state.deadlines ?? []).map((d) => d.dueAt).sort().at(-1) ?? now();
    const plan = await planSchedule({
      issuedAt: last,
      from: last,
      dueAt: null,
      dueDate: null,
      regime: state.regime!,
      policy: state.policy ?? DEFAULT_POLICY,
    });
    if (plan.deadlines.length === 0) {
      horizonExhausted = true;
      return;
    }
    state.deadlines = [...(state.deadlines ?? []), ...plan.deadlines];
    refresh();
    await record('replanned', { reason: 'next_year', deadlines: plan.deadlines }, null);
  };

  while (isOpen()) {
    if (workflowInfo().continueAsNewSuggested) {
      // Carry everything, after every in-flight message has finished, so nothing is lost or half-done.
      await condition(allHandlersFinished);
      await continueAsNew<typeof directiveWorkflow>({ ...input, resume: state });
    }
    if (needsNextYear()) await planNextYear();
    const [next] = pendingTimers(state);
    dirty = false;
    if (!next) {
      await condition(() => dirty || !isOpen());
      continue;
    }
    const wait = next.at - Date.now();
    if (wait > 0) {
      const woke = await condition(() => dirty || !isOpen(), wait);
      if (woke) continue;
    }
    await fire(next);
  }

  await condition(allHandlersFinished);
  return state;
}
