import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';

export const DIGEST_SCHEDULE_ID = 'daily-digest';

/**
 * The daily digest runs at a set hour, Vietnam time, every day; the workflow itself skips non-working days
 * (the calendar is data, not a cron expression). Creating it again updates its hour and task queue.
 */
export async function ensureDigestSchedule(client: Client, options: { taskQueue: string; hour: number; minute: number }): Promise<void> {
  const spec = { calendars: [{ hour: options.hour, minute: options.minute }], timezone: 'Asia/Ho_Chi_Minh' };
  const action = { type: 'startWorkflow' as const, workflowType: 'dailyDigestWorkflow', taskQueue: options.taskQueue, args: [{}] };
  const schedule: ScheduleOptions = {
    scheduleId: DIGEST_SCHEDULE_ID,
    spec,
    action,
    // One digest at a time; a run missed while the cluster was down is caught up within a day.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
  try {
    await client.schedule.create(schedule);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(DIGEST_SCHEDULE_ID).update((previous) => ({ ...previous, spec, action }));
  }
}
