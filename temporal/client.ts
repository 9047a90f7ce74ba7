/**
 * The Temporal client side of the product, in one place: connecting, starting a directive's workflow,
 * starting a notification delivery run, and the daily digest's Schedule. Workflow ids and type names are a
 * contract with running workflows; nothing else starts these workflows.
 */
import { confidentialRef } from '../domain/confidential.js';
import {
  Client,
  Connection,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type ScheduleOptions,
  type WorkflowHandle,
} from '@temporalio/client';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import { ApplicationFailure } from '@temporalio/common';
import type { CalendarReplanInput, calendarReplanWorkflow } from '../workflows/calendar-replan.js';
import type { directiveWorkflow } from '../workflows/directive.js';
import type { AgencyTransferInput, agencyTransferWorkflow } from '../workflows/agency-transfer.js';
import { replanUpdate, transferUpdate, type ReplanArgs, type TransferArgs } from '../workflows/messages.js';
import { searchAttributesFor } from '../workflows/search-attributes.js';
import { initialState } from '../workflows/state.js';
import { DIRECTIVE_WORKFLOW, MORE_TO_DELIVER_SIGNAL, workflowIdFor, type DirectiveInput } from '../workflows/types.js';

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

/**
 * Starts a directive's workflow under its fixed id, with its search attributes from the first moment. A
 * retry while it runs gets the running one; null when a run with this id has already finished: a directive
 * is never issued twice.
 */
