import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Plan, type PlannedDeadline } from '../../domain/deadlines.js';
import type { Actor, DirectiveState, Escalation } from '../../domain/directive.js';
import { timelinessOf } from '../../domain/timeliness.js';
import { TEXT_LIMITS, tooLongMessage } from '../../domain/limits.js';
import { escalationLevelOf, missedEvent, nextDeadlineOf, openEscalation, pendingTimers, type TimerItem } from '../../workflows/lifecycle.js';
import { applyUpgradePlan, needsNextYear } from '../../workflows/plans.js';
import { normalizeExtension, resumedState } from '../../workflows/state.js';
import * as rules from '../../workflows/updates.js';

/** Rules of the directive workflow as plain functions: no Temporal server, no database. */

const T0 = Date.parse('2026-03-02T01:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const LEAD = 'agency-lead';
const COORD = 'agency-coord';
const officer = (agencyId: string): Actor => ({ userId: `officer-${agencyId}`, role: 'officer', agencyId });
const leader: Actor = { userId: 'leader-1', role: 'leader', agencyId: null };
const supervisor: Actor = { userId: 'supervisor-1', role: 'supervisor', agencyId: 'agency-bnc' };

const deadline = (key: string, kind: PlannedDeadline['kind'], dueS: number): PlannedDeadline => ({
  key,
  kind,
  label: kind === 'final' ? 'Hoàn thành nhiệm vụ' : `Báo cáo ${key}`,
  dueAt: at(dueS),
  reminders: [at(dueS - 20), at(dueS - 5)],
  escalations: [at(dueS + 10), at(dueS + 20), at(dueS + 30)],
});

function state(overrides: Partial<DirectiveState> = {}): DirectiveState {
  return {
    directiveId: 'd-1',
    title: 'Rà soát đơn thư tồn đọng',
    body: '',
    leadAgencyId: LEAD,
    coordinatingAgencyIds: [COORD],
    conferenceId: null,
    status: 'issued',
    timeliness: 'open_on_time',
    dueAt: at(1000),
    nextDeadlineAt: at(100),
    escalationLevel: 0,
    issuedBy: leader.userId,
    issuedAt: at(0),
    completedAt: null,
    seq: 1,
    regime: { kind: 'explicit', dueDates: [at(100)] },
    policy: DEFAULT_POLICY,
    plannedAt: at(0),
    deadlines: [deadline('R1', 'report', 100), deadline('final', 'final', 1000)],
    fired: [],
    escalations: [],
    ...overrides,
  };
}

/** The failure type a rule refused with, or undefined when it accepted. */
function refusal(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApplicationFailure) return err.type ?? 'untyped';
    throw err;
  }
  return undefined;
}

const rung = (level: 1 | 2 | 3, overrides: Partial<Escalation> = {}): Escalation => ({
  deadlineKey: 'R1',
  dueAt: at(100),
  agencyId: LEAD,
  level,
  openedAt: at(110),
  target: { agencyId: LEAD, userId: null, label: 'Lead' },
  resolvedAt: null,
  resolution: null,
  ...overrides,
});

describe('timeliness, the four categories', () => {
  it('counts an open directive on time before its deadline and overdue from it', () => {
    const s = state();
    expect(timelinessOf(s, T0 + 999_000)).toBe('open_on_time');
    expect(timelinessOf(s, T0 + 1_000_000)).toBe('open_overdue');
  });

  it('counts a completion against the deadline in force, and a standing directive as having none', () => {
    expect(timelinessOf(state({ status: 'completed', completedAt: at(1000) }), T0 + 5_000_000)).toBe('completed_on_time');
    expect(timelinessOf(state({ status: 'completed', completedAt: at(1001) }), T0)).toBe('completed_late');
    expect(timelinessOf(state({ dueAt: null }), T0)).toBe('no_deadline');
    expect(timelinessOf(state({ dueAt: null, status: 'completed', completedAt: at(5) }), T0)).toBe('completed_on_time');
  });
});

