/**
 * What each Update may do and what it does, as plain functions over the directive's state (the pattern of
 * temporalio/samples-typescript's safe-message-handlers). Validators throw a typed ApplicationFailure before
 * anything reaches history; effects change the state and return the event to record. The workflow
 * (directive.ts) only wires them to its handlers, its recorder and its activities, in the order that keeps
 * replay deterministic; these functions issue no command, so tests run them without a server.
 */
import type { Plan, PlanInput, PlannedDeadline } from '../domain/deadlines.js';
import { DEFAULT_POLICY } from '../domain/deadlines.js';
import type { DirectiveState, Escalation, EscalationRef, ExtensionRequest, Report } from '../domain/directive.js';
import { FailureType } from '../domain/failures.js';
import { MAY } from '../domain/policy.js';
import { vnEndOfDay } from '../domain/vn-time.js';
import { reject } from './errors.js';
import { reportDeadline, requireAssigned, requireBounded, requireLead, requireOpen, requireRole, requireWithinHorizon } from './guards.js';
import { isAssigned, isSatisfied, openEscalations } from './lifecycle.js';
import { notePlannedUntil } from './plans.js';
import { openSubtasksOf } from './subtasks.js';
import type {
  AcknowledgeArgs,
  AcknowledgeEscalationArgs,
  CancelArgs,
  DecideExtensionArgs,
  ReassignArgs,
  ReplanArgs,
  TransferArgs,
  RequestExtensionArgs,
  ReviewCompletionArgs,
  SubmitCompletionArgs,
  SubmitReportArgs,
} from './messages.js';
import type { Recorded } from './types.js';

// The areas split from the core lifecycle, read by the workflow and the tests through this one module.
export * from './attachments.js';
export * from './explanations.js';
export * from './subtasks.js';
export { isAssigned };

const findExtension = (s: DirectiveState, id: string): ExtensionRequest | undefined => (s.extensions ?? []).find((x) => x.id === id);
const findEscalation = (s: DirectiveState, r: EscalationRef): Escalation | undefined =>
  (s.escalations ?? []).find((e) => e.deadlineKey === r.deadlineKey && e.dueAt === r.dueAt && e.agencyId === r.agencyId && e.level === r.level);
// --- validators: run before the Update is accepted; they only read the state --------------------------------

/** A reorganisation is the system's: it names itself, both agencies and its reason; a closed directive has nothing to move. */
export function validateTransfer(s: DirectiveState, { changeId, fromAgencyId, toAgencyId, reason }: TransferArgs): void {
  requireOpen(s);
  if (typeof changeId !== 'string' || changeId.length === 0 || changeId.length > 200) reject(FailureType.Invalid, 'A transfer names its reorganisation.');
  if (!fromAgencyId || !toAgencyId || fromAgencyId === toAgencyId) reject(FailureType.Invalid, 'A transfer moves work from one agency to another.');
  if (typeof reason !== 'string' || !reason.trim()) reject(FailureType.Invalid, 'A transfer needs a reason.');
}

/** A calendar change is the system's, not a person's: it names itself and its cause, and a closed directive has nothing to move. */
export function validateReplan(s: DirectiveState, { changeId, cause }: ReplanArgs): void {
  requireOpen(s);
  if (typeof changeId !== 'string' || changeId.length === 0 || changeId.length > 200) reject(FailureType.Invalid, 'A re-plan names its calendar change.');
  if (typeof cause !== 'string' || cause.length === 0 || cause.length > 500) reject(FailureType.Invalid, 'A re-plan says what changed in the calendar.');
}

export function validateAcknowledge(s: DirectiveState, { actor }: AcknowledgeArgs): void {
  requireOpen(s);
  requireAssigned(s, actor);
  if ((s.acknowledgements ?? []).some((a) => a.agencyId === actor.agencyId)) {
    reject(FailureType.Conflict, 'Your agency has already acknowledged this directive.');
  }
}

/** Before the plan exists (the first moments of a run) the period cannot be checked yet; the effect checks it. */
export function validateSubmitReport(s: DirectiveState, { actor, deadlineKey, summary }: SubmitReportArgs, planned: boolean): void {
  requireOpen(s);
  requireAssigned(s, actor);
  if (!summary.trim()) reject(FailureType.Invalid, 'A report needs a summary.');
  requireBounded(summary, 'summary');
  requireBounded(deadlineKey, 'key');
  if (planned && !reportDeadline(s, deadlineKey)) reject(FailureType.NotFound, `No reporting period "${deadlineKey}" for this directive.`);
}

