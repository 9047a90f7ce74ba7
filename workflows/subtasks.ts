/**
 * Splitting a directive into sub-tasks ("chuyển tiếp tới các cấp trực thuộc"): each a directive of its own,
 * started as the parent's child workflow, closing with it. Validators and effects as in updates.ts.
 */
import type { Actor, DirectiveState, Subtask } from '../domain/directive.js';
import { FailureType } from '../domain/failures.js';
import { isClosed } from '../domain/timeliness.js';
import { vnEndOfDay } from '../domain/vn-time.js';
import { reject } from './errors.js';
import { requireBounded, requireLead, requireOpen, requireWithinHorizon } from './guards.js';
import type { DelegateArgs, NewSubtask, ParentClosedArgs, SubtaskClosedArgs } from './messages.js';
import type { DirectiveInput, Recorded } from './types.js';

/** A sub-task's due instant in ms: as given, or its day's end (24:00 Vietnam time); NaN if unreadable, null for a standing one. */
const subtaskDueMs = (t: NewSubtask): number | null => (t.dueAt ? Date.parse(t.dueAt) : t.dueDate ? vnEndOfDay(t.dueDate).getTime() : null);

export const openSubtasksOf = (s: DirectiveState): Subtask[] => (s.subtasks ?? []).filter((t) => !t.closed);

export function validateDelegate(s: DirectiveState, { actor, subtasks }: DelegateArgs, nowMs: number): void {
  requireOpen(s);
  requireLead(s, actor, 'split a directive into sub-tasks');
  if (s.parent) reject(FailureType.Invalid, 'A sub-task is not split further.');
  if (!Array.isArray(subtasks) || subtasks.length === 0 || subtasks.length > 50) reject(FailureType.Invalid, 'Give between 1 and 50 sub-tasks.');
  const known = new Set((s.subtasks ?? []).map((t) => t.directiveId));
  const finalMs = s.dueAt ? Date.parse(s.dueAt) : null;
  for (const t of subtasks) {
    if (!t.directiveId || known.has(t.directiveId) || t.directiveId === s.directiveId) reject(FailureType.Conflict, 'A sub-task with this id exists already.');
    known.add(t.directiveId);
    if (!t.title.trim()) reject(FailureType.Invalid, 'A sub-task needs a title.');
    requireBounded(t.title, 'title');
    requireBounded(t.body, 'body');
    if (t.assigneeId ? t.leadAgencyId !== s.leadAgencyId : t.leadAgencyId === s.leadAgencyId) {
      reject(FailureType.Invalid, 'A sub-task goes to a sub-unit of the lead agency or to a named officer of it.');
    }
    const due = subtaskDueMs(t);
    if (due !== null) requireWithinHorizon(s, due, nowMs);
    if (finalMs !== null && (due === null || !(due <= finalMs))) reject(FailureType.Invalid, "A sub-task is due no later than its directive's final deadline.");
  }
}

export function delegate(s: DirectiveState, { actor, subtasks }: DelegateArgs): Recorded {
  const added: Subtask[] = subtasks.map((t) => ({
    directiveId: t.directiveId,
    title: t.title,
    leadAgencyId: t.leadAgencyId,
    assigneeId: t.assigneeId,
    dueAt: t.dueAt ?? (t.dueDate ? new Date(subtaskDueMs(t)!).toISOString() : null),
    closed: false,
  }));
  s.subtasks = [...(s.subtasks ?? []), ...added];
  return { event: { type: 'delegated', data: { subtasks: added } }, actorId: actor.userId };
}

/** What a sub-task starts with: the parent's conference and policy, its lead's ladder through the parent. */
export function subtaskInput(s: DirectiveState, t: NewSubtask, actor: Actor, at: string): DirectiveInput {
  return {
    directiveId: t.directiveId,
    title: t.title,
    body: t.body,
    leadAgencyId: t.leadAgencyId,
    coordinatingAgencyIds: [],
    conferenceId: s.conferenceId,
    dueAt: t.dueAt,
    dueDate: t.dueDate,
    issuedBy: actor.userId,
    issuedAt: at,
    regime: { kind: 'none' },
    ...(s.policy ? { policy: s.policy } : {}),
    parent: { directiveId: s.directiveId, leadAgencyId: s.leadAgencyId, issuedBy: s.issuedBy },
    assigneeId: t.assigneeId,
    // A confidential directive's sub-tasks are confidential too.
    ...(s.confidential ? { confidential: true } : {}),
  };
}

/** A sub-task closed: the parent no longer waits for it. Changes state only (the sub-task's own history says it). */
export function markSubtaskClosed(s: DirectiveState, { directiveId }: SubtaskClosedArgs): void {
  s.subtasks = (s.subtasks ?? []).map((t) => (t.directiveId === directiveId ? { ...t, closed: true } : t));
}

/** The parent closed while this sub-task was open: it closes as cancelled, with the parent's note. */
export function closeByParent(s: DirectiveState, { note, by, status }: ParentClosedArgs, at: string): Recorded | null {
  if (isClosed(s.status)) return null;
  const reason = status === 'completed' ? `Đóng cùng nhiệm vụ cha (đã hoàn thành): ${note}` : `Đóng cùng nhiệm vụ cha (đã hủy): ${note}`;
  s.cancellation = { at, by: by ?? 'system', reason };
  s.status = 'cancelled';
  return { event: { type: 'cancelled', data: { reason } }, actorId: by };
}
