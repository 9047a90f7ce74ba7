import Holidays from 'date-holidays';
import type { CalendarOverrideKind, HolidayKind } from './lists.js';
import { DAY_MS, vnDateOf, vnEndOfDay, type IsoDate } from './vn-time.js';

/**
 * Vietnam's working-day calendar for state agencies, computed for any year and corrected by admins.
 *
 * - Weekly rest days: Saturday and Sunday.
 * - Public holidays (Labour Code 2019, Art. 112): 1/1; Tết Nguyên đán, 5 days from the last day of the lunar
 *   year; Hùng Kings day (10/3 lunar); 30/4; 1/5; 2/9 and one adjacent day. Lunar dates come from
 *   date-holidays' Vietnamese rules.
 * - A holiday on a weekly rest day gives a compensatory day off on the next working day (Art. 112(3)).
 * - The Prime Minister fixes the exact days each year and swaps working days; those decisions go into the
 *   per-year override table (`day_off` / `working_day`), which wins over everything computed.
 * - A deadline that falls on a day off moves to the end of the next working day (Civil Code 2015, Art. 148).
 *
 * Days are calendar dates `YYYY-MM-DD` in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
 */

export type CalendarOverride = { date: IsoDate; kind: CalendarOverrideKind; note?: string | null };

const toDayNumber = (d: IsoDate): number => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const fromDayNumber = (n: number): IsoDate => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (d: IsoDate, n: number): IsoDate => fromDayNumber(toDayNumber(d) + n);
const weekday = (d: IsoDate): number => new Date(`${d}T00:00:00Z`).getUTCDay();
const isWeekend = (d: IsoDate): boolean => [0, 6].includes(weekday(d));

export type Holiday = { date: IsoDate; name: string; kind: HolidayKind };

const hd = new Holidays('VN');

/** 2/9 comes with one adjacent day; the Prime Minister picks it each year, this is the usual choice. */
function nationalDayAdjacent(year: number): IsoDate {
  const d = `${year}-09-02`;
  // Joined to the weekend where possible: Tuesday → Monday 1/9, otherwise the day after.
  return weekday(d) === 2 ? `${year}-09-01` : `${year}-09-03`;
}

/**
 * A year's statutory days depend on the year alone, and date-holidays takes milliseconds to compute them
 * (merging its data, parsing dates); every plan of every directive asks for a dozen years. Kept per year.
 */
const statutoryByYear = new Map<number, readonly Holiday[]>();

function statutoryHolidays(year: number): readonly Holiday[] {
  let days = statutoryByYear.get(year);
  if (!days) {
    days = Object.freeze(computeStatutoryHolidays(year).map((h) => Object.freeze(h)));
    statutoryByYear.set(year, days);
  }
  return days;
}

function computeStatutoryHolidays(year: number): Holiday[] {
  // date-holidays lists Tết both as a 5-day range and as its first day: one entry per date.
  const days = new Map<IsoDate, Holiday>();
  for (const h of hd.getHolidays(year, 'vi')) {
    if (h.type !== 'public') continue;
    const first = vnDateOf(h.start);
    const last = vnDateOf(new Date(h.end.getTime() - 1));
    for (let d = first; d <= last; d = addDays(d, 1)) {
      const known = days.get(d);
      if (!known || first === last) days.set(d, { date: d, name: h.name, kind: 'statutory' });
    }
  }
  const adjacent = nationalDayAdjacent(year);
  days.set(adjacent, { date: adjacent, name: 'Nghỉ liền kề Quốc khánh', kind: 'statutory' });
  return [...days.values()];
}

export class WorkingCalendar {
  private readonly daysOff = new Map<IsoDate, Holiday>();
  private readonly workingOverrides = new Set<IsoDate>();
  private readonly computedYears = new Set<number>();
  private readonly overrides: CalendarOverride[];

  constructor(overrides: CalendarOverride[] = []) {
    this.overrides = overrides;
    for (const o of overrides) if (o.kind === 'working_day') this.workingOverrides.add(o.date);
  }

  private ensureYear(year: number): void {
    if (this.computedYears.has(year)) return;
    this.computedYears.add(year);
    const statutory = statutoryHolidays(year);
    const taken = new Set(statutory.map((h) => h.date));
    for (const h of statutory) this.daysOff.set(h.date, h);
    for (const h of statutory) {
      if (!isWeekend(h.date)) continue;
      let d = addDays(h.date, 1);
      while (isWeekend(d) || taken.has(d)) d = addDays(d, 1);
      taken.add(d);
      this.daysOff.set(d, { date: d, name: `Nghỉ bù ${h.name}`, kind: 'compensatory' });
    }
    for (const o of this.overrides) {
      if (o.kind === 'day_off' && o.date.startsWith(`${year}-`)) {
        this.daysOff.set(o.date, { date: o.date, name: o.note ?? 'Nghỉ theo quyết định', kind: 'override' });
      }
    }
  }

  /** Days off other than weekends in a year, sorted. */
  holidays(year: number): Holiday[] {
    this.ensureYear(year);
    return [...this.daysOff.values()]
      .filter((h) => h.date.startsWith(`${year}-`) && !this.workingOverrides.has(h.date))
      .sort((a, b) => a.date.localeCompare(b.date));
  }

  isWorkingDay(d: IsoDate): boolean {
    if (this.workingOverrides.has(d)) return true;
    this.ensureYear(Number(d.slice(0, 4)));
    return !isWeekend(d) && !this.daysOff.has(d);
  }

  /** The day itself when it is a working day, else the next working day. */
  onOrAfter(d: IsoDate): IsoDate {
    let x = d;
    while (!this.isWorkingDay(x)) x = addDays(x, 1);
    return x;
  }

  /** The nth working day after `d` (n > 0) or before it (n < 0); n = 0 is `d` moved onto a working day. */
  addWorkingDays(d: IsoDate, n: number): IsoDate {
    if (n === 0) return this.onOrAfter(d);
    const step = n > 0 ? 1 : -1;
    let x = d;
    for (let left = Math.abs(n); left > 0; ) {
      x = addDays(x, step);
      if (this.isWorkingDay(x)) left--;
    }
    return x;
  }

  /** When a deadline on calendar day `d` passes: 24:00 of `d`, or of the next working day (Civil Code Art. 148). */
  deadline(d: IsoDate): Date {
    return vnEndOfDay(this.onOrAfter(d));
  }
}