export function validateRequestExtension(s: DirectiveState, args: RequestExtensionArgs, nowMs: number): void {
  const { actor, proposedDueAt, proposedDueDate, reason } = args;
  requireOpen(s);
  requireLead(s, actor, 'ask for an extension');
  if (s.status === 'completion_submitted') reject(FailureType.InvalidState, 'Completion is under review.');
  if (s.dueAt === null) reject(FailureType.InvalidState, 'A standing directive has no deadline to extend.');
  if (!reason.trim()) reject(FailureType.Invalid, 'An extension request needs a reason.');
  requireBounded(reason, 'reason');
  if (!proposedDueAt === !proposedDueDate) reject(FailureType.Invalid, 'Give the proposed deadline as a date or an instant.');
  const proposed = proposedDueDate ? vnEndOfDay(proposedDueDate).getTime() : Date.parse(proposedDueAt!);
  if (Number.isNaN(proposed) || proposed <= Date.parse(s.dueAt!)) {
    reject(FailureType.Invalid, 'The proposed deadline must be later than the one in force.');
  }
  requireWithinHorizon(s, proposed, nowMs);
  if ((s.extensions ?? []).some((x) => x.decision === null)) reject(FailureType.Conflict, 'An extension request is already awaiting a decision.');
}

export function validateDecideExtension(s: DirectiveState, { actor, requestId, note }: DecideExtensionArgs): void {
  requireOpen(s);
  requireRole(actor, MAY.decide, 'decide an extension');
  requireBounded(note, 'note');
  const request = findExtension(s, requestId);
  if (!request) return reject(FailureType.NotFound, `No extension request "${requestId}".`);
  if (request.decision !== null) reject(FailureType.Conflict, 'This extension request has already been decided.');
}

export function validateSubmitCompletion(s: DirectiveState, { actor, summary, closeOpenSubtasks }: SubmitCompletionArgs): void {
  requireOpen(s);
  requireLead(s, actor, 'submit completion');
  if (s.status === 'completion_submitted') reject(FailureType.Conflict, 'Completion is already under review.');
  if (!summary.trim()) reject(FailureType.Invalid, 'A completion report needs a summary.');
  requireBounded(summary, 'summary');
  requireBounded(closeOpenSubtasks?.note, 'reason');
  if (openSubtasksOf(s).length > 0 && !closeOpenSubtasks?.note.trim()) {
    reject(FailureType.Conflict, 'Sub-tasks are still open: confirm that they close with this directive, with a note.');
  }
}

export function validateReviewCompletion(s: DirectiveState, { actor, accept, note }: ReviewCompletionArgs): void {
  requireRole(actor, MAY.decide, 'review completion');
  if (s.status !== 'completion_submitted') reject(FailureType.InvalidState, 'No completion is awaiting review.');
  if (!accept && !note.trim()) reject(FailureType.Invalid, 'A rejected completion needs the reviewer’s note.');
  requireBounded(note, 'note');
}

export function validateReassign(s: DirectiveState, { actor, leadAgencyId, coordinatingAgencyIds, reason }: ReassignArgs): void {
  requireOpen(s);
  requireRole(actor, MAY.reassign, 'reassign a directive');
  if (!leadAgencyId) reject(FailureType.Invalid, 'A directive needs exactly one lead agency.');
  if (coordinatingAgencyIds.includes(leadAgencyId)) reject(FailureType.Invalid, 'The lead agency cannot also coordinate.');
  if (!reason.trim()) reject(FailureType.Invalid, 'A reassignment needs a reason.');
  requireBounded(reason, 'reason');
}

export function validateCancel(s: DirectiveState, { actor, reason }: CancelArgs): void {
  requireOpen(s);
  requireRole(actor, MAY.cancel, 'cancel a directive');
  if (!reason.trim()) reject(FailureType.Invalid, 'A cancellation needs a reason.');
  requireBounded(reason, 'reason');
}

/** The application layer checks that the rung is in the caller's inbox; the workflow that it is still open. */
export function validateAcknowledgeEscalation(s: DirectiveState, { escalation: ref }: AcknowledgeEscalationArgs): void {
  const e = findEscalation(s, ref);
  if (!e) return reject(FailureType.NotFound, 'No such escalation on this directive.');
  if (e.resolvedAt !== null) reject(FailureType.InvalidState, `The escalation was already resolved (${e.resolution}).`);
}

// --- effects: change the state and name the event; `at` is the workflow's clock --------------------------------

