import type { PlannedDeadline } from '../domain/deadlines.js';
import type { DirectiveState, Escalation, EscalationTarget, ExplanationRequest } from '../domain/directive.js';
import { ESCALATION_LEVELS, type EscalationLevel } from '../domain/lists.js';
import { isClosed } from '../domain/timeliness.js';
import type { Recorded } from './types.js';

/** Pure rules of the lifecycle's timers; the workflow acts on what these return. */

export type TimerItem =
  | { kind: 'reminder'; id: string; at: number; deadline: PlannedDeadline; agencyId: string; index: number }
  | { kind: 'due'; id: string; at: number; deadline: PlannedDeadline }
  | { kind: 'escalation'; id: string; at: number; deadline: PlannedDeadline; agencyId: string; level: EscalationLevel };

/** A due instant's identity: an extension gives the final deadline a new instant, and so a fresh ladder. */
export const stampOf = (d: Pick<PlannedDeadline, 'key' | 'dueAt'>): string => `${d.key}@${d.dueAt}`;

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

export function pendingTimers(s: DirectiveState): TimerItem[] {
  if (isClosed(s.status)) return [];
  const fired = new Set(s.fired ?? []);
  const plannedAt = s.plannedAt ? Date.parse(s.plannedAt) : 0;
  const items: TimerItem[] = [];
  // An explanation request's answer is due like a deadline, reminded and escalated the same way.
  const asked = (s.explanations ?? []).filter((x) => x.closure === null).map(explanationDeadline);
  for (const d of [...(s.deadlines ?? []), ...asked]) {
    const stamp = stampOf(d);
    const x = explanationOf(s, d.key);
    const from = x ? Date.parse(x.requestedAt) : plannedAt;
    const due = Date.parse(d.dueAt);
    const missing = ownersOf(s, d).filter((a) => !isSatisfied(s, d, a));
    if (missing.length === 0) continue;
    if (!fired.has(`${stamp}|due`)) items.push({ kind: 'due', id: `${stamp}|due`, at: due, deadline: d });
    for (const agencyId of missing) {
      d.reminders.forEach((r, index) => {
        const id = `${stamp}|${agencyId}|r${index}`;
        const at = Date.parse(r);
        // A reminder whose moment had passed when the plan was made is no reminder at all.
        if (!fired.has(id) && at >= from && at < due) items.push({ kind: 'reminder', id, at, deadline: d, agencyId, index });
      });
      // Rungs fire in order: only the lowest one not yet fired is pending.
      const level = ESCALATION_LEVELS.find((l) => !fired.has(`${stamp}|${agencyId}|e${l}`));
      if (level) {
        const at = Date.parse(d.escalations[level - 1]!);
        items.push({ kind: 'escalation', id: `${stamp}|${agencyId}|e${level}`, at, deadline: d, agencyId, level });
      }
    }
  }
  return items.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

export const openEscalations = (s: DirectiveState): Escalation[] => (s.escalations ?? []).filter((e) => e.resolvedAt === null);

export function escalationLevelOf(s: DirectiveState): number {
  return openEscalations(s).reduce((max, e) => Math.max(max, e.level), 0);
}

/** The earliest due instant some owner has not met yet (possibly past: then the directive is behind). */
export function nextDeadlineOf(s: DirectiveState): string | null {
  if (isClosed(s.status)) return null;
  const open = (s.deadlines ?? []).filter((d) => ownersOf(s, d).some((a) => !isSatisfied(s, d, a)));
  return open.length ? open.map((d) => d.dueAt).sort()[0]! : null;
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
  const missing = ownersOf(s, d).filter((a) => !isSatisfied(s, d, a));
  const data = { deadlineKey: d.key, label: d.label, dueAt: d.dueAt, missing };
  return { event: d.kind === 'final' ? { type: 'overdue', data } : { type: 'deadline_missed', data }, actorId: null };
}

/**
 * Opens a rung once its target is known, unless the directive closed, the missing report arrived or the
 * deadline moved while the target was being resolved.
 */
export function openEscalation(s: DirectiveState, item: Extract<TimerItem, { kind: 'escalation' }>, target: EscalationTarget, at: string): Recorded | null {
  const d = item.deadline;
  const current = (s.deadlines ?? []).find((x) => x.key === d.key) ?? d;
  if (isClosed(s.status) || isSatisfied(s, d, item.agencyId) || stampOf(d) !== stampOf(current)) return null;
  const escalation: Escalation = {
    deadlineKey: d.key,
    dueAt: d.dueAt,
    agencyId: item.agencyId,
    level: item.level,
    openedAt: at,
    target,
    resolvedAt: null,
    resolution: null,
  };
  s.escalations = [...(s.escalations ?? []), escalation];
  return { event: { type: 'escalated', data: { escalation, label: d.label } }, actorId: null };
}
