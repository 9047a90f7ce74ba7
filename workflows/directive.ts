import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { confidentialRef } from '../domain/confidential.js';
import type { DirectiveState } from '../domain/directive.js';
import { isClosed, timelinessOf } from '../domain/timeliness.js';
import type { PlanInput } from '../domain/deadlines.js';
import { createRecorder, planSchedule as planScheduleActivity, replanSchedule, resolveEscalationTarget, type ActivityMode } from './activities.js';
import { legacyIssuedSlice } from './legacy-slice.js';
import { escalationLevelOf, markFired, missedEvent, nextDeadlineOf, openEscalation, pendingTimers, reminderEvent, type TimerItem } from './lifecycle.js';
import {
  acknowledgeEscalationUpdate,
  acknowledgeUpdate,
  answerExplanationUpdate,
  attachUpdate,
  cancelUpdate,
  closeExplanationUpdate,
  decideExtensionUpdate,
  delegateUpdate,
  parentClosedSignal,
  reassignUpdate,
  replanUpdate,
  requestExplanationUpdate,
  transferUpdate,
  requestExtensionUpdate,
  reviewCompletionUpdate,
  stateQuery,
  submitCompletionUpdate,
  submitReportUpdate,
  subtaskClosedSignal,
} from './messages.js';
import {
  appendMoreReports,
  appendNextYear,
  applyCalendarPlan,
  applyIssuePlan,
  applyUpgradePlan,
  calendarReplanInput,
  hasApplied,
  markApplied,
  moreReportsPlanInput,
  needsMoreReports,
  needsNextYear,
  nextYearPlanInput,
  prepareIssue,
  upgradePlanInput,
} from './plans.js';
import { searchAttributesFor } from './search-attributes.js';
import { initialState, resumedState } from './state.js';
import { DIRECTIVE_WORKFLOW, workflowIdFor, type DirectiveInput, type Recorded } from './types.js';
import * as rules from './updates.js';

/** Marks histories written by the full lifecycle; runs started before it continue on the first release's code. */
export const LIFECYCLE_PATCH = 'directive-lifecycle-v1';
/**
 * Everything due by the time the timer fires is acted on together (the lead's and the coordinating agency's
 * reminders of one deadline, rungs caught up after an outage): one timer, one workflow task, their activities
 * side by side. Before it, one item per timer.
 */
export const FIRE_TOGETHER_PATCH = 'fire-due-items-together';
/**
 * A run started with this release decides in its first activation what the three patches above decided lazily:
 * its activities are local and due items fire together (activities.ts says why asking them lazily broke replay).
 */
export const LOCAL_FROM_START_PATCH = 'local-activities-from-start';
/**
 * A directive with a final deadline plans its periodic reports a year at a time, as a standing one does (the
 * planner stops a year ahead since the security review: a deadline in 2100 once planned 890 months in one go).
 * Only runs whose plan says more reports follow (DirectiveState.reportsPlannedUntil) ever ask it.
 */
export const REPORTS_A_YEAR_AHEAD_PATCH = 'reports-planned-a-year-ahead';

/**
 * One workflow per directive (`directive-<id>`): the source of truth for its lifecycle and timers. This
 * function only wires the rules of updates.ts, lifecycle.ts and plans.ts to Temporal: handlers, the
 * recorder, the planning activities and one durable wait. The workflow name and its messages are a
 * contract with running workflows: never rename them.
 */
