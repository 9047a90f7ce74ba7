import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { CalendarSource, RecordedOccasion } from '../domain/calendar.js';
import type { DirectiveEvent, DirectiveEventType } from '../domain/events.js';
import {
  ASSIGNMENT_ROLES,
  CALENDAR_OVERRIDE_KINDS,
  DELIVERY_MODES,
  FACT_STATES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  ROLES,
  SIGN_IN_METHODS,
  type ConferenceKind,
  type DirectiveStatus,
  type Language,
  type NotificationKind,
  type Timeliness,
} from '../domain/lists.js';
import type { PublishedReport, ScoringRule } from '../domain/statistics.js';
import type { SplitChoice, SplitRule } from '../domain/split.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

// The enums are the lists of domain/lists.ts; drizzle-kit turns a new value there into a migration.
export const roleEnum = pgEnum('role', ROLES);
export const assignmentRoleEnum = pgEnum('assignment_role', ASSIGNMENT_ROLES);
export const deliveryEnum = pgEnum('notification_delivery', DELIVERY_MODES);
export const channelEnum = pgEnum('notification_channel', NOTIFICATION_CHANNELS);
export const notificationStatusEnum = pgEnum('notification_status', NOTIFICATION_STATUSES);

/**
 * The agency directory is a tree of any depth (DESIGN.md §1): `parentId` is the organisational parent,
 * `supervisorId` the agency that "theo dõi, đôn đốc" it and receives its level-2 escalations.
 * A merged agency keeps its row (history refers to it) and points at its successor.
 */
export const agencies = pgTable(
  'agencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    /** Other names the agency goes by in conclusions ("Tòa án tỉnh", "CA tỉnh"), mapped once by a leader. */
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    parentId: uuid('parent_id').references((): AnyPgColumn => agencies.id),
    supervisorId: uuid('supervisor_id').references((): AnyPgColumn => agencies.id),
    successorId: uuid('successor_id').references((): AnyPgColumn => agencies.id),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('agencies_code_key').on(t.code), index('agencies_supervisor_idx').on(t.supervisorId)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email'),
    role: roleEnum('role').notNull(),
    agencyId: uuid('agency_id').references(() => agencies.id),
    /** SHA-256 of the bearer token; tokens are random 32-byte strings, so a fast hash is enough. */
    tokenHash: text('token_hash').notNull(),
    language: text('language').$type<Language>().notNull().default('vi'),
    /** Notification preferences: the channels a user is reached on, and immediate mail or the daily digest only. */
    channels: text('channels').array().notNull().default(sql`'{email}'::text[]`),
    delivery: deliveryEnum('delivery').notNull().default('immediate'),
    /** argon2id (PHC string) of the person's password for the web app; null until one is set. */
    passwordHash: text('password_hash'),
    passwordSetAt: timestamp('password_set_at', { withTimezone: true }),
    /** The `sub` of the province's OpenID provider, once the person has signed in with it. */
    oidcSubject: text('oidc_subject'),
    createdAt: createdAt(),
    /** A revoked user can neither use a token nor sign in; their sessions end. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_token_hash_key').on(t.tokenHash),
    // People sign in with their address, so one address is one person.
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_oidc_subject_key').on(t.oidcSubject),
  ],
);

/** A signed-in browser: the cookie holds a random token, this table its SHA-256 only. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    method: text('method', { enum: SIGN_IN_METHODS }).notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** A one-time link an admin sends so a person sets their first password (or a new one). */
export const invitations = pgTable(
  'invitations',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when the invitation was used, replaced, voided by too many wrong submissions, or closed with its user. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** Wrong submissions so far (services/accounts.ts INVITATION_FAILURES). */
    failedAttempts: integer('failed_attempts').notNull().default(0),
  },
  (t) => [index('invitations_user_idx').on(t.userId)],
);

