/**
 * Placing offsets on the calendar: the plan primitives every tracked kind builds its deadlines from. Runs in
 * the planner (an activity), never in the workflow sandbox: it parses ISO durations with a package.
 */
import { parse as parseDuration, toSeconds } from 'iso8601-duration';
import { DAY_MS, vnAt, vnDateOf, vnEndOfDay, type IsoDate } from '../domain/vn-time.js';
import type { Clock, DeadlineRules, Offset } from './types.js';

/** What the engine needs of a working calendar (domain/calendar.ts's WorkingCalendar is one). */
export type DayCalendar = {
  isWorkingDay(d: IsoDate): boolean;
  onOrAfter(d: IsoDate): IsoDate;
  addWorkingDays(d: IsoDate, n: number): IsoDate;
};

/** Reminders and rungs counted in days land at this hour of their day. */
export const REMINDER_HOUR = 8;

export const durationMs = (iso: string): number => toSeconds(parseDuration(iso)) * 1000;

/** The calendar day a deadline instant belongs to: the day whose 24:00 it is. */
export const dueDayOf = (dueAt: Date): IsoDate => vnDateOf(new Date(dueAt.getTime() - 1));

const dayNumber = (d: IsoDate): number => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number): IsoDate => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** `d` plus `n` calendar days (n may be negative). */
export const addCalendarDays = (d: IsoDate, n: number): IsoDate => dayOf(dayNumber(d) + n);

/** Whole calendar days from `a` to `b` (negative when `b` is earlier). */
export const daysBetween = (a: IsoDate, b: IsoDate): number => dayNumber(b) - dayNumber(a);

/**
 * The same day number `n` months later (or earlier), or that month's last day when it has none
 * (Criminal Procedure Code 2015, Art. 134): 31/01 + 1 month is 28/02 (29/02 in a leap year).
 */
export function addCalendarMonths(d: IsoDate, n: number): IsoDate {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/**
 * When a limit counted from an event on day `from` ends: 24:00 of its last day, or of the next working day
 * when the last day is a rest day. `from` itself is not counted. A working-day limit ends on the nth
 * working day; a duration runs exactly from `fromInstant` (the event's instant; else the end of `from`).
 */
export function limitEnd(cal: DayCalendar, from: IsoDate, offset: Offset, fromInstant?: Date): Date {
  if ('duration' in offset) return new Date((fromInstant ?? vnEndOfDay(from)).getTime() + durationMs(offset.duration));
  return vnEndOfDay(cal.onOrAfter(nominalLastDay(cal, from, offset)));
}

/** The last day a limit names before any rest-day move (what an extension or a suspension counts from). */
function nominalLastDay(cal: DayCalendar, from: IsoDate, offset: Offset): IsoDate {
  if ('calendarDays' in offset) return addCalendarDays(from, offset.calendarDays);
  if ('calendarMonths' in offset) return addCalendarMonths(from, offset.calendarMonths);
  if ('workingDays' in offset) return cal.addWorkingDays(from, offset.workingDays);
  return dueDayOf(new Date(vnEndOfDay(from).getTime() + durationMs(offset.duration)));
}

/** A reminder `offset` before a due instant: days count back from the due day (0 = the due day), at 08:00. */
export function before(cal: DayCalendar, dueAt: Date, offset: Offset): Date {
  if ('duration' in offset) return new Date(dueAt.getTime() - durationMs(offset.duration));
  const dueDay = dueDayOf(dueAt);
  if ('workingDays' in offset) return vnAt(cal.addWorkingDays(dueDay, -offset.workingDays), REMINDER_HOUR);
  const day = 'calendarDays' in offset ? addCalendarDays(dueDay, -offset.calendarDays) : addCalendarMonths(dueDay, -offset.calendarMonths);
  return vnAt(earlierWorkingDay(cal, day), REMINDER_HOUR);
}

/** A rung `offset` after a missed due instant: days count on from the due day, at 08:00 of a working day. */
export function after(cal: DayCalendar, dueAt: Date, offset: Offset): Date {
  if ('duration' in offset) return new Date(dueAt.getTime() + durationMs(offset.duration));
  const dueDay = dueDayOf(dueAt);
  if ('workingDays' in offset) return vnAt(cal.addWorkingDays(dueDay, offset.workingDays), REMINDER_HOUR);
  const day = 'calendarDays' in offset ? addCalendarDays(dueDay, offset.calendarDays) : addCalendarMonths(dueDay, offset.calendarMonths);
  return vnAt(cal.onOrAfter(day), REMINDER_HOUR);
}

/** A reminder reaches people at work: one that would fall on a rest day comes on the working day before it. */
function earlierWorkingDay(cal: DayCalendar, d: IsoDate): IsoDate {
  let x = d;
  while (!cal.isWorkingDay(x)) x = addCalendarDays(x, -1);
  return x;
}

/** A due instant with its reminders and the instants of its ladder's rungs, as ISO strings. */
export type PlacedInstants = { dueAt: string; reminders: string[]; escalations: string[] };

/** Places one deadline's reminders and rungs around its due instant. */
export function placeDeadline(cal: DayCalendar, rules: DeadlineRules, dueAt: Date): PlacedInstants {
  return {
    dueAt: dueAt.toISOString(),
    reminders: rules.reminders.map((o) => before(cal, dueAt, o).toISOString()),
    escalations: rules.ladder.map((r) => after(cal, dueAt, r.offset).toISOString()),
  };
}

/**
 * When a statutory clock runs out, or null while it stands suspended. The limit is counted from the opening
 * day, each extension from the last day in force; a `continue` resumption moves the last day by the whole
 * days the clock stood still, a `restart` one counts the limit again from the day it resumed (the kind
 * keeps in `extensions` only those granted since: earlier ones were spent with the time they extended).
 */
export function clockEnd(cal: DayCalendar, clock: Clock): Date | null {
  const suspensions = [...clock.suspensions].sort((a, b) => a.from.localeCompare(b.from));
  if (suspensions.some((s) => s.until === null)) return null;
  let from = clock.openedOn;
  let stood = 0;
  if (clock.onResume === 'restart' && suspensions.length > 0) {
    from = vnDateOf(new Date(suspensions.at(-1)!.until!));
  } else {
    for (const s of suspensions) stood += Math.max(0, daysBetween(vnDateOf(new Date(s.from)), vnDateOf(new Date(s.until!))));
  }
  let last = nominalLastDay(cal, from, clock.limit);
  for (const e of clock.extensions) last = nominalLastDay(cal, last, e);
  return vnEndOfDay(cal.onOrAfter(addCalendarDays(last, stood)));
}
