/**
 * Who may do what, and what a validator checks before anything else: shared by the validators of every area
 * (updates.ts, subtasks.ts, explanations.ts, attachments.ts). Each refusal is a typed ApplicationFailure.
 */
import type { PlannedDeadline } from '../domain/deadlines.js';
import type { Actor, DirectiveState } from '../domain/directive.js';
import { FailureType } from '../domain/failures.js';
import { BEFORE_ISSUE_MESSAGE, HORIZON_MESSAGE, HORIZON_YEARS, instantProblem } from '../domain/horizon.js';
import { TEXT_LIMITS, tooLongMessage, type TextKind } from '../domain/limits.js';
import type { Role } from '../domain/lists.js';
import { isClosed } from '../domain/timeliness.js';
import { reject } from './errors.js';
import { isAssigned } from './lifecycle.js';

/** An instant given now is within the horizon and not before the directive's issue (domain/horizon.ts). */
export function requireWithinHorizon(s: DirectiveState, ms: number, nowMs: number): void {
  const problem = instantProblem(ms, nowMs, Date.parse(s.issuedAt));
  if (problem === HORIZON_MESSAGE) reject(FailureType.Invalid, `A deadline may lie at most ${HORIZON_YEARS} years ahead.`);
  if (problem === BEFORE_ISSUE_MESSAGE) reject(FailureType.Invalid, 'A deadline cannot lie before the directive was issued.');
  if (problem) reject(FailureType.Invalid, 'The deadline is not a date.');
}

export const requireOpen = (s: DirectiveState) => {
  if (isClosed(s.status)) reject(FailureType.InvalidState, `The directive is ${s.status}; nothing more can be done.`);
};
export const requireAssigned = (s: DirectiveState, actor: Actor) => {
  if (!isAssigned(s, actor.agencyId)) reject(FailureType.Forbidden, 'Your agency is not assigned to this directive.');
};
export const requireLead = (s: DirectiveState, actor: Actor, what: string) => {
  if (actor.agencyId !== s.leadAgencyId) {
    reject(
      FailureType.Forbidden,
      isAssigned(s, actor.agencyId) ? `Only the lead agency may ${what}; coordinating agencies report their part.` : `Only the lead agency may ${what}.`,
    );
  }
};
/** The same bounds as every door's (domain/limits.ts): no text a validator accepts grows the state without end. */
export const requireBounded = (text: string | null | undefined, kind: TextKind) => {
  if (typeof text === 'string' && text.length > TEXT_LIMITS[kind]) reject(FailureType.Invalid, tooLongMessage(TEXT_LIMITS[kind]));
};
export const requireRole = (actor: Actor, roles: readonly Role[], what: string) => {
  if (!roles.includes(actor.role)) reject(FailureType.Forbidden, `Only ${roles.join(' or ')} may ${what}.`);
};
export const reportDeadline = (s: DirectiveState, key: string): PlannedDeadline | undefined =>
  (s.deadlines ?? []).find((d) => d.kind === 'report' && d.key === key);
