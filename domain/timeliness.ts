import type { DirectiveState } from './directive.js';
import { CLOSED_STATUSES, includes, type DirectiveStatus, type Timeliness } from './lists.js';

export const isClosed = (status: DirectiveStatus): boolean => includes(CLOSED_STATUSES, status);

/** Timeliness is derived, never stored independently of status, deadline and completion time. */
export function timelinessOf(s: Pick<DirectiveState, 'status' | 'dueAt' | 'completedAt'>, nowMs: number): Timeliness {
  const due = s.dueAt === null ? null : Date.parse(s.dueAt);
  if (s.status === 'completed') {
    if (due === null || s.completedAt === null) return 'completed_on_time';
    return Date.parse(s.completedAt) <= due ? 'completed_on_time' : 'completed_late';
  }
  if (due === null) return 'no_deadline';
  return nowMs < due ? 'open_on_time' : 'open_overdue';
}
