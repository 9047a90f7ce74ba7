/**
 * What each Update may do and what it does, as plain functions over the directive's state (the pattern of
 * temporalio/samples-typescript's safe-message-handlers). Validators throw a typed ApplicationFailure before
 * anything reaches history; effects change the state and return the event to record. The workflow
 * (directive.ts) only wires them to its handlers, its recorder and its activities, in the order that keeps
 * replay deterministic; these functions issue no command, so tests run them without a server.
 */
import type { Plan, PlanInput, PlannedDeadline } from '../domain/deadlines.js';
import { DEFAULT_POLICY } from '../domain/deadlines.js';
import type { Actor, DirectiveState, Escalation, EscalationRef, ExplanationRequest, ExtensionRequest, Report, Subtask } from '../domain/directive.js';
import { FailureType } from '../domain/failures.js';
import type { Role } from '../domain/lists.js';
import { MAY } from '../domain/policy.js';
import { isClosed } from '../domain/timeliness.js';
import { BEFORE_ISSUE_MESSAGE, HORIZON_MESSAGE, HORIZON_YEARS, instantProblem } from '../domain/horizon.js';
import { vnEndOfDay } from '../domain/vn-time.js';
import { reject } from './errors.js';
import { explanationOf, isAssigned, isSatisfied, openEscalations, ownersOf } from './lifecycle.js';
import { notePlannedUntil } from './plans.js';
import type {
  AcknowledgeArgs,
  AcknowledgeEscalationArgs,
  AnswerExplanationArgs,
  AttachArgs,
  CloseExplanationArgs,
  RequestExplanationArgs,
  CancelArgs,
  DecideExtensionArgs,
  DelegateArgs,
  NewSubtask,
  ParentClosedArgs,
  SubtaskClosedArgs,
  ReassignArgs,
  ReplanArgs,
  TransferArgs,
  RequestExtensionArgs,
  ReviewCompletionArgs,
  SubmitCompletionArgs,
  SubmitReportArgs,
} from './messages.js';
import type { DirectiveInput, Recorded } from './types.js';


// --- sub-tasks ("chuyển tiếp tới các cấp trực thuộc") --------------------------------------------------------

/** An instant given now is within the horizon and not before the directive's issue (domain/horizon.ts). */
function requireWithinHorizon(s: DirectiveState, ms: number, nowMs: number): void {
  const problem = instantProblem(ms, nowMs, Date.parse(s.issuedAt));
  if (problem === HORIZON_MESSAGE) reject(FailureType.Invalid, `A deadline may lie at most ${HORIZON_YEARS} years ahead.`);
  if (problem === BEFORE_ISSUE_MESSAGE) reject(FailureType.Invalid, 'A deadline cannot lie before the directive was issued.');
  if (problem) reject(FailureType.Invalid, 'The deadline is not a date.');
}

/** A sub-task's due instant in ms: as given, or its day's end (24:00 Vietnam time); NaN if unreadable, null for a standing one. */
const subtaskDueMs = (t: NewSubtask): number | null => (t.dueAt ? Date.parse(t.dueAt) : t.dueDate ? vnEndOfDay(t.dueDate).getTime() : null);

export const openSubtasksOf = (s: DirectiveState): Subtask[] => (s.subtasks ?? []).filter((t) => !t.closed);

export function validateDelegate(s: DirectiveState, { actor, subtasks }: DelegateArgs, nowMs: number): void {
  requireOpen(s);
  requireLead(s, actor, 'split a directive into sub-tasks');
  if (s.parent) reject(FailureType.Invalid, 'A sub-task is not split further.');
  if (!Array.isArray(subtasks) || subtasks.length === 0 || subtasks.length > 50) reject(FailureType.Invalid, 'Give between 1 and 50 sub-tasks.');
  const known = new Set((s.subtasks ?? []).map((t) => t.directiveId));
  const finalMs = s.dueAt ? Date.parse(s.dueAt) : null;
  for (const t of subtasks) {
    if (!t.directiveId || known.has(t.directiveId) || t.directiveId === s.directiveId) reject(FailureType.Conflict, 'A sub-task with this id exists already.');
    known.add(t.directiveId);
    if (!t.title.trim()) reject(FailureType.Invalid, 'A sub-task needs a title.');
    if (t.assigneeId ? t.leadAgencyId !== s.leadAgencyId : t.leadAgencyId === s.leadAgencyId) {
      reject(FailureType.Invalid, 'A sub-task goes to a sub-unit of the lead agency or to a named officer of it.');
    }
    const due = subtaskDueMs(t);
    if (due !== null) requireWithinHorizon(s, due, nowMs);
    if (finalMs !== null && (due === null || !(due <= finalMs))) reject(FailureType.Invalid, "A sub-task is due no later than its directive's final deadline.");
  }
}

