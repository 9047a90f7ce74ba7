import type { DirectiveInput, DirectiveState, DirectiveStatus, Timeliness } from './types.js';

const CLOSED: readonly DirectiveStatus[] = ['completed', 'cancelled'];

export const isClosed = (status: DirectiveStatus): boolean => CLOSED.includes(status);

/** Timeliness is derived, never stored independently of status, deadline and completion time. */
export function timelinessOf(
  s: Pick<DirectiveState, 'status' | 'dueAt' | 'completedAt'>,
  nowMs: number,
): Timeliness {
  const due = s.dueAt === null ? null : Date.parse(s.dueAt);
  if (s.status === 'completed') {
    if (due === null || s.completedAt === null) return 'completed_on_time';
    return Date.parse(s.completedAt) <= due ? 'completed_on_time' : 'completed_late';
  }
  if (due === null) return 'no_deadline';
  return nowMs < due ? 'open_on_time' : 'open_overdue';
}

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
  return { ...base, timeliness: timelinessOf(base, Date.parse(input.issuedAt)) };
}
