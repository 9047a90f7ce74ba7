/**
 * Pure types shared by the workflow, its activities, the API and tests.
 * Everything here crosses the Temporal boundary as JSON: instants are ISO-8601 strings, days `YYYY-MM-DD`.
 */

export const DIRECTIVE_STATUSES = ['issued', 'in_progress', 'completion_submitted', 'completed', 'cancelled'] as const;
export type DirectiveStatus = (typeof DIRECTIVE_STATUSES)[number];

/** The four categories Vietnam's task-tracking systems count by (DESIGN.md §2), plus standing directives. */
export const TIMELINESS = ['open_on_time', 'open_overdue', 'completed_on_time', 'completed_late', 'no_deadline'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export const ROLES = ['leader', 'officer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who sends a message; the API authenticates them and checks scopes the workflow cannot see (agency subtrees). */
export type Actor = { userId: string; role: Role; agencyId: string | null };

/** An offset from a due instant: whole working days (Vietnamese calendar) or an ISO-8601 duration ("PT5S"). */
export type Offset = { workingDays: number } | { duration: string };

export const PERIODIC_REGIMES = ['monthly', 'quarterly', 'half_year', 'nine_month', 'annual'] as const;
export type ReportingRegime =
  | { kind: 'none' }
  /** Periods end at Decree 09/2019's data cut-off (the 14th); reports are due `submitAfterCutoff` later. */
  | { kind: (typeof PERIODIC_REGIMES)[number]; submitAfterCutoff?: Offset }
  /** Explicit due days (`YYYY-MM-DD`, end of day, moved past days off) or instants. */
  | { kind: 'explicit'; dueDates: string[] };

export type DeadlinePolicy = {
  /** Before each due instant; working days count back from the due day (0 = the due day), at 08:00. */
  reminders: Offset[];
  /** After a missed due instant: level 1 (the agency), 2 (its supervising agency), 3 (the issuing leader). */
  escalations: [Offset, Offset, Offset];
};

export const DEFAULT_POLICY: DeadlinePolicy = {
  reminders: [{ workingDays: 3 }, { workingDays: 0 }],
  escalations: [{ workingDays: 1 }, { workingDays: 5 }, { workingDays: 10 }],
};

export type DirectiveInput = {
  directiveId: string;
  title: string;
  body: string;
  leadAgencyId: string;
  coordinatingAgencyIds: string[];
  conferenceId: string | null;
  /** Final deadline as an absolute instant; null for a standing directive ("nhiệm vụ thường xuyên"). */
  dueAt: string | null;
  /** Final deadline as a calendar day; the plan turns it into an instant by the deadline rule. Wins over dueAt. */
  dueDate?: string | null;
  issuedBy: string | null;
  issuedAt: string;
  regime?: ReportingRegime;
  policy?: DeadlinePolicy;
  /** Set only by continue-as-new: the state to carry on with. */
  resume?: DirectiveState;
};

/** One due instant the directive's owners must meet: a period's report, or the final deadline (completion). */
export type PlannedDeadline = {
  key: string;
  kind: 'report' | 'final';
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
};

export type Plan = { finalDueAt: string | null; deadlines: PlannedDeadline[]; horizonEnd: string | null };

export type EscalationTarget = { agencyId: string | null; userId: string | null; label: string };

export type Escalation = {
  deadlineKey: string;
  dueAt: string;
  agencyId: string;
  level: 1 | 2 | 3;
  openedAt: string;
  target: EscalationTarget;
  resolvedAt: string | null;
  resolution: string | null;
  acknowledgedAt?: string | null;
  acknowledgedBy?: string | null;
};

export type Report = { deadlineKey: string; agencyId: string; at: string; summary: string; late: boolean; by: string };

export type ExtensionRequest = {
  id: string;
  requestedAt: string;
  requestedBy: string;
  proposedDueAt: string;
  reason: string;
  decision: { approved: boolean; by: string; at: string; note: string } | null;
};

export type DirectiveState = {
  directiveId: string;
  title: string;
  body: string;
  leadAgencyId: string;
  coordinatingAgencyIds: string[];
  conferenceId: string | null;
  status: DirectiveStatus;
  timeliness: Timeliness;
  /** The final deadline in force (after extensions). */
  dueAt: string | null;
  nextDeadlineAt: string | null;
  escalationLevel: number;
  issuedBy: string | null;
  issuedAt: string;
  completedAt: string | null;
  /** Sequence number of the last recorded event; continues across continue-as-new. */
  seq: number;
  regime?: ReportingRegime;
  policy?: DeadlinePolicy;
  plannedAt?: string;
  deadlines?: PlannedDeadline[];
  acknowledgements?: Array<{ agencyId: string; at: string; by: string }>;
  reports?: Report[];
  /** Timer marks already acted on: `<deadline key>@<due instant>|<agency>|r<i>`, `…|e<level>`, `<key>@<due>|due`. */
  fired?: string[];
  escalations?: Escalation[];
  extensions?: ExtensionRequest[];
  completion?: { submittedAt: string; by: string; summary: string } | null;
  reviews?: Array<{ at: string; by: string; accepted: boolean; note: string }>;
  cancellation?: { at: string; by: string; reason: string } | null;
};

export const EVENT_TYPES = [
  'issued',
  'overdue',
  'acknowledged',
  'report_submitted',
  'reminder_due',
  'deadline_missed',
  'escalated',
  'escalation_resolved',
  'escalation_acknowledged',
  'extension_requested',
  'extension_decided',
  'replanned',
  'completion_submitted',
  'completion_reviewed',
  'reassigned',
  'cancelled',
] as const;
export type DirectiveEventType = (typeof EVENT_TYPES)[number];

export type RecordEventInput = {
  directiveId: string;
  workflowId: string;
  seq: number;
  type: DirectiveEventType;
  occurredAt: string;
  actorId: string | null;
  data: Record<string, unknown>;
  /** The directive as it is after this event; the projection is upserted from it. */
  snapshot: DirectiveState;
};

export type RecordEventResult = { recorded: boolean };

export const workflowIdFor = (directiveId: string): string => `directive-${directiveId}`;

/** The workflow type name; a contract with running workflows. */
export const DIRECTIVE_WORKFLOW = 'directiveWorkflow';