export function delegate(s: DirectiveState, { actor, subtasks }: DelegateArgs): Recorded {
  const added: Subtask[] = subtasks.map((t) => ({
    directiveId: t.directiveId,
    title: t.title,
    leadAgencyId: t.leadAgencyId,
    assigneeId: t.assigneeId,
    dueAt: t.dueAt ?? (t.dueDate ? new Date(subtaskDueMs(t)!).toISOString() : null),
    closed: false,
  }));
  s.subtasks = [...(s.subtasks ?? []), ...added];
  return { event: { type: 'delegated', data: { subtasks: added } }, actorId: actor.userId };
}

/** What a sub-task starts with: the parent's conference and policy, its lead's ladder through the parent. */
export function subtaskInput(s: DirectiveState, t: NewSubtask, actor: Actor, at: string): DirectiveInput {
  return {
    directiveId: t.directiveId,
    title: t.title,
    body: t.body,
    leadAgencyId: t.leadAgencyId,
    coordinatingAgencyIds: [],
    conferenceId: s.conferenceId,
    dueAt: t.dueAt,
    dueDate: t.dueDate,
    issuedBy: actor.userId,
    issuedAt: at,
    regime: { kind: 'none' },
    ...(s.policy ? { policy: s.policy } : {}),
    parent: { directiveId: s.directiveId, leadAgencyId: s.leadAgencyId, issuedBy: s.issuedBy },
    assigneeId: t.assigneeId,
    // A confidential directive's sub-tasks are confidential too.
    ...(s.confidential ? { confidential: true } : {}),
  };
}

/** A sub-task closed: the parent no longer waits for it. Changes state only (the sub-task's own history says it). */
export function markSubtaskClosed(s: DirectiveState, { directiveId }: SubtaskClosedArgs): void {
  s.subtasks = (s.subtasks ?? []).map((t) => (t.directiveId === directiveId ? { ...t, closed: true } : t));
}

/** The parent closed while this sub-task was open: it closes as cancelled, with the parent's note. */
export function closeByParent(s: DirectiveState, { note, by, status }: ParentClosedArgs, at: string): Recorded | null {
  if (isClosed(s.status)) return null;
  const reason = status === 'completed' ? `Đóng cùng nhiệm vụ cha (đã hoàn thành): ${note}` : `Đóng cùng nhiệm vụ cha (đã hủy): ${note}`;
  s.cancellation = { at, by: by ?? 'system', reason };
  s.status = 'cancelled';
  return { event: { type: 'cancelled', data: { reason } }, actorId: by };
}

// --- attachments ------------------------------------------------------------------------------------------------

/** The source document is the issuer's side (leader, admin); a report's file an assigned agency's; the completion's the lead's. */
export function validateAttach(s: DirectiveState, { actor, attachment: a }: AttachArgs): void {
  requireOpen(s);
  if (!/^[0-9a-f]{64}$/.test(a.sha256) || !(a.size > 0) || !a.id) reject(FailureType.Invalid, 'An attachment names its id, SHA-256 and size.');
  if (a.kind === 'source') requireRole(actor, MAY.issueDirectives, 'attach the source document');
  else if (a.kind === 'completion') requireLead(s, actor, 'attach a completion document');
  else if (a.kind === 'report') {
    requireAssigned(s, actor);
    if (a.deadlineKey !== null && !reportDeadline(s, a.deadlineKey)) reject(FailureType.NotFound, `No reporting period "${a.deadlineKey}" for this directive.`);
  } else if (a.kind === 'explanation') requireAnswerable(s, actor, a.deadlineKey ?? '');
  else reject(FailureType.Invalid, 'An attachment is a source document, a report, a completion or an explanation.');
}

export function attach(s: DirectiveState, { actor, attachment }: AttachArgs): Recorded {
  return { event: { type: 'attachment_added', data: { attachment } }, actorId: actor.userId };
}

// --- explanation requests ("yêu cầu giải trình") -------------------------------------------------------------

