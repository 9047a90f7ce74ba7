import { ApplicationFailure } from '@temporalio/common';
import type { PlannedDeadline } from '../domain/deadlines.js';
import type { DirectiveState, Escalation, EscalationTarget, ExplanationRequest } from '../domain/directive.js';
import { ESCALATION_LEVELS, type EscalationLevel } from '../domain/lists.js';
import {
  missingOwners,
  nextDueOf,
  pendingTimers as enginePendingTimers,
  rungStands,
  stampOf,
  type Obligations,
  type TimerItem as EngineTimerItem,
} from '../engine/timers.js';
import { isClosed } from '../domain/timeliness.js';
import type { Recorded } from './types.js';

/**
 * A directive's obligations as the deadline engine (engine/timers.ts) reads them: who owes each deadline and
 * when it is met. The workflow acts on the items the engine returns; the effects below record them.
 */

export type TimerItem = EngineTimerItem<PlannedDeadline>;

export { stampOf };

export const isAssigned = (s: DirectiveState, agencyId: string | null): boolean =>
  agencyId !== null && (agencyId === s.leadAgencyId || s.coordinatingAgencyIds.includes(agencyId));

/** The explanation request whose timers carry this key (`gt<n>`); none for a report period or the final deadline. */
export const explanationOf = (s: DirectiveState, key: string): ExplanationRequest | undefined => (s.explanations ?? []).find((x) => x.id === key);

/** An explanation request's answer deadline, with its reminders and ladder, as the timers read a deadline. */
export const explanationDeadline = (x: ExplanationRequest): PlannedDeadline => ({
  key: x.id,
  kind: 'report',
  label: x.label,
  dueAt: x.dueAt,
  reminders: x.reminders,
  escalations: x.escalations,
});

export function ownersOf(s: DirectiveState, d: PlannedDeadline): string[] {
  const x = explanationOf(s, d.key);
  if (x) return [x.agencyId];
  return d.kind === 'final' ? [s.leadAgencyId] : [s.leadAgencyId, ...s.coordinatingAgencyIds];
}

export function isSatisfied(s: DirectiveState, d: PlannedDeadline, agencyId: string): boolean {
  // An explanation request is met by its answer; one closed unanswered, or of an agency no longer assigned, has nothing left to wait for.
  const x = explanationOf(s, d.key);
  if (x) return x.answer !== null || x.closure !== null || !isAssigned(s, x.agencyId);
  if (d.kind === 'final') return s.status === 'completion_submitted' || s.status === 'completed';
  return (s.reports ?? []).some((r) => r.deadlineKey === d.key && r.agencyId === agencyId);
}

/** The engine's view of a directive: its deadlines and open explanation requests, with its rules. */
const obligations = (s: DirectiveState): Obligations<PlannedDeadline> => ({
  ownersOf: (d) => ownersOf(s, d),
  isSatisfied: (d, agencyId) => isSatisfied(s, d, agencyId),
  fired: s.fired ?? [],
});

export function pendingTimers(s: DirectiveState): TimerItem[] {
  if (isClosed(s.status)) return [];
  const plannedAt = s.plannedAt ? Date.parse(s.plannedAt) : 0;
  // An explanation request's answer is due like a deadline, reminded from the moment it was asked.
  const asked = (s.explanations ?? []).filter((x) => x.closure === null).map((x) => ({ deadline: explanationDeadline(x), plannedAt: Date.parse(x.requestedAt) }));
  return enginePendingTimers([...(s.deadlines ?? []).map((deadline) => ({ deadline, plannedAt })), ...asked], obligations(s));
}

/** A directive's ladder has the three rungs of ESCALATION_LEVELS; its policy cannot give it another. */
function levelOf(level: number): EscalationLevel {
  const known = ESCALATION_LEVELS.find((l) => l === level);
  if (known === undefined) throw ApplicationFailure.nonRetryable(`A directive has no escalation rung ${level}`, 'directive-ladder');
  return known;
}

export const openEscalations = (s: DirectiveState): Escalation[] => (s.escalations ?? []).filter((e) => e.resolvedAt === null);

export function escalationLevelOf(s: DirectiveState): number {
  return openEscalations(s).reduce((max, e) => Math.max(max, e.level), 0);
}

/** The earliest due instant some owner has not met yet (possibly past: then the directive is behind). */
export function nextDeadlineOf(s: DirectiveState): string | null {
  return isClosed(s.status) ? null : nextDueOf(s.deadlines ?? [], obligations(s));
}

// --- what a timer does when it fires: pure effects, the workflow records what they return -------------------

/** Marks a timer as acted on; a mark is never fired again, across continue-as-new too. */
export function markFired(s: DirectiveState, item: TimerItem): void {
  s.fired = [...(s.fired ?? []), item.id];
}

export function reminderEvent(item: Extract<TimerItem, { kind: 'reminder' }>): Recorded {
  const d = item.deadline;
  return { event: { type: 'reminder_due', data: { deadlineKey: d.key, label: d.label, dueAt: d.dueAt, agencyId: item.agencyId, reminder: item.index } }, actorId: null };
}

/** The final deadline passing is `overdue`; a report period passing is `deadline_missed`; both name who is missing. */
export function missedEvent(s: DirectiveState, item: Extract<TimerItem, { kind: 'due' }>): Recorded {
  const d = item.deadline;
  const missing = missingOwners(d, obligations(s));
  const data = { deadlineKey: d.key, label: d.label, dueAt: d.dueAt, missing };
  return { event: d.kind === 'final' ? { type: 'overdue', data } : { type: 'deadline_missed', data }, actorId: null };
}

/**
 * Opens a rung once its target is known, unless the directive closed, the missing report arrived or the
 * deadline moved while the target was being resolved.
 */
export function openEscalation(s: DirectiveState, item: Extract<TimerItem, { kind: 'escalation' }>, target: EscalationTarget, at: string): Recorded | null {
  const d = item.deadline;
  const current = (s.deadlines ?? []).find((x) => x.key === d.key);
  if (isClosed(s.status) || !rungStands(item, current, obligations(s))) return null;
  const escalation: Escalation = {
    deadlineKey: d.key,
    dueAt: d.dueAt,
    agencyId: item.agencyId,
    level: levelOf(item.level),
    openedAt: at,
    target,
    resolvedAt: null,
    resolution: null,
  };
  s.escalations = [...(s.escalations ?? []), escalation];
  return { event: { type: 'escalated', data: { escalation, label: d.label } }, actorId: null };
}