export async function directiveWorkflow(input: DirectiveInput): Promise<DirectiveState> {
  const state: DirectiveState = input.resume ? resumedState(input.resume) : initialState(input);
  setHandler(stateQuery, () => state);
  const mode: ActivityMode = { localFromStart: false };
  const record = createRecorder(state, mode);
  const planSchedule = (i: PlanInput) => planScheduleActivity(mode, i);

  const now = () => new Date().toISOString();
  let dirty = false;
  let planned = input.resume !== undefined;
  let lastSearchAttributes = '';

  const refresh = () => {
    state.timeliness = timelinessOf(state, Date.now());
    state.nextDeadlineAt = nextDeadlineOf(state);
    state.escalationLevel = escalationLevelOf(state);
    const attrs = searchAttributesFor(state);
    const serialized = JSON.stringify(attrs.map((a) => [a.key.name, a.value]));
    if (serialized !== lastSearchAttributes) {
      upsertSearchAttributes(attrs);
      lastSearchAttributes = serialized;
    }
    dirty = true;
  };
  /** Every change is refreshed into the search attributes, then recorded; nothing to record is a no-op. */
  const commit = async (r: Recorded | null) => {
    if (!r) return;
    refresh();
    await record(r);
  };
  const resolve = (match: Parameters<typeof rules.resolveEscalations>[1], resolution: string, actorId: string | null) =>
    commit(rules.resolveEscalations(state, match, resolution, now(), actorId));

  // --- the Updates: each validator and effect is a rule of updates.ts ----------------------------------------
  type Registration = { install(): void; installUntilUpgraded(): void };
  const updates: Registration[] = [];
  let upgradeRequested = false;
  let upgraded = false;
  function on<A>(def: UpdateDefinition<DirectiveState, [A]>, validator: (args: A) => void, handler: (args: A) => Promise<DirectiveState>) {
    updates.push({
      install: () => setHandler(def, handler, { validator }),
      // A first-release directive moves onto the full lifecycle at its first message, which then runs there.
      installUntilUpgraded: () =>
        setHandler(def, async (args: A) => {
          upgradeRequested = true;
          await condition(() => upgraded);
          validator(args);
          return handler(args);
        }),
    });
  }

  on(acknowledgeUpdate, (a) => rules.validateAcknowledge(state, a), async (a) => {
    await commit(rules.acknowledge(state, a, now()));
    return state;
  });
  on(submitReportUpdate, (a) => rules.validateSubmitReport(state, a, planned), async (a) => {
    await condition(() => planned);
    await commit(rules.submitReport(state, a, now()));
    await resolve(rules.clearedByReport(a.deadlineKey, a.actor.agencyId!), 'reported', a.actor.userId);
    return state;
  });
  on(requestExtensionUpdate, (a) => rules.validateRequestExtension(state, a, Date.now()), async (a) => {
    await commit(rules.requestExtension(state, a, now()));
    return state;
  });
  on(decideExtensionUpdate, (a) => rules.validateDecideExtension(state, a), async (a) => {
    await commit(rules.decideExtension(state, a, now()));
    if (!a.approve) return state;
    const oldFinal = rules.finalDeadlineOf(state);
    const plan = await planSchedule(rules.extensionPlanInput(state, a.requestId, now()));
    await commit(rules.applyExtensionPlan(state, a.requestId, plan, now(), Date.now(), a.actor.userId));
    if (oldFinal) await resolve((e) => e.deadlineKey === 'final' && e.dueAt === oldFinal.dueAt, 'extended', a.actor.userId);
    return state;
  });
  on(submitCompletionUpdate, (a) => rules.validateSubmitCompletion(state, a), async (a) => {
    await commit(rules.submitCompletion(state, a, now()));
    await resolve((e) => e.deadlineKey === 'final', 'completion_submitted', a.actor.userId);
    return state;
  });
  on(reviewCompletionUpdate, (a) => rules.validateReviewCompletion(state, a), async (a) => {
    await commit(rules.reviewCompletion(state, a, now()));
    if (a.accept) await resolve(() => true, 'completed', a.actor.userId);
    return state;
  });
  on(reassignUpdate, (a) => rules.validateReassign(state, a), async (a) => {
    await commit(rules.reassign(state, a));
    await resolve((e) => !rules.isAssigned(state, e.agencyId), 'reassigned', a.actor.userId);
    // An agency no longer assigned cannot answer: its open explanation requests close (none in older runs).
    for (const x of rules.openExplanationsOf(state).filter((x) => !rules.isAssigned(state, x.agencyId))) {
      await commit(rules.withdrawExplanation(state, x.id, 'Cơ quan không còn được giao nhiệm vụ', now(), a.actor.userId));
    }
    return state;
  });
  on(cancelUpdate, (a) => rules.validateCancel(state, a), async (a) => {
    await commit(rules.cancel(state, a, now()));
    await resolve(() => true, 'cancelled', a.actor.userId);
    return state;
  });
  // New handlers need no patch: a run only meets one in a message sent after this release.
  on(replanUpdate, (a) => rules.validateReplan(state, a), async (a) => {
    await condition(() => planned);
    if (hasApplied(state, a.changeId) || isClosed(state.status)) return state;
    for (;;) {
      const sent = calendarReplanInput(state, input, Date.now());
      const replanned = await replanSchedule(sent);
      // Another message (an extension, a deadline passing) may have changed the plan while the calendar was read.
      if (JSON.stringify(calendarReplanInput(state, input, Date.now())) !== JSON.stringify(sent)) continue;
      await commit(applyCalendarPlan(state, a, replanned, now()));
      return state;
    }
  });
  on(transferUpdate, (a) => rules.validateTransfer(state, a), async (a) => {
    await condition(() => planned);
    if (hasApplied(state, a.changeId) || isClosed(state.status)) return state;
    markApplied(state, a.changeId);
    await commit(rules.transfer(state, a));
    // The predecessor's open rungs close; its ladder goes on for the successor at the next rung.
    await resolve((e) => e.agencyId === a.fromAgencyId, 'transferred', null);
    return state;
  });
  on(acknowledgeEscalationUpdate, (a) => rules.validateAcknowledgeEscalation(state, a), async (a) => {
    await commit(rules.acknowledgeEscalation(state, a, now()));
    return state;
  });
  // Sub-tasks: each a directive of its own, started as a child that outlives this run (continue-as-new) and
  // tells it when it closes; they close with this directive when it completes or is cancelled.
  on(delegateUpdate, (a) => rules.validateDelegate(state, a, Date.now()), async (a) => {
    await condition(() => planned);
    await commit(rules.delegate(state, a));
    for (const t of a.subtasks) {
      await startChild<typeof directiveWorkflow>(DIRECTIVE_WORKFLOW, {
        workflowId: workflowIdFor(t.directiveId),
        args: [rules.subtaskInput(state, t, a.actor, now())],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: state.confidential ? confidentialRef(t.directiveId) : t.title.slice(0, 200),
      });
    }
    return state;
  });
  on(attachUpdate, (a) => rules.validateAttach(state, a), async (a) => {
    await commit(rules.attach(state, a));
    return state;
  });
  // Explanation requests: each has its own answer deadline, reminded and escalated by the timers below.
  on(requestExplanationUpdate, (a) => rules.validateRequestExplanation(state, a, Date.now()), async (a) => {
    await condition(() => planned);
    const plan = await planSchedule(rules.explanationPlanInput(state, a, now()));
    await commit(rules.requestExplanation(state, a, plan, now()));
    return state;
  });
  on(answerExplanationUpdate, (a) => rules.validateAnswerExplanation(state, a), async (a) => {
    await commit(rules.answerExplanation(state, a, now()));
    await resolve(rules.ofExplanation(a.requestId), 'explained', a.actor.userId);
    return state;
  });
  on(closeExplanationUpdate, (a) => rules.validateCloseExplanation(state, a), async (a) => {
    await commit(rules.closeExplanation(state, a, now()));
    await resolve(rules.ofExplanation(a.requestId), 'explanation_closed', a.actor.userId);
    return state;
  });
  setHandler(subtaskClosedSignal, (a) => {
    rules.markSubtaskClosed(state, a);
    dirty = true;
  });
  setHandler(parentClosedSignal, async (a) => {
    await condition(() => planned);
    await commit(rules.closeByParent(state, a, now()));
    await resolve(() => true, 'cancelled', a.by);
  });

  // --- start: a new directive is planned and issued; a first-release one is upgraded; a continued one resumes --
  if (!patched(LIFECYCLE_PATCH)) {
    for (const u of updates) u.installUntilUpgraded();
    const outcome = await legacyIssuedSlice(state, record, () => upgradeRequested);
    if (outcome === 'closed') return state;
    for (const u of updates) u.install();
    const plan = await planSchedule(upgradePlanInput(state, now()));
    planned = true;
    await commit(applyUpgradePlan(state, plan, now(), outcome === 'upgrade_after_overdue'));
    upgraded = true;
  } else {
    // Asked before any handler or activity can run, in the first activation, live and in replay alike.
    mode.localFromStart = patched(LOCAL_FROM_START_PATCH);
    for (const u of updates) u.install();
    if (!input.resume) {
      const plan = await planSchedule(prepareIssue(state, input));
      const issued = applyIssuePlan(state, plan, now());
      planned = true;
      await commit(issued);
    } else {
      refresh();
    }
  }

  // --- timers: one durable wait for the earliest pending instant; any message re-evaluates -----------------
  const fire = async (item: TimerItem) => {
    markFired(state, item);
    // A reminder changes nothing a search attribute shows, so it is recorded without a refresh.
    if (item.kind === 'reminder') return record(reminderEvent(item));
    if (item.kind === 'due') return commit(missedEvent(state, item));
    // A sub-task's ladder starts inside the agency that delegated it (its officers), then climbs the parent's.
    const ladder = state.parent ? { agencyId: state.parent.leadAgencyId, issuedBy: state.parent.issuedBy } : { agencyId: item.agencyId, issuedBy: state.issuedBy };
    const target = await resolveEscalationTarget(mode, { ...ladder, level: item.level });
    // The missing report may have arrived while the target was being resolved: then nothing opens.
    await commit(openEscalation(state, item, target, now()));
  };
  let horizonExhausted = false;
  const planNextYear = async () => {
    const plan = await planSchedule(nextYearPlanInput(state, now()));
    const appended = appendNextYear(state, plan);
    if (!appended) horizonExhausted = true;
    await commit(appended);
  };

  while (!isClosed(state.status)) {
    if (workflowInfo().continueAsNewSuggested) {
      // Carry everything, after every in-flight message has finished, so nothing is lost or half-done.
      await condition(allHandlersFinished);
      await continueAsNew<typeof directiveWorkflow>({ ...input, resume: state });
    }
    if (!horizonExhausted && needsNextYear(state, Date.now())) await planNextYear();
    else if (needsMoreReports(state, Date.now()) && patched(REPORTS_A_YEAR_AHEAD_PATCH)) {
      await commit(appendMoreReports(state, await planSchedule(moreReportsPlanInput(state))));
    }
    const [next] = pendingTimers(state);
    dirty = false;
    if (!next) {
      await condition(() => dirty || isClosed(state.status));
      continue;
    }
    const wait = next.at - Date.now();
    if (wait > 0) {
      const woke = await condition(() => dirty || isClosed(state.status), wait);
      if (woke) continue;
    }
    if (mode.localFromStart || patched(FIRE_TOGETHER_PATCH)) {
      const now = Math.max(next.at, Date.now());
      // Sequence numbers are reserved in call order, so the events keep the order they were planned in.
      await Promise.all(pendingTimers(state).filter((t) => t.at <= now).map(fire));
    } else {
      await fire(next);
    }
  }

  await condition(allHandlersFinished);
  // Explanation requests still open close with the directive, unanswered (none in older runs: nothing recorded).
  const closedBy = state.status === 'completed' ? (state.reviews?.at(-1)?.by ?? null) : (state.cancellation?.by ?? null);
  for (const x of rules.openExplanationsOf(state)) await commit(rules.withdrawExplanation(state, x.id, 'Đóng cùng nhiệm vụ', now(), closedBy));
  await tellRelatives(state);
  return state;
}

/**
 * A closed sub-task tells its parent; a closed parent closes its open sub-tasks with the lead's note (or the
 * cancellation's reason). Only runs with a parent or sub-tasks send anything, so older histories replay as
 * they were. A relative that has closed already cannot be told, and needs not be.
 */
async function tellRelatives(state: DirectiveState): Promise<void> {
  const sends: Array<Promise<void>> = [];
  if (state.parent) {
    sends.push(getExternalWorkflowHandle(workflowIdFor(state.parent.directiveId)).signal(subtaskClosedSignal, { directiveId: state.directiveId, status: state.status }));
  }
  const open = rules.openSubtasksOf(state);
  if (open.length > 0) {
    const note = state.status === 'completed' ? (state.completion?.closeOpenSubtasks?.note ?? '') : (state.cancellation?.reason ?? '');
    const by = state.status === 'completed' ? (state.reviews?.at(-1)?.by ?? null) : (state.cancellation?.by ?? null);
    for (const t of open) {
      sends.push(getExternalWorkflowHandle(workflowIdFor(t.directiveId)).signal(parentClosedSignal, { parentId: state.directiveId, status: state.status, note, by }));
    }
  }
  await Promise.allSettled(sends);
}
