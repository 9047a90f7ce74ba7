/**
 * The directive as the workflow holds it and every reader sees it: who owns it, what is due, what happened.
 * Pure types; the workflow (workflows/directive.ts) is the only writer.
 */
import type { DeadlinePolicy, PlannedDeadline, ReportingRegime } from './deadlines.js';
import type { DirectiveStatus, EscalationLevel, Role, Timeliness } from './lists.js';
import type { IsoDate } from './vn-time.js';

/** Who sends a message; the application layer authenticates them and checks scopes the workflow cannot see. */
export type Actor = { userId: string; role: Role; agencyId: string | null };

export type EscalationTarget = { agencyId: string | null; userId: string | null; label: string };

export type Escalation = {
  deadlineKey: string;
  dueAt: string;
  agencyId: string;
  level: EscalationLevel;
  openedAt: string;
  target: EscalationTarget;
  resolvedAt: string | null;
  resolution: string | null;
  acknowledgedAt?: string | null;
  acknowledgedBy?: string | null;
};

/** Identifies one rung: the deadline's key and due instant, the agency that missed it, the level. */
export type EscalationRef = { deadlineKey: string; dueAt: string; agencyId: string; level: EscalationLevel };

export type Report = { deadlineKey: string; agencyId: string; at: string; summary: string; late: boolean; by: string };

/** A later deadline the lead agency asks for: a calendar day (moved past days off by the plan) or an exact instant. */
export type ProposedDeadline = { proposedDueDate: IsoDate; proposedDueAt: null } | { proposedDueDate: null; proposedDueAt: string };

export type ExtensionRequest = {
  id: string;
  requestedAt: string;
  requestedBy: string;
  reason: string;
  decision: { approved: boolean; by: string; at: string; note: string } | null;
} & ProposedDeadline;

/**
 * A request as an earlier release stored it: `proposedDueAt` held either a day or an instant and there was
 * no `proposedDueDate`. Only state carried over continue-as-new and old events have this shape.
 */
export type StoredExtensionRequest = ExtensionRequest | (Omit<ExtensionRequest, 'proposedDueDate' | 'proposedDueAt'> & { proposedDueAt: string; proposedDueDate?: undefined });

/** Completions the reviewer sent back ("trả lại"): each rejected review. */
export const returnsOf = (s: Pick<DirectiveState, 'reviews'>): number => (s.reviews ?? []).filter((r) => !r.accepted).length;
/** The last completion was sent back and nothing has been submitted since: the directive stands "returned". */
export const standsReturned = (s: Pick<DirectiveState, 'reviews' | 'status'>): boolean => s.status === 'in_progress' && s.reviews?.at(-1)?.accepted === false;

/**
 * An explanation request ("yêu cầu giải trình"): a leader or supervisor asks an assigned agency to explain an
 * overdue item by a date. It has its own reminders and escalation ladder, placed like a deadline's, and waits
 * for the agency's answer, which the leader then closes as accepted or not.
 */
export type ExplanationRequest = {
  /** `gt1`, `gt2`, …: also the key its reminders and rungs carry (it names no report period). */
  id: string;
  agencyId: string;
  /** The overdue item it is about: a report period's key or `final`, and that item's label. */
  deadlineKey: string;
  label: string;
  question: string;
  requestedBy: string;
  requestedAt: string;
  dueAt: string;
  reminders: string[];
  escalations: string[];
  answer: { at: string; by: string; text: string; late: boolean; attachmentIds: string[] } | null;
  closure: { at: string; by: string; accepted: boolean; note: string } | null;
};

/** Where a sub-task sits: the directive it was split from, whose lead agency delegated it and whose ladder it climbs. */
export type ParentRef = { directiveId: string; leadAgencyId: string; issuedBy: string | null };

/** A sub-task as its parent holds it: enough to refuse completing the parent while some are open. */
export type Subtask = { directiveId: string; title: string; leadAgencyId: string; assigneeId: string | null; dueAt: string | null; closed: boolean };

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
  /**
   * How far the periodic reports of a directive with a final deadline are planned, when more follow before it:
   * the next year is planned once these are due. Absent when every report is planned (and in older runs).
   */
  reportsPlannedUntil?: string;
  /**
   * The final deadline as the day it was given (at issue, or by the extension approved last), so a calendar
   * change can place it again; null when it was given as an instant. Absent in runs started before it.
   */
  dueDate?: string | null;
  /** Changes already applied (a calendar change, an agency merged: their ids, the latest few): a second message of one change is a no-op. */
  appliedChanges?: string[];
  deadlines?: PlannedDeadline[];
  acknowledgements?: Array<{ agencyId: string; at: string; by: string }>;
  reports?: Report[];
  /** Timer marks already acted on: `<deadline key>@<due instant>|<agency>|r<i>`, `…|e<level>`, `<key>@<due>|due`. */
  fired?: string[];
  escalations?: Escalation[];
  extensions?: ExtensionRequest[];
  /** `closeOpenSubtasks`: the lead confirmed that the sub-tasks open then close with it, with this note. */
  completion?: { submittedAt: string; by: string; summary: string; closeOpenSubtasks?: { note: string } } | null;
  reviews?: Array<{ at: string; by: string; accepted: boolean; note: string }>;
  cancellation?: { at: string; by: string; reason: string } | null;
  /** A sub-task's parent ("chuyển tiếp tới các cấp trực thuộc"); absent for a directive of its own. */
  parent?: ParentRef | null;
  /** A sub-task given to a named officer of the lead agency rather than to a sub-unit. */
  assigneeId?: string | null;
  /** "Mật": its title and body reach only the people allowed (domain/confidential.ts). Absent: not confidential. */
  confidential?: boolean;
  /** The sub-tasks this directive was split into, and which of them have closed. */
  subtasks?: Subtask[];
  /** Explanation requests made of its agencies, answered or not. */
  explanations?: ExplanationRequest[];
};
