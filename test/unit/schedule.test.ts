import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar.js';
import { vnAt, vnEndOfDay } from '../../domain/vn-time.js';
import { planSchedule } from '../../domain/schedule.js';
import { DEFAULT_POLICY, type PlanInput } from '../../domain/deadlines.js';

const cal = new WorkingCalendar();
const base: PlanInput = {
  issuedAt: '2024-10-11T03:00:00.000Z',
  from: '2024-10-11T03:00:00.000Z',
  dueAt: null,
  dueDate: '2025-06-30',
  regime: { kind: 'quarterly' },
  policy: DEFAULT_POLICY,
};

describe('planning a directive’s deadlines', () => {
  it('plans quarterly reports at Decree 09 cut-offs, three working days later, up to the final deadline', () => {
    const plan = planSchedule(cal, base);
    expect(plan.finalDueAt).toBe(vnEndOfDay('2025-06-30').toISOString());
    expect(plan.deadlines.map((d) => [d.key, d.dueAt])).toEqual([
      // 14/12/2024 is a Saturday: the cut-off moves to Monday 16/12; three working days later is 19/12.
      ['Q2024-4', vnEndOfDay('2024-12-19').toISOString()],
      ['Q2025-1', vnEndOfDay('2025-03-19').toISOString()],
      // 14/6/2025 is a Saturday too.
      ['Q2025-2', vnEndOfDay('2025-06-19').toISOString()],
      ['final', vnEndOfDay('2025-06-30').toISOString()],
    ]);
  });

  it('reminds 3 working days before and on the due day, and escalates 1, 5 and 10 working days after, at 08:00', () => {
    const q1 = planSchedule(cal, base).deadlines.find((d) => d.key === 'Q2025-1')!;
    expect(q1.reminders).toEqual([vnAt('2025-03-14', 8).toISOString(), vnAt('2025-03-19', 8).toISOString()]);
    expect(q1.escalations).toEqual([
      vnAt('2025-03-20', 8).toISOString(),
      vnAt('2025-03-26', 8).toISOString(),
      vnAt('2025-04-02', 8).toISOString(),
    ]);
  });

  it('skips Tết when counting the ladder of a report due just before it', () => {
    const plan = planSchedule(cal, {
      ...base,
      issuedAt: '2026-01-05T03:00:00.000Z',
      from: '2026-01-05T03:00:00.000Z',
      dueDate: null,
      regime: { kind: 'explicit', dueDates: ['2026-02-13'] },
    });
    const [r] = plan.deadlines;
    expect(r!.dueAt).toBe(vnEndOfDay('2026-02-13').toISOString());
    // 14/2–22/2/2026 are days off: the first working day after the due day is 23/2.
    expect(r!.escalations[0]).toBe(vnAt('2026-02-23', 8).toISOString());
  });

  it('plans a standing directive a year ahead with monthly reports and no final deadline', () => {
    const plan = planSchedule(cal, { ...base, dueDate: null, regime: { kind: 'monthly' } });
    expect(plan.finalDueAt).toBeNull();
    expect(plan.horizonEnd).not.toBeNull();
    expect(plan.deadlines.every((d) => d.kind === 'report')).toBe(true);
    expect(plan.deadlines.length).toBe(12);
  });

  it('takes ISO-8601 durations for second-scale tests', () => {
    const now = Date.parse('2026-11-23T09:00:00Z');
    const plan = planSchedule(cal, {
      ...base,
      issuedAt: new Date(now).toISOString(),
      from: new Date(now).toISOString(),
      dueDate: null,
      dueAt: new Date(now + 10_000).toISOString(),
      regime: { kind: 'explicit', dueDates: [new Date(now + 4_000).toISOString()] },
      policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }] },
    });
    expect(plan.deadlines.map((d) => d.key)).toEqual(['R1', 'final']);
    expect(plan.deadlines[0]!.reminders).toEqual([new Date(now + 2_000).toISOString()]);
    expect(plan.deadlines[1]!.escalations).toEqual([11_000, 12_000, 13_000].map((ms) => new Date(now + ms).toISOString()));
  });

  it('re-plans from a later instant without what has already passed', () => {
    const plan = planSchedule(cal, { ...base, from: '2025-01-01T00:00:00.000Z' });
    expect(plan.deadlines.map((d) => d.key)).toEqual(['Q2025-1', 'Q2025-2', 'final']);
  });
});