/** Failed sign-ins per account (`account:<address>`) and per client address (`address:<ip>`), for throttling. */
export const signInFailures = pgTable('sign_in_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

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

/** Every version of the scoring rule an admin saved; the newest is in force. */
export const scoringRules = pgTable('scoring_rules', {
  id: serial('id').primaryKey(),
  rule: jsonb('rule').$type<ScoringRule>().notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
});

/**
 * A period's result as a leader froze it: the rule and the numbers it used, kept as they were when the rule
 * or the data later change. One per period.
 */
export const publishedResults = pgTable(
  'published_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    period: text('period').notNull(),
    asOf: timestamp('as_of', { withTimezone: true }).notNull(),
    ruleVersion: integer('rule_version'),
    rule: jsonb('rule').$type<ScoringRule>().notNull(),
    report: jsonb('report').$type<PublishedReport>().notNull(),
    note: text('note'),
    publishedBy: uuid('published_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('published_results_period_key').on(t.period)],
);

/** Creating POSTs remember their Idempotency-Key so a retry returns the first result. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    resourceId: uuid('resource_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** Per-year corrections of the computed calendar: the Prime Minister's swaps and extra days off. */
export const calendarOverrides = pgTable('calendar_overrides', {
  date: date('date').primaryKey(),
  kind: text('kind', { enum: CALENDAR_OVERRIDE_KINDS }).notNull(),
  note: text('note'),
  /** The decision an override of record comes from (db/calendar-of-record.json); null for an admin's own. */
  source: jsonb('source').$type<CalendarSource>(),
  createdAt: createdAt(),
});

/** The calendar of record per year: whether its decisions were verified, and the occasions with their sources. */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  verified: boolean('verified').notNull(),
  note: text('note'),
  occasions: jsonb('occasions').$type<RecordedOccasion[]>().notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A change of the working calendar whose open directives must be re-planned: written with the change itself
 * (an admin's override, a year of record loaded), so a change is never lost when Temporal is down; its
 * re-plan run (`calendar-replan-<id>`) is started from here and marks it finished.
 */
export const calendarChanges = pgTable('calendar_changes', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The days whose override changed. */
  dates: jsonb('dates').$type<string[]>().notNull(),
  /** The end of the history's sentence: "hạn … chuyển từ … sang … do <cause>". */
  cause: text('cause').notNull(),
  createdAt: createdAt(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  /** Directives the run asked, and how many of them moved. */
  examined: integer('examined'),
  moved: integer('moved'),
});

/**
 * A reorganisation of the directory whose open work moves through the workflows (a merge: the predecessor's
 * directives to its successor). Written with the directory change; its run (`reorganisation-<id>`) is started
 * from here and marks it finished, so a move is never lost when Temporal is down.
 */
export const reorganisations = pgTable('reorganisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').$type<'merge' | 'split'>().notNull(),
  fromAgencyId: uuid('from_agency_id')
    .notNull()
    .references(() => agencies.id),
  toAgencyId: uuid('to_agency_id')
    .notNull()
    .references(() => agencies.id),
  /** The history's reason ("sáp nhập"). */
  reason: text('reason').notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  /** Open directives of the predecessor asked to move, and how many moved. */
  examined: integer('examined'),
  moved: integer('moved'),
  /** A split's rules as the admin gave them (`toAgencyId` is then the default successor). */
  rules: jsonb('rules').$type<SplitRule[]>(),
});

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

/**
 * A split's plan: the successor each open directive of the predecessor goes to, decided when the split is made
 * (by the admin per directive, by a rule, or the default), so the move is the same whenever it runs.
 */
export const reorganisationMoves = pgTable(
  'reorganisation_moves',
  {
    reorganisationId: uuid('reorganisation_id')
      .notNull()
      .references(() => reorganisations.id),
    directiveId: uuid('directive_id')
      .notNull()
      .references(() => directives.id),
    toAgencyId: uuid('to_agency_id')
      .notNull()
      .references(() => agencies.id),
    /** 'admin', 'rule' or 'default'; and the keyword that matched. */
    by: text('by').$type<SplitChoice['by']>().notNull(),
    keyword: text('keyword'),
  },
  (t) => [primaryKey({ columns: [t.reorganisationId, t.directiveId] })],
);

/**
 * Every write made through the API or the web app (and, with confidential directives, every read of one):
 * who, in which role and agency, what, on which path, with what outcome, from which address. Append-only: a
 * trigger refuses UPDATE, DELETE and TRUNCATE (migration 0012), and the application has no route that changes it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    role: text('role'),
    agencyId: uuid('agency_id'),
    /** `POST /v1/directives/:id/reports`: the method and the route as registered. */
    action: text('action').notNull(),
    /** The path as requested: it names the resource (a directive's id). */
    path: text('path').notNull(),
    status: integer('status').notNull(),
    address: text('address').notNull(),
    /** `api` or `web`. */
    door: text('door').$type<'api' | 'web'>().notNull(),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_actor_idx').on(t.actorId, t.id)],
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

/** An agency's webhook endpoint; signed per Standard Webhooks with its secret, disabled after repeated failures. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyId: uuid('agency_id')
      .notNull()
      .references(() => agencies.id),
    url: text('url').notNull(),
    /** `whsec_` + base64; kept in clear because every delivery is signed with it. */
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Start of the current run of failures; a webhook is disabled only after failing for a while. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastDeliveryAt: timestamp('last_delivery_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('webhooks_agency_idx').on(t.agencyId)],
);

/**
 * The outbox: written in the same transaction as the reminder or escalation event (or by the digest job),
 * then delivered by the `deliverNotifications` activity. `idempotencyKey` names one message to one recipient,
 * so a retried or replayed delivery finds the row already sent and sends nothing.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** One delivery run: `event:<directiveId>:<seq>` or `digest:<date>`. */
    source: text('source').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    kind: text('kind').$type<NotificationKind>().notNull(),
    channel: channelEnum('channel').notNull(),
    directiveId: uuid('directive_id'),
    recipientUserId: uuid('recipient_user_id'),
    webhookId: uuid('webhook_id'),
    /** An email address or a webhook URL. */
    address: text('address').notNull(),
    language: text('language').$type<Language>().notNull().default('vi'),
    subject: text('subject').notNull(),
    bodyText: text('body_text').notNull(),
    bodyHtml: text('body_html'),
    payload: jsonb('payload'),
    status: notificationStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Held by one delivery attempt until then; an attempt that overlaps another never takes the same row. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /**
     * Times it was taken again from an attempt that ended holding it (its worker killed mid-send): that attempt
     * may have been accepted before it died, so the receiver may hold it twice, under the same Message-ID.
     */
    resentInDoubt: integer('resent_in_doubt').notNull().default(0),
    createdAt: createdAt(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_idempotency_key').on(t.idempotencyKey),
    index('notifications_source_idx').on(t.source),
    index('notifications_recipient_idx').on(t.recipientUserId),
    index('notifications_directive_idx').on(t.directiveId),
  ],
);

