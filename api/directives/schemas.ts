/** The JSON shapes of directives: what a request may send, what a response holds. */
import { z } from '@hono/zod-openapi';
import { parse as parseDuration, toSeconds } from 'iso8601-duration';
import type { DirectiveEventType, EventPayloads } from '../../domain/events.js';
import { HORIZON_MESSAGE, HORIZON_YEARS, horizonEndMs, MAX_OFFSET_MS } from '../../domain/horizon.js';
import { TEXT_LIMITS } from '../../domain/limits.js';
import { ATTACHMENT_KINDS, DEADLINE_KINDS, DIRECTIVE_STATUSES, PERIODIC_REGIMES, TIMELINESS } from '../../domain/lists.js';
import { givenInstant } from '../../domain/vn-time.js';

export const AgencyRef = z.string().trim().min(1).max(100).openapi({ description: 'Agency id or code', example: 'CAT' });

/**
 * Every instant a request gives lies at most ten years ahead (domain/horizon.ts): asked here, in the services
 * for the web forms, and in the workflow's validators and planner.
 */
const withinHorizon = (v: string): boolean => givenInstant(v).getTime() <= horizonEndMs(Date.now());
/** A malformed duration fails z.iso.duration() beside this check, which must not throw on it. */
const durationWithinHorizon = (d: string): boolean => {
  try {
    return toSeconds(parseDuration(d)) * 1000 <= MAX_OFFSET_MS;
  } catch {
    return false;
  }
};
const Day = z.iso.date().refine(withinHorizon, { message: HORIZON_MESSAGE });
const Moment = z.iso.datetime({ offset: true }).refine(withinHorizon, { message: HORIZON_MESSAGE });

const Offset = z
  .union([
    z.object({ workingDays: z.number().int().min(0).max(60) }).strict(),
    z
      .object({
        duration: z.iso
          .duration()
          .refine(durationWithinHorizon, { message: `An offset is at most ${HORIZON_YEARS} years` }),
      })
      .strict(),
  ])
  .openapi('Offset', { description: 'Working days on the Vietnamese calendar, or an ISO-8601 duration.' });

const Regime = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }).strict(),
    z.object({ kind: z.enum(PERIODIC_REGIMES), submitAfterCutoff: Offset.optional() }).strict(),
    z
      .object({
        kind: z.literal('explicit'),
        dueDates: z.array(z.union([z.iso.date(), z.iso.datetime({ offset: true })]).refine(withinHorizon, { message: HORIZON_MESSAGE })).min(1).max(400),
      })
      .strict(),
  ])
  .openapi('ReportingRegime', {
    description: 'Report periods: Decree 09/2019 cut-offs (the 14th) for periodic regimes, or explicit due days.',
  });

const Policy = z
  // An array of exactly three rather than a tuple: OpenAPI linters want `items` on every array.
  .object({ reminders: z.array(Offset).max(5), escalations: z.array(Offset).length(3) })
  .strict()
  .openapi('DeadlinePolicy');

export const DirectiveFields = z
  .object({
    title: z.string().trim().min(1).max(TEXT_LIMITS.title).openapi({ example: 'Đẩy nhanh tiến độ giải quyết đơn thư trễ hạn' }),
    body: z.string().max(TEXT_LIMITS.body).default(''),
    leadAgency: AgencyRef,
    coordinatingAgencies: z.array(AgencyRef).max(50).default([]),
    dueDate: Day.optional().openapi({
      description: 'Final deadline as a calendar day; it ends at 24:00 Vietnam time, at most ten years ahead. Omit for a standing directive.',
      example: '2026-12-31',
    }),
    dueAt: Moment.optional().openapi({
      description: 'Final deadline as an exact instant (alternative to dueDate), at most ten years ahead.',
    }),
    conferenceId: z.uuid().optional(),
    confidential: z.boolean().default(false).openapi({
      description: '"Mật": only its assigned agencies, the issuing leader and `readers` see it; notifications carry a reference and a link only',
    }),
    readers: z.array(z.uuid()).max(100).default([]).openapi({ description: 'Users who may also read a confidential directive' }),
    regime: Regime.optional(),
    policy: Policy.optional(),
  })
  .strict();

/** A deadline is a calendar day or an instant, never both. */
export const oneDeadline = {
  check: (b: { dueDate?: string | undefined; dueAt?: string | undefined }) => !(b.dueDate && b.dueAt),
  message: 'Give dueDate or dueAt, not both',
  path: ['dueAt'],
};

