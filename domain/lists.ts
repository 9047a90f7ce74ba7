/**
 * Every closed list of the product, defined once. The database enums, the zod schemas of the API and the
 * TypeScript types are derived from these arrays; adding a value here is the one change that reaches them all.
 * Pure and import-free: the workflow bundle uses it too.
 */

/**
 * `oversight`: the inspection commission and its like (Regulation 08-QC/TW): reads everything in its scope
 * (the province, or its agency's subtree), statistics included, and changes nothing.
 */
export const ROLES = ['leader', 'officer', 'supervisor', 'admin', 'oversight'] as const;
export type Role = (typeof ROLES)[number];
/** Roles that act for an agency; the others act for the whole province. */
export const AGENCY_ROLES = ['officer', 'supervisor'] as const satisfies readonly Role[];
/** Who reads the daily digest besides those who chose it over immediate mail. */
export const DIGEST_ROLES = ['supervisor', 'leader'] as const satisfies readonly Role[];

export const DIRECTIVE_STATUSES = ['issued', 'in_progress', 'completion_submitted', 'completed', 'cancelled'] as const;
export type DirectiveStatus = (typeof DIRECTIVE_STATUSES)[number];
export const CLOSED_STATUSES = ['completed', 'cancelled'] as const satisfies readonly DirectiveStatus[];

/** The four categories Vietnam's task-tracking systems count by (DESIGN.md §2), plus standing directives. */
export const TIMELINESS = ['open_on_time', 'open_overdue', 'completed_on_time', 'completed_late', 'no_deadline'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

/**
 * What a statistic counts a directive as, as things stood at a moment: the four categories, standing directives
 * (no final deadline) and, shown apart and outside the total, cancelled ones.
 */
export const STAT_CATEGORIES = ['completed_on_time', 'completed_late', 'open_on_time', 'open_overdue', 'no_deadline', 'cancelled'] as const;
export type StatCategory = (typeof STAT_CATEGORIES)[number];
/** The categories a total adds up; cancelled directives are counted beside it. */
export const COUNTED_CATEGORIES = ['completed_on_time', 'completed_late', 'open_on_time', 'open_overdue', 'no_deadline'] as const satisfies readonly StatCategory[];
export type CountedCategory = (typeof COUNTED_CATEGORIES)[number];
/** A directive's standing in one version of its history (directive_facts). */
export const FACT_STATES = ['open', 'completed', 'cancelled'] as const;
export type FactState = (typeof FACT_STATES)[number];
/** How a statistic is grouped. */
export const STAT_GROUPINGS = ['province', 'lead', 'assigned', 'supervisor', 'conference'] as const;
export type StatGrouping = (typeof STAT_GROUPINGS)[number];
/** A scorecard's colour band. */
export const BANDS = ['green', 'yellow', 'red'] as const;
export type Band = (typeof BANDS)[number];
export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'docx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const ASSIGNMENT_ROLES = ['lead', 'coordinating'] as const;
export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

export const CONFERENCE_KINDS = ['giao_ban', 'tong_ket', 'chuyen_de'] as const;
export type ConferenceKind = (typeof CONFERENCE_KINDS)[number];

/** Report periods cut off per Decree 09/2019/NĐ-CP. */
export const PERIODIC_REGIMES = ['monthly', 'quarterly', 'half_year', 'nine_month', 'annual'] as const;
export type PeriodicRegime = (typeof PERIODIC_REGIMES)[number];

export const CALENDAR_OVERRIDE_KINDS = ['day_off', 'working_day'] as const;
export type CalendarOverrideKind = (typeof CALENDAR_OVERRIDE_KINDS)[number];
export const HOLIDAY_KINDS = ['statutory', 'compensatory', 'override'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const NOTIFICATION_KINDS = ['reminder', 'escalation', 'digest'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_CHANNELS = ['email', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
/** Channels a person chooses; webhooks belong to agencies. */
export const PERSONAL_CHANNELS = ['email'] as const satisfies readonly NotificationChannel[];
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];
export const NOTIFICATION_STATUSES = ['pending', 'retrying', 'sent', 'failed', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
/** Rows a delivery run still has to send. */
export const UNSENT_STATUSES = ['pending', 'retrying'] as const satisfies readonly NotificationStatus[];
export const DELIVERY_MODES = ['immediate', 'digest'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** How a person signed in to the web app. */
export const SIGN_IN_METHODS = ['password', 'oidc'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/**
 * What a file attached to a directive is: its source document (the issuer's), a report's (an assigned agency's),
 * the completion's (the lead's) or an explanation's (the agency asked).
 */
export const ATTACHMENT_KINDS = ['source', 'report', 'completion', 'explanation'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
/** A deadline a directive's owners meet: a period's report, or the final deadline (completion). */
export const DEADLINE_KINDS = ['report', 'final'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const ESCALATION_LEVELS = [1, 2, 3] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];
/** How an escalation inbox is filtered. */
export const ESCALATION_STATES = ['open', 'acknowledged', 'resolved', 'all'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

export const includes = <T extends string | number>(list: readonly T[], value: unknown): value is T => (list as readonly unknown[]).includes(value);
