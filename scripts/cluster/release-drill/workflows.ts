/**
 * The fault drill's "next release" (scripts/faults.ts): today's workflows with one change made the way every
 * change to running workflows must be made, behind patched(). A run started by this release records the
 * patch marker and a memo saying so; a run started by the previous release replays here without either.
 */
import { patched, upsertMemo } from '@temporalio/workflow';
import { directiveWorkflow as previous } from '../../../workflows/directive.js';
import type { DirectiveInput } from '../../../workflows/types.js';

export { blobCollectionWorkflow } from '../../../workflows/blobs.js';
export { dailyDigestWorkflow, notificationDeliveryWorkflow } from '../../../workflows/notifications.js';

export async function directiveWorkflow(input: DirectiveInput): ReturnType<typeof previous> {
  if (patched('release-drill-memo')) upsertMemo({ release: 'drill-next' });
  return previous(input);
}
