/** The inputs and results of the activities, owned here: the workflow proxies them by type only. */
import type { DirectiveState } from '../domain/directive.js';
import type { DirectiveEvent } from '../domain/events.js';

/** One event with where it belongs; the shape (type and data beside the rest) is a contract with running workflows. */
export type RecordEventInput = DirectiveEvent & {
  directiveId: string;
  workflowId: string;
  seq: number;
  occurredAt: string;
  actorId: string | null;
  /** The directive as it is after this event; the projection is upserted from it. */
  snapshot: DirectiveState;
};

export type RecordEventResult = { recorded: boolean };
