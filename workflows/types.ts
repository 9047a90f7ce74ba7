/**
 * The workflow's own contract: its input, the recording activity's input, its id scheme and type name.
 * Everything here crosses the Temporal boundary as JSON: instants are ISO-8601 strings, days `YYYY-MM-DD`.
 */
import type { DeadlinePolicy, ReportingRegime } from '../domain/deadlines.js';
import type { DirectiveState } from '../domain/directive.js';
import type { DirectiveEvent } from '../domain/events.js';

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

/** One event with where it belongs; the shape (type and data beside the rest) is a contract with running workflows. */
export type RecordEventInput = DirectiveEvent & {
  directiveId: string;
  workflowId: string;
  seq: number;
  occurredAt: string;
  actorId: string | null;
  /** The directive as it is after this event; the projection is upserted from it. */
  snapshot: DirectiveState;
};

export type RecordEventResult = { recorded: boolean };

/** An event the workflow is about to record, and who caused it. */
export type Recorded = { event: DirectiveEvent; actorId: string | null };

export const workflowIdFor = (directiveId: string): string => `directive-${directiveId}`;

/** The workflow type name; a contract with running workflows. */
export const DIRECTIVE_WORKFLOW = 'directiveWorkflow';