describe('the timer rules', () => {
  const ids = (items: TimerItem[]) => items.map((i) => i.id);

  it('plans each owner its reminders before the due instant, the due mark, and only the lowest rung not yet fired', () => {
    const s = state({ deadlines: [deadline('R1', 'report', 100)] });
    const items = pendingTimers(s);
    const stamp = `R1@${at(100)}`;
    expect(ids(items)).toEqual([
      `${stamp}|${COORD}|r0`,
      `${stamp}|${LEAD}|r0`,
      `${stamp}|${COORD}|r1`,
      `${stamp}|${LEAD}|r1`,
      `${stamp}|due`,
      `${stamp}|${COORD}|e1`,
      `${stamp}|${LEAD}|e1`,
    ]);
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort((a, b) => a - b));

    s.fired = [`${stamp}|${LEAD}|e1`];
    expect(ids(pendingTimers(s))).toContain(`${stamp}|${LEAD}|e2`);
    expect(ids(pendingTimers(s))).not.toContain(`${stamp}|${LEAD}|e3`);
  });

  it('drops reminders whose moment had passed when the plan was made', () => {
    const s = state({ plannedAt: at(90), deadlines: [deadline('R1', 'report', 100)] });
    expect(ids(pendingTimers(s)).filter((id) => id.endsWith('|r0'))).toEqual([]);
    expect(ids(pendingTimers(s)).filter((id) => id.endsWith('|r1'))).toHaveLength(2);
  });

  it('plans nothing for an agency that has reported, and nothing at all for a closed directive', () => {
    const s = state({ reports: [{ deadlineKey: 'R1', agencyId: LEAD, at: at(50), summary: 'x', late: false, by: 'u' }] });
    expect(pendingTimers(s).some((i) => i.kind !== 'due' && 'agencyId' in i && i.agencyId === LEAD && i.deadline.key === 'R1')).toBe(false);
    expect(pendingTimers(state({ status: 'cancelled' }))).toEqual([]);
  });

  it('counts a final deadline as met once completion is submitted', () => {
    const s = state({ status: 'completion_submitted', deadlines: [deadline('final', 'final', 1000)] });
    expect(pendingTimers(s)).toEqual([]);
    expect(nextDeadlineOf(s)).toBeNull();
  });

  it('names the earliest deadline someone has not met, and the highest open rung', () => {
    const s = state({ escalations: [rung(1), rung(2), rung(3, { resolvedAt: at(200), resolution: 'reported' })] });
    expect(nextDeadlineOf(s)).toBe(at(100));
    expect(escalationLevelOf(s)).toBe(2);
  });

  it('records a passed final deadline as overdue and a passed report period as missed, naming who is missing', () => {
    const s = state({ reports: [{ deadlineKey: 'R1', agencyId: COORD, at: at(50), summary: 'x', late: false, by: 'u' }] });
    const [r1, final] = s.deadlines!;
    expect(missedEvent(s, { kind: 'due', id: 'x', at: 0, deadline: r1! }).event).toEqual({
      type: 'deadline_missed',
      data: { deadlineKey: 'R1', label: 'Báo cáo R1', dueAt: at(100), missing: [LEAD] },
    });
    expect(missedEvent(s, { kind: 'due', id: 'x', at: 0, deadline: final! }).event.type).toBe('overdue');
  });

  it('opens no rung when the report arrived, the directive closed or the deadline moved while the target was resolved', () => {
    const target = { agencyId: LEAD, userId: null, label: 'Lead' };
    const r1 = deadline('R1', 'report', 100);
    const item = { kind: 'escalation' as const, id: 'x', at: 0, deadline: r1, agencyId: LEAD, level: 1 as const };
    expect(openEscalation(state(), item, target, at(111))?.event.type).toBe('escalated');
    expect(openEscalation(state({ status: 'cancelled' }), item, target, at(111))).toBeNull();
    expect(openEscalation(state({ reports: [{ deadlineKey: 'R1', agencyId: LEAD, at: at(105), summary: 'x', late: true, by: 'u' }] }), item, target, at(111))).toBeNull();
    expect(openEscalation(state({ deadlines: [deadline('R1', 'report', 500)] }), item, target, at(111))).toBeNull();
  });

  it('plans the next year of a standing directive only when its periodic horizon is used up', () => {
    const standing = state({ dueAt: null, regime: { kind: 'quarterly' }, deadlines: [deadline('Q2026-1', 'report', 100)] });
    expect(needsNextYear(standing, T0 + 50_000)).toBe(false);
    expect(needsNextYear(standing, T0 + 150_000)).toBe(true);
    expect(needsNextYear({ ...standing, regime: { kind: 'explicit', dueDates: [] } }, T0 + 150_000)).toBe(false);
    expect(needsNextYear({ ...standing, dueAt: at(5000) }, T0 + 150_000)).toBe(false);
  });
});

