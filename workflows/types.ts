/**
 * Pure types shared by the workflow, its activities, the API and tests.
 * Everything here crosses the Temporal boundary as JSON: instants are ISO-8601 strings.
 */

export const DIRECTIVE_STATUSES = ['issued', 'in_progress', 'completion_submitted', 'completed', 'cancelled'] as const;
export type DirectiveStatus = (typeof DIRECTIVE_STATUSES)[number];

/** The four categories Vietnam's task-tracking systems count by (DESIGN.md §2), plus standing directives. */
export const TIMELINESS = ['open_on_time', 'open_overdue', 'completed_on_time', 'completed_late', 'no_deadline'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export type DirectiveInput = {
  directiveId: string;
  title: string;
  body: string;
  leadAgencyId: string;
  coordinatingAgencyIds: string[];
  conferenceId: string | null;
  /** Final deadline as an absolute instant; null for a standing directive ("nhiệm vụ thường xuyên"). */
  dueAt: string | null;
  issuedBy: string | null;
  issuedAt: string;
};

/** What the workflow knows of its directive: the input as amended since, plus the lifecycle. */
export type DirectiveState = DirectiveInput & {
  status: DirectiveStatus;
  timeliness: Timeliness;
  nextDeadlineAt: string | null;
  escalationLevel: number;
  completedAt: string | null;
  /** Sequence number of the last recorded event; continues across continue-as-new. */
  seq: number;
};

export const EVENT_TYPES = ['issued', 'overdue'] as const;
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
