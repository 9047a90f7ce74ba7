import { eq } from 'drizzle-orm';
import { loadOverrides } from '../db/calendar.js';
import { recordedYear } from '../db/calendar-of-record.js';
import { calendarOverrides } from '../db/schema.js';
import { WorkingCalendar, type CalendarSource, type Holiday, type RecordedOccasion } from '../domain/calendar.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { CalendarOverrideKind } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';

export type CalendarOverrideView = { date: string; kind: CalendarOverrideKind; note: string | null; source: CalendarSource | null };

export type CalendarYearView = {
  year: number;
  /** Whether the year's days off were checked against the Government's decisions (db/calendar-of-record.json). */
  verified: boolean;
  note: string | null;
  /** Each holiday of the year as decided, with its source. */
  occasions: RecordedOccasion[];
  /** Each day off besides weekends with where it comes from; `decidedBy` when a decision of record lists it. */
  holidays: Array<Holiday & { decidedBy: CalendarSource | null }>;
  /** Saturdays and Sundays worked, and computed days off that are not. */
  workingDays: CalendarOverrideView[];
  overrides: CalendarOverrideView[];
};

/** The working-day calendar: computed holidays plus the per-year override table that admins edit. */
export function calendarService({ db }: ServiceDeps) {
  return {
    async year(_principal: Principal, year: number): Promise<CalendarYearView> {
      const overrides = (await loadOverrides(db, year, year)).map((o) => ({ ...o, source: o.source ?? null }));
      const record = await recordedYear(db, year);
      const occasions = record?.occasions ?? [];
      const decided = new Map(occasions.flatMap((o) => o.daysOff.map((d) => [d, o.source] as const)));
      return {
        year,
        verified: record?.verified ?? false,
        note: record ? record.note : 'No decision of record for this year: the days are computed from the statutes.',
        occasions,
        holidays: new WorkingCalendar(overrides).holidays(year).map((h) => ({ ...h, decidedBy: decided.get(h.date) ?? null })),
        workingDays: overrides.filter((o) => o.kind === 'working_day'),
        overrides,
      };
    },

    async setOverride(principal: Principal, date: string, body: { kind: CalendarOverrideKind; note?: string | undefined }): Promise<CalendarOverrideView> {
      requirePermission(principal, 'administer');
      const note = body.note ?? null;
      const [row] = await db
        .insert(calendarOverrides)
        .values({ date, kind: body.kind, note })
        // An admin's override is the admin's (no source), even on a day the calendar of record set.
        .onConflictDoUpdate({ target: calendarOverrides.date, set: { kind: body.kind, note, source: null } })
        .returning({ date: calendarOverrides.date, kind: calendarOverrides.kind, note: calendarOverrides.note, source: calendarOverrides.source });
      return row!;
    },

    async removeOverride(principal: Principal, date: string): Promise<void> {
      requirePermission(principal, 'administer');
      const deleted = await db.delete(calendarOverrides).where(eq(calendarOverrides.date, date)).returning();
      if (deleted.length === 0) throw new ServiceFailure(FailureType.NotFound, `No override on ${date}.`);
    },
  };
}
