/**
 * Explanation requests ("yêu cầu giải trình"): a leader or supervisor asks an agency to explain an overdue item by
 * a date; the answer has its own reminders and ladder; the leader closes it. Validators and effects as in updates.ts.
 */
import type { Plan, PlanInput, PlannedDeadline } from '../domain/deadlines.js';
import { DEFAULT_POLICY } from '../domain/deadlines.js';
import type { Actor, DirectiveState, Escalation, ExplanationRequest } from '../domain/directive.js';
import { FailureType } from '../domain/failures.js';
import { MAY } from '../domain/policy.js';
import { vnEndOfDay } from '../domain/vn-time.js';
import { reject } from './errors.js';
import { requireBounded, requireOpen, requireRole, requireWithinHorizon } from './guards.js';
import { explanationOf, isSatisfied, ownersOf } from './lifecycle.js';
import type { AnswerExplanationArgs, CloseExplanationArgs, RequestExplanationArgs } from './messages.js';
import type { Recorded } from './types.js';

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
  requireBounded(a.question, 'question');
  requireBounded(a.deadlineKey, 'key');
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
export function requireAnswerable(s: DirectiveState, actor: Actor, requestId: string): ExplanationRequest {
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
  requireBounded(text, 'summary');
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
  requireBounded(note, 'note');
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
