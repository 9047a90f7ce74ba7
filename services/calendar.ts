import { eq } from 'drizzle-orm';
import { loadOverrides } from '../db/calendar.js';
import { calendarOverrides } from '../db/schema.js';
import { WorkingCalendar, type Holiday } from '../domain/calendar.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { CalendarOverrideKind } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';

export type CalendarOverrideView = { date: string; kind: CalendarOverrideKind; note: string | null };

/** The working-day calendar: computed holidays plus the per-year override table that admins edit. */
export function calendarService({ db }: ServiceDeps) {
  return {
    async year(_principal: Principal, year: number): Promise<{ year: number; holidays: Holiday[]; overrides: CalendarOverrideView[] }> {
      const overrides = await loadOverrides(db, year, year);
      return { year, holidays: new WorkingCalendar(overrides).holidays(year), overrides };
    },

    async setOverride(principal: Principal, date: string, body: { kind: CalendarOverrideKind; note?: string | undefined }): Promise<CalendarOverrideView> {
      requirePermission(principal, 'administer');
      const note = body.note ?? null;
      const [row] = await db
        .insert(calendarOverrides)
        .values({ date, kind: body.kind, note })
        .onConflictDoUpdate({ target: calendarOverrides.date, set: { kind: body.kind, note } })
        .returning({ date: calendarOverrides.date, kind: calendarOverrides.kind, note: calendarOverrides.note });
      return row!;
    },

    async removeOverride(principal: Principal, date: string): Promise<void> {
      requirePermission(principal, 'administer');
      const deleted = await db.delete(calendarOverrides).where(eq(calendarOverrides.date, date)).returning();
      if (deleted.length === 0) throw new ServiceFailure(FailureType.NotFound, `No override on ${date}.`);
    },
  };
}
