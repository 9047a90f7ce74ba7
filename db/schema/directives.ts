/** Directives and what hangs off them: conferences, the projection, assignments, the append-only events, the versions statistics count, readers, escalations, reports, explanation requests. */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DirectiveEvent, DirectiveEventType } from '../../domain/events.js';
import { FACT_STATES } from '../../domain/lists.js';
import type { ConferenceKind, DirectiveStatus, Timeliness } from '../../domain/lists.js';
import { createdAt, assignmentRoleEnum } from './columns.js';
import { agencies, users } from './people.js';

export const conferences = pgTable('conferences', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  kind: text('kind').$type<ConferenceKind>().notNull().default('giao_ban'),
  heldOn: date('held_on'),
  chair: text('chair'),
  conclusionRef: text('conclusion_ref'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
});

/** Read model of one directive; written only by the workflow's recordEvent activity. */
export const directives = pgTable(
  'directives',
  {
    id: uuid('id').primaryKey(),
    workflowId: text('workflow_id').notNull(),
    conferenceId: uuid('conference_id').references(() => conferences.id),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** Title and body folded by foldVietnamese, for search with or without diacritics. */
    searchText: text('search_text').notNull().default(''),
    leadAgencyId: uuid('lead_agency_id')
      .notNull()
      .references(() => agencies.id),
    status: text('status').$type<DirectiveStatus>().notNull(),
    timeliness: text('timeliness').$type<Timeliness>().notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    nextDeadlineAt: timestamp('next_deadline_at', { withTimezone: true }),
    escalationLevel: integer('escalation_level').notNull().default(0),
    issuedBy: uuid('issued_by'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /**
     * The first and the last instant the plan in force holds (due instants, reminders, rungs): a calendar change
     * reaches a directive only when its days fall between them, give or take the offsets (workflows/calendar-replan.ts).
     */
    plannedFrom: timestamp('planned_from', { withTimezone: true }),
    plannedUntil: timestamp('planned_until', { withTimezone: true }),
    /** A sub-task's parent directive (delegation to a sub-unit or a named officer); null for a directive of its own. */
    parentId: uuid('parent_id').references((): AnyPgColumn => directives.id),
    /** A sub-task given to a named officer of the lead agency. */
    assigneeId: uuid('assignee_id'),
    /** "Mật": seen only by its assigned agencies, its issuing leader and named readers (domain/confidential.ts). */
    confidential: boolean('confidential').notNull().default(false),
    /** Completions the reviewer sent back ("trả lại"), and whether the last one stands (in progress again since). */
    returnCount: integer('return_count').notNull().default(0),
    returned: boolean('returned').notNull().default(false),
    /** Sequence number of the last event applied; projections only move forward. */
    lastSeq: integer('last_seq').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('directives_workflow_id_key').on(t.workflowId),
    index('directives_status_idx').on(t.status),
    index('directives_due_at_idx').on(t.dueAt),
    index('directives_conference_idx').on(t.conferenceId),
    // The returned completions a list asks for: few at any time.
    index('directives_returned_idx')
      .on(t.issuedAt, t.id)
      .where(sql`${t.returned}`),
    index('directives_parent_idx')
      .on(t.parentId)
      .where(sql`${t.parentId} is not null`),
    // A list is newest first (services/directive-reads.ts). Walking this index, a due range or a status is checked
    // in the index itself, so the rows a page skips cost no heap read (a due range matches old directives).
    index('directives_issued_at_id_idx').on(t.issuedAt, t.id, t.dueAt, t.status),
    // With each filter's column ahead of (issued_at, id), a page reads its own rows and stops, however old the
    // rows that match (overdue ones are).
    index('directives_timeliness_issued_at_idx').on(t.timeliness, t.issuedAt, t.id),
    index('directives_lead_agency_issued_at_idx').on(t.leadAgencyId, t.issuedAt, t.id),
    // `q` is ILIKE '%…%' on the folded text: trigrams find the few rows of a rare word without reading them all.
    // pg_trgm ships with PostgreSQL; the migration skips this index where the extension cannot be created.
    index('directives_search_text_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    directiveId: uuid('directive_id')
      .notNull()
      .references(() => directives.id),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    role: assignmentRoleEnum('role').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
    /** Set when ownership moves (reassignment, merge); the row stays as history. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.directiveId, t.agencyId, t.role, t.assignedAt] }),
    // An agency's current directives, from the index alone (a scope joined with the agency filter).
    index('assignments_agency_idx').on(t.agencyId, t.directiveId).where(sql`${t.endedAt} is null`),
    // "Assigned to one of these agencies" (an officer's scope, the agency filter) asks this for every directive
    // a list looks at: answered from the index alone.
    index('assignments_current_idx').on(t.directiveId, t.agencyId).where(sql`${t.endedAt} is null`),
  ],
);

/** Append-only history; (directive_id, seq) makes a retried recordEvent activity a no-op. */
export const directiveEvents = pgTable(
  'directive_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    directiveId: uuid('directive_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').$type<DirectiveEventType>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    /** Read through db/events.ts storedEvent, which pairs it with `type`. */
    data: jsonb('data').$type<DirectiveEvent['data']>().notNull().default(sql`'{}'::jsonb`),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('directive_events_directive_seq_key').on(t.directiveId, t.seq)],
);

/**
 * What each directive was, from one event to the next: who led and coordinated it, the deadline in force,
 * whether it was open, completed or cancelled. Statistics "as of" a moment read the version in force then
 * (valid_from < moment <= valid_to), so a later completion, extension or reassignment never rewrites the past.
 * Written with the event that began the version, in the recordEvent transaction; `seq` is that event's.
 */
export const directiveFacts = pgTable(
  'directive_facts',
  {
    directiveId: uuid('directive_id').notNull(),
    seq: integer('seq').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    /** 'infinity' for the version in force now, so one range condition finds every version. */
    validTo: timestamp('valid_to', { withTimezone: true }).notNull().default(sql`'infinity'`),
    state: text('state', { enum: FACT_STATES }).notNull(),
    leadAgencyId: uuid('lead_agency_id').notNull(),
    coordinatingAgencyIds: uuid('coordinating_agency_ids').array().notNull().default(sql`'{}'::uuid[]`),
    dueAt: timestamp('due_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Never change over a directive's life; here so a statistic filters without a join. */
    conferenceId: uuid('conference_id'),
    issuedBy: uuid('issued_by'),
  },
  (t) => [
    primaryKey({ columns: [t.directiveId, t.seq] }),
    // What a statistic as of a moment reads (services/statistics.ts): the open versions still in force then,
    // and the versions that closed a directive within the period.
    index('directive_facts_open_idx').on(t.validTo, t.validFrom).where(sql`${t.state} = 'open'`),
    index('directive_facts_closed_idx').on(t.validFrom).where(sql`${t.state} <> 'open'`),
    index('directive_facts_current_idx').on(t.directiveId).where(sql`${t.validTo} = 'infinity'`),
  ],
);

/** The people a confidential directive's issuing leader named as its readers, besides its assigned agencies. */
export const directiveReaders = pgTable(
  'directive_readers',
  {
    // No foreign key to directives: readers are named when it is issued, before its first event is projected.
    directiveId: uuid('directive_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    addedBy: uuid('added_by'),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.directiveId, t.userId] })],
);

/** One rung of the ladder fired for one agency and one due instant; resolved by the report or completion. */
export const escalations = pgTable(
  'escalations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    directiveId: uuid('directive_id').notNull(),
    deadlineKey: text('deadline_key').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    agencyId: uuid('agency_id').notNull(),
    level: integer('level').notNull(),
    targetAgencyId: uuid('target_agency_id'),
    targetUserId: uuid('target_user_id'),
    targetLabel: text('target_label').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
    /** The recipient has seen it; the rung stays open until the report or completion resolves it. */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: uuid('acknowledged_by'),
  },
  (t) => [
    uniqueIndex('escalations_rung_key').on(t.directiveId, t.deadlineKey, t.dueAt, t.agencyId, t.level),
    index('escalations_target_agency_open_idx').on(t.targetAgencyId).where(sql`${t.resolvedAt} is null`),
    index('escalations_target_user_open_idx').on(t.targetUserId).where(sql`${t.resolvedAt} is null`),
  ],
);

export const reports = pgTable(
  'reports',
  {
    directiveId: uuid('directive_id').notNull(),
    deadlineKey: text('deadline_key').notNull(),
    agencyId: uuid('agency_id').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    submittedBy: uuid('submitted_by'),
    late: boolean('late').notNull(),
    summary: text('summary').notNull(),
  },
  (t) => [primaryKey({ columns: [t.directiveId, t.deadlineKey, t.agencyId] })],
);

/**
 * Explanation requests ("yêu cầu giải trình") as the statistics count them: asked of an agency, when the answer
 * was due, whether and when it came (on time or late), and the leader's verdict. Projected from the directive's
 * events; the workflow holds the request itself (its question, answer and ladder).
 */
export const explanationRequests = pgTable(
  'explanation_requests',
  {
    directiveId: uuid('directive_id').notNull(),
    /** `gt1`, `gt2`, … within the directive. */
    requestId: text('request_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
    deadlineKey: text('deadline_key').notNull(),
    requestedBy: uuid('requested_by'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredLate: boolean('answered_late'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    accepted: boolean('accepted'),
  },
  (t) => [primaryKey({ columns: [t.directiveId, t.requestId] }), index('explanation_requests_requested_idx').on(t.requestedAt)],
);
