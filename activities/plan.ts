/** Planning: calendar math stays out of workflow code and off the event loop (activities/planner.ts). */
import { loadOverrides } from '../db/calendar.js';
import type { Database } from '../db/database.js';
import type { Plan, PlanInput, PlannedDeadline, ReplanInput } from '../domain/deadlines.js';
import { planner } from './planner.js';

export function planningActivities({ db }: { db: Database }) {
  return {
    /**
     * Calendar math stays out of workflow code (the holiday table is data that changes every year) and off the
     * event loop (activities/planner.ts). A plan the horizon refuses fails for good: no retry recomputes it.
     */
    async planSchedule(input: PlanInput): Promise<Plan> {
      const firstYear = Number(input.from.slice(0, 4)) - 1;
      return planner.plan(await loadOverrides(db, firstYear, firstYear + 12), input);
    },

    /** The same deadlines placed again on the calendar as it is now (domain/schedule.ts replanDeadlines). */
    async replanSchedule(input: ReplanInput): Promise<PlannedDeadline[]> {
      const years = input.deadlines.flatMap((d) => [d.dueAt, ...d.reminders, ...d.escalations]).map((x) => Number(x.slice(0, 4)));
      if (input.dueDate) years.push(Number(input.dueDate.slice(0, 4)));
      if (years.length === 0) return [];
      const overrides = await loadOverrides(db, Math.min(...years) - 1, Math.max(...years) + 1);
      return planner.replan(overrides, input);
    },
  };
}
