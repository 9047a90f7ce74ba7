import fs from 'node:fs';
import { and, eq, isNotNull, notInArray, sql } from 'drizzle-orm';
import { overridesOfRecord, type RecordedYear } from '../domain/calendar.js';
import type { Database } from './database.js';
import { recordCalendarChange } from './calendar.js';
import { calendarOverrides, calendarYears } from './schema.js';

/** The reviewable data: each year's days off and make-up days as the Government decided them, with sources. */
const FILE = new URL('./calendar-of-record.json', import.meta.url);

export type CalendarOfRecord = { about: string; years: RecordedYear[] };

export function calendarOfRecord(): CalendarOfRecord {
  return JSON.parse(fs.readFileSync(FILE, 'utf8')) as CalendarOfRecord;
}

/**
 * Loads the calendar of record into the working calendar, as the migrator's last step (idempotent): each year's
 * record into `calendar_years`, and the overrides that make the computed calendar agree with it into
 * `calendar_overrides`, each naming its decision. An admin's own override on the same day wins and is kept; an
 * override of record the file no longer gives is removed. Returns the days whose override changed.
 */
export async function loadCalendarOfRecord(db: Database, record: CalendarOfRecord = calendarOfRecord()): Promise<string[]> {
  const wanted = overridesOfRecord(record.years);
  return db.transaction(async (tx) => {
    for (const y of record.years) {
      const row = { year: y.year, verified: y.verified, note: y.note ?? null, occasions: y.occasions };
      await tx
        .insert(calendarYears)
        .values(row)
        .onConflictDoUpdate({ target: calendarYears.year, set: { verified: row.verified, note: row.note, occasions: row.occasions, loadedAt: sql`now()` } });
    }
    const before = await tx
      .select({ date: calendarOverrides.date, kind: calendarOverrides.kind, source: calendarOverrides.source })
      .from(calendarOverrides)
      .where(isNotNull(calendarOverrides.source));
    const changed = new Set<string>();
    const known = new Map(before.map((r) => [r.date, r]));
    for (const o of wanted) {
      const had = known.get(o.date);
      const [row] = await tx
        .insert(calendarOverrides)
        .values(o)
        .onConflictDoUpdate({ target: calendarOverrides.date, set: { kind: o.kind, note: o.note, source: o.source }, setWhere: isNotNull(calendarOverrides.source) })
        .returning({ date: calendarOverrides.date });
      if (row && (!had || had.kind !== o.kind || canonical(had.source) !== canonical(o.source))) changed.add(o.date);
    }
    const keep = wanted.map((o) => o.date);
    const stale = await tx
      .delete(calendarOverrides)
      .where(and(isNotNull(calendarOverrides.source), keep.length > 0 ? notInArray(calendarOverrides.date, keep) : undefined))
      .returning({ date: calendarOverrides.date });
    for (const r of stale) changed.add(r.date);
    const days = [...changed].sort();
    // The directives already planned across these days are re-planned (services/calendar.ts starts the run).
    if (days.length > 0) await recordCalendarChange(tx, days, causeOf(record.years, days));
    return days;
  });
}

/** The end of the history's sentence for a loaded schedule: "… do lịch nghỉ Tết Nguyên đán 2027". */
export function causeOf(years: RecordedYear[], days: string[]): string {
  const DAY = 86_400_000;
  const near = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) <= 10 * DAY;
  const names = new Set<string>();
  for (const d of days) {
    const year = years.find((y) => y.year === Number(d.slice(0, 4)));
    const occasion = year?.occasions.find((o) => [...o.daysOff, ...o.makeUpWorkingDays].some((x) => x === d || near(x, d)));
    names.add(occasion ? `${occasion.occasion} ${year!.year}` : `năm ${d.slice(0, 4)}`);
  }
  return `lịch nghỉ ${[...names].join(', ')} theo quyết định của Chính phủ`;
}

/** jsonb hands keys back in its own order: compare sources key by key. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

/** The record of one year as loaded, or null when the file has none for it. */
export async function recordedYear(db: Database, year: number) {
  const [row] = await db.select().from(calendarYears).where(eq(calendarYears.year, year));
  return row ?? null;
}