/** Raw bytes, for attachment chunks. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * An attached file's content, stored once per SHA-256 however often it is attached (content-addressed), in
 * chunks of its own table so that neither a write nor a download holds a whole file in memory, and the read
 * model stays small. `content_type` is what the content is (file-type), never what its name says.
 * `location` is where its bytes are: `postgres` (attachment_chunks) or `s3` (the configured bucket, keyed
 * `<prefix><sha256>`); a file is read from there whatever the store configured now.
 */
export const attachmentBlobs = pgTable('attachment_blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  contentType: text('content_type').notNull(),
  location: text('location').$type<'postgres' | 's3'>().notNull().default('postgres'),
  createdAt: createdAt(),
});

export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    sha256: text('sha256')
      .notNull()
      .references(() => attachmentBlobs.sha256),
    n: integer('n').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.n] })],
);

/** A file attached to a directive: its source document, a report's or the completion's. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    directiveId: uuid('directive_id').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => attachmentBlobs.sha256),
    filename: text('filename').notNull(),
    kind: text('kind').$type<'source' | 'report' | 'completion' | 'explanation'>().notNull(),
    /** A report's period. */
    deadlineKey: text('deadline_key'),
    uploadedBy: uuid('uploaded_by'),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // By hash too: the blob collector and a blob's delete ask which attachments name it.
  (t) => [index('attachments_directive_idx').on(t.directiveId), index('attachments_sha256_idx').on(t.sha256)],
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
