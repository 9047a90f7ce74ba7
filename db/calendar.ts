import { and, asc, gte, isNull, lte } from 'drizzle-orm';
import type { CalendarOverride } from '../domain/calendar.js';
import type { Database, Tx } from './database.js';
import { calendarChanges, calendarOverrides } from './schema.js';

/** The admin-edited corrections of the computed calendar for the years fromYear..toYear. */
export function loadOverrides(db: Database, fromYear: number, toYear: number): Promise<Array<Required<CalendarOverride>>> {
  return db
    .select({ date: calendarOverrides.date, kind: calendarOverrides.kind, note: calendarOverrides.note, source: calendarOverrides.source })
    .from(calendarOverrides)
    .where(and(gte(calendarOverrides.date, `${fromYear}-01-01`), lte(calendarOverrides.date, `${toYear}-12-31`)))
    .orderBy(asc(calendarOverrides.date));
}

export type CalendarChange = { id: string; dates: string[]; cause: string };

/** Written in the transaction that changes the calendar, so the re-plan it needs is never lost. */
export async function recordCalendarChange(tx: Database | Tx, dates: string[], cause: string): Promise<CalendarChange> {
  const [row] = await tx.insert(calendarChanges).values({ dates: [...dates].sort(), cause }).returning({ id: calendarChanges.id, dates: calendarChanges.dates, cause: calendarChanges.cause });
  return row!;
}

/** Changes whose re-plan run was never started (Temporal was down, or the migrator loaded them), oldest first. */
export function unstartedCalendarChanges(db: Database): Promise<CalendarChange[]> {
  return db
    .select({ id: calendarChanges.id, dates: calendarChanges.dates, cause: calendarChanges.cause })
    .from(calendarChanges)
    .where(isNull(calendarChanges.startedAt))
    .orderBy(asc(calendarChanges.createdAt));
}
