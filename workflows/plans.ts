/**
 * Turning plans into state: the first plan of a directive, the next year of a standing one, and the plan a
 * first-release directive gets when it moves onto the full lifecycle. Calendar math itself stays in the
 * planSchedule activity; these only place its instants into the state and name the event.
 */
import { DEFAULT_POLICY, type Plan, type PlanInput } from '../domain/deadlines.js';
import type { DirectiveState } from '../domain/directive.js';
import { stampOf } from './lifecycle.js';
import type { DirectiveInput, Recorded } from './types.js';

/** A new directive takes its regime and policy from its input, and is planned from the moment it was issued. */
export function prepareIssue(s: DirectiveState, input: DirectiveInput): PlanInput {
  s.regime = input.regime ?? { kind: 'none' };
  s.policy = input.policy ?? DEFAULT_POLICY;
  return {
    issuedAt: s.issuedAt,
    from: s.issuedAt,
    dueAt: input.dueAt,
    dueDate: input.dueDate ?? null,
    regime: s.regime,
    policy: s.policy,
  };
}

export function applyIssuePlan(s: DirectiveState, plan: Plan, at: string): Recorded {
  s.deadlines = plan.deadlines;
  s.dueAt = plan.finalDueAt;
  s.plannedAt = at;
  s.fired = [];
  s.escalations = [];
  return {
    event: {
      type: 'issued',
      data: { leadAgencyId: s.leadAgencyId, coordinatingAgencyIds: s.coordinatingAgencyIds, dueAt: s.dueAt, regime: s.regime!, deadlines: s.deadlines },
    },
    actorId: s.issuedBy,
  };
}

/** A standing directive with a periodic regime is planned a year at a time; the next year once the last period is due. */
export function needsNextYear(s: DirectiveState, nowMs: number): boolean {
  return (
    s.dueAt === null &&
    (s.regime?.kind ?? 'none') !== 'none' &&
    s.regime?.kind !== 'explicit' &&
    !(s.deadlines ?? []).some((d) => Date.parse(d.dueAt) > nowMs)
  );
}

export function nextYearPlanInput(s: DirectiveState, at: string): PlanInput {
  const last = (s.deadlines ?? []).map((d) => d.dueAt).sort().at(-1) ?? at;
  return { issuedAt: last, from: last, dueAt: null, dueDate: null, regime: s.regime!, policy: s.policy ?? DEFAULT_POLICY };
}

/** Null when the regime yields nothing more: the horizon is exhausted. */
export function appendNextYear(s: DirectiveState, plan: Plan): Recorded | null {
  if (plan.deadlines.length === 0) return null;
  s.deadlines = [...(s.deadlines ?? []), ...plan.deadlines];
  return { event: { type: 'replanned', data: { reason: 'next_year', deadlines: plan.deadlines } }, actorId: null };
}

/** A first-release directive has its final deadline only; it moves on with the default policy. */
export function upgradePlanInput(s: DirectiveState, at: string): PlanInput {
  return { issuedAt: s.issuedAt, from: at, dueAt: s.dueAt, dueDate: null, regime: { kind: 'none' }, policy: DEFAULT_POLICY };
}

/**
 * The first release already recorded the deadline passing (`overdue`); that mark is kept so it is not
 * recorded twice. The ladder has never run for it, so its rungs fire from now on, in order.
 */
export function applyUpgradePlan(s: DirectiveState, plan: Plan, at: string, overdueRecorded: boolean): Recorded {
  s.regime = { kind: 'none' };
  s.policy = DEFAULT_POLICY;
  s.deadlines = plan.deadlines;
  s.dueAt = plan.finalDueAt;
  s.plannedAt = at;
  s.fired = overdueRecorded ? plan.deadlines.filter((d) => d.kind === 'final').map((d) => `${stampOf(d)}|due`) : [];
  s.escalations = [];
  return { event: { type: 'replanned', data: { reason: 'lifecycle_upgrade', dueAt: s.dueAt, deadlines: s.deadlines } }, actorId: null };
}
