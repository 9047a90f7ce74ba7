/**
 * Turning plans into state: the first plan of a directive, the next year of a standing one, and the plan a
 * first-release directive gets when it moves onto the full lifecycle. Calendar math itself stays in the
 * planSchedule activity; these only place its instants into the state and name the event.
 */
import { DEFAULT_POLICY, type Plan, type PlanInput, type PlannedDeadline, type ReplanInput } from '../domain/deadlines.js';
import type { DirectiveState } from '../domain/directive.js';
import type { DeadlineMove } from '../domain/events.js';
import { isSatisfied, ownersOf, stampOf } from './lifecycle.js';
import type { ReplanArgs } from './messages.js';
import type { DirectiveInput, Recorded } from './types.js';

/** A new directive takes its regime and policy from its input, and is planned from the moment it was issued. */
export function prepareIssue(s: DirectiveState, input: DirectiveInput): PlanInput {
  s.regime = input.regime ?? { kind: 'none' };
  s.policy = input.policy ?? DEFAULT_POLICY;
  s.dueDate = input.dueDate ?? null;
  return {
    issuedAt: s.issuedAt,
    from: s.issuedAt,
    dueAt: input.dueAt,
    dueDate: input.dueDate ?? null,
    regime: s.regime,
    policy: s.policy,
  };
}

/** Where a plan of a directive with a final deadline left its periodic reports (Plan.horizonEnd). */
export function notePlannedUntil(s: DirectiveState, plan: Plan): void {
  if (plan.finalDueAt !== null && plan.horizonEnd !== null) s.reportsPlannedUntil = plan.horizonEnd;
  else delete s.reportsPlannedUntil;
}

export function applyIssuePlan(s: DirectiveState, plan: Plan, at: string): Recorded {
  notePlannedUntil(s, plan);
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

/**
 * A directive with a final deadline more than a year of reports away has its reports planned a year at a time
 * too: the next year once every report planned is due (REPORTS_A_YEAR_AHEAD_PATCH).
 */
export function needsMoreReports(s: DirectiveState, nowMs: number): boolean {
  return (
    s.dueAt !== null &&
    s.reportsPlannedUntil !== undefined &&
    !(s.deadlines ?? []).some((d) => d.kind === 'report' && Date.parse(d.dueAt) > nowMs)
  );
}

/** The next year from where the last plan stopped; reports after the last one planned, none past the final deadline. */
export function moreReportsPlanInput(s: DirectiveState): PlanInput {
  const lastReport = (s.deadlines ?? []).filter((d) => d.kind === 'report').map((d) => d.dueAt).sort().at(-1) ?? s.reportsPlannedUntil!;
  return {
    issuedAt: s.reportsPlannedUntil!,
    from: lastReport,
    dueAt: null,
    dueDate: null,
    reportsUntil: s.dueAt,
    regime: s.regime!,
    policy: s.policy ?? DEFAULT_POLICY,
  };
}

/** Appends the next year's reports before the final deadline; the last year clears the mark. */
export function appendMoreReports(s: DirectiveState, plan: Plan): Recorded | null {
  if (plan.horizonEnd !== null) s.reportsPlannedUntil = plan.horizonEnd;
  else delete s.reportsPlannedUntil;
  if (plan.deadlines.length === 0) return null;
  s.deadlines = [...(s.deadlines ?? []), ...plan.deadlines].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return { event: { type: 'replanned', data: { reason: 'next_year', deadlines: plan.deadlines } }, actorId: null };
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

// --- a calendar change: what already happened stays, what is still planned is placed again ----------------

/**
 * The day the final deadline was given as. Runs started before the state kept it: the day of the extension
 * approved last, or else the day the directive was issued with; null when it was an instant.
 */
export function nominalDueDateOf(s: DirectiveState, input: Pick<DirectiveInput, 'dueDate'>): string | null {
  if (s.dueDate !== undefined) return s.dueDate;
  const approved = (s.extensions ?? []).filter((x) => x.decision?.approved);
  return approved.length > 0 ? approved.at(-1)!.proposedDueDate : (input.dueDate ?? null);
}

/**
 * A deadline stays where it is once its due instant passed or was acted on, or every owner has met it: the
 * past is not rewritten and a met deadline has nothing left to plan. Its unfired rungs may still move.
 */
export function calendarReplanInput(s: DirectiveState, input: Pick<DirectiveInput, 'dueDate'>, nowMs: number): ReplanInput {
  const fired = new Set(s.fired ?? []);
  const deadlines = s.deadlines ?? [];
  const fixed = deadlines.filter(
    (d) => fired.has(`${stampOf(d)}|due`) || Date.parse(d.dueAt) <= nowMs || ownersOf(s, d).every((a) => isSatisfied(s, d, a)),
  );
  return {
    deadlines,
    fixed: fixed.map((d) => d.key),
    regime: s.regime ?? { kind: 'none' },
    policy: s.policy ?? DEFAULT_POLICY,
    dueDate: nominalDueDateOf(s, input),
  };
}

/** How many changes a directive remembers having applied; a change is re-sent within minutes, if at all. */
const REMEMBERED_CHANGES = 32;

export const hasApplied = (s: DirectiveState, changeId: string): boolean => (s.appliedChanges ?? []).includes(changeId);
export const markApplied = (s: DirectiveState, changeId: string): void => {
  s.appliedChanges = [...(s.appliedChanges ?? []), changeId].slice(-REMEMBERED_CHANGES);
};

/**
 * Puts the re-placed deadlines into the state. A reminder already sent for a deadline that moves is marked
 * sent for its moved instant too, so nobody is reminded twice of one deadline; a moved deadline's rungs have
 * not fired (it had not passed). Null when the calendar change moved nothing of this directive.
 */
export function applyCalendarPlan(s: DirectiveState, args: ReplanArgs, replanned: PlannedDeadline[], at: string): Recorded | null {
  markApplied(s, args.changeId);
  const before = s.deadlines ?? [];
  if (JSON.stringify(before) === JSON.stringify(replanned)) return null;
  const moves: DeadlineMove[] = [];
  const carried: string[] = [];
  replanned.forEach((d, i) => {
    const old = before[i]!;
    if (old.dueAt === d.dueAt) return;
    moves.push({ deadlineKey: d.key, kind: d.kind, label: d.label, from: old.dueAt, to: d.dueAt });
    const oldStamp = `${stampOf(old)}|`;
    for (const mark of s.fired ?? []) if (mark.startsWith(oldStamp) && !mark.endsWith('|due')) carried.push(`${stampOf(d)}|${mark.slice(oldStamp.length)}`);
  });
  s.deadlines = replanned;
  const final = replanned.find((d) => d.kind === 'final');
  if (final) s.dueAt = final.dueAt;
  s.plannedAt = at;
  s.fired = [...(s.fired ?? []), ...carried];
  return {
    event: { type: 'replanned', data: { reason: 'calendar', changeId: args.changeId, cause: args.cause, dueAt: s.dueAt, deadlines: replanned, moves } },
    actorId: null,
  };
}
