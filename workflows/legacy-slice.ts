import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { Recorder } from './activities.js';
import { isClosed, timelinessOf } from './rules.js';
import { searchAttributesFor } from './search-attributes.js';
import type { DirectiveState } from './types.js';

/**
 * The first release's directive: issued, then overdue at its deadline. Kept, unchanged, for the runs
 * started before the lifecycle patch; replaying their histories must produce the same commands.
 */
export async function legacyIssuedSlice(state: DirectiveState, record: Recorder): Promise<DirectiveState> {
  await record(
    'issued',
    { leadAgencyId: state.leadAgencyId, coordinatingAgencyIds: state.coordinatingAgencyIds, dueAt: state.dueAt },
    state.issuedBy,
  );

  if (state.dueAt !== null) {
    const untilDue = Date.parse(state.dueAt) - Date.now();
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
