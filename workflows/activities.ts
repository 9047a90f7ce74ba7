import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DirectiveState } from '../domain/directive.js';
import type { Recorded } from './types.js';

export const { recordEvent, planSchedule, resolveEscalationTarget } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // No maximumAttempts: a database outage delays the projection, it must never lose an event.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export type Recorder = (recorded: Recorded) => Promise<void>;

/**
 * Sequence numbers are reserved before the activity runs so concurrent records never share one;
 * state.seq only advances once the event is durably recorded.
 */
export function createRecorder(state: DirectiveState): Recorder {
  let nextSeq = state.seq;
  return async ({ event, actorId }) => {
    const seq = ++nextSeq;
    await recordEvent({
      ...event,
      directiveId: state.directiveId,
      workflowId: workflowInfo().workflowId,
      seq,
      occurredAt: new Date().toISOString(),
      actorId,
      snapshot: JSON.parse(JSON.stringify({ ...state, seq })) as DirectiveState,
    });
    state.seq = Math.max(state.seq, seq);
  };
}