export function acknowledge(s: DirectiveState, { actor }: AcknowledgeArgs, at: string): Recorded {
  const agencyId = actor.agencyId!;
  s.acknowledgements = [...(s.acknowledgements ?? []), { agencyId, at, by: actor.userId }];
  if (agencyId === s.leadAgencyId && s.status === 'issued') s.status = 'in_progress';
  return { event: { type: 'acknowledged', data: { agencyId } }, actorId: actor.userId };
}

/** Runs once the plan exists, so an unknown period or a second report is refused here too. */
export function submitReport(s: DirectiveState, { actor, deadlineKey, summary }: SubmitReportArgs, at: string): Recorded {
  const deadline = reportDeadline(s, deadlineKey);
  if (!deadline) return reject(FailureType.NotFound, `No reporting period "${deadlineKey}" for this directive.`);
  const agencyId = actor.agencyId!;
  if (isSatisfied(s, deadline, agencyId)) return reject(FailureType.Conflict, 'Your agency has already reported for this period.');
  const report: Report = { deadlineKey, agencyId, at, summary, late: Date.parse(at) > Date.parse(deadline.dueAt), by: actor.userId };
  s.reports = [...(s.reports ?? []), report];
  if (agencyId === s.leadAgencyId && s.status === 'issued') s.status = 'in_progress';
  return { event: { type: 'report_submitted', data: { report } }, actorId: actor.userId };
}

/** The escalations a report clears: that period's, for that agency. */
export const clearedByReport = (deadlineKey: string, agencyId: string) => (e: Escalation) => e.deadlineKey === deadlineKey && e.agencyId === agencyId;

export function requestExtension(s: DirectiveState, args: RequestExtensionArgs, at: string): Recorded {
  const proposed = args.proposedDueDate ? { proposedDueDate: args.proposedDueDate, proposedDueAt: null } : { proposedDueDate: null, proposedDueAt: args.proposedDueAt! };
  const request: ExtensionRequest = {
    id: `x${(s.extensions ?? []).length + 1}`,
    requestedAt: at,
    requestedBy: args.actor.userId,
    ...proposed,
    reason: args.reason,
    decision: null,
  };
  s.extensions = [...(s.extensions ?? []), request];
  return { event: { type: 'extension_requested', data: { request } }, actorId: args.actor.userId };
}

export function decideExtension(s: DirectiveState, { actor, requestId, approve, note }: DecideExtensionArgs, at: string): Recorded {
  const request = findExtension(s, requestId)!;
  request.decision = { approved: approve, by: actor.userId, at, note };
  return { event: { type: 'extension_decided', data: { requestId, approved: approve, note } }, actorId: actor.userId };
}

/** The plan of an approved extension: from now on, to the proposed deadline. */
export function extensionPlanInput(s: DirectiveState, requestId: string, at: string): PlanInput {
  const request = findExtension(s, requestId)!;
  return {
    issuedAt: s.issuedAt,
    from: at,
    dueAt: request.proposedDueAt,
    dueDate: request.proposedDueDate,
    regime: s.regime ?? { kind: 'none' },
    policy: s.policy ?? DEFAULT_POLICY,
  };
}

export const finalDeadlineOf = (s: DirectiveState): PlannedDeadline | undefined => (s.deadlines ?? []).find((d) => d.kind === 'final');

/** Report periods already due stay as they were; everything later follows the new plan. */
export function applyExtensionPlan(s: DirectiveState, requestId: string, plan: Plan, at: string, nowMs: number, actorId: string): Recorded {
  const passed = (s.deadlines ?? []).filter((d) => d.kind === 'report' && Date.parse(d.dueAt) <= nowMs);
  const keep = new Set(passed.map((d) => d.key));
  s.deadlines = [...passed, ...plan.deadlines.filter((d) => !keep.has(d.key))];
  notePlannedUntil(s, plan);
  s.dueAt = plan.finalDueAt;
  s.dueDate = findExtension(s, requestId)!.proposedDueDate;
  s.plannedAt = at;
  return { event: { type: 'replanned', data: { reason: 'extension', requestId, dueAt: s.dueAt, deadlines: s.deadlines } }, actorId };
}

export function submitCompletion(s: DirectiveState, { actor, summary, closeOpenSubtasks }: SubmitCompletionArgs, at: string): Recorded {
  // The confirmation is kept only when sub-tasks are open: then they close, with its note, when this completes.
  const close = openSubtasksOf(s).length > 0 && closeOpenSubtasks ? { closeOpenSubtasks: { note: closeOpenSubtasks.note } } : {};
  s.completion = { submittedAt: at, by: actor.userId, summary, ...close };
  s.status = 'completion_submitted';
  return { event: { type: 'completion_submitted', data: { summary, ...close } }, actorId: actor.userId };
}