describe('the Update validators', () => {
  it('acknowledge: an assigned agency, once, while open', () => {
    expect(refusal(() => rules.validateAcknowledge(state(), { actor: officer(LEAD) }))).toBeUndefined();
    expect(refusal(() => rules.validateAcknowledge(state(), { actor: officer('elsewhere') }))).toBe('Forbidden');
    expect(refusal(() => rules.validateAcknowledge(state({ acknowledgements: [{ agencyId: LEAD, at: at(1), by: 'u' }] }), { actor: officer(LEAD) }))).toBe('Conflict');
    expect(refusal(() => rules.validateAcknowledge(state({ status: 'completed' }), { actor: officer(LEAD) }))).toBe('InvalidState');
  });

  it('submitReport: a summary, for a known period once the plan exists', () => {
    const report = (deadlineKey: string, summary = 'Đã rà soát') => ({ actor: officer(COORD), deadlineKey, summary });
    expect(refusal(() => rules.validateSubmitReport(state(), report('R1'), true))).toBeUndefined();
    expect(refusal(() => rules.validateSubmitReport(state(), report('R1', '   '), true))).toBe('Invalid');
    expect(refusal(() => rules.validateSubmitReport(state(), report('R9'), true))).toBe('NotFound');
    // Before the plan exists the period cannot be judged yet; the effect judges it.
    expect(refusal(() => rules.validateSubmitReport(state(), report('R9'), false))).toBeUndefined();
    expect(refusal(() => rules.submitReport(state(), report('R9'), at(50)))).toBe('NotFound');
    expect(refusal(() => rules.validateSubmitReport(state(), { ...report('R1'), actor: officer('elsewhere') }, true))).toBe('Forbidden');
  });

  it('requestExtension: the lead agency, with a reason, a later deadline as a day or an instant, one at a time', () => {
    const ask = (overrides: Record<string, unknown> = {}) => ({ actor: officer(LEAD), reason: 'Chờ số liệu', proposedDueAt: at(2000), ...overrides }) as Parameters<typeof rules.validateRequestExtension>[1];
    expect(refusal(() => rules.validateRequestExtension(state(), ask(), T0))).toBeUndefined();
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ proposedDueAt: undefined, proposedDueDate: '2027-01-15' }), T0))).toBeUndefined();
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ actor: officer(COORD) }), T0))).toBe('Forbidden');
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ reason: ' ' }), T0))).toBe('Invalid');
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ proposedDueAt: at(500) }), T0))).toBe('Invalid');
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ proposedDueDate: '2027-01-15' }), T0))).toBe('Invalid');
    expect(refusal(() => rules.validateRequestExtension(state({ dueAt: null }), ask(), T0))).toBe('InvalidState');
    expect(refusal(() => rules.validateRequestExtension(state({ status: 'completion_submitted' }), ask(), T0))).toBe('InvalidState');
    // Ten years ahead is the horizon: a day later is refused, as is any instant the clock cannot read.
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ proposedDueAt: '2036-03-02T01:00:00.000Z' }), T0))).toBeUndefined();
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ proposedDueAt: '2036-03-03T01:00:00.000Z' }), T0))).toBe('Invalid');
    expect(refusal(() => rules.validateRequestExtension(state(), ask({ proposedDueAt: undefined, proposedDueDate: '9999-12-31' }), T0))).toBe('Invalid');
    const pending = state();
    rules.requestExtension(pending, ask(), at(10));
    expect(refusal(() => rules.validateRequestExtension(pending, ask(), T0))).toBe('Conflict');
  });

  it('decideExtension: a supervisor or leader, on a request that exists and is undecided', () => {
    const s = state();
    rules.requestExtension(s, { actor: officer(LEAD), reason: 'r', proposedDueAt: at(2000) }, at(10));
    const decide = (actor: Actor, requestId = 'x1') => ({ actor, requestId, approve: true, note: '' });
    expect(refusal(() => rules.validateDecideExtension(s, decide(supervisor)))).toBeUndefined();
    expect(refusal(() => rules.validateDecideExtension(s, decide(officer(LEAD))))).toBe('Forbidden');
    expect(refusal(() => rules.validateDecideExtension(s, decide(leader, 'x9')))).toBe('NotFound');
    rules.decideExtension(s, decide(leader), at(20));
    expect(refusal(() => rules.validateDecideExtension(s, decide(leader)))).toBe('Conflict');
  });

  it('submitCompletion: the lead agency only, with a summary, once under review', () => {
    expect(refusal(() => rules.validateSubmitCompletion(state(), { actor: officer(LEAD), summary: 'Xong' }))).toBeUndefined();
    expect(refusal(() => rules.validateSubmitCompletion(state(), { actor: officer(COORD), summary: 'Xong' }))).toBe('Forbidden');
    expect(refusal(() => rules.validateSubmitCompletion(state(), { actor: officer(LEAD), summary: '' }))).toBe('Invalid');
    expect(refusal(() => rules.validateSubmitCompletion(state({ status: 'completion_submitted' }), { actor: officer(LEAD), summary: 'Xong' }))).toBe('Conflict');
  });

  it('reviewCompletion: a decider, a completion awaiting review, a note when rejecting', () => {
    const review = state({ status: 'completion_submitted', completion: { submittedAt: at(900), by: 'u', summary: 'Xong' } });
    expect(refusal(() => rules.validateReviewCompletion(review, { actor: supervisor, accept: true, note: '' }))).toBeUndefined();
    expect(refusal(() => rules.validateReviewCompletion(review, { actor: supervisor, accept: false, note: '' }))).toBe('Invalid');
    expect(refusal(() => rules.validateReviewCompletion(review, { actor: officer(LEAD), accept: true, note: '' }))).toBe('Forbidden');
    expect(refusal(() => rules.validateReviewCompletion(state(), { actor: leader, accept: true, note: '' }))).toBe('InvalidState');
  });

  it('reassign and cancel: leaders, with a reason; one lead that does not also coordinate', () => {
    const move = { actor: leader, leadAgencyId: COORD, coordinatingAgencyIds: [], reason: 'Điều chỉnh' };
    expect(refusal(() => rules.validateReassign(state(), move))).toBeUndefined();
    expect(refusal(() => rules.validateReassign(state(), { ...move, actor: supervisor }))).toBe('Forbidden');
    expect(refusal(() => rules.validateReassign(state(), { ...move, coordinatingAgencyIds: [COORD] }))).toBe('Invalid');
    expect(refusal(() => rules.validateReassign(state(), { ...move, reason: '' }))).toBe('Invalid');
    expect(refusal(() => rules.validateCancel(state(), { actor: leader, reason: 'Hết hiệu lực' }))).toBeUndefined();
    expect(refusal(() => rules.validateCancel(state(), { actor: officer(LEAD), reason: 'x' }))).toBe('Forbidden');
    expect(refusal(() => rules.validateCancel(state({ status: 'cancelled' }), { actor: leader, reason: 'x' }))).toBe('InvalidState');
  });

  it('acknowledgeEscalation: a rung the directive has, still open', () => {
    const ref = { deadlineKey: 'R1', dueAt: at(100), agencyId: LEAD, level: 2 as const };
    expect(refusal(() => rules.validateAcknowledgeEscalation(state({ escalations: [rung(2)] }), { actor: supervisor, escalation: ref }))).toBeUndefined();
    expect(refusal(() => rules.validateAcknowledgeEscalation(state(), { actor: supervisor, escalation: ref }))).toBe('NotFound');
    const resolved = state({ escalations: [rung(2, { resolvedAt: at(150), resolution: 'reported' })] });
    expect(refusal(() => rules.validateAcknowledgeEscalation(resolved, { actor: supervisor, escalation: ref }))).toBe('InvalidState');
  });
});

