import { describe, expect, it } from 'vitest';
import { calendarOfRecord } from '../../db/calendar-of-record.js';
import { addDays, overridesOfRecord, WorkingCalendar } from '../../domain/calendar.js';

/**
 * The calendar of record (db/calendar-of-record.json) against the decisions it cites, year by year: the weekdays
 * off and the weekend days worked, listed here by hand from each document (the README lists the sources).
 */
const record = calendarOfRecord();
const calendar = new WorkingCalendar(overridesOfRecord(record.years));
const isWeekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());

function daysOf(year: number) {
  const weekdaysOff: string[] = [];
  const weekendsWorked: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
    if (!isWeekend(d) && !calendar.isWorkingDay(d)) weekdaysOff.push(d.slice(5));
    if (isWeekend(d) && calendar.isWorkingDay(d)) weekendsWorked.push(d.slice(5));
  }
  return { weekdaysOff, weekendsWorked };
}

const EXPECTED: Record<number, { source: string; weekdaysOff: string[]; weekendsWorked: string[] }> = {
  // Tết 23–29/1 (Thông báo 4544/TB-LĐTBXH); 2/9 one day under the 2012 Labour Code.
  2020: { source: '4544/TB-LĐTBXH', weekdaysOff: ['01-01', '01-23', '01-24', '01-27', '01-28', '01-29', '04-02', '04-30', '05-01', '09-02'], weekendsWorked: [] },
  // Tết 10–16/2 and Quốc khánh 2–5/9 (Công văn 9895/VPCP-KGVX); 1/5 on Saturday gives Monday 3/5.
  2021: {
    source: '9895/VPCP-KGVX',
    weekdaysOff: ['01-01', '02-10', '02-11', '02-12', '02-15', '02-16', '04-21', '04-30', '05-03', '09-02', '09-03'],
    weekendsWorked: [],
  },
  // Tết 29/1–6/2 and Quốc khánh 1–4/9 (Công văn 245/VPCP-KGVX); 1/1, Giỗ Tổ, 30/4 and 1/5 on weekends give Mondays.
  2022: {
    source: '245/VPCP-KGVX',
    weekdaysOff: ['01-03', '01-31', '02-01', '02-02', '02-03', '02-04', '04-11', '05-02', '05-03', '09-01', '09-02'],
    weekendsWorked: [],
  },
  // Tết 20–26/1 and Quốc khánh 1–4/9 (Công văn 8056/VPCP-KGVX); Giỗ Tổ with 30/4–1/5, 29/4–3/5.
  2023: {
    source: '8056/VPCP-KGVX',
    weekdaysOff: ['01-02', '01-20', '01-23', '01-24', '01-25', '01-26', '05-01', '05-02', '05-03', '09-01', '09-04'],
    weekendsWorked: [],
  },
  // Tết 8–14/2 and Quốc khánh 31/8–3/9 (Công văn 8662/VPCP-KGVX); Monday 29/4 off for Saturday 4/5 (Công văn 2450/VPCP-KGVX).
  2024: {
    source: '8662/VPCP-KGVX',
    weekdaysOff: ['01-01', '02-08', '02-09', '02-12', '02-13', '02-14', '04-18', '04-29', '04-30', '05-01', '09-02', '09-03'],
    weekendsWorked: ['05-04'],
  },
  // Tết 25/1–2/2, Friday 2/5 off for Saturday 26/4, Quốc khánh 30/8–2/9 (Công văn 8726/VPCP-KGVX).
  2025: {
    source: '8726/VPCP-KGVX',
    weekdaysOff: ['01-01', '01-27', '01-28', '01-29', '01-30', '01-31', '04-07', '04-30', '05-01', '05-02', '09-01', '09-02'],
    weekendsWorked: ['04-26'],
  },
  // Friday 2/1 off for Saturday 10/1 (Công văn 12729/VPCP-KGVX); Tết 14–22/2 and Monday 31/8 off for Saturday 22/8 (Công văn 9859/VPCP-KGVX).
  2026: {
    source: '9859/VPCP-KGVX',
    weekdaysOff: ['01-01', '01-02', '02-16', '02-17', '02-18', '02-19', '02-20', '04-27', '04-30', '05-01', '08-31', '09-01', '09-02'],
    weekendsWorked: ['01-10', '08-22'],
  },
};

describe('the calendar of record', () => {
  for (const [year, expected] of Object.entries(EXPECTED)) {
    it(`${year}: the days off and the make-up days of ${expected.source} and the statutes`, () => {
      const y = record.years.find((r) => r.year === Number(year))!;
      expect(y.verified).toBe(true);
      expect(y.occasions.some((o) => (o.source.document ?? '').includes(expected.source))).toBe(true);
      expect(daysOf(Number(year))).toEqual({ weekdaysOff: expected.weekdaysOff, weekendsWorked: expected.weekendsWorked });
    });
  }

  it('names a source that was read for every occasion of a verified year', () => {
    for (const y of record.years.filter((r) => r.verified)) {
      expect(y.occasions.length).toBeGreaterThanOrEqual(4);
      for (const o of y.occasions) {
        expect(o.source.document, `${y.year} ${o.occasion}`).toBeTruthy();
        expect(o.source.url, `${y.year} ${o.occasion}`).toMatch(/^https?:\/\//);
        expect(['statute', 'decision']).toContain(o.source.kind);
      }
    }
  });

  it('leaves a year without a decision of record computed, and marked so', () => {
    const y2027 = record.years.find((r) => r.year === 2027);
    expect(y2027?.verified).toBe(false);
    expect(overridesOfRecord(record.years).filter((o) => o.date.startsWith('2027-'))).toEqual([]);
    // The computed Tết of Đinh Mùi: five days from Giao thừa (Friday 5/2/2027), the two on the weekend given back
    // on Wednesday and Thursday.
    const tet = new WorkingCalendar(overridesOfRecord(record.years)).holidays(2027).filter((h) => h.date.startsWith('2027-02'));
    expect(tet.map((h) => `${h.date.slice(8)} ${h.kind}`)).toEqual(['05 statutory', '06 statutory', '07 statutory', '08 statutory', '09 statutory', '10 compensatory', '11 compensatory']);
  });

  it('names the decision on each override it adds', () => {
    const overrides = overridesOfRecord(record.years);
    expect(overrides.find((o) => o.date === '2024-02-08')).toMatchObject({ kind: 'day_off', source: { kind: 'decision', document: expect.stringContaining('8662/VPCP-KGVX') } });
    expect(overrides.find((o) => o.date === '2024-02-15')).toMatchObject({ kind: 'working_day' });
    expect(overrides.find((o) => o.date === '2025-04-26')).toMatchObject({ kind: 'working_day', note: expect.stringContaining('Làm bù') });
    const holidays = new WorkingCalendar(overrides).holidays(2024);
    expect(holidays.find((h) => h.date === '2024-02-08')!.source.kind).toBe('decision');
    expect(holidays.find((h) => h.date === '2024-02-09')!.source.kind).toBe('statute');
  });
});
