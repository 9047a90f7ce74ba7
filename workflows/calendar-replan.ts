import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { inLanes } from './lanes.js';

/**
 * A change of the working calendar re-plans every open directive whose plan reaches the changed days: one
 * `replan` Update per directive, a few at a time. The directives are read from the read model a page at a
 * time, in id order, and each page ends the run with continue-as-new carrying the cursor, so a run that dies
 * half-way resumes where it was, and a directive asked twice (an activity retried) moves once: the Update
 * names the change, and a directive remembers the changes it applied.
 */
/** No maximumAttempts: a directive whose worker is busy, or a database outage, delays the re-plan; nothing skips it. */
const { affectedDirectives, finishCalendarChange, replanDirective } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export type CalendarReplanInput = {
  changeId: string;
  /** The start of the first changed day: a plan that ends before it has nothing the change can move. */
  from: string;
  /**
   * The end of the last changed day and the longest reach of a working-day offset after it: a plan that
   * starts later cannot depend on the changed days (services/calendar.ts).
   */
  to: string;
  cause: string;
  /** Directives per page (one run each); default 200. */
  pageSize?: number;
  /** Updates in flight at once; default 8. */
  concurrency?: number;
  /** Set by continue-as-new: where the previous run stopped and what it counted. */
  after?: string | null;
  examined?: number;
  moved?: number;
};

/** `moved`: the directives this change has moved (each counted once, however often it was sent). */
export type CalendarReplanResult = { changeId: string; examined: number; moved: number };

/** The workflow type name (ids: `calendar-replan-<change id>`); a contract with running workflows. */
export async function calendarReplanWorkflow(input: CalendarReplanInput): Promise<CalendarReplanResult> {
  const pageSize = input.pageSize ?? 200;
  let examined = input.examined ?? 0;
  let moved = input.moved ?? 0;

  const ids = await affectedDirectives({ from: input.from, to: input.to, after: input.after ?? null, limit: pageSize });
  await inLanes(ids, input.concurrency ?? 8, async (directiveId) => {
    const outcome = await replanDirective({ directiveId, changeId: input.changeId, cause: input.cause });
    examined++;
    if (outcome.moved) moved++;
  });

  if (ids.length === pageSize) {
    await continueAsNew<typeof calendarReplanWorkflow>({ ...input, after: ids.at(-1)!, examined, moved });
  }
  await finishCalendarChange({ changeId: input.changeId, examined, moved });
  return { changeId: input.changeId, examined, moved };
}