export const CreateDirectiveBody = DirectiveFields.refine(oneDeadline.check, { message: oneDeadline.message, path: oneDeadline.path }).openapi(
  'CreateDirective',
);

const AgencySummary = z.object({ id: z.uuid(), code: z.string(), name: z.string() }).openapi('AgencySummary');

export const DirectiveView = z
  .object({
    id: z.uuid(),
    workflowId: z.string(),
    title: z.string(),
    body: z.string(),
    status: z.enum(DIRECTIVE_STATUSES),
    timeliness: z.enum(TIMELINESS),
    leadAgency: AgencySummary,
    coordinatingAgencies: z.array(AgencySummary),
    conferenceId: z.uuid().nullable(),
    dueAt: z.string().nullable(),
    nextDeadlineAt: z.string().nullable(),
    confidential: z.boolean().openapi({ description: '"Mật": seen only by its assigned agencies, its issuing leader and named readers' }),
    returned: z.boolean().openapi({ description: 'The last completion was sent back ("trả lại") and nothing has been submitted since: not done' }),
    returnCount: z.number().int().openapi({ description: 'Completions sent back in all' }),
    escalationLevel: z.number().int(),
    issuedBy: z.string().nullable(),
    issuedAt: z.string(),
    completedAt: z.string().nullable(),
    lastSeq: z.number().int(),
    links: z.object({ self: z.string(), events: z.string(), temporalUi: z.string().optional() }),
  })
  .openapi('Directive');

const Ownership = z.object({ leadAgencyId: z.string(), coordinatingAgencyIds: z.array(z.string()) });
const PlannedDeadline = z
  .object({
    key: z.string(),
    kind: z.enum(DEADLINE_KINDS),
    label: z.string(),
    dueAt: z.string(),
    reminders: z.array(z.string()),
    escalations: z.array(z.string()),
  })
  .openapi('PlannedDeadline');
const Report = z
  .object({ deadlineKey: z.string(), agencyId: z.string(), at: z.string(), summary: z.string(), late: z.boolean(), by: z.string() })
  .openapi('Report');
const ExtensionRequestBase = z.object({
  id: z.string().openapi({ description: 'Names the request in a decision', example: 'x1' }),
  requestedAt: z.string(),
  requestedBy: z.string(),
  reason: z.string(),
  decision: z.object({ approved: z.boolean(), by: z.string(), at: z.string(), note: z.string() }).nullable(),
});
/** The proposed deadline is a day (ends at 24:00 Vietnam time, moved past days off) or an instant; the other is null. */
export const ExtensionRequestView = z
  .union([
    ExtensionRequestBase.extend({ proposedDueDate: z.iso.date(), proposedDueAt: z.null() }),
    ExtensionRequestBase.extend({ proposedDueDate: z.null(), proposedDueAt: z.string() }),
  ])
  .openapi('ExtensionRequestView');

/** An explanation request ("yêu cầu giải trình") with its answer and the leader's verdict. */
export const ExplanationRequestView = z
  .object({
    id: z.string().openapi({ description: 'Names the request in an answer or a closing', example: 'gt1' }),
    agencyId: z.string().openapi({ description: 'The agency asked' }),
    deadlineKey: z.string().openapi({ description: "The overdue item: a report period's key or final" }),
    label: z.string(),
    question: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    dueAt: z.string().openapi({ description: 'When the answer is due' }),
    reminders: z.array(z.string()),
    escalations: z.array(z.string()),
    answer: z.object({ at: z.string(), by: z.string(), text: z.string(), late: z.boolean(), attachmentIds: z.array(z.string()) }).nullable(),
    closure: z.object({ at: z.string(), by: z.string(), accepted: z.boolean(), note: z.string() }).nullable(),
  })
  .openapi('ExplanationRequestView');

