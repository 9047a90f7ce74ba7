/**
 * What an actor may do with a directive now: one answer, computed by running each Update's own validator (and
 * the effect's own check, where the effect refuses what the validator cannot see yet) against a probe. The
 * doors show exactly these forms and a machine client reads the same list; the services fold in the scope a
 * workflow cannot see (a supervisor acts on the agencies it supervises). Pure: no command, no I/O.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Actor, DirectiveState } from '../domain/directive.js';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../domain/lists.js';
import { readsOnly } from '../domain/policy.js';
import { isSatisfied, ownersOf } from './lifecycle.js';
import {
  validateAcknowledge,
  validateAnswerExplanation,
  validateAttach,
  validateCancel,
  validateCloseExplanation,
  validateDecideExtension,
  validateDelegate,
  validateReassign,
  validateRequestExplanation,
  validateRequestExtension,
  validateReviewCompletion,
  validateSubmitCompletion,
  validateSubmitReport,
} from './updates.js';

export type AllowedActions = {
  acknowledge: boolean;
  /** The report periods the actor's agency may still report on. */
  report: string[];
  /** The kinds of file the actor may attach. */
  attach: AttachmentKind[];
  /** The explanation requests the actor's agency may answer (and attach files to). */
  answerExplanation: string[];
  requestExtension: boolean;
  /** The extension requests the actor may decide. */
  decideExtension: string[];
  submitCompletion: boolean;
  reviewCompletion: boolean;
  /** Split into sub-tasks (the page needs sub-units or officers to offer it). */
  delegate: boolean;
  /** The overdue items, per agency that owes them, the actor may ask to be explained. */
  requestExplanation: Array<{ deadlineKey: string; agencyId: string }>;
  /** The explanation requests the actor may close; `accept` when it may also accept them (they are answered). */
  closeExplanation: Array<{ requestId: string; accept: boolean }>;
  reassign: boolean;
  cancel: boolean;
};

export const NOTHING_ALLOWED: AllowedActions = {
  acknowledge: false,
  report: [],
  attach: [],
  answerExplanation: [],
  requestExtension: false,
  decideExtension: [],
  submitCompletion: false,
  reviewCompletion: false,
  delegate: false,
  requestExplanation: [],
  closeExplanation: [],
  reassign: false,
  cancel: false,
};

const DAY_MS = 86_400_000;
/** What a probe writes where a person would write a text: any non-empty text passes the same checks. */
const TEXT = 'probe';

/** Whether a check lets the probe through; only a refusal (a typed ApplicationFailure) counts as no. */
function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (err) {
    if (err instanceof ApplicationFailure) return false;
    throw err;
  }
}

export function allowedActions(s: DirectiveState, actor: Actor, nowMs: number): AllowedActions {
  if (readsOnly(actor.role)) return NOTHING_ALLOWED;
  const deadlines = s.deadlines ?? [];
  const explanations = s.explanations ?? [];
  const mine = actor.agencyId;
  const file = (kind: AttachmentKind, deadlineKey: string | null) =>
    passes(() => validateAttach(s, { actor, attachment: { id: TEXT, sha256: '0'.repeat(64), size: 1, kind, deadlineKey } }));
  const answerable = explanations.filter((x) => passes(() => validateAnswerExplanation(s, { actor, requestId: x.id, text: TEXT, attachmentIds: [] }))).map((x) => x.id);
  return {
    acknowledge: passes(() => validateAcknowledge(s, { actor })),
    // The effect refuses a second report of a period: it is not offered either.
    report: deadlines
      .filter((d) => d.kind === 'report' && mine !== null && !isSatisfied(s, d, mine))
      .filter((d) => passes(() => validateSubmitReport(s, { actor, deadlineKey: d.key, summary: TEXT }, true)))
      .map((d) => d.key),
    attach: ATTACHMENT_KINDS.filter((kind) => (kind === 'explanation' ? answerable.some((id) => file(kind, id)) : file(kind, null))),
    answerExplanation: answerable,
    requestExtension:
      s.dueAt !== null &&
      passes(() => validateRequestExtension(s, { actor, reason: TEXT, proposedDueAt: new Date(Date.parse(s.dueAt!) + DAY_MS).toISOString() }, nowMs)),
    decideExtension: (s.extensions ?? [])
      .filter((x) => passes(() => validateDecideExtension(s, { actor, requestId: x.id, approve: true, note: '' })))
      .map((x) => x.id),
    submitCompletion: passes(() => validateSubmitCompletion(s, { actor, summary: TEXT, closeOpenSubtasks: { note: TEXT } })),
    reviewCompletion: passes(() => validateReviewCompletion(s, { actor, accept: true, note: '' })),
    // A sub-task is due no later than its directive and later than now: none fits once the final deadline passed.
    delegate:
      (s.dueAt === null || Date.parse(s.dueAt) > nowMs) &&
      passes(() =>
        validateDelegate(
          s,
          { actor, subtasks: [{ directiveId: `${s.directiveId}-${TEXT}`, title: TEXT, body: '', leadAgencyId: `${TEXT}-unit`, assigneeId: null, dueAt: s.dueAt, dueDate: null }] },
          nowMs,
        ),
      ),
    requestExplanation: deadlines.flatMap((d) =>
      ownersOf(s, d)
        .filter((agencyId) =>
          passes(() => validateRequestExplanation(s, { actor, agencyId, deadlineKey: d.key, question: TEXT, dueAt: new Date(nowMs + DAY_MS).toISOString() }, nowMs)),
        )
        .map((agencyId) => ({ deadlineKey: d.key, agencyId })),
    ),
    closeExplanation: explanations.flatMap((x) => {
      const accept = passes(() => validateCloseExplanation(s, { actor, requestId: x.id, accepted: true, note: '' }));
      const decline = passes(() => validateCloseExplanation(s, { actor, requestId: x.id, accepted: false, note: TEXT }));
      return accept || decline ? [{ requestId: x.id, accept }] : [];
    }),
    reassign: passes(() => validateReassign(s, { actor, leadAgencyId: s.leadAgencyId, coordinatingAgencyIds: [], reason: TEXT })),
    cancel: passes(() => validateCancel(s, { actor, reason: TEXT })),
  };
}

/** The supervisor's scope folded in: what names an agency the actor's agency does not supervise is taken out. */
export function withinSupervision(allowed: AllowedActions, s: Pick<DirectiveState, 'leadAgencyId' | 'explanations'>, supervises: (agencyId: string) => boolean): AllowedActions {
  const agencyOf = (requestId: string) => (s.explanations ?? []).find((x) => x.id === requestId)?.agencyId ?? null;
  const lead = supervises(s.leadAgencyId);
  return {
    ...allowed,
    decideExtension: lead ? allowed.decideExtension : [],
    reviewCompletion: allowed.reviewCompletion && lead,
    requestExplanation: allowed.requestExplanation.filter((x) => supervises(x.agencyId)),
    closeExplanation: allowed.closeExplanation.filter((x) => {
      const agencyId = agencyOf(x.requestId);
      return agencyId !== null && supervises(agencyId);
    }),
  };
}
