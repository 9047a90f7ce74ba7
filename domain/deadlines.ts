/**
 * What a directive's deadlines are made of: its reporting regime, its reminder and escalation policy, and the
 * absolute instants a plan turns them into. Everything crosses the Temporal boundary as JSON: instants are
 * ISO-8601 strings, days `YYYY-MM-DD`.
 */
import type { Offset as EngineOffset, RungTarget } from '../engine/types.js';
import type { DeadlineKind, PeriodicRegime } from './lists.js';

/**
 * An offset of a directive's plan: whole working days (Vietnamese calendar) or an ISO-8601 duration ("PT5S").
 * The engine (engine/types.ts) also counts calendar days and months, for the statutory clocks of other kinds.
 */
export type Offset = Extract<EngineOffset, { workingDays: number } | { duration: string }>;

export type ReportingRegime =
  | { kind: 'none' }
  /** Periods end at Decree 09/2019's data cut-off (the 14th); reports are due `submitAfterCutoff` later. */
  | { kind: PeriodicRegime; submitAfterCutoff?: Offset }
  /** Explicit due days (`YYYY-MM-DD`, end of day, moved past days off) or instants. */
  | { kind: 'explicit'; dueDates: string[] };

export type DeadlinePolicy = {
  /** Before each due instant; working days count back from the due day (0 = the due day), at 08:00. */
  reminders: Offset[];
  /** After a missed due instant: level 1 (the agency), 2 (its supervising agency), 3 (the issuing leader). */
  escalations: [Offset, Offset, Offset];
};

/** Whom a directive's three rungs reach, in order (engine/ladder.ts resolves them when they fire). */
export const DIRECTIVE_RUNG_TARGETS: RungTarget[] = [{ kind: 'owner' }, { kind: 'supervisor' }, { kind: 'issuer' }];

export const DEFAULT_POLICY: DeadlinePolicy = {
  reminders: [{ workingDays: 3 }, { workingDays: 0 }],
  escalations: [{ workingDays: 1 }, { workingDays: 5 }, { workingDays: 10 }],
};

/** One due instant the directive's owners must meet: a period's report, or the final deadline (completion). */
export type PlannedDeadline = {
  key: string;
  kind: DeadlineKind;
  label: string;
  dueAt: string;
  reminders: string[];
  escalations: string[];
};

export type PlanInput = {
  issuedAt: string;
  /** Plan only what is due after this instant (a re-plan keeps what has passed). */
  from: string;
  dueAt: string | null;
  dueDate: string | null;
  regime: ReportingRegime;
  policy: DeadlinePolicy;
  /** Plans the next year of reports of a directive with this final deadline (itself not planned again). */
  reportsUntil?: string | null;
};

/**
 * `horizonEnd`: how far periodic reports are planned when more may follow (a standing directive, or one whose
 * final deadline lies beyond a year of reports); null when the plan holds everything up to its final deadline.
 */
export type Plan = { finalDueAt: string | null; deadlines: PlannedDeadline[]; horizonEnd: string | null };

/** What a re-plan starts from: the deadlines in force and what they were planned from. */
export type ReplanInput = {
  deadlines: PlannedDeadline[];
  /** Keys whose due instant stays (it passed, fired or was met); only their unfired rungs may move. */
  fixed: string[];
  regime: ReportingRegime;
  policy: DeadlinePolicy;
  /** The final deadline as the day it was given (issued or extended to); null: it was an instant, which stays. */
  dueDate: string | null;
};
