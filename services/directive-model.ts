/**
 * What the directive services speak in: the shapes a directive is asked for and shown in, and the pure
 * readings of its history (the plan in force, the extension requests) and of a workflow's refusal.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { directives } from '../db/schema.js';
import type { DeadlinePolicy, Offset, PlannedDeadline, ReportingRegime } from '../domain/deadlines.js';
import type { DirectiveState, ExplanationRequest, ExtensionRequest, Report } from '../domain/directive.js';
import type { DirectiveEvent } from '../domain/events.js';
import { FailureType, isFailureType, ServiceFailure } from '../domain/failures.js';
import type { DirectiveStatus, Timeliness } from '../domain/lists.js';
import { vnStartOfDay } from '../domain/vn-time.js';
import { normalizeExtension } from '../workflows/state.js';
import type { AllowedActions } from '../workflows/allowed.js';
import type { AgencySummary } from './agency-refs.js';

/** A directive as it is asked to be issued; agencies by id or code. */
export type DirectiveFields = {
  title: string;
  body: string;
  leadAgency: string;
  coordinatingAgencies: string[];
  /** The final deadline as a calendar day (ends at 24:00 Vietnam time), or */
  dueDate?: string | undefined;
  /** as an exact instant; neither: a standing directive. */
  dueAt?: string | undefined;
  conferenceId?: string | undefined;
  /** "Mật", and the users who may read it besides its agencies and issuing leader. */
  confidential?: boolean | undefined;
  readers?: string[] | undefined;
  regime?: ReportingRegime | undefined;
  /** Exactly three escalation offsets. */
  policy?: { reminders: Offset[]; escalations: Offset[] } | undefined;
};

/** A directive as both doors show it: the state's summary with its agencies named and its links. */
export type DirectiveView = Pick<
  DirectiveState,
  'title' | 'body' | 'status' | 'timeliness' | 'conferenceId' | 'dueAt' | 'nextDeadlineAt' | 'escalationLevel' | 'issuedBy' | 'issuedAt' | 'completedAt'
> & {
  id: string;
  workflowId: string;
  leadAgency: AgencySummary;
  coordinatingAgencies: AgencySummary[];
  lastSeq: number;
  /** "Mật": seen only by its assigned agencies, its issuing leader and named readers. */
  confidential: boolean;
  /** The last completion was sent back ("trả lại") and nothing submitted since; how many were sent back in all. */
  returned: boolean;
  returnCount: number;
  links: { self: string; events: string; temporalUi?: string };
};

export type ExtensionRequestView = ExtensionRequest;
export type { AllowedActions };

export type DirectiveDetail = DirectiveView & {
  /** From the history: the report periods and final deadline in force, with their reminders and ladder. */
  deadlines: PlannedDeadline[];
  /** From the history: which agencies acknowledged, and the reports sent. */
  acknowledgements: Array<{ agencyId: string; at: string }>;
  reports: Report[];
  /** From the history: every extension request and its decision. */
  extensionRequests: ExtensionRequestView[];
  /** From the history: every explanation request, its answer and its closing. */
  explanationRequests: ExplanationRequest[];
  /** The workflow's live `state` query, or null when no worker can answer now. */
  live: DirectiveState | null;
  /** A sub-task's parent directive. */
  parent: { id: string; title: string } | null;
  /** A sub-task given to a named officer of the lead agency. */
  assigneeId: string | null;
  /** The sub-tasks it was split into, with the roll-up; null when it has none. */
  subtasks: SubtaskRollup | null;
  /** What the reader may do now (workflows/allowed.ts, the supervisor's scope folded in): each is accepted if sent. */
  allowedActions: AllowedActions;
};

export type SubtaskRollup = {
  total: number;
  done: number;
  /** The worst timeliness among the sub-tasks not cancelled (overdue, then completed late, then on time). */
  worstTimeliness: Timeliness;
  items: Array<{ id: string; title: string; leadAgencyId: string; assigneeId: string | null; status: DirectiveStatus; timeliness: Timeliness; dueAt: string | null }>;
};

/** Worst first: an open overdue task outranks one finished late, which outranks work on time. */
const SEVERITY: Timeliness[] = ['open_overdue', 'completed_late', 'open_on_time', 'completed_on_time', 'no_deadline'];
export const worstTimelinessOf = (values: Timeliness[]): Timeliness => SEVERITY.find((t) => values.includes(t)) ?? 'no_deadline';