describe('the Update effects', () => {
  it('moves issued to in_progress when the lead agency acknowledges or reports, not when a coordinating one does', () => {
    const s = state();
    rules.acknowledge(s, { actor: officer(COORD) }, at(1));
    expect(s.status).toBe('issued');
    expect(rules.submitReport(s, { actor: officer(LEAD), deadlineKey: 'R1', summary: 'x' }, at(101)).event).toMatchObject({
      type: 'report_submitted',
      data: { report: { agencyId: LEAD, late: true } },
    });
    expect(s.status).toBe('in_progress');
    expect(refusal(() => rules.submitReport(s, { actor: officer(LEAD), deadlineKey: 'R1', summary: 'again' }, at(102)))).toBe('Conflict');
  });

  it('keeps a proposed day and a proposed instant apart', () => {
    const s = state();
    const day = rules.requestExtension(s, { actor: officer(LEAD), reason: 'r', proposedDueDate: '2027-01-15' }, at(10)).event;
    expect(day).toMatchObject({ data: { request: { id: 'x1', proposedDueDate: '2027-01-15', proposedDueAt: null } } });
    rules.decideExtension(s, { actor: leader, requestId: 'x1', approve: false, note: '' }, at(11));
    rules.requestExtension(s, { actor: officer(LEAD), reason: 'r', proposedDueAt: at(3000) }, at(12));
    expect(rules.extensionPlanInput(s, 'x2', at(13))).toMatchObject({ dueAt: at(3000), dueDate: null });
    expect(rules.extensionPlanInput(s, 'x1', at(13))).toMatchObject({ dueAt: null, dueDate: '2027-01-15' });
  });

  it('reads a request an earlier release stored, with a day or an instant in proposedDueAt', () => {
    const base = { id: 'x1', requestedAt: at(1), requestedBy: 'u', reason: 'r', decision: null };
    expect(normalizeExtension({ ...base, proposedDueAt: '2027-01-15' })).toMatchObject({ proposedDueDate: '2027-01-15', proposedDueAt: null });
    expect(normalizeExtension({ ...base, proposedDueAt: at(3000) })).toMatchObject({ proposedDueDate: null, proposedDueAt: at(3000) });
    const carried = resumedState(state({ extensions: [{ ...base, proposedDueAt: '2027-02-01' } as never] }));
    expect(carried.extensions![0]).toMatchObject({ proposedDueDate: '2027-02-01', proposedDueAt: null });
  });

  it('keeps the report periods already due when an extension re-plans, and takes the rest from the new plan', () => {
    const s = state({ deadlines: [deadline('R1', 'report', 100), deadline('R2', 'report', 800), deadline('final', 'final', 1000)] });
    rules.requestExtension(s, { actor: officer(LEAD), reason: 'r', proposedDueAt: at(3000) }, at(10));
    const plan: Plan = { finalDueAt: at(3000), deadlines: [deadline('R1', 'report', 150), deadline('R2', 'report', 2000), deadline('final', 'final', 3000)], horizonEnd: null };
    const replanned = rules.applyExtensionPlan(s, 'x1', plan, at(200), T0 + 200_000, leader.userId);
    expect(s.deadlines!.map((d) => [d.key, d.dueAt])).toEqual([
      ['R1', at(100)],
      ['R2', at(2000)],
      ['final', at(3000)],
    ]);
    expect(s.dueAt).toBe(at(3000));
    expect(replanned.event).toMatchObject({ type: 'replanned', data: { reason: 'extension', requestId: 'x1' } });
  });

  it('completes against the lead’s submission time, and a rejected review clears the submission', () => {
    const s = state({ status: 'completion_submitted', completion: { submittedAt: at(900), by: 'u', summary: 'Xong' } });
    rules.reviewCompletion(s, { actor: supervisor, accept: true, note: '' }, at(1500));
    expect(s).toMatchObject({ status: 'completed', completedAt: at(900) });
    const r = state({ status: 'completion_submitted', completion: { submittedAt: at(900), by: 'u', summary: 'Xong' } });
    rules.reviewCompletion(r, { actor: supervisor, accept: false, note: 'Thiếu số liệu' }, at(950));
    expect(r).toMatchObject({ status: 'in_progress', completion: null });
  });

  it('resolves only the escalations that match, and records nothing when none does', () => {
    const s = state({ escalations: [rung(1), rung(1, { agencyId: COORD })] });
    const resolved = rules.resolveEscalations(s, rules.clearedByReport('R1', LEAD), 'reported', at(130), 'u');
    expect(resolved?.event).toMatchObject({ type: 'escalation_resolved', data: { resolution: 'reported', escalations: [{ agencyId: LEAD }] } });
    expect(s.escalations!.map((e) => e.resolvedAt)).toEqual([at(130), null]);
    expect(rules.resolveEscalations(s, rules.clearedByReport('R1', LEAD), 'reported', at(131), 'u')).toBeNull();
  });

  it('acknowledges a rung once; again changes nothing', () => {
    const s = state({ escalations: [rung(2)] });
    const args = { actor: supervisor, escalation: { deadlineKey: 'R1', dueAt: at(100), agencyId: LEAD, level: 2 as const } };
    expect(rules.acknowledgeEscalation(s, args, at(120))?.event.type).toBe('escalation_acknowledged');
    expect(rules.acknowledgeEscalation(s, args, at(121))).toBeNull();
  });

  it('moves a first-release directive onto the full lifecycle without recording its passed deadline twice', () => {
    const plan: Plan = { finalDueAt: at(1000), deadlines: [deadline('final', 'final', 1000)], horizonEnd: null };
    const afterOverdue = state({ regime: undefined, policy: undefined, deadlines: undefined, fired: undefined });
    expect(applyUpgradePlan(afterOverdue, plan, at(2000), true).event).toMatchObject({ type: 'replanned', data: { reason: 'lifecycle_upgrade' } });
    expect(afterOverdue.fired).toEqual([`final@${at(1000)}|due`]);
    expect(pendingTimers(afterOverdue).map((i) => i.kind)).toEqual(['escalation']);
    const beforeDue = state({ regime: undefined, deadlines: undefined, fired: undefined });
    applyUpgradePlan(beforeDue, plan, at(10), false);
    expect(pendingTimers(beforeDue).map((i) => i.kind)).toContain('due');
  });
});

