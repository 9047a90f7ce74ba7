import {
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { stateQuery } from './messages.js';
import { initialState, isClosed, timelinessOf } from './rules.js';
import { searchAttributesFor } from './search-attributes.js';
import type { DirectiveEventType, DirectiveInput, DirectiveState } from './types.js';

const { recordEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // No maximumAttempts: a database outage delays the projection, it must never lose an event.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One workflow per directive (`directive-<id>`): the source of truth for its lifecycle and timers.
 * The workflow name and its messages are a contract with running workflows: never rename them.
 */
export async function directiveWorkflow(input: DirectiveInput): Promise<DirectiveState> {
  const state = initialState(input);
  setHandler(stateQuery, () => state);

  // Sequence numbers are reserved before the activity runs so concurrent records never share one;
  // state.seq only advances once the event is durably recorded.
  let nextSeq = state.seq;
  const record = async (type: DirectiveEventType, data: Record<string, unknown>, actorId: string | null) => {
    const seq = ++nextSeq;
    await recordEvent({
      directiveId: state.directiveId,
      workflowId: workflowInfo().workflowId,
      seq,
      type,
      occurredAt: new Date().toISOString(),
      actorId,
      data,
      snapshot: { ...state, coordinatingAgencyIds: [...state.coordinatingAgencyIds], seq },
    });
    state.seq = Math.max(state.seq, seq);
  };

  await record(
    'issued',
    { leadAgencyId: state.leadAgencyId, coordinatingAgencyIds: state.coordinatingAgencyIds, dueAt: state.dueAt },
    state.issuedBy,
  );

  if (state.dueAt !== null) {
    const untilDue = Date.parse(state.dueAt) - Date.now();
    // Workflow time is deterministic; the timer survives worker and server restarts.
    if (untilDue > 0) await condition(() => isClosed(state.status), untilDue);
    if (!isClosed(state.status)) {
      state.timeliness = timelinessOf(state, Date.now());
      upsertSearchAttributes(searchAttributesFor(state));
      await record('overdue', { dueAt: state.dueAt }, null);
    }
  }

  await condition(() => isClosed(state.status));
  return state;
}
