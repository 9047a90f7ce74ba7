/**
 * The directive's history: one discriminated union of event payloads keyed by event type. The workflow's
 * recorder writes them, the projections, the outbox, the API, the demo's timeline and the tests read them,
 * all through these types: renaming a field here is a compile error everywhere it is used.
 *
 * Payloads are stored as they were written, so a shape an earlier release wrote stays in the union
 * (marked "before …") for as long as such events can be in a database.
 */
import type { ReportingRegime, PlannedDeadline } from './deadlines.js';
import type { Escalation, ExplanationRequest, Report, StoredExtensionRequest, Subtask } from './directive.js';
import type { AttachmentKind } from './lists.js';

/** One deadline whose due instant a re-plan moved, for the history's sentence ("hạn … chuyển từ … sang … do …"). */
export type DeadlineMove = { deadlineKey: string; kind: PlannedDeadline['kind']; label: string; from: string; to: string };

/** An agency's open work moving to its successor (a merge): the change that moved it, from and to whom. */
export type AgencyTransfer = { changeId: string; fromAgencyId: string; toAgencyId: string };

type Ownership = { leadAgencyId: string; coordinatingAgencyIds: string[] };

export type EventPayloads = {
  /** The first release recorded no regime and no plan. */
  issued: Ownership & { dueAt: string | null; regime?: ReportingRegime; deadlines?: PlannedDeadline[] };
  /** The final deadline passed without completion; the first release recorded only `dueAt`. */
  overdue: { dueAt: string; deadlineKey?: string; label?: string; missing?: string[] };
  acknowledged: { agencyId: string };
  report_submitted: { report: Report };
  reminder_due: { deadlineKey: string; label: string; dueAt: string; agencyId: string; reminder: number };
  deadline_missed: { deadlineKey: string; label: string; dueAt: string; missing: string[] };
  escalated: { escalation: Escalation; label: string };
  escalation_resolved: { escalations: Escalation[]; resolution: string };
  escalation_acknowledged: { escalation: Escalation };
  extension_requested: { request: StoredExtensionRequest };
  extension_decided: { requestId: string; approved: boolean; note: string };
  replanned:
    | { reason: 'extension'; requestId: string; dueAt: string | null; deadlines: PlannedDeadline[] }
    | { reason: 'next_year'; deadlines: PlannedDeadline[] }
    /** A directive of the first release moved onto the full lifecycle. */
    | { reason: 'lifecycle_upgrade'; dueAt: string | null; deadlines: PlannedDeadline[] }
    /** The working calendar changed (a decision loaded, an override set or removed): unfired instants moved. */
    | { reason: 'calendar'; changeId: string; cause: string; dueAt: string | null; deadlines: PlannedDeadline[]; moves: DeadlineMove[] };
  completion_submitted: { summary: string; closeOpenSubtasks?: { note: string } };
  completion_reviewed: { accepted: boolean; note: string };
  /** `transfer`: the move was an agency's reorganisation (a merge), not a leader's decision. */
  reassigned: { before: Ownership; after: Ownership; reason: string; transfer?: AgencyTransfer };
  cancelled: { reason: string };
  /** The lead agency split the directive into sub-tasks (each a directive of its own). */
  delegated: { subtasks: Subtask[] };
  /** A file attached: its id, SHA-256 and size (the bytes are in attachment storage, never in the history). */
  attachment_added: { attachment: { id: string; sha256: string; size: number; kind: AttachmentKind; deadlineKey: string | null } };
  /** A leader or supervisor asked an agency to explain an overdue item by `request.dueAt`. */
  explanation_requested: { request: ExplanationRequest };
  /** The agency's answer: its text and the files attached to it (by id). */
  explanation_answered: { requestId: string; answer: NonNullable<ExplanationRequest['answer']> };
  /** The leader's verdict on the explanation (or a request withdrawn unanswered: not accepted). */
  explanation_closed: { requestId: string; accepted: boolean; note: string };
};

export type DirectiveEventType = keyof EventPayloads;

/** One event: its type and the payload of that type. */
export type DirectiveEvent = { [K in DirectiveEventType]: { type: K; data: EventPayloads[K] } }[DirectiveEventType];
export type EventOf<K extends DirectiveEventType> = Extract<DirectiveEvent, { type: K }>;

/** Every event type, checked against the union: a type missing here, or one too many, does not compile. */
const ALL: Record<DirectiveEventType, true> = {
  issued: true,
  overdue: true,
  acknowledged: true,
  report_submitted: true,
  reminder_due: true,
  deadline_missed: true,
  escalated: true,
  escalation_resolved: true,
  escalation_acknowledged: true,
  extension_requested: true,
  extension_decided: true,
  replanned: true,
  completion_submitted: true,
  completion_reviewed: true,
  reassigned: true,
  cancelled: true,
  delegated: true,
  attachment_added: true,
  explanation_requested: true,
  explanation_answered: true,
  explanation_closed: true,
};
export const EVENT_TYPES = Object.keys(ALL) as DirectiveEventType[];

/** The events that reach people (an explanation request reaches the agency asked as a notice of its due); everything else only moves the read model. */
export const NOTIFYING_EVENTS: ReadonlySet<DirectiveEventType> = new Set<DirectiveEventType>(['reminder_due', 'escalated', 'explanation_requested']);
