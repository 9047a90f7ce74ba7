import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, DirectiveState, EscalationRef } from '../domain/directive.js';
import type { AttachmentKind } from '../domain/lists.js';

/** Message names are a contract with running workflows: never rename them. */
export const stateQuery = defineQuery<DirectiveState>('state');

export type AcknowledgeArgs = { actor: Actor };
export type SubmitReportArgs = { actor: Actor; deadlineKey: string; summary: string };
/** Exactly one of `proposedDueDate` (a day) and `proposedDueAt` (an instant). */
export type RequestExtensionArgs = { actor: Actor; reason: string } & (
  | { proposedDueDate: string; proposedDueAt?: undefined }
  | { proposedDueAt: string; proposedDueDate?: undefined }
);
export type DecideExtensionArgs = { actor: Actor; requestId: string; approve: boolean; note: string };
/** `closeOpenSubtasks`: the lead's confirmation, with a note, that its open sub-tasks close with it. */
export type SubmitCompletionArgs = { actor: Actor; summary: string; closeOpenSubtasks?: { note: string } | undefined };
export type ReviewCompletionArgs = { actor: Actor; accept: boolean; note: string };
export type ReassignArgs = { actor: Actor; leadAgencyId: string; coordinatingAgencyIds: string[]; reason: string };
export type CancelArgs = { actor: Actor; reason: string };

export const acknowledgeUpdate = defineUpdate<DirectiveState, [AcknowledgeArgs]>('acknowledge');
export const submitReportUpdate = defineUpdate<DirectiveState, [SubmitReportArgs]>('submitReport');
export const requestExtensionUpdate = defineUpdate<DirectiveState, [RequestExtensionArgs]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<DirectiveState, [DecideExtensionArgs]>('decideExtension');
export const submitCompletionUpdate = defineUpdate<DirectiveState, [SubmitCompletionArgs]>('submitCompletion');
export const reviewCompletionUpdate = defineUpdate<DirectiveState, [ReviewCompletionArgs]>('reviewCompletion');
export const reassignUpdate = defineUpdate<DirectiveState, [ReassignArgs]>('reassign');
export const cancelUpdate = defineUpdate<DirectiveState, [CancelArgs]>('cancel');

export type AcknowledgeEscalationArgs = { actor: Actor; escalation: EscalationRef };
export const acknowledgeEscalationUpdate = defineUpdate<DirectiveState, [AcknowledgeEscalationArgs]>('acknowledgeEscalation');

/**
 * The working calendar changed: place the unfired deadlines again. `changeId` names the change, so sending it
 * twice (a retried coordinator) re-plans once; `cause` ends the history's sentence ("… do lịch nghỉ Tết").
 */
export type ReplanArgs = { changeId: string; cause: string };
export const replanUpdate = defineUpdate<DirectiveState, [ReplanArgs]>('replan');

/**
 * An agency's open work moves to its successor (a merge, "sáp nhập"): the predecessor's place in the directive
 * goes to the successor, with what it had done and been sent. `changeId` names the reorganisation, so sending it
 * twice moves a directive once.
 */
export type TransferArgs = { changeId: string; fromAgencyId: string; toAgencyId: string; reason: string };
export const transferUpdate = defineUpdate<DirectiveState, [TransferArgs]>('transfer');

/**
 * The lead agency splits the directive into sub-tasks, each a directive of its own started as a child workflow
 * (`directive-<id>`), for a sub-unit or a named officer of the lead agency, due no later than the parent.
 */
export type NewSubtask = { directiveId: string; title: string; body: string; leadAgencyId: string; assigneeId: string | null; dueAt: string | null; dueDate: string | null };
export type DelegateArgs = { actor: Actor; subtasks: NewSubtask[] };
export const delegateUpdate = defineUpdate<DirectiveState, [DelegateArgs]>('delegate');

/** A sub-task tells its parent it closed (completed or cancelled), so the parent's completion knows. */
export type SubtaskClosedArgs = { directiveId: string; status: DirectiveState['status'] };
export const subtaskClosedSignal = defineSignal<[SubtaskClosedArgs]>('subtaskClosed');

/** The parent closed with this sub-task open: it closes too, with the parent's note. */
export type ParentClosedArgs = { parentId: string; status: DirectiveState['status']; note: string; by: string | null };
export const parentClosedSignal = defineSignal<[ParentClosedArgs]>('parentClosed');

/** A file attached to the directive (its source document, a report's, the completion's): id, hash and size only, never its bytes. */
export type AttachmentRef = { id: string; sha256: string; size: number; kind: AttachmentKind; deadlineKey: string | null };
export type AttachArgs = { actor: Actor; attachment: AttachmentRef };
export const attachUpdate = defineUpdate<DirectiveState, [AttachArgs]>('attach');

/**
 * A leader or supervisor asks an assigned agency to explain an overdue item (a report period or the final
 * deadline) by a day (`dueDate`, 24:00 Vietnam time) or an instant (`dueAt`): exactly one of the two.
 */
export type RequestExplanationArgs = { actor: Actor; agencyId: string; deadlineKey: string; question: string; dueDate?: string | undefined; dueAt?: string | undefined };
export const requestExplanationUpdate = defineUpdate<DirectiveState, [RequestExplanationArgs]>('requestExplanation');

/** The asked agency answers, with text and the files it attached to this request beforehand (by id). */
export type AnswerExplanationArgs = { actor: Actor; requestId: string; text: string; attachmentIds: string[] };
export const answerExplanationUpdate = defineUpdate<DirectiveState, [AnswerExplanationArgs]>('answerExplanation');

/** The leader or supervisor closes the request: the explanation accepted or not (a request unanswered can only be closed as not accepted). */
export type CloseExplanationArgs = { actor: Actor; requestId: string; accepted: boolean; note: string };
export const closeExplanationUpdate = defineUpdate<DirectiveState, [CloseExplanationArgs]>('closeExplanation');