describe('the bounds every door shares, held by the validators too (the last line for the web door)', () => {
  const over = (kind: keyof typeof TEXT_LIMITS) => 'x'.repeat(TEXT_LIMITS[kind] + 1);
  const lead = officer(LEAD);
  const tooLong = tooLongMessage(TEXT_LIMITS.summary);

  it('refuses a report, a completion or an answer longer than a summary may be, and takes one exactly as long', () => {
    const s = state();
    expect(refusal(() => rules.validateSubmitReport(s, { actor: lead, deadlineKey: 'R1', summary: over('summary') }, true))).toBe('Invalid');
    expect(refusal(() => rules.validateSubmitReport(s, { actor: lead, deadlineKey: 'R1', summary: 'x'.repeat(TEXT_LIMITS.summary) }, true))).toBeUndefined();
    expect(refusal(() => rules.validateSubmitCompletion(s, { actor: lead, summary: over('summary') }))).toBe('Invalid');
    const asked = state({ explanations: [{ id: 'gt1', agencyId: LEAD, deadlineKey: 'R1', label: 'R1', question: '?', requestedBy: leader.userId, requestedAt: at(200), dueAt: at(900), reminders: [], escalations: [], answer: null, closure: null }] });
    expect(refusal(() => rules.validateAnswerExplanation(asked, { actor: lead, requestId: 'gt1', text: over('summary'), attachmentIds: [] }))).toBe('Invalid');
    expect(() => rules.validateSubmitReport(s, { actor: lead, deadlineKey: 'R1', summary: over('summary') }, true)).toThrow(tooLong);
  });

  it('refuses a reason, a note or a question longer than theirs', () => {
    const s = state({ extensions: [{ id: 'x1', requestedAt: at(5), requestedBy: 'o', reason: 'r', proposedDueDate: '2026-12-31', proposedDueAt: null, decision: null }] });
    expect(refusal(() => rules.validateCancel(s, { actor: leader, reason: over('reason') }))).toBe('Invalid');
    expect(refusal(() => rules.validateReassign(s, { actor: leader, leadAgencyId: COORD, coordinatingAgencyIds: [], reason: over('reason') }))).toBe('Invalid');
    expect(refusal(() => rules.validateDecideExtension(s, { actor: leader, requestId: 'x1', approve: true, note: over('note') }))).toBe('Invalid');
    expect(refusal(() => rules.validateRequestExtension(s, { actor: officer(LEAD), reason: over('reason'), proposedDueDate: '2027-01-31' }, T0))).toBe('Invalid');
    expect(refusal(() => rules.validateRequestExplanation(state(), { actor: leader, agencyId: LEAD, deadlineKey: 'R1', question: over('question'), dueDate: '2026-12-31' }, T0 + 200_000))).toBe('Invalid');
  });
});
