/** The calendar of record: admins' overrides, the years loaded, and each change's re-plan. */
import { boolean, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { CalendarSource, RecordedOccasion } from '../../domain/calendar.js';
import { CALENDAR_OVERRIDE_KINDS } from '../../domain/lists.js';
import { createdAt } from './columns.js';

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
