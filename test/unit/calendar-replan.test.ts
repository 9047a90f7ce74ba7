import { describe, expect, it } from 'vitest';
import { WorkingCalendar, type CalendarOverride } from '../../domain/calendar.js';
import { DEFAULT_POLICY, type PlanInput, type ReplanInput } from '../../domain/deadlines.js';
import type { DirectiveState } from '../../domain/directive.js';
import { planSchedule, planSpanOf, replanDeadlines } from '../../domain/schedule.js';
import { timelinessOf } from '../../domain/timeliness.js';
import { vnAt, vnEndOfDay } from '../../domain/vn-time.js';
import { pendingTimers, stampOf } from '../../workflows/lifecycle.js';
import { applyCalendarPlan, calendarReplanInput, hasApplied, nominalDueDateOf } from '../../workflows/plans.js';

/** Re-planning on a calendar change, as plain functions: the placing (domain) and what the workflow keeps. */

const ISSUED = '2030-01-07T02:00:00.000Z';
const input: PlanInput = {
  issuedAt: ISSUED,
  from: ISSUED,
  dueAt: null,
  // A Wednesday.
  dueDate: '2030-04-10',
  regime: { kind: 'quarterly' },
  policy: DEFAULT_POLICY,
};
const calendar = (...overrides: CalendarOverride[]) => new WorkingCalendar(overrides);
const plan = planSchedule(calendar(), input);
const replanInput = (fixed: string[] = []): ReplanInput => ({
  deadlines: plan.deadlines,
  fixed,
  regime: input.regime,
  policy: input.policy,
  dueDate: input.dueDate ?? null,
});
const due = (deadlines: { key: string; dueAt: string }[], key: string) => deadlines.find((d) => d.key === key)!.dueAt;

describe('placing a plan again on a changed calendar', () => {
  it('moves a deadline on a day that becomes a holiday to the next working day, its reminders and rungs with it', () => {
    expect(due(plan.deadlines, 'final')).toBe(vnEndOfDay('2030-04-10').toISOString());
    const moved = replanDeadlines(calendar({ date: '2030-04-10', kind: 'day_off' }), replanInput());
    const final = moved.find((d) => d.key === 'final')!;
    expect(final.dueAt).toBe(vnEndOfDay('2030-04-11').toISOString());
    // Three working days before Thursday 11/4, the 10th off: 9th, 8th, Friday 5/4. The first rung is one
    // working day after: Friday 12/4 is Giỗ Tổ Hùng Vương, so Monday 15/4.
    expect(final.reminders).toEqual([vnAt('2030-04-05', 8).toISOString(), vnAt('2030-04-11', 8).toISOString()]);
    expect(final.escalations[0]).toBe(vnAt('2030-04-15', 8).toISOString());
    // The first quarter's report (cut-off Thursday 14/3, due Tuesday 19/3) does not span 10/4.
    expect(due(moved, 'Q2030-1')).toBe(due(plan.deadlines, 'Q2030-1'));
  });

  it('moves a report one day earlier when a Saturday inside its "3 working days" window becomes a working day', () => {
    // Cut-off Thursday 14/3: Friday, Monday, Tuesday; with Saturday 16/3 worked: Friday, Saturday, Monday.
    expect(due(plan.deadlines, 'Q2030-1')).toBe(vnEndOfDay('2030-03-19').toISOString());
    const moved = replanDeadlines(calendar({ date: '2030-03-16', kind: 'working_day' }), replanInput());
    expect(due(moved, 'Q2030-1')).toBe(vnEndOfDay('2030-03-18').toISOString());
  });

  it('puts everything back where it was when the override is removed', () => {
    const moved = replanDeadlines(calendar({ date: '2030-04-10', kind: 'day_off' }), replanInput());
    const back = replanDeadlines(calendar(), { ...replanInput(), deadlines: moved });
    expect(back).toEqual(plan.deadlines);
  });

  it('keeps a due instant that passed or was given as an instant; only its rungs follow the calendar', () => {
    const moved = replanDeadlines(calendar({ date: '2030-04-10', kind: 'day_off' }), replanInput(['final']));
    expect(due(moved, 'final')).toBe(due(plan.deadlines, 'final'));
    const asInstant = replanDeadlines(calendar({ date: '2030-04-10', kind: 'day_off' }), { ...replanInput(), dueDate: null });
    expect(due(asInstant, 'final')).toBe(due(plan.deadlines, 'final'));
    // The first rung was Thursday 11/4, one working day after the 10th, and the 11th is still a working day.
    expect(asInstant.find((d) => d.key === 'final')!.escalations).toEqual(plan.deadlines.find((d) => d.key === 'final')!.escalations);
  });

  it('places explicit report days again, and leaves explicit instants where they are', () => {
    const explicit: PlanInput = { ...input, regime: { kind: 'explicit', dueDates: ['2030-02-20', '2030-03-01T10:00:00+07:00'] } };
    const p = planSchedule(calendar(), explicit);
    const moved = replanDeadlines(calendar({ date: '2030-02-20', kind: 'day_off' }, { date: '2030-03-01', kind: 'day_off' }), {
      ...replanInput(),
      deadlines: p.deadlines,
      regime: explicit.regime,
    });
    expect(due(moved, 'R1')).toBe(vnEndOfDay('2030-02-21').toISOString());
    expect(due(moved, 'R2')).toBe(due(p.deadlines, 'R2'));
  });

  it('spans a plan from its first reminder to its last rung', () => {
    const span = planSpanOf(plan.deadlines);
    expect(span.from?.toISOString()).toBe(plan.deadlines[0]!.reminders[0]);
    expect(span.until?.toISOString()).toBe(plan.deadlines.at(-1)!.escalations.at(-1));
    expect(planSpanOf([])).toEqual({ from: null, until: null });
  });
});

