import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { DirectiveState } from '../domain/directive.js';
import { isClosed, timelinessOf } from '../domain/timeliness.js';
import type { Recorder } from './activities.js';
import { searchAttributesFor } from './search-attributes.js';

/** How a first-release run left its slice: closed (never, in practice), or asked to move onto the full lifecycle. */
export type LegacyOutcome = 'closed' | 'upgrade_before_overdue' | 'upgrade_after_overdue';

/**
 * The first release's directive: issued, then overdue at its deadline. Kept for the runs started before the
 * lifecycle patch: replaying their histories must produce the same commands, so the commands here never
 * change. The first release had no messages, so such a run could never be acted on; a message now wakes it
 * (`upgradeRequested`), and the workflow continues on the full lifecycle in the same run.
 */
export async function legacyIssuedSlice(state: DirectiveState, record: Recorder, upgradeRequested: () => boolean): Promise<LegacyOutcome> {
  await record({
    event: { type: 'issued', data: { leadAgencyId: state.leadAgencyId, coordinatingAgencyIds: state.coordinatingAgencyIds, dueAt: state.dueAt } },
    actorId: state.issuedBy,
  });

  let overdueRecorded = false;
  if (state.dueAt !== null) {
    const untilDue = Date.parse(state.dueAt) - Date.now();
    if (untilDue > 0) await condition(() => isClosed(state.status) || upgradeRequested(), untilDue);
    if (upgradeRequested()) return 'upgrade_before_overdue';
    if (!isClosed(state.status)) {
      state.timeliness = timelinessOf(state, Date.now());
      upsertSearchAttributes(searchAttributesFor(state));
      await record({ event: { type: 'overdue', data: { dueAt: state.dueAt } }, actorId: null });
      overdueRecorded = true;
    }
  }

  await condition(() => isClosed(state.status) || upgradeRequested());
  if (!upgradeRequested()) return 'closed';
  return overdueRecorded ? 'upgrade_after_overdue' : 'upgrade_before_overdue';
}
