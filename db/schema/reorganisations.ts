/** Agency merges and splits, and the directives each one moved. */
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { SplitChoice, SplitRule } from '../../domain/split.js';
import { createdAt } from './columns.js';
import { directives } from './directives.js';
import { agencies } from './people.js';

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