export function reviewCompletion(s: DirectiveState, { actor, accept, note }: ReviewCompletionArgs, at: string): Recorded {
  s.reviews = [...(s.reviews ?? []), { at, by: actor.userId, accepted: accept, note }];
  if (accept) {
    s.status = 'completed';
    // Timeliness counts the lead's accepted submission against the deadline in force.
    s.completedAt = s.completion!.submittedAt;
  } else {
    s.status = 'in_progress';
    s.completion = null;
  }
  return { event: { type: 'completion_reviewed', data: { accepted: accept, note } }, actorId: actor.userId };
}

export function reassign(s: DirectiveState, { actor, leadAgencyId, coordinatingAgencyIds, reason }: ReassignArgs): Recorded {
  const before = { leadAgencyId: s.leadAgencyId, coordinatingAgencyIds: s.coordinatingAgencyIds };
  s.leadAgencyId = leadAgencyId;
  s.coordinatingAgencyIds = [...new Set(coordinatingAgencyIds)];
  return { event: { type: 'reassigned', data: { before, after: { leadAgencyId, coordinatingAgencyIds }, reason } }, actorId: actor.userId };
}

/**
 * The predecessor's place goes to its successor: lead or coordinating (once, if the successor already had a
 * place), its acknowledgement and reports (so a period it reported is not missed again), and the marks of the
 * reminders and rungs already sent for it, so its ladder goes on at the next rung for the successor and nobody
 * is reminded twice. The history keeps the predecessor for everything before (the events are not rewritten).
 * Null when the predecessor has no place in the directive.
 */
export function transfer(s: DirectiveState, { changeId, fromAgencyId: from, toAgencyId: to, reason }: TransferArgs): Recorded | null {
  if (!isAssigned(s, from)) return null;
  const before = { leadAgencyId: s.leadAgencyId, coordinatingAgencyIds: s.coordinatingAgencyIds };
  const swap = (id: string) => (id === from ? to : id);
  s.leadAgencyId = swap(s.leadAgencyId);
  s.coordinatingAgencyIds = [...new Set(s.coordinatingAgencyIds.map(swap))].filter((id) => id !== s.leadAgencyId);
  s.acknowledgements = (s.acknowledgements ?? []).map((a) => (a.agencyId === from ? { ...a, agencyId: to } : a));
  s.reports = (s.reports ?? []).map((r) => (r.agencyId === from ? { ...r, agencyId: to } : r));
  if (s.explanations) s.explanations = s.explanations.map((x) => (x.agencyId === from ? { ...x, agencyId: to } : x));
  const marks = new Set(s.fired ?? []);
  for (const mark of s.fired ?? []) {
    const parts = mark.split('|');
    if (parts.length === 3 && parts[1] === from) marks.add(`${parts[0]}|${to}|${parts[2]}`);
  }
  s.fired = [...marks];
  const after = { leadAgencyId: s.leadAgencyId, coordinatingAgencyIds: s.coordinatingAgencyIds };
  return { event: { type: 'reassigned', data: { before, after, reason, transfer: { changeId, fromAgencyId: from, toAgencyId: to } } }, actorId: null };
}

export function cancel(s: DirectiveState, { actor, reason }: CancelArgs, at: string): Recorded {
  s.cancellation = { at, by: actor.userId, reason };
  s.status = 'cancelled';
  return { event: { type: 'cancelled', data: { reason } }, actorId: actor.userId };
}

/** Acknowledging twice changes nothing and records nothing. */
export function acknowledgeEscalation(s: DirectiveState, { actor, escalation: ref }: AcknowledgeEscalationArgs, at: string): Recorded | null {
  const e = findEscalation(s, ref)!;
  if (e.acknowledgedAt) return null;
  e.acknowledgedAt = at;
  e.acknowledgedBy = actor.userId;
  return { event: { type: 'escalation_acknowledged', data: { escalation: e } }, actorId: actor.userId };
}

/** Closes the open escalations that `match`; nothing to record when none does. */
export function resolveEscalations(s: DirectiveState, match: (e: Escalation) => boolean, resolution: string, at: string, actorId: string | null): Recorded | null {
  const resolved = openEscalations(s).filter(match);
  for (const e of resolved) {
    e.resolvedAt = at;
    e.resolution = resolution;
  }
  return resolved.length > 0 ? { event: { type: 'escalation_resolved', data: { escalations: resolved, resolution } }, actorId } : null;
}
