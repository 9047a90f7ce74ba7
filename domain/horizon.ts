/**
 * How far ahead an instant the product accepts may lie, and how much one plan may hold. A deadline in the year
 * 9999 once had the worker plan ninety thousand report periods; every door (zod, the services, the workflow's
 * validators, the planner) now asks these. Pure and import-free: the workflow sandbox uses it too.
 */

/** A deadline, an extension, a sub-task, an explanation's answer, an explicit report day: at most ten years ahead. */
export const HORIZON_YEARS = 10;

/** Report periods are planned this far ahead of the last one planned; the rest as the directive lives on. */
export const PLAN_AHEAD_DAYS = 366;

/** More than any accepted input can yield (400 explicit report days, a year of monthly reports, a final). */
export const MAX_DEADLINES_PER_PLAN = 500;

/** A reminder's or rung's offset, or a report's time after its cut-off, as a duration: no further than the horizon. */
export const MAX_OFFSET_MS = HORIZON_YEARS * 366 * 86_400_000;
/** The same in working days, each counted day by day: a year's worth at most (the API takes up to 60). */
export const MAX_OFFSET_WORKING_DAYS = 366;

/** The last instant accepted when asked at `nowMs`: the same calendar day and time, ten years on. */
export function horizonEndMs(nowMs: number): number {
  const d = new Date(nowMs);
  d.setUTCFullYear(d.getUTCFullYear() + HORIZON_YEARS);
  return d.getTime();
}

export const HORIZON_MESSAGE = `A deadline may lie at most ${HORIZON_YEARS} years ahead`;
export const BEFORE_ISSUE_MESSAGE = 'A deadline cannot lie before the directive was issued';

/**
 * Why an instant given at `nowMs` is not accepted, or null: unreadable, beyond the horizon, or before
 * `notBeforeMs` (the directive's issue).
 */
export function instantProblem(ms: number, nowMs: number, notBeforeMs?: number): string | null {
  if (!Number.isFinite(ms)) return 'Not a date';
  if (ms > horizonEndMs(nowMs)) return HORIZON_MESSAGE;
  if (notBeforeMs !== undefined && ms < notBeforeMs) return BEFORE_ISSUE_MESSAGE;
  return null;
}

/** A refused plan: an input no door should have let through. The planner says so once, never in a retry loop. */
export class PlanRefused extends Error {
  override readonly name = 'PlanRefused';
}
