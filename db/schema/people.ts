/** The agency directory and the people who sign in: agencies, users, their sessions, invitations, sign-in failures, and agencies' webhooks. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { SIGN_IN_METHODS } from '../../domain/lists.js';
import type { Language } from '../../domain/lists.js';
import { createdAt, roleEnum, deliveryEnum } from './columns.js';

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
