import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { inLanes } from './lanes.js';

/** No maximumAttempts: a busy directive or a database outage delays the move; nothing skips a directive. */
const { directivesAssignedTo, plannedMoves, transferDirective, finishReorganisation } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export type AgencyTransferInput = {
  /** The reorganisation (`reorganisations.id`): the change each directive remembers, so it moves once. */
  changeId: string;
  fromAgencyId: string;
  /** A merge's successor; for a split, the default successor (each directive's own is in the plan). */
  toAgencyId: string;
  /** The history's reason: "sáp nhập". */
  reason: string;
  /** A split: each directive goes where the reorganisation's plan says (`reorganisation_moves`). */
  planned?: boolean;
  pageSize?: number;
  concurrency?: number;
  /** Set by continue-as-new. */
  after?: string | null;
  examined?: number;
  moved?: number;
};

export type AgencyTransferResult = { changeId: string; examined: number; moved: number };

/**
 * A merged agency's open directives move to its successor (a split's, each to the successor its plan names): one `transfer` Update per directive, a few at a
 * time, a page of the read model per run (continue-as-new carries the cursor), so a run that dies half-way
 * resumes where it was. Workflow type name and id (`reorganisation-<change id>`) are a contract.
 */
export async function agencyTransferWorkflow(input: AgencyTransferInput): Promise<AgencyTransferResult> {
  const pageSize = input.pageSize ?? 200;
  let examined = input.examined ?? 0;
  let moved = input.moved ?? 0;
  const page = { after: input.after ?? null, limit: pageSize };
  const moves = input.planned
    ? await plannedMoves({ changeId: input.changeId, ...page })
    : (await directivesAssignedTo({ agencyId: input.fromAgencyId, ...page })).map((directiveId) => ({ directiveId, toAgencyId: input.toAgencyId }));
  await inLanes(moves, input.concurrency ?? 8, async ({ directiveId, toAgencyId }) => {
    const outcome = await transferDirective({ directiveId, changeId: input.changeId, fromAgencyId: input.fromAgencyId, toAgencyId, reason: input.reason });
    examined++;
    if (outcome.moved) moved++;
  });
  if (moves.length === pageSize) {
    await continueAsNew<typeof agencyTransferWorkflow>({ ...input, after: moves.at(-1)!.directiveId, examined, moved });
  }
  await finishReorganisation({ changeId: input.changeId, examined, moved });
  return { changeId: input.changeId, examined, moved };
}
