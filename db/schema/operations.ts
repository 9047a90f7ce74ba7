/** What runs the product: idempotency keys, the audit log, the notification outbox. */
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Language, NotificationKind } from '../../domain/lists.js';
import { createdAt, channelEnum, notificationStatusEnum } from './columns.js';

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