/** At most this many requests per directive: a directive is explained, not interrogated. */
const MAX_EXPLANATIONS = 50;

/** A day's end (24:00 Vietnam time) or an instant, in ms; NaN when unreadable. */
const answerDueMs = (a: Pick<RequestExplanationArgs, 'dueDate' | 'dueAt'>): number => (a.dueDate ? vnEndOfDay(a.dueDate).getTime() : Date.parse(a.dueAt ?? ''));

/** The agency met the item, but late: a report after its period's due instant, a completion after the deadline. */
function metLate(s: DirectiveState, d: PlannedDeadline, agencyId: string): boolean {
  if (d.kind === 'final') return s.completion != null && Date.parse(s.completion.submittedAt) > Date.parse(d.dueAt);
  return (s.reports ?? []).some((r) => r.deadlineKey === d.key && r.agencyId === agencyId && r.late);
}

/**
 * A leader or supervisor asks an agency that owes an item (a report period, or the final deadline for the lead)
 * to explain it once its due instant has passed unmet or met late; one open request per agency and item.
 */
export function validateRequestExplanation(s: DirectiveState, a: RequestExplanationArgs, nowMs: number): void {
  requireOpen(s);
  requireRole(a.actor, MAY.decide, 'ask for an explanation');
  if (typeof a.question !== 'string' || !a.question.trim()) reject(FailureType.Invalid, 'An explanation request needs a question.');
  if (!a.dueDate === !a.dueAt) reject(FailureType.Invalid, "Give the answer's deadline as a date or an instant.");
  const due = answerDueMs(a);
  if (!(due > nowMs)) reject(FailureType.Invalid, 'The answer must be due later than now.');
  requireWithinHorizon(s, due, nowMs);
  const d = (s.deadlines ?? []).find((x) => x.key === a.deadlineKey);
  if (!d) return reject(FailureType.NotFound, `No deadline "${a.deadlineKey}" for this directive.`);
  if (!ownersOf(s, d).includes(a.agencyId)) reject(FailureType.Invalid, 'That agency does not owe this item.');
  if (!(Date.parse(d.dueAt) <= nowMs && (!isSatisfied(s, d, a.agencyId) || metLate(s, d, a.agencyId)))) {
    reject(FailureType.InvalidState, 'The item is not overdue for that agency.');
  }
  requireNotAskedYet(s, a);
}

/** One open request per agency and item, and a bounded number in all. */
function requireNotAskedYet(s: DirectiveState, a: Pick<RequestExplanationArgs, 'agencyId' | 'deadlineKey'>): void {
  const asked = s.explanations ?? [];
  if (asked.some((x) => x.agencyId === a.agencyId && x.deadlineKey === a.deadlineKey && x.closure === null)) {
    reject(FailureType.Conflict, 'That agency is already asked to explain this item.');
  }
  if (asked.length >= MAX_EXPLANATIONS) reject(FailureType.Invalid, `A directive holds at most ${MAX_EXPLANATIONS} explanation requests.`);
}

/** The answer's deadline as the calendar places it (a day off moves to the next working day), with its reminders and ladder. */
export function explanationPlanInput(s: DirectiveState, a: RequestExplanationArgs, at: string): PlanInput {
  return { issuedAt: at, from: at, dueAt: a.dueDate ? null : a.dueAt!, dueDate: a.dueDate ?? null, regime: { kind: 'none' }, policy: s.policy ?? DEFAULT_POLICY };
}

export function requestExplanation(s: DirectiveState, a: RequestExplanationArgs, plan: Plan, at: string): Recorded {
  // Checked again once planned: the directive may have closed, or the same request been made, meanwhile.
  requireOpen(s);
  requireNotAskedYet(s, a);
  const due = plan.deadlines.find((d) => d.kind === 'final')!;
  const item = (s.deadlines ?? []).find((d) => d.key === a.deadlineKey);
  const request: ExplanationRequest = {
    id: `gt${(s.explanations ?? []).length + 1}`,
    agencyId: a.agencyId,
    deadlineKey: a.deadlineKey,
    label: `Giải trình: ${item?.label ?? a.deadlineKey}`,
    question: a.question.trim(),
    requestedBy: a.actor.userId,
    requestedAt: at,
    dueAt: due.dueAt,
    reminders: due.reminders,
    escalations: due.escalations,
    answer: null,
    closure: null,
  };
  s.explanations = [...(s.explanations ?? []), request];
  return { event: { type: 'explanation_requested', data: { request } }, actorId: a.actor.userId };
}

