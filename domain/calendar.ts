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

/** Where a day off or a make-up working day comes from: the statute, the computation, a decision, an admin. */
export type CalendarSource = {
  kind: 'statute' | 'computed' | 'decision' | 'admin';
  document?: string | null;
  issuer?: string | null;
  /** As the source states it (a day, or only a month when that is all it says). */
  date?: string | null;
  title?: string | null;
  url?: string | null;
};

export type CalendarOverride = { date: IsoDate; kind: CalendarOverrideKind; note?: string | null; source?: CalendarSource | null };

export const STATUTE: CalendarSource = { kind: 'statute', document: 'Bộ luật Lao động 2019, Điều 111–112', issuer: 'Quốc hội' };
const COMPUTED: CalendarSource = { kind: 'computed', document: 'Nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần (Bộ luật Lao động 2019, Điều 112 khoản 3)' };

/** One holiday of a year as the Government decided or announced it (db/calendar-of-record.json). */
export type RecordedOccasion = {
  occasion: string;
  /** Every calendar day off of the break, weekends included. */
  daysOff: IsoDate[];
  /** Saturdays or Sundays worked in exchange for a weekday off. */
  makeUpWorkingDays: IsoDate[];
  source: CalendarSource;
  verified: boolean;
  notes?: string | null;
};
export type RecordedYear = { year: number; verified: boolean; occasions: RecordedOccasion[]; note?: string | null };

/**
 * The overrides that make the computed calendar say what the decisions of record say, for each verified year: a
 * weekday off the computation does not give (Tết from 29 Chạp, a bridge day) becomes a day off; a day the
 * computation gives off that the decision does not list (a compensatory day moved elsewhere) becomes a working
 * day; a make-up Saturday becomes a working day. Each names its decision. An unverified year adds nothing.
 */
export function overridesOfRecord(years: RecordedYear[]): Array<Required<CalendarOverride>> {
  const computed = new WorkingCalendar([]);
  const recorded = new Map<IsoDate, RecordedOccasion>();
  for (const y of years) if (y.verified) for (const o of y.occasions) for (const d of o.daysOff) recorded.set(d, o);
  const out = new Map<IsoDate, Required<CalendarOverride>>();
  const label = (o: RecordedOccasion) => (o.source.kind === 'decision' && o.source.document ? ` (${o.source.document})` : '');
  for (const y of years) {
    if (!y.verified) continue;
    for (const o of y.occasions) {
      for (const d of o.daysOff) {
        if (!isWeekend(d) && computed.isWorkingDay(d)) out.set(d, { date: d, kind: 'day_off', note: `Nghỉ ${o.occasion}${label(o)}`, source: o.source });
      }
      for (const d of o.makeUpWorkingDays) out.set(d, { date: d, kind: 'working_day', note: `Làm bù ${o.occasion}${label(o)}`, source: o.source });
    }
    for (const h of computed.holidays(y.year)) {
      if (recorded.has(h.date)) continue;
      // The occasion the computed day belongs to: the recorded break nearest to it that year.
      const near = y.occasions
        .map((o) => ({ o, gap: Math.min(...o.daysOff.map((d) => Math.abs(toDayNumber(d) - toDayNumber(h.date)))) }))
        .sort((a, b) => a.gap - b.gap)[0]?.o;
      if (!near) continue;
      out.set(h.date, { date: h.date, kind: 'working_day', note: `Đi làm: ${h.name} không phải ngày nghỉ theo lịch ${near.occasion}${label(near)}`, source: near.source });
    }
  }
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date));
}

const toDayNumber = (d: IsoDate): number => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const fromDayNumber = (n: number): IsoDate => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (d: IsoDate, n: number): IsoDate => fromDayNumber(toDayNumber(d) + n);
const weekday = (d: IsoDate): number => new Date(`${d}T00:00:00Z`).getUTCDay();
const isWeekend = (d: IsoDate): boolean => [0, 6].includes(weekday(d));

export type Holiday = { date: IsoDate; name: string; kind: HolidayKind; source: CalendarSource };

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
      if (!known || first === last) days.set(d, { date: d, name: h.name, kind: 'statutory', source: STATUTE });
    }
  }
  const adjacent = nationalDayAdjacent(year);
  days.set(adjacent, { date: adjacent, name: 'Nghỉ liền kề Quốc khánh', kind: 'statutory', source: STATUTE });
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
      this.daysOff.set(d, { date: d, name: `Nghỉ bù ${h.name}`, kind: 'compensatory', source: COMPUTED });
    }
    for (const o of this.overrides) {
      if (o.kind === 'day_off' && o.date.startsWith(`${year}-`)) {
        this.daysOff.set(o.date, { date: o.date, name: o.note ?? 'Nghỉ theo quyết định', kind: 'override', source: o.source ?? { kind: 'admin' } });
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