/** What the caller may do now: the forms the web page shows, for a machine client too (workflows/allowed.ts). */
export const AllowedActions = z
  .object({
    acknowledge: z.boolean(),
    report: z.array(z.string()).openapi({ description: 'Report periods (deadline keys) the caller\'s agency may still report on' }),
    attach: z.array(z.enum(ATTACHMENT_KINDS)).openapi({ description: 'Kinds of file the caller may attach' }),
    answerExplanation: z.array(z.string()).openapi({ description: "Explanation requests the caller's agency may answer" }),
    requestExtension: z.boolean(),
    decideExtension: z.array(z.string()).openapi({ description: 'Extension requests the caller may decide' }),
    submitCompletion: z.boolean(),
    reviewCompletion: z.boolean(),
    delegate: z.boolean().openapi({ description: 'Whether the caller may split the directive into sub-tasks' }),
    requestExplanation: z
      .array(z.object({ deadlineKey: z.string(), agencyId: z.string() }))
      .openapi({ description: 'Overdue items, per agency that owes them, the caller may ask to be explained' }),
    closeExplanation: z
      .array(z.object({ requestId: z.string(), accept: z.boolean() }))
      .openapi({ description: 'Explanation requests the caller may close; `accept` when it may also accept them' }),
    reassign: z.boolean(),
    cancel: z.boolean(),
  })
  .openapi('AllowedActions', { description: 'What the caller may do with the directive now, scope included: each is accepted if sent' });

export const DirectiveDetail = DirectiveView.extend({
  deadlines: z.array(PlannedDeadline).openapi({ description: 'The report periods and the final deadline in force, from the history' }),
  acknowledgements: z.array(z.object({ agencyId: z.string(), at: z.string() })),
  reports: z.array(Report),
  extensionRequests: z.array(ExtensionRequestView).openapi({ description: 'Every extension request and its decision, from the history' }),
  explanationRequests: z.array(ExplanationRequestView).openapi({ description: 'Every explanation request, its answer and its closing, from the history' }),
  live: z
    .unknown()
    .nullable()
    .openapi({ description: "The workflow's live `state` query, or null when the worker cannot answer now." }),
  parent: z.object({ id: z.uuid(), title: z.string() }).nullable().openapi({ description: "A sub-task's parent directive" }),
  assigneeId: z.uuid().nullable().openapi({ description: 'A sub-task given to a named officer of the lead agency' }),
  allowedActions: AllowedActions,
  subtasks: z
    .object({
      total: z.number().int(),
      done: z.number().int(),
      worstTimeliness: z.enum(TIMELINESS),
      items: z.array(
        z.object({
          id: z.uuid(),
          title: z.string(),
          leadAgencyId: z.uuid(),
          assigneeId: z.uuid().nullable(),
          status: z.enum(DIRECTIVE_STATUSES),
          timeliness: z.enum(TIMELINESS),
          dueAt: z.string().nullable(),
        }),
      ),
    })
    .nullable()
    .openapi('SubtaskRollup', { description: 'The sub-tasks it was split into: done / total and the worst timeliness among them' }),
}).openapi('DirectiveDetail');

export const DirectiveWithRequest = DirectiveView.extend({ extensionRequest: ExtensionRequestView }).openapi('DirectiveWithExtensionRequest');
export const DirectiveWithExplanation = DirectiveView.extend({ explanationRequest: ExplanationRequestView }).openapi('DirectiveWithExplanationRequest');

// --- the history: one schema per event type, each held to the payload type of domain/events.ts -----------

const Escalation = z
  .object({
    deadlineKey: z.string(),
    dueAt: z.string(),
    agencyId: z.string(),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    openedAt: z.string(),
    target: z.object({ agencyId: z.string().nullable(), userId: z.string().nullable(), label: z.string() }),
    resolvedAt: z.string().nullable(),
    resolution: z.string().nullable(),
    acknowledgedAt: z.string().nullable().optional(),
    acknowledgedBy: z.string().nullable().optional(),
  })
  .openapi('EscalationRung');
const EarlierExtensionRequest = ExtensionRequestBase.extend({
  proposedDueAt: z.string().openapi({ description: 'A day or an instant (recorded by releases before 0.2)' }),
}).openapi('EarlierExtensionRequest');
const Missed = z.object({ deadlineKey: z.string(), label: z.string(), dueAt: z.string(), missing: z.array(z.string()) });

const Subtask = z
  .object({
    directiveId: z.uuid(),
    title: z.string(),
    leadAgencyId: z.uuid(),
    assigneeId: z.uuid().nullable(),
    dueAt: z.string().nullable(),
    closed: z.boolean(),
  })
  .openapi('Subtask');

const event = <K extends DirectiveEventType>(type: K, data: z.ZodType<EventPayloads[K]>) =>
  z.object({ seq: z.number().int(), type: z.literal(type), occurredAt: z.string(), actorId: z.string().nullable(), data });