/** Only the agency asked answers, once, while the request is open. */
function requireAnswerable(s: DirectiveState, actor: Actor, requestId: string): ExplanationRequest {
  const x = explanationOf(s, requestId);
  if (!x) return reject(FailureType.NotFound, `No explanation request "${requestId}".`);
  if (actor.agencyId !== x.agencyId) reject(FailureType.Forbidden, 'Only the agency asked may answer this explanation request.');
  if (x.closure !== null) reject(FailureType.InvalidState, 'This explanation request is closed.');
  if (x.answer !== null) reject(FailureType.Conflict, 'This explanation request has already been answered.');
  return x;
}

export function validateAnswerExplanation(s: DirectiveState, { actor, requestId, text, attachmentIds }: AnswerExplanationArgs): void {
  requireOpen(s);
  requireAnswerable(s, actor, requestId);
  if (typeof text !== 'string' || !text.trim()) reject(FailureType.Invalid, 'An explanation needs a text.');
  if (!Array.isArray(attachmentIds) || attachmentIds.length > 20) reject(FailureType.Invalid, 'An explanation names at most 20 attached files.');
}

export function answerExplanation(s: DirectiveState, { actor, requestId, text, attachmentIds }: AnswerExplanationArgs, at: string): Recorded {
  const x = explanationOf(s, requestId)!;
  x.answer = { at, by: actor.userId, text: text.trim(), late: Date.parse(at) > Date.parse(x.dueAt), attachmentIds: [...new Set(attachmentIds)] };
  return { event: { type: 'explanation_answered', data: { requestId, answer: x.answer } }, actorId: actor.userId };
}

export function validateCloseExplanation(s: DirectiveState, { actor, requestId, accepted, note }: CloseExplanationArgs): void {
  requireOpen(s);
  requireRole(actor, MAY.decide, 'close an explanation request');
  const x = explanationOf(s, requestId);
  if (!x) return reject(FailureType.NotFound, `No explanation request "${requestId}".`);
  if (x.closure !== null) reject(FailureType.Conflict, 'This explanation request is already closed.');
  if (accepted && x.answer === null) reject(FailureType.InvalidState, 'An explanation not yet given cannot be accepted.');
  if (!accepted && (typeof note !== 'string' || !note.trim())) reject(FailureType.Invalid, 'An explanation not accepted needs a note.');
}

export function closeExplanation(s: DirectiveState, { actor, requestId, accepted, note }: CloseExplanationArgs, at: string): Recorded {
  const x = explanationOf(s, requestId)!;
  x.closure = { at, by: actor.userId, accepted, note };
  return { event: { type: 'explanation_closed', data: { requestId, accepted, note } }, actorId: actor.userId };
}

export const openExplanationsOf = (s: DirectiveState): ExplanationRequest[] => (s.explanations ?? []).filter((x) => x.closure === null);

/**
 * A request closed by the system, unanswered or not, as not accepted: its directive closed, or the agency asked
 * is no longer assigned. `by` is whoever closed the directive or moved it, null for nobody in particular.
 */
export function withdrawExplanation(s: DirectiveState, requestId: string, note: string, at: string, by: string | null): Recorded {
  const x = explanationOf(s, requestId)!;
  x.closure = { at, by: by ?? 'system', accepted: false, note };
  return { event: { type: 'explanation_closed', data: { requestId, accepted: false, note } }, actorId: by };
}

/** The rungs of one explanation request: its answer or its closing ends them. */
export const ofExplanation = (requestId: string) => (e: Escalation) => e.deadlineKey === requestId;

// --- who may do what ------------------------------------------------------------------------------------------