export async function startDirectiveWorkflow(
  client: Client,
  taskQueue: string,
  input: DirectiveInput,
): Promise<WorkflowHandle<typeof directiveWorkflow> | null> {
  try {
    return await client.workflow.start<typeof directiveWorkflow>(DIRECTIVE_WORKFLOW, {
      workflowId: workflowIdFor(input.directiveId),
      taskQueue,
      args: [input],
      // A retry that races the first start joins it; a finished directive is never issued again.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: searchAttributesFor(initialState(input)),
      // The Temporal UI lists runs by this, so an operator sees which directive a run is (a confidential one by reference).
      staticSummary: input.confidential ? confidentialRef(input.directiveId) : input.title,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return null;
    throw err;
  }
}

/**
 * Starts the delivery run of one outbox source. Its workflow id is the source's, so a second start while
 * one runs joins it, and a start after it finished (rows re-queued) runs it again.
 */
export async function startDelivery(client: Client, taskQueue: string, source: string): Promise<void> {
  try {
    await client.workflow.start('notificationDeliveryWorkflow', {
      taskQueue,
      workflowId: `notify:${source}`,
      args: [{ source }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Delivers rows put back in the outbox of a source that may be in the middle of its delivery run (a
 * re-enabled webhook): a running run is told to look again before it ends, an ended one is started anew.
 */
export async function redeliver(client: Client, taskQueue: string, source: string): Promise<void> {
  await client.workflow.signalWithStart('notificationDeliveryWorkflow', {
    taskQueue,
    workflowId: `notify:${source}`,
    args: [{ source }],
    signal: MORE_TO_DELIVER_SIGNAL,
    signalArgs: [],
  });
}

/** A calendar change's re-plan run: one per change, so starting it again joins it, and a finished change never runs twice. */
export const calendarReplanWorkflowId = (changeId: string): string => `calendar-replan-${changeId}`;

export async function startCalendarReplan(client: Client, taskQueue: string, input: CalendarReplanInput): Promise<void> {
  try {
    await client.workflow.start<typeof calendarReplanWorkflow>('calendarReplanWorkflow', {
      taskQueue,
      workflowId: calendarReplanWorkflowId(input.changeId),
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Re-plan: ${input.cause}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * One directive's `replan` Update for a calendar change. The update id is the change's, so a retried send
 * while the run lasts gets the first answer; across continue-as-new the directive remembers the change.
 */
export async function sendReplan(client: Client, directiveId: string, args: ReplanArgs): Promise<'replanned' | 'closed'> {
  return (await closedIsDone(() => client.workflow.getHandle(workflowIdFor(directiveId)).executeUpdate(replanUpdate, { args: [args], updateId: `replan-${args.changeId}` })))
    ? 'replanned'
    : 'closed';
}

/** A reorganisation's run: one per change (`reorganisation-<id>`), joined when started again, never run twice. */
export const agencyTransferWorkflowId = (changeId: string): string => `reorganisation-${changeId}`;

export async function startAgencyTransfer(client: Client, taskQueue: string, input: AgencyTransferInput): Promise<void> {
  try {
    await client.workflow.start<typeof agencyTransferWorkflow>('agencyTransferWorkflow', {
      taskQueue,
      workflowId: agencyTransferWorkflowId(input.changeId),
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Reorganisation: ${input.reason}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** One directive's `transfer` Update; the update id is the reorganisation's, so a retry gets the first answer. */
export async function sendTransfer(client: Client, directiveId: string, args: TransferArgs): Promise<'transferred' | 'closed'> {
  return (await closedIsDone(() => client.workflow.getHandle(workflowIdFor(directiveId)).executeUpdate(transferUpdate, { args: [args], updateId: `transfer-${args.changeId}` })))
    ? 'transferred'
    : 'closed';
}

/** Runs an Update a system change sends; false when the directive has ended (its run is gone, or it refused as closed). */
async function closedIsDone(send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === FailureType.InvalidState) return false;
    throw err;
  }
}

/** How long a person waits for a directive's workflow to take a message before being told to retry. */
export const UPDATE_WAIT_MS = 15_000;
const DEADLINE_EXCEEDED = 4;

/**
 * Sends an Update and waits for its outcome, but not forever: when no worker takes it in time (all of them
 * stopped, the task queue backed up) the caller hears so and may retry with the same key, which Temporal
 * runs at most once, instead of a request that never answers.
 */
export async function updateWithin<T>(client: Client, send: () => Promise<T>, waitMs = UPDATE_WAIT_MS): Promise<T> {
  try {
    return await client.connection.withDeadline(Date.now() + waitMs, send);
  } catch (err) {
    const timedOut =
      err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (err instanceof ServiceError && (err.cause as { code?: number } | undefined)?.code === DEADLINE_EXCEEDED);
    if (!timedOut) throw err;
    throw new ServiceFailure(
      FailureType.Unavailable,
      "The directive's workflow did not answer in time; nothing was lost. Try again (with the same Idempotency-Key, the action runs once).",
      'workflow-unavailable',
    );
  }
}

export const DIGEST_SCHEDULE_ID = 'daily-digest';

/** Creates a Schedule, or brings the one there up to date (its spec and action; its pauses and history stay). */
async function ensureSchedule(client: Client, schedule: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(schedule);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(schedule.scheduleId).update((previous) => ({ ...previous, spec: schedule.spec, action: schedule.action }));
  }
}

/**
 * The daily digest runs at a set hour, Vietnam time, every day; the workflow itself skips non-working days
 * (the calendar is data, not a cron expression). Creating it again updates its hour and task queue.
 */
export async function ensureDigestSchedule(client: Client, options: { taskQueue: string; hour: number; minute: number }): Promise<void> {
  await ensureSchedule(client, {
    scheduleId: DIGEST_SCHEDULE_ID,
    spec: { calendars: [{ hour: options.hour, minute: options.minute }], timezone: 'Asia/Ho_Chi_Minh' },
    action: { type: 'startWorkflow', workflowType: 'dailyDigestWorkflow', taskQueue: options.taskQueue, args: [{}] },
    // One digest at a time; a run missed while the cluster was down is caught up within a day.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  });
}

export const BLOB_COLLECTION_SCHEDULE_ID = 'blob-collection';

/**
 * Attachment bytes no attachment names (an upload that failed half-way, a bucket write whose row did not commit)
 * are collected every hour, by a Schedule an operator sees, pauses and triggers in the Temporal UI.
 */
export async function ensureBlobCollectionSchedule(client: Client, options: { taskQueue: string }): Promise<void> {
  await ensureSchedule(client, {
    scheduleId: BLOB_COLLECTION_SCHEDULE_ID,
    spec: { intervals: [{ every: '1 hour' }] },
    action: { type: 'startWorkflow', workflowType: 'blobCollectionWorkflow', taskQueue: options.taskQueue, args: [{}] },
    // Runs missed while the cluster was down are not made up: the next one collects what they would have.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  });
}