export type DirectiveQuery = {
  q?: string | undefined;
  overdue?: boolean | undefined;
  returned?: boolean | undefined;
  agency?: string | undefined;
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  status?: DirectiveStatus | undefined;
  timeliness?: Timeliness | undefined;
  leadAgency?: string | undefined;
  conferenceId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

export type Workload = {
  overdue: DirectiveView[];
  dueSoon: DirectiveView[];
  extensions: DirectiveView[];
  reviews: DirectiveView[];
  /** Directives with an explanation request waiting for this person: to answer (its agency), or to conclude (who decides). */
  explanations: DirectiveView[];
  counts: Record<Timeliness, number>;
};

export type StoredEventView = DirectiveEvent & { seq: number; occurredAt: string; actorId: string | null };

/** How a retried call is told apart: the Idempotency-Key of the API, or a form's one-time token. */
export type Retry = { idempotencyKey?: string | undefined };

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
/** A bare date in a filter means the start of that day in Vietnam. */
export const instantOf = (v: string): Date => (v.includes('T') ? new Date(v) : vnStartOfDay(v));
export const unknownAgency = (id: string): AgencySummary => ({ id, code: '?', name: '(unknown agency)' });
export const notFound = (id: string) => new ServiceFailure(FailureType.NotFound, `No directive ${id}.`);

/** The projection's columns a directive's state is read from (not its folded search text or its bookkeeping). */
export const STATE_COLUMNS = {
  id: directives.id,
  title: directives.title,
  body: directives.body,
  leadAgencyId: directives.leadAgencyId,
  conferenceId: directives.conferenceId,
  status: directives.status,
  timeliness: directives.timeliness,
  dueAt: directives.dueAt,
  nextDeadlineAt: directives.nextDeadlineAt,
  escalationLevel: directives.escalationLevel,
  issuedBy: directives.issuedBy,
  issuedAt: directives.issuedAt,
  completedAt: directives.completedAt,
  lastSeq: directives.lastSeq,
  confidential: directives.confidential,
  returnCount: directives.returnCount,
  returned: directives.returned,
};
export type StateRow = Pick<typeof directives.$inferSelect, keyof typeof STATE_COLUMNS>;

/** The state as the read model holds it: without the reviews, with what the projection counted of them. */
export type ProjectedState = DirectiveState & { returnCount?: number; returned?: boolean };

export function rowToState(row: StateRow, coordinatingAgencyIds: string[]): ProjectedState {
  return {
    directiveId: row.id,
    title: row.title,
    body: row.body,
    leadAgencyId: row.leadAgencyId,
    coordinatingAgencyIds,
    conferenceId: row.conferenceId,
    status: row.status,
    timeliness: row.timeliness,
    dueAt: iso(row.dueAt),
    nextDeadlineAt: iso(row.nextDeadlineAt),
    escalationLevel: row.escalationLevel,
    issuedBy: row.issuedBy,
    issuedAt: row.issuedAt.toISOString(),
    completedAt: iso(row.completedAt),
    seq: row.lastSeq,
    ...(row.confidential ? { confidential: true } : {}),
    returnCount: row.returnCount,
    returned: row.returned,
  };
}

export const toPolicy = (p: NonNullable<DirectiveFields['policy']>): DeadlinePolicy | null => {
  const [l1, l2, l3, ...more] = p.escalations;
  return l1 && l2 && l3 && more.length === 0 ? { reminders: p.reminders, escalations: [l1, l2, l3] } : null;
};

/** A workflow's refusal, as the application's failure: its type and reason reach the caller unchanged. */
export function refusalOf(err: unknown): unknown {
  // A validator's refusal as the workflow answered it, or as a service asked it of the read model beforehand.
  const rule = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (rule instanceof ApplicationFailure) {
    const type = isFailureType(rule.type) ? rule.type : FailureType.Invalid;
    return new ServiceFailure(type, rule.message, `directive-${(rule.type ?? 'refused').toLowerCase()}`);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new ServiceFailure(FailureType.Closed, 'The directive is closed; nothing more can be done.', 'directive-closed');
  }
  return err;
}

/** The plan in force as the history tells it: issued, re-planned by an extension or an upgrade, extended by a year. */
export function deadlinesFrom(events: StoredEventView[]): PlannedDeadline[] {
  let deadlines: PlannedDeadline[] = [];
  for (const e of events) {
    if (e.type === 'issued') deadlines = e.data.deadlines ?? [];
    if (e.type === 'replanned') deadlines = e.data.reason === 'next_year' ? [...deadlines, ...e.data.deadlines] : e.data.deadlines;
  }
  return deadlines;
}

/** Extension requests as the history tells them: requested, then decided. */
export function extensionsFrom(events: StoredEventView[]): ExtensionRequestView[] {
  const requests = new Map<string, ExtensionRequest>();
  for (const e of events) {
    if (e.type === 'extension_requested') requests.set(e.data.request.id, normalizeExtension(e.data.request));
    if (e.type === 'extension_decided') {
      const r = requests.get(e.data.requestId);
      const decision = { approved: e.data.approved, note: e.data.note, by: e.actorId ?? '', at: e.occurredAt };
      if (r && r.decision === null) requests.set(r.id, { ...r, decision });
    }
  }
  return [...requests.values()];
}


/** Explanation requests as the history tells them: requested, answered, closed. */
export function explanationsFrom(events: StoredEventView[]): ExplanationRequest[] {
  const requests = new Map<string, ExplanationRequest>();
  for (const e of events) {
    if (e.type === 'explanation_requested') requests.set(e.data.request.id, { ...e.data.request });
    const r = e.type === 'explanation_answered' || e.type === 'explanation_closed' ? requests.get(e.data.requestId) : undefined;
    if (r && e.type === 'explanation_answered') r.answer = e.data.answer;
    if (r && e.type === 'explanation_closed') r.closure = { at: e.occurredAt, by: e.actorId ?? '', accepted: e.data.accepted, note: e.data.note };
    // A merge moves the predecessor's requests to its successor, as the workflow does (the statistics keep the predecessor).
    if (e.type === 'reassigned' && e.data.transfer) {
      for (const x of requests.values()) if (x.agencyId === e.data.transfer.fromAgencyId) x.agencyId = e.data.transfer.toAgencyId;
    }
  }
  return [...requests.values()];
}
