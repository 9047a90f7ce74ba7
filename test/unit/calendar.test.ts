import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar.js';
import { vnAt, vnDateOf, vnEndOfDay } from '../../domain/vn-time.js';

const cal = new WorkingCalendar();
const daysOff = (c: WorkingCalendar, from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    if (!c.isWorkingDay(d)) out.push(d);
  }
  return out;
};

describe('the Vietnamese working-day calendar', () => {
  it('gives Tết Ất Tỵ 2025 five days from the last day of the lunar year (Tết falls on 29/1/2025)', () => {
    expect(cal.holidays(2025).filter((h) => h.kind === 'statutory' && h.date.startsWith('2025-0')).map((h) => h.date)).toEqual(
      expect.arrayContaining(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01']),
    );
    // 1/2/2025 is a Saturday: the compensatory day is Monday 3/2.
    expect(cal.isWorkingDay('2025-02-03')).toBe(false);
    expect(cal.isWorkingDay('2025-02-04')).toBe(true);
  });

  it('gives Tết Bính Ngọ 2026 the nine days 14/2–22/2 that the Government announced', () => {
    expect(daysOff(cal, '2026-02-12', '2026-02-24')).toEqual([
      '2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18',
      '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22',
    ]);
  });

  it('compensates Tết Đinh Mùi 2027, whose first day is a Saturday, on the following working days', () => {
    expect(daysOff(cal, '2027-02-04', '2027-02-12')).toEqual([
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11',
    ]);
    expect(cal.isWorkingDay('2027-02-12')).toBe(true);
  });

  it('keeps Hùng Kings day on 10/3 lunar, with a compensatory Monday when it falls on a Sunday', () => {
    expect(cal.isWorkingDay('2025-04-07')).toBe(false);
    expect(cal.isWorkingDay('2027-04-16')).toBe(false);
    // 26/4/2026 is a Sunday.
    expect(daysOff(cal, '2026-04-25', '2026-05-04')).toEqual([
      '2026-04-25', '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-05-02', '2026-05-03',
    ]);
  });

  it('gives 30/4 and 1/5, moving a Saturday holiday to Monday', () => {
    // 2027: 30/4 Friday, 1/5 Saturday → Monday 3/5 off.
    expect(daysOff(cal, '2027-04-29', '2027-05-04')).toEqual(['2027-04-30', '2027-05-01', '2027-05-02', '2027-05-03']);
  });

  it('gives 2/9 and an adjacent day joined to the weekend, as in 2024 and 2025', () => {
    expect(daysOff(cal, '2024-08-30', '2024-09-04')).toEqual(['2024-08-31', '2024-09-01', '2024-09-02', '2024-09-03']);
    expect(daysOff(cal, '2025-08-29', '2025-09-03')).toEqual(['2025-08-30', '2025-08-31', '2025-09-01', '2025-09-02']);
  });

  it('applies the override table: an extra day off and a make-up Saturday (1/1/2026, VPCP 12729/VPCP-KGVX)', () => {
    const corrected = new WorkingCalendar([
      { date: '2026-01-02', kind: 'day_off', note: 'Hoán đổi ngày làm việc' },
      { date: '2026-01-10', kind: 'working_day', note: 'Làm bù' },
    ]);
    expect(daysOff(corrected, '2026-01-01', '2026-01-11')).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-11',
    ]);
    expect(corrected.isWorkingDay('2026-01-10')).toBe(true);
    expect(cal.isWorkingDay('2026-01-02')).toBe(true);
  });

  it('counts working days across Tết, both ways', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(cal.addWorkingDays('2026-02-23', -1)).toBe('2026-02-13');
    expect(cal.addWorkingDays('2026-02-10', 5)).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-17', 0)).toBe('2026-02-23');
  });

  it('moves a deadline that falls on a day off to 24:00 of the next working day (Civil Code Art. 148)', () => {
    expect(cal.deadline('2026-02-17').toISOString()).toBe('2026-02-23T17:00:00.000Z');
    expect(cal.deadline('2026-11-21').toISOString()).toBe('2026-11-23T17:00:00.000Z');
    expect(cal.deadline('2026-11-24').toISOString()).toBe(vnEndOfDay('2026-11-24').toISOString());
  });

  it('maps instants to Vietnamese calendar days at UTC+7', () => {
    expect(vnDateOf(new Date('2026-11-23T16:59:59Z'))).toBe('2026-11-23');
    expect(vnDateOf(new Date('2026-11-23T17:00:00Z'))).toBe('2026-11-24');
    expect(vnAt('2026-11-24', 8).toISOString()).toBe('2026-11-24T01:00:00.000Z');
  });
});