/** One event of the history; `data` is the payload of its `type`. */
export const DirectiveEvent = z
  .discriminatedUnion('type', [
    event(
      'issued',
      Ownership.extend({ dueAt: z.string().nullable(), regime: Regime.optional(), deadlines: z.array(PlannedDeadline).optional() }),
    ),
    event('overdue', z.object({ dueAt: z.string(), deadlineKey: z.string().optional(), label: z.string().optional(), missing: z.array(z.string()).optional() })),
    event('acknowledged', z.object({ agencyId: z.string() })),
    event('report_submitted', z.object({ report: Report })),
    event('reminder_due', z.object({ deadlineKey: z.string(), label: z.string(), dueAt: z.string(), agencyId: z.string(), reminder: z.number().int() })),
    event('deadline_missed', Missed),
    event('escalated', z.object({ escalation: Escalation, label: z.string() })),
    event('escalation_resolved', z.object({ escalations: z.array(Escalation), resolution: z.string() })),
    event('escalation_acknowledged', z.object({ escalation: Escalation })),
    event('extension_requested', z.object({ request: z.union([ExtensionRequestView, EarlierExtensionRequest]) })),
    event('extension_decided', z.object({ requestId: z.string(), approved: z.boolean(), note: z.string() })),
    event(
      'replanned',
      z.discriminatedUnion('reason', [
        z.object({ reason: z.literal('extension'), requestId: z.string(), dueAt: z.string().nullable(), deadlines: z.array(PlannedDeadline) }),
        z.object({ reason: z.literal('next_year'), deadlines: z.array(PlannedDeadline) }),
        z.object({ reason: z.literal('lifecycle_upgrade'), dueAt: z.string().nullable(), deadlines: z.array(PlannedDeadline) }),
        z.object({
          reason: z.literal('calendar'),
          changeId: z.string(),
          cause: z.string().openapi({ example: 'lịch nghỉ Tết Nguyên đán 2027 theo quyết định của Chính phủ' }),
          dueAt: z.string().nullable(),
          deadlines: z.array(PlannedDeadline),
          moves: z.array(
            z.object({ deadlineKey: z.string(), kind: z.enum(DEADLINE_KINDS), label: z.string(), from: z.string(), to: z.string() }).openapi('DeadlineMove'),
          ),
        }),
      ]),
    ),
    event('completion_submitted', z.object({ summary: z.string(), closeOpenSubtasks: z.object({ note: z.string() }).optional() })),
    event('completion_reviewed', z.object({ accepted: z.boolean(), note: z.string() })),
    event(
      'reassigned',
      z.object({
        before: Ownership,
        after: Ownership,
        reason: z.string(),
        transfer: z
          .object({ changeId: z.string(), fromAgencyId: z.string(), toAgencyId: z.string() })
          .optional()
          .openapi({ description: "The move was an agency's reorganisation (a merge or a split), not a leader's decision" }),
      }),
    ),
    event('cancelled', z.object({ reason: z.string() })),
    event('delegated', z.object({ subtasks: z.array(Subtask) })),
    event(
      'attachment_added',
      z.object({
        attachment: z.object({
          id: z.uuid(),
          sha256: z.string(),
          size: z.number().int(),
          kind: z.enum(ATTACHMENT_KINDS),
          deadlineKey: z.string().nullable().openapi({ description: "A report's period, or the explanation request's id" }),
        }),
      }),
    ),
    event('explanation_requested', z.object({ request: ExplanationRequestView })),
    event(
      'explanation_answered',
      z.object({ requestId: z.string(), answer: z.object({ at: z.string(), by: z.string(), text: z.string(), late: z.boolean(), attachmentIds: z.array(z.string()) }) }),
    ),
    event('explanation_closed', z.object({ requestId: z.string(), accepted: z.boolean(), note: z.string() })),
  ])
  .openapi('DirectiveEvent');

const Instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
export const ListQuery = z.object({
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Words in the title or body, with or without diacritics' }),
  overdue: z.enum(['true', 'false']).optional(),
  returned: z.enum(['true', 'false']).optional().openapi({ description: 'Only those whose last completion was sent back (true), or none of them (false)' }),
  agency: z.uuid().optional().openapi({ description: 'Assigned (lead or coordinating) agency' }),
  dueBefore: Instant.optional(),
  dueAfter: Instant.optional(),
  status: z.enum(DIRECTIVE_STATUSES).optional(),
  timeliness: z.enum(TIMELINESS).optional(),
  leadAgency: z.uuid().optional(),
  conferenceId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

const Text = (max: number) => z.string().trim().min(1).max(max);
export const ReportBody = z.object({ deadlineKey: z.string().min(1).max(TEXT_LIMITS.key), summary: Text(TEXT_LIMITS.summary) }).strict().openapi('ReportSubmission');
export const ExtensionBody = z
  .object({ proposedDueDate: Day.optional(), proposedDueAt: Moment.optional(), reason: Text(TEXT_LIMITS.reason) })
  .strict()
  .refine((b) => !b.proposedDueDate !== !b.proposedDueAt, { message: 'Give proposedDueDate or proposedDueAt', path: ['proposedDueDate'] })
  .openapi('ExtensionRequest');
export const DecisionBody = z.object({ approve: z.boolean(), note: z.string().max(TEXT_LIMITS.note).default('') }).strict().openapi('ExtensionDecision');
export const CompletionBody = z
  .object({
    summary: Text(TEXT_LIMITS.summary),
    closeOpenSubtasks: z
      .object({ note: Text(TEXT_LIMITS.reason) })
      .strict()
      .optional()
      .openapi({ description: 'Required while sub-tasks are open: the lead confirms they close with this note when the directive completes' }),
  })
  .strict()
  .openapi('CompletionSubmission');
export const DelegateBody = z
  .object({
    subtasks: z
      .array(
        z
          .object({
            title: Text(TEXT_LIMITS.title),
            body: z.string().max(TEXT_LIMITS.body).default(''),
            subUnit: AgencyRef.optional().openapi({ description: 'A sub-unit of the lead agency (its organisational child)' }),
            assignee: z.uuid().optional().openapi({ description: 'Or a named officer of the lead agency' }),
            dueDate: Day.optional(),
            dueAt: Moment.optional(),
          })
          .strict()
          .refine((t) => !t.subUnit !== !t.assignee, { message: 'Give subUnit or assignee', path: ['subUnit'] })
          .refine(oneDeadline.check, { message: oneDeadline.message, path: oneDeadline.path }),
      )
      .min(1)
      .max(50),
  })
  .strict()
  .openapi('Delegation');
export const ReviewBody = z.object({ accept: z.boolean(), note: z.string().max(TEXT_LIMITS.note).default('') }).strict().openapi('CompletionReview');
export const ReassignBody = z
  .object({ leadAgency: AgencyRef, coordinatingAgencies: z.array(AgencyRef).max(50).default([]), reason: Text(TEXT_LIMITS.reason) })
  .strict()
  .openapi('Reassignment');
export const CancelBody = z.object({ reason: Text(TEXT_LIMITS.reason) }).strict().openapi('Cancellation');

export const ReadersBody = z.object({ readers: z.array(z.uuid()).max(100) }).strict().openapi('ConfidentialReaders');

export const ExplanationBody = z
  .object({
    agency: AgencyRef.openapi({ description: 'The agency asked: the lead, or a coordinating agency (id or code)' }),
    deadlineKey: z.string().min(1).max(TEXT_LIMITS.key).openapi({ description: "The overdue item: a report period's key, or final", example: 'final' }),
    question: Text(TEXT_LIMITS.question),
    dueDate: Day.optional().openapi({ description: 'The answer is due at 24:00 of this day (moved past days off)' }),
    dueAt: Moment.optional(),
  })
  .strict()
  .refine((b) => !b.dueDate !== !b.dueAt, { message: 'Give dueDate or dueAt, exactly one', path: ['dueDate'] })
  .openapi('ExplanationRequest');
export const ExplanationAnswerBody = z
  .object({
    text: Text(TEXT_LIMITS.summary),
    attachmentIds: z
      .array(z.uuid())
      .max(20)
      .default([])
      .openapi({ description: 'Files attached to this request beforehand (POST …/attachments?kind=explanation&deadlineKey=<request id>)' }),
  })
  .strict()
  .openapi('ExplanationAnswer');
export const ExplanationClosingBody = z
  .object({ accepted: z.boolean(), note: z.string().max(TEXT_LIMITS.note).default('').openapi({ description: 'Required when not accepted' }) })
  .strict()
  .openapi('ExplanationClosing');