describe('what a directive keeps when it is re-planned', () => {
  const LEAD = 'agency-lead';
  const state = (over: Partial<DirectiveState> = {}): DirectiveState => {
    const base = {
      directiveId: 'd-1',
      title: 'T',
      body: '',
      leadAgencyId: LEAD,
      coordinatingAgencyIds: [],
      conferenceId: null,
      status: 'in_progress' as const,
      dueAt: plan.finalDueAt,
      nextDeadlineAt: null,
      escalationLevel: 0,
      issuedBy: null,
      issuedAt: ISSUED,
      completedAt: null,
      seq: 3,
      regime: input.regime,
      policy: input.policy,
      plannedAt: ISSUED,
      dueDate: '2030-04-10',
      deadlines: plan.deadlines,
      fired: [],
    };
    return { ...base, timeliness: timelinessOf(base, Date.parse(ISSUED)), ...over };
  };
  const final = plan.deadlines.find((d) => d.key === 'final')!;
  const holiday = calendar({ date: '2030-04-10', kind: 'day_off' });

  it('records the move with its cause, and marks a reminder already sent as sent for the moved deadline', () => {
    const sent = `${stampOf(final)}|${LEAD}|r0`;
    const s = state({ fired: [sent] });
    const now = Date.parse('2030-04-06T00:00:00Z');
    const sentInput = calendarReplanInput(s, {}, now);
    expect(sentInput.fixed).toEqual(['Q2030-1']);
    const recorded = applyCalendarPlan(s, { changeId: 'c-1', cause: 'lịch nghỉ ngày 10/04/2030' }, replanDeadlines(holiday, sentInput), '2030-04-06T00:00:00.000Z');
    expect(recorded?.event).toMatchObject({
      type: 'replanned',
      data: {
        reason: 'calendar',
        changeId: 'c-1',
        cause: 'lịch nghỉ ngày 10/04/2030',
        dueAt: vnEndOfDay('2030-04-11').toISOString(),
        moves: [{ deadlineKey: 'final', kind: 'final', from: final.dueAt, to: vnEndOfDay('2030-04-11').toISOString() }],
      },
    });
    expect(s.dueAt).toBe(vnEndOfDay('2030-04-11').toISOString());
    const moved = s.deadlines!.find((d) => d.key === 'final')!;
    // The first reminder moved to Friday 5/4 and is marked sent; the second (the due day) is still to come.
    const reminders = pendingTimers(s).filter((t) => t.kind === 'reminder' && t.deadline.key === 'final');
    expect(reminders.map((t) => t.id)).toEqual([`${stampOf(moved)}|${LEAD}|r1`]);
    expect(hasApplied(s, 'c-1')).toBe(true);
  });

  it('records nothing when the change moves nothing, but remembers having applied it', () => {
    const s = state();
    const recorded = applyCalendarPlan(s, { changeId: 'c-2', cause: 'x' }, replanDeadlines(calendar(), calendarReplanInput(s, {}, Date.parse(ISSUED))), ISSUED);
    expect(recorded).toBeNull();
    expect(s.deadlines).toBe(plan.deadlines);
    expect(hasApplied(s, 'c-2')).toBe(true);
  });

  it('keeps a deadline whose due passed, was acted on or met by every owner', () => {
    const q1 = plan.deadlines.find((d) => d.key === 'Q2030-1')!;
    const reported = state({ reports: [{ deadlineKey: 'Q2030-1', agencyId: LEAD, by: 'u', at: ISSUED, summary: 's' }] as DirectiveState['reports'] });
    expect(calendarReplanInput(reported, {}, Date.parse(ISSUED)).fixed).toEqual(['Q2030-1']);
    const fired = state({ fired: [`${stampOf(q1)}|due`] });
    expect(calendarReplanInput(fired, {}, Date.parse(ISSUED)).fixed).toEqual(['Q2030-1']);
    expect(calendarReplanInput(state(), {}, Date.parse(final.dueAt)).fixed).toEqual(['Q2030-1', 'final']);
  });

  it('finds the day the final deadline was given as, in runs that did not keep it', () => {
    const { dueDate: _, ...older } = state();
    expect(nominalDueDateOf(older, { dueDate: '2030-04-10' })).toBe('2030-04-10');
    const decision = { approved: true, by: 'u', at: ISSUED, note: '' };
    const extended = { ...older, extensions: [{ id: 'x', requestedAt: ISSUED, requestedBy: 'u', reason: 'r', decision, proposedDueDate: '2030-05-15', proposedDueAt: null }] };
    expect(nominalDueDateOf(extended, { dueDate: '2030-04-10' })).toBe('2030-05-15');
    expect(nominalDueDateOf(state({ dueDate: null }), { dueDate: '2030-04-10' })).toBeNull();
  });
});
