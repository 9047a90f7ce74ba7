import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar.js';
import { DEFAULT_POLICY, type Plan, type PlanInput } from '../../domain/deadlines.js';
import type { DirectiveState } from '../../domain/directive.js';
import { horizonEndMs, instantProblem, PlanRefused } from '../../domain/horizon.js';
import { planSchedule } from '../../domain/schedule.js';
import { vnEndOfDay } from '../../domain/vn-time.js';
import { appendMoreReports, moreReportsPlanInput, needsMoreReports, notePlannedUntil } from '../../workflows/plans.js';

const cal = new WorkingCalendar();
const ISSUED = '2026-12-07T03:00:00.000Z';
const NOW = Date.parse(ISSUED);
const monthly: PlanInput = { issuedAt: ISSUED, from: ISSUED, dueAt: null, dueDate: '2036-11-30', regime: { kind: 'monthly' }, policy: DEFAULT_POLICY };

describe('the horizon every instant is held to', () => {
  it('accepts ten years ahead to the millisecond, and nothing later, nothing unreadable, nothing before the issue', () => {
    expect(horizonEndMs(NOW)).toBe(Date.parse('2036-12-07T03:00:00.000Z'));
    expect(instantProblem(Date.parse('2036-12-07T03:00:00.000Z'), NOW)).toBeNull();
    expect(instantProblem(Date.parse('2036-12-07T03:00:00.001Z'), NOW)).toMatch(/at most 10 years ahead/);
    expect(instantProblem(vnEndOfDay('9999-12-31').getTime(), NOW)).toMatch(/at most 10 years ahead/);
    expect(instantProblem(Number.NaN, NOW)).toBe('Not a date');
    expect(instantProblem(NOW - 1, NOW, NOW)).toMatch(/before the directive was issued/);
  });

  it('has the planner refuse what no door accepts: a final deadline, an explicit day or an offset beyond it', () => {
    expect(() => planSchedule(cal, { ...monthly, dueDate: '2100-12-31' })).toThrow(PlanRefused);
    expect(() => planSchedule(cal, { ...monthly, dueDate: null, dueAt: '9999-12-31T00:00:00Z' })).toThrow(PlanRefused);
    expect(() => planSchedule(cal, { ...monthly, dueDate: null, regime: { kind: 'explicit', dueDates: ['2027-01-10', '2040-01-10'] } })).toThrow(PlanRefused);
    const policy = { ...DEFAULT_POLICY, reminders: [{ duration: 'P9999Y' }] };
    expect(() => planSchedule(cal, { ...monthly, policy })).toThrow(PlanRefused);
    const counted = { ...DEFAULT_POLICY, reminders: [{ workingDays: 1_000_000 }] };
    expect(() => planSchedule(cal, { ...monthly, policy: counted })).toThrow(PlanRefused);
    // A reminder years before a far deadline is a duration like any other (the calendar tests use one).
    expect(planSchedule(cal, { ...monthly, policy: { ...DEFAULT_POLICY, reminders: [{ duration: 'P3Y' }] } }).deadlines.length).toBeGreaterThan(0);
  });

  it('plans a due day the doors accepted that the rest-day rule moves past the horizon (CI run M, on a Saturday ten years ahead)', () => {
    // Asked on Tuesday 08/12/2026 07:10 Vietnam time: Saturday 06/12/2036 is within ten years; its deadline moves
    // to 24:00 on Monday 08/12/2036, which is after the horizon (the same moment, ten years on).
    const at = '2026-12-08T00:10:00.000Z';
    const plan = planSchedule(cal, { ...monthly, issuedAt: at, from: at, dueDate: '2036-12-06' });
    expect(plan.finalDueAt).toBe(vnEndOfDay('2036-12-08').toISOString());
    expect(vnEndOfDay('2036-12-08').getTime()).toBeGreaterThan(horizonEndMs(Date.parse(at)));
    // A day itself beyond the horizon is still refused.
    expect(() => planSchedule(cal, { ...monthly, issuedAt: at, from: at, dueDate: '2036-12-09' })).toThrow(PlanRefused);
  });
});

describe('planning reports a year at a time', () => {
  it('plans a year of a ten-year monthly directive, and the final deadline, and says where it stopped', () => {
    const plan = planSchedule(cal, monthly);
    const reports = plan.deadlines.filter((d) => d.kind === 'report');
    expect(reports.length).toBeGreaterThanOrEqual(11);
    expect(reports.length).toBeLessThanOrEqual(13);
    expect(plan.deadlines.filter((d) => d.kind === 'final').map((d) => d.dueAt)).toEqual([cal.deadline('2036-11-30').toISOString()]);
    expect(plan.horizonEnd).toBe(new Date(NOW + 366 * 86_400_000).toISOString());
  });

  it('ends up with every month up to the final deadline, once each, as the directive lives on', () => {
    const s = { dueAt: null, deadlines: [] } as unknown as DirectiveState;
    const first = planSchedule(cal, monthly);
    s.regime = monthly.regime;
    s.policy = monthly.policy;
    s.deadlines = first.deadlines;
    s.dueAt = first.finalDueAt;
    notePlannedUntil(s, first);
    let plans = 1;
    // The workflow plans the next year once every report planned is due; here time jumps to that moment.
    for (;;) {
      const lastReport = Math.max(...s.deadlines!.filter((d) => d.kind === 'report').map((d) => Date.parse(d.dueAt)));
      if (!needsMoreReports(s, lastReport)) break;
      const next: Plan = planSchedule(cal, moreReportsPlanInput(s));
      expect(next.deadlines.some((d) => d.kind === 'final')).toBe(false);
      appendMoreReports(s, next);
      plans++;
      expect(plans).toBeLessThan(20);
    }
    const keys = s.deadlines!.filter((d) => d.kind === 'report').map((d) => d.key);
    const expected: string[] = [];
    for (let y = 2026; y <= 2036; y++) for (let m = 1; m <= 12; m++) if ((y > 2026 || m === 12) && (y < 2036 || m <= 11)) expected.push(`M${y}-${String(m).padStart(2, '0')}`);
    // December 2026's cut-off (the 14th) follows the issue; November 2036's (the 14th) comes before the final deadline.
    expect(keys).toEqual(expected);
    expect(new Set(keys).size).toBe(keys.length);
    expect(s.reportsPlannedUntil).toBeUndefined();
    expect(plans).toBe(10);
  });

  it('plans a directive whose final deadline is within a year in one go, as before', () => {
    const plan = planSchedule(cal, { ...monthly, dueDate: '2027-06-30' });
    expect(plan.horizonEnd).toBeNull();
    const s = {} as DirectiveState;
    notePlannedUntil(s, plan);
    expect(s.reportsPlannedUntil).toBeUndefined();
  });
});
