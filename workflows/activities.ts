import { patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { Plan, PlanInput, PlannedDeadline, ReplanInput } from '../domain/deadlines.js';
import type { DirectiveState, EscalationTarget } from '../domain/directive.js';
import { sequencedRecorder, type Recorder as EngineRecorder } from '../engine/recorder.js';
import type { Recorded } from './types.js';

// No maximumAttempts: a database outage delays the projection, it must never lose an event.
const RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

const remote = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: RETRY });

/**
 * The activities a directive calls run as local activities: in the worker, inside the workflow task, their
 * result recorded as one marker. A remote activity costs the server a schedule, a dispatch, a start, a
 * completion and one more workflow task; at a directive's start and at every reminder and rung that was most
 * of the server's work and of the history's length. Local activities may run again after a crash, which is
 * safe here: the reads only read, and recordEvent is a no-op for a sequence number already recorded.
 */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: RETRY });

/** Runs started before it keep calling them as remote activities up to where they are, so replay matches. */
export const LOCAL_READS_PATCH = 'reads-as-local-activities';
export const LOCAL_RECORD_PATCH = 'record-as-local-activity';

/**
 * How a run calls its activities, decided in its first activation (directive.ts, LOCAL_FROM_START_PATCH).
 * A run that started local from the start never asks the two patches above. They were asked lazily, at a run's
 * first read and first record, and the first record follows the first local activity's result: a worker may
 * deliver that result in the next workflow task (it did under load, in the release drill) while replay
 * delivers it in the task whose history holds its marker, before the server told the code that the record's
 * patch is there. The replay then took the remote branch and the run could never be replayed again.
 */
export type ActivityMode = { localFromStart: boolean };

const recordEvent = (mode: ActivityMode, input: Parameters<Activities['recordEvent']>[0]) =>
  (mode.localFromStart || patched(LOCAL_RECORD_PATCH) ? local : remote).recordEvent(input);

export const planSchedule = (mode: ActivityMode, input: PlanInput): Promise<Plan> =>
  (mode.localFromStart || patched(LOCAL_READS_PATCH) ? local : remote).planSchedule(input);

/** New with the calendar re-plan: no run called it before, so it is local from the start. */
export const replanSchedule = (input: ReplanInput): Promise<PlannedDeadline[]> => local.replanSchedule(input);

export const resolveEscalationTarget = (
  mode: ActivityMode,
  input: { agencyId: string; level: number; issuedBy: string | null },
): Promise<EscalationTarget> => (mode.localFromStart || patched(LOCAL_READS_PATCH) ? local : remote).resolveEscalationTarget(input);

export type Recorder = EngineRecorder<Recorded['event']>;

/** The engine's recorder (engine/recorder.ts) writing a directive's events through recordEvent. */
export function createRecorder(state: DirectiveState, mode: ActivityMode): Recorder {
  return sequencedRecorder<Recorded['event'], DirectiveState>(state, ({ event, actorId, seq, snapshot }) =>
    recordEvent(mode, {
      ...event,
      directiveId: state.directiveId,
      workflowId: workflowInfo().workflowId,
      seq,
      occurredAt: new Date().toISOString(),
      actorId,
      snapshot,
    }),
  );
}
