/**
 * A thread of the planner (activities/planner.ts): one plan a task. Each thread keeps its own statutory holidays
 * per year (date-holidays takes some 50 ms a year), so a thread lives on while plans come. A plan the horizon
 * refuses comes back as data, since an error's class does not cross threads.
 */
import { WorkingCalendar, type CalendarOverride } from '../domain/calendar.js';
import type { Plan, PlanInput, PlannedDeadline, ReplanInput } from '../domain/deadlines.js';
import { PlanRefused } from '../domain/horizon.js';
import { planSchedule, replanDeadlines } from '../domain/schedule.js';

export type PlannerTask = { overrides: CalendarOverride[] } & ({ op: 'plan'; input: PlanInput } | { op: 'replan'; input: ReplanInput });
export type PlannerOutcome = { plan: Plan } | { deadlines: PlannedDeadline[] } | { refused: string };

export default function plan(task: PlannerTask): PlannerOutcome {
  const calendar = new WorkingCalendar(task.overrides);
  try {
    return task.op === 'plan' ? { plan: planSchedule(calendar, task.input) } : { deadlines: replanDeadlines(calendar, task.input) };
  } catch (err) {
    if (err instanceof PlanRefused) return { refused: err.message };
    throw err;
  }
}
