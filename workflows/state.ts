import type { DirectiveState, ExtensionRequest, StoredExtensionRequest } from '../domain/directive.js';
import { timelinessOf } from '../domain/timeliness.js';
import type { DirectiveInput } from './types.js';

export function initialState(input: DirectiveInput): DirectiveState {
  const base = {
    directiveId: input.directiveId,
    title: input.title,
    body: input.body,
    leadAgencyId: input.leadAgencyId,
    coordinatingAgencyIds: [...input.coordinatingAgencyIds],
    conferenceId: input.conferenceId,
    status: 'issued' as const,
    dueAt: input.dueAt,
    nextDeadlineAt: input.dueAt,
    escalationLevel: 0,
    issuedBy: input.issuedBy,
    issuedAt: input.issuedAt,
    completedAt: null,
    seq: 0,
  };
  const subtask = input.parent ? { parent: input.parent, assigneeId: input.assigneeId ?? null } : {};
  const secret = input.confidential ? { confidential: true } : {};
  return { ...base, ...subtask, ...secret, timeliness: timelinessOf(base, Date.parse(input.issuedAt)) };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** An extension request as an earlier release stored it, with its proposed deadline told apart. */
export function normalizeExtension(x: StoredExtensionRequest): ExtensionRequest {
  if (x.proposedDueDate !== undefined) return x;
  const { proposedDueAt, ...rest } = x;
  return DAY.test(proposedDueAt) ? { ...rest, proposedDueDate: proposedDueAt, proposedDueAt: null } : { ...rest, proposedDueDate: null, proposedDueAt };
}

/**
 * The state a continued run starts from. A run continued by an earlier release may carry extension requests
 * whose `proposedDueAt` holds a day; they are read into today's shape here, once. Changing in-memory state
 * issues no command, so replay is unaffected.
 */
export function resumedState(carried: DirectiveState): DirectiveState {
  const extensions: StoredExtensionRequest[] | undefined = carried.extensions;
  return extensions ? { ...carried, extensions: extensions.map(normalizeExtension) } : carried;
}
