import { and, asc, gte, lte } from 'drizzle-orm';
import type { CalendarOverride } from '../domain/calendar.js';
import type { Database } from './client.js';
import { calendarOverrides } from './schema.js';

/** The admin-edited corrections of the computed calendar for the years fromYear..toYear. */
export function loadOverrides(db: Database, fromYear: number, toYear: number): Promise<Array<Required<CalendarOverride>>> {
  return db
    .select({ date: calendarOverrides.date, kind: calendarOverrides.kind, note: calendarOverrides.note, source: calendarOverrides.source })
    .from(calendarOverrides)
    .where(and(gte(calendarOverrides.date, `${fromYear}-01-01`), lte(calendarOverrides.date, `${toYear}-12-31`)))
    .orderBy(asc(calendarOverrides.date));
}
