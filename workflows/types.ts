/**
 * The workflow's own contract: its input, what it records, its id scheme and type name.
 * Everything here crosses the Temporal boundary as JSON: instants are ISO-8601 strings, days `YYYY-MM-DD`.
 */
import type { DeadlinePolicy, ReportingRegime } from '../domain/deadlines.js';
import type { Recorded as EngineRecorded } from '../engine/recorder.js';
import type { DirectiveState, ParentRef } from '../domain/directive.js';
import type { DirectiveEvent } from '../domain/events.js';

/** What a directive is issued with: its owners and text as the state holds them, and how to plan it. */
export type DirectiveInput = Pick<
  DirectiveState,
  'directiveId' | 'title' | 'body' | 'leadAgencyId' | 'coordinatingAgencyIds' | 'conferenceId' | 'issuedBy' | 'issuedAt'
> & {
  /** Final deadline as an absolute instant; null for a standing directive ("nhiệm vụ thường xuyên"). */
  dueAt: string | null;
  /** Final deadline as a calendar day; the plan turns it into an instant by the deadline rule. Wins over dueAt. */
  dueDate?: string | null;
  regime?: ReportingRegime;
  policy?: DeadlinePolicy;
  /** A sub-task: its parent directive (started as the parent's child workflow). */
  parent?: ParentRef;
  assigneeId?: string | null;
  /** "Mật": seen only by its assigned agencies, its issuing leader and named readers. */
  confidential?: boolean;
  /** Set only by continue-as-new: the state to carry on with. */
  resume?: DirectiveState;
};

/** An event the workflow is about to record, and who caused it. */
export type Recorded = EngineRecorded<DirectiveEvent>;

export const workflowIdFor = (directiveId: string): string => `directive-${directiveId}`;

/** The workflow type name; a contract with running workflows. */
export const DIRECTIVE_WORKFLOW = 'directiveWorkflow';
/** The signal telling a running notification delivery that rows of its source were queued again. */
export const MORE_TO_DELIVER_SIGNAL = 'moreToDeliver';
