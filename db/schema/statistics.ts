/** The scoring rule and the published results of a period. */
import { integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { PublishedReport, ScoringRule } from '../../domain/statistics.js';
import { createdAt } from './columns.js';

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
