import { desc, eq, sql } from 'drizzle-orm';
import { loadOverrides, recordCalendarChange, unstartedCalendarChanges, type CalendarChange } from '../db/calendar.js';
import { recordedYear } from '../db/calendar-of-record.js';
import { calendarChanges, calendarOverrides } from '../db/schema.js';
import { WorkingCalendar, type CalendarSource, type Holiday, type RecordedOccasion } from '../domain/calendar.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { CalendarOverrideKind } from '../domain/lists.js';
import { DAY_MS, formatDay, isIsoDate, vnEndOfDay, vnStartOfDay } from '../domain/vn-time.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import { startCalendarReplan } from '../temporal/client.js';

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

/** A change of the working calendar and its re-plan of the running directives. */
export type CalendarChangeView = {
  id: string;
  dates: string[];
  cause: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Directives asked to re-plan, and how many the change moved; null until the run finishes. */
  examined: number | null;
  moved: number | null;
};

/**
 * How far after a changed day a plan can begin and still depend on it: a report due some working days after
 * its period's cut-off, with its reminders a few working days before that due, all after a changed day between
 * the cut-off and the due. Ninety days covers offsets of some sixty working days, beyond any policy in use.
 */
const OFFSET_REACH_DAYS = 90;

/** The working-day calendar: computed holidays plus the per-year override table that admins edit. */
export function calendarService({ db, temporal, config, logger }: ServiceDeps) {
  /**
   * The change is saved before this runs; when Temporal cannot be reached it stays unstarted and the next
   * start of the API starts it (startPendingChanges), so the admin's change is never refused for it.
   */
  const startReplan = async (change: CalendarChange): Promise<void> => {
    try {
      await startCalendarReplan(temporal, config.temporal.taskQueue, {
        changeId: change.id,
        from: vnStartOfDay(change.dates[0]!).toISOString(),
        to: new Date(vnEndOfDay(change.dates.at(-1)!).getTime() + OFFSET_REACH_DAYS * DAY_MS).toISOString(),
        cause: change.cause,
      });
      await db.update(calendarChanges).set({ startedAt: sql`now()` }).where(eq(calendarChanges.id, change.id));
    } catch (err) {
      logger.warn({ err, changeId: change.id }, 'calendar re-plan not started; it starts with the API next time');
    }
  };
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

    /** Sets a day off or a make-up working day; the open directives planned across it are re-planned. */
    async setOverride(principal: Principal, date: string, body: { kind: CalendarOverrideKind; note?: string | undefined }): Promise<CalendarOverrideView> {
      requirePermission(principal, 'administer');
      if (!isIsoDate(date)) throw new ServiceFailure(FailureType.Invalid, `${date} is not a day of the calendar.`);
      const note = body.note ?? null;
      const { row, change } = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(calendarOverrides)
          .values({ date, kind: body.kind, note })
          // An admin's override is the admin's (no source), even on a day the calendar of record set.
          .onConflictDoUpdate({ target: calendarOverrides.date, set: { kind: body.kind, note, source: null } })
          .returning({ date: calendarOverrides.date, kind: calendarOverrides.kind, note: calendarOverrides.note, source: calendarOverrides.source });
        const what = body.kind === 'day_off' ? `lịch nghỉ ngày ${formatDay(date)}` : `ngày làm việc bù ${formatDay(date)}`;
        return { row: row!, change: await recordCalendarChange(tx, [date], note ? `${what} (${note})` : what) };
      });
      await startReplan(change);
      return row;
    },

    /** Removes an override: the day is what the statutes make it again, and the directives follow. */
    async removeOverride(principal: Principal, date: string): Promise<void> {
      requirePermission(principal, 'administer');
      if (!isIsoDate(date)) throw new ServiceFailure(FailureType.NotFound, `No override on ${date}.`);
      const change = await db.transaction(async (tx) => {
        const deleted = await tx.delete(calendarOverrides).where(eq(calendarOverrides.date, date)).returning();
        if (deleted.length === 0) throw new ServiceFailure(FailureType.NotFound, `No override on ${date}.`);
        return recordCalendarChange(tx, [date], `bỏ điều chỉnh lịch ngày ${formatDay(date)}`);
      });
      await startReplan(change);
    },

    /**
     * The latest calendar changes (of one year's days, when given) and how far their re-plan got: started,
     * finished, directives asked and moved.
     */
    async changes(principal: Principal, limit = 20, year?: number): Promise<CalendarChangeView[]> {
      requirePermission(principal, 'administer');
      const ofYear = year === undefined ? undefined : sql`exists (select 1 from jsonb_array_elements_text(${calendarChanges.dates}) d where d like ${`${year}-%`})`;
      const rows = await db.select().from(calendarChanges).where(ofYear).orderBy(desc(calendarChanges.createdAt)).limit(limit);
      return rows.map((r) => ({
        id: r.id,
        dates: r.dates,
        cause: r.cause,
        createdAt: r.createdAt.toISOString(),
        startedAt: r.startedAt?.toISOString() ?? null,
        finishedAt: r.finishedAt?.toISOString() ?? null,
        examined: r.examined,
        moved: r.moved,
      }));
    },

    /**
     * Starts the re-plan of every change not started yet: the migrator's (a year of record loaded) and any an
     * admin made while Temporal was down. Called when the API starts; a change already started is joined.
     */
    async startPendingChanges(): Promise<number> {
      const pending = await unstartedCalendarChanges(db);
      for (const change of pending) await startReplan(change);
      return pending.length;
    },
  };
}