const requireOpen = (s: DirectiveState) => {
  if (isClosed(s.status)) reject(FailureType.InvalidState, `The directive is ${s.status}; nothing more can be done.`);
};
export { isAssigned };
const requireAssigned = (s: DirectiveState, actor: Actor) => {
  if (!isAssigned(s, actor.agencyId)) reject(FailureType.Forbidden, 'Your agency is not assigned to this directive.');
};
const requireLead = (s: DirectiveState, actor: Actor, what: string) => {
  if (actor.agencyId !== s.leadAgencyId) {
    reject(
      FailureType.Forbidden,
      isAssigned(s, actor.agencyId) ? `Only the lead agency may ${what}; coordinating agencies report their part.` : `Only the lead agency may ${what}.`,
    );
  }
};
const requireRole = (actor: Actor, roles: readonly Role[], what: string) => {
  if (!roles.includes(actor.role)) reject(FailureType.Forbidden, `Only ${roles.join(' or ')} may ${what}.`);
};
const reportDeadline = (s: DirectiveState, key: string): PlannedDeadline | undefined =>
  (s.deadlines ?? []).find((d) => d.kind === 'report' && d.key === key);
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
  if (planned && !reportDeadline(s, deadlineKey)) reject(FailureType.NotFound, `No reporting period "${deadlineKey}" for this directive.`);
}

export function validateRequestExtension(s: DirectiveState, args: RequestExtensionArgs, nowMs: number): void {
  const { actor, proposedDueAt, proposedDueDate, reason } = args;
  requireOpen(s);
  requireLead(s, actor, 'ask for an extension');
  if (s.status === 'completion_submitted') reject(FailureType.InvalidState, 'Completion is under review.');
  if (s.dueAt === null) reject(FailureType.InvalidState, 'A standing directive has no deadline to extend.');
  if (!reason.trim()) reject(FailureType.Invalid, 'An extension request needs a reason.');
  if (!proposedDueAt === !proposedDueDate) reject(FailureType.Invalid, 'Give the proposed deadline as a date or an instant.');
  const proposed = proposedDueDate ? vnEndOfDay(proposedDueDate).getTime() : Date.parse(proposedDueAt!);
  if (Number.isNaN(proposed) || proposed <= Date.parse(s.dueAt!)) {
    reject(FailureType.Invalid, 'The proposed deadline must be later than the one in force.');
  }
  requireWithinHorizon(s, proposed, nowMs);
  if ((s.extensions ?? []).some((x) => x.decision === null)) reject(FailureType.Conflict, 'An extension request is already awaiting a decision.');
}

export function validateDecideExtension(s: DirectiveState, { actor, requestId }: DecideExtensionArgs): void {
  requireOpen(s);
  requireRole(actor, MAY.decide, 'decide an extension');
  const request = findExtension(s, requestId);
  if (!request) return reject(FailureType.NotFound, `No extension request "${requestId}".`);
  if (request.decision !== null) reject(FailureType.Conflict, 'This extension request has already been decided.');
}

export function validateSubmitCompletion(s: DirectiveState, { actor, summary, closeOpenSubtasks }: SubmitCompletionArgs): void {
  requireOpen(s);
  requireLead(s, actor, 'submit completion');
  if (s.status === 'completion_submitted') reject(FailureType.Conflict, 'Completion is already under review.');
  if (!summary.trim()) reject(FailureType.Invalid, 'A completion report needs a summary.');
  if (openSubtasksOf(s).length > 0 && !closeOpenSubtasks?.note.trim()) {
    reject(FailureType.Conflict, 'Sub-tasks are still open: confirm that they close with this directive, with a note.');
  }
}

export function validateReviewCompletion(s: DirectiveState, { actor, accept, note }: ReviewCompletionArgs): void {
  requireRole(actor, MAY.decide, 'review completion');
  if (s.status !== 'completion_submitted') reject(FailureType.InvalidState, 'No completion is awaiting review.');
  if (!accept && !note.trim()) reject(FailureType.Invalid, 'A rejected completion needs the reviewer’s note.');
}

export function validateReassign(s: DirectiveState, { actor, leadAgencyId, coordinatingAgencyIds, reason }: ReassignArgs): void {
  requireOpen(s);
  requireRole(actor, MAY.reassign, 'reassign a directive');
  if (!leadAgencyId) reject(FailureType.Invalid, 'A directive needs exactly one lead agency.');
  if (coordinatingAgencyIds.includes(leadAgencyId)) reject(FailureType.Invalid, 'The lead agency cannot also coordinate.');
  if (!reason.trim()) reject(FailureType.Invalid, 'A reassignment needs a reason.');
}

export function validateCancel(s: DirectiveState, { actor, reason }: CancelArgs): void {
  requireOpen(s);
  requireRole(actor, MAY.cancel, 'cancel a directive');
  if (!reason.trim()) reject(FailureType.Invalid, 'A cancellation needs a reason.');
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
