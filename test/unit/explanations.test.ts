import { describe, expect, it } from 'vitest';
import { reasonOf } from './refusal.js';
import type { Plan, PlannedDeadline } from '../../domain/deadlines.js';
import type { Actor, DirectiveState } from '../../domain/directive.js';
import { isSatisfied, markFired, openEscalation, ownersOf, pendingTimers } from '../../workflows/lifecycle.js';
import type { RequestExplanationArgs } from '../../workflows/messages.js';
import * as rules from '../../workflows/updates.js';
import { explanationsFrom, type StoredEventView } from '../../services/directive-model.js';

/** Explanation requests ("yêu cầu giải trình") as plain functions: who may ask, answer and close; their timers. */
const H = 3_600_000;
const T0 = Date.parse('2026-06-01T00:00:00.000Z');
const at = (h: number) => new Date(T0 + h * H).toISOString();
const deadline = (key: string, kind: PlannedDeadline['kind'], dueH: number): PlannedDeadline => ({
  key,
  kind,
  label: key === 'final' ? 'Hoàn thành nhiệm vụ' : `Báo cáo ${key}`,
  dueAt: at(dueH),
  reminders: [],
  escalations: [at(dueH + 1), at(dueH + 2), at(dueH + 3)],
});
const state = (over: Partial<DirectiveState> = {}): DirectiveState => ({
  directiveId: 'd',
  title: 'Nhiệm vụ',
  body: '',
  leadAgencyId: 'lead',
  coordinatingAgencyIds: ['coord'],
  conferenceId: null,
  status: 'in_progress',
  timeliness: 'open_overdue',
  dueAt: at(10),
  nextDeadlineAt: at(2),
  escalationLevel: 0,
  issuedBy: 'leader',
  issuedAt: at(-100),
  completedAt: null,
  seq: 3,
  plannedAt: at(-100),
  deadlines: [deadline('R1', 'report', 2), deadline('final', 'final', 10)],
  fired: [],
  escalations: [],
  ...over,
});
const leader: Actor = { userId: 'leader', role: 'leader', agencyId: null };
const supervisor: Actor = { userId: 'sup', role: 'supervisor', agencyId: 'above' };
const officerOf = (agencyId: string): Actor => ({ userId: `o-${agencyId}`, role: 'officer', agencyId });
const ask = (over: Partial<RequestExplanationArgs> = {}): RequestExplanationArgs => ({
  actor: leader,
  agencyId: 'coord',
  deadlineKey: 'R1',
  question: 'Vì sao chậm báo cáo?',
  dueAt: at(20),
  ...over,
});
/** The plan the planSchedule activity gives an answer due at `dueH`: reminded an hour before, rungs 1, 2 and 3 hours after. */
const planFor = (dueH: number): Plan => ({
  finalDueAt: at(dueH),
  horizonEnd: null,
  deadlines: [{ ...deadline('final', 'final', dueH), reminders: [at(dueH - 1)] }],
});
const reason = reasonOf;

describe('asking for an explanation', () => {
  it('is a leader’s or supervisor’s, of an agency that owes an item past due and unmet (or met late), once while open', () => {
    const s = state();
    const now = T0 + 5 * H;
    expect(reason(() => rules.validateRequestExplanation(s, ask(), now))).toBe('accepted');
    expect(reason(() => rules.validateRequestExplanation(s, ask({ actor: supervisor }), now))).toBe('accepted');
    expect(reason(() => rules.validateRequestExplanation(s, ask({ actor: officerOf('lead') }), now))).toMatch(/^Only .* may ask for an explanation\.$/);
    expect(reason(() => rules.validateRequestExplanation(s, ask({ question: '  ' }), now))).toBe('An explanation request needs a question.');
    expect(reason(() => rules.validateRequestExplanation(s, ask({ dueAt: undefined }), now))).toBe("Give the answer's deadline as a date or an instant.");
    expect(reason(() => rules.validateRequestExplanation(s, ask({ dueAt: at(4) }), now))).toBe('The answer must be due later than now.');
    expect(reason(() => rules.validateRequestExplanation(s, ask({ deadlineKey: 'R9' }), now))).toBe('No deadline "R9" for this directive.');
    // The final deadline is the lead's alone, and it has not passed yet.
    expect(reason(() => rules.validateRequestExplanation(s, ask({ deadlineKey: 'final' }), now))).toBe('That agency does not owe this item.');
    expect(reason(() => rules.validateRequestExplanation(s, ask({ agencyId: 'lead', deadlineKey: 'final' }), now))).toBe('The item is not overdue for that agency.');
    // A report sent on time leaves nothing to explain; one sent late does.
    const reported = (late: boolean) => state({ reports: [{ deadlineKey: 'R1', agencyId: 'coord', at: at(late ? 3 : 1), summary: 'x', late, by: 'o' }] });
    expect(reason(() => rules.validateRequestExplanation(reported(false), ask(), now))).toBe('The item is not overdue for that agency.');
    expect(reason(() => rules.validateRequestExplanation(reported(true), ask(), now))).toBe('accepted');
    // Not before the item's due instant.
    expect(reason(() => rules.validateRequestExplanation(s, ask(), T0 + H))).toBe('The item is not overdue for that agency.');

    rules.requestExplanation(s, ask(), planFor(20), at(5));
    expect(reason(() => rules.validateRequestExplanation(s, ask(), now))).toBe('That agency is already asked to explain this item.');
    // Another agency, or the same one once its request is closed, may be asked.
    expect(reason(() => rules.validateRequestExplanation(s, ask({ agencyId: 'lead' }), now))).toBe('accepted');
    s.explanations![0]!.closure = { at: at(6), by: 'leader', accepted: false, note: 'Chưa đạt' };
    expect(reason(() => rules.validateRequestExplanation(s, ask(), now))).toBe('accepted');
    expect(reason(() => rules.validateRequestExplanation(state({ status: 'completed' }), ask(), now))).toBe('The directive is completed; nothing more can be done.');
  });

  it('records the request with its own answer deadline, reminder and ladder, named by a key no report period has', () => {
    const s = state();
    const r = rules.requestExplanation(s, ask(), planFor(20), at(5));
    expect(r.event.type).toBe('explanation_requested');
    const x = s.explanations![0]!;
    expect(x).toMatchObject({ id: 'gt1', agencyId: 'coord', deadlineKey: 'R1', label: 'Giải trình: Báo cáo R1', dueAt: at(20), reminders: [at(19)], answer: null, closure: null });
    expect(x.escalations).toEqual([at(21), at(22), at(23)]);
    rules.requestExplanation(s, ask({ agencyId: 'lead' }), planFor(30), at(6));
    expect(s.explanations!.map((e) => e.id)).toEqual(['gt1', 'gt2']);
  });
});

describe('the timers of an explanation request', () => {
  it('reminds the agency asked, then climbs its own ladder one rung at a time, each rung once, until it is answered', () => {
    const s = state({ fired: ['R1@' + at(2) + '|due', 'final@' + at(10) + '|due'] });
    // The directive's own timers: R1's rungs for both agencies, final's for the lead.
    const before = pendingTimers(s).map((t) => t.id);
    rules.requestExplanation(s, ask(), planFor(20), at(5));
    const gt = () => pendingTimers(s).filter((t) => t.deadline.key === 'gt1');
    // The request adds its reminder, its due instant and its first rung; nothing of the directive's own changes.
    expect(pendingTimers(s).map((t) => t.id).filter((id) => !id.startsWith('gt1'))).toEqual(before);
    expect(gt().map((t) => [t.kind, t.id, t.at])).toEqual([
      ['reminder', `gt1@${at(20)}|coord|r0`, T0 + 19 * H],
      ['due', `gt1@${at(20)}|due`, T0 + 20 * H],
      ['escalation', `gt1@${at(20)}|coord|e1`, T0 + 21 * H],
    ]);
    // A reminder whose moment passed before the request was made is no reminder.
    const late = state();
    rules.requestExplanation(late, ask(), planFor(20), at(19.5));
    expect(pendingTimers(late).some((t) => t.kind === 'reminder' && t.deadline.key === 'gt1')).toBe(false);

    const d = rules.explanationPlanInput(s, ask(), at(5));
    expect(d).toMatchObject({ from: at(5), dueAt: at(20), dueDate: null, regime: { kind: 'none' } });

    const opened: number[] = [];
    for (let i = 0; i < 10; i++) {
      const next = gt()[0];
      if (!next) break;
      markFired(s, next);
      if (next.kind === 'escalation') {
        const r = openEscalation(s, next, { agencyId: 'x', userId: null, label: 'X' }, at(21 + i));
        if (r) opened.push(next.level);
      }
    }
    // Each rung exactly once, in order; then nothing is pending for it.
    expect(opened).toEqual([1, 2, 3]);
    expect(gt()).toEqual([]);
    expect(s.escalations!.filter((e) => e.deadlineKey === 'gt1').map((e) => [e.level, e.agencyId, e.target.label])).toEqual([
      [1, 'coord', 'X'],
      [2, 'coord', 'X'],
      [3, 'coord', 'X'],
    ]);
  });

  it('stops when answered or closed, and owes nothing to anyone but the agency asked', () => {
    const s = state();
    rules.requestExplanation(s, ask(), planFor(20), at(5));
    const item = pendingTimers(s).find((t) => t.deadline.key === 'gt1')!.deadline;
    expect(ownersOf(s, item)).toEqual(['coord']);
    expect(isSatisfied(s, item, 'coord')).toBe(false);

    expect(reason(() => rules.validateAnswerExplanation(s, { actor: officerOf('lead'), requestId: 'gt1', text: 'x', attachmentIds: [] }))).toBe(
      'Only the agency asked may answer this explanation request.',
    );
    expect(reason(() => rules.validateAnswerExplanation(s, { actor: officerOf('coord'), requestId: 'gt9', text: 'x', attachmentIds: [] }))).toBe('No explanation request "gt9".');
    expect(reason(() => rules.validateAnswerExplanation(s, { actor: officerOf('coord'), requestId: 'gt1', text: ' ', attachmentIds: [] }))).toBe('An explanation needs a text.');
    // Not accepted before it is given; closing it unanswered (not accepted) needs a note.
    expect(reason(() => rules.validateCloseExplanation(s, { actor: leader, requestId: 'gt1', accepted: true, note: '' }))).toBe('An explanation not yet given cannot be accepted.');
    expect(reason(() => rules.validateCloseExplanation(s, { actor: leader, requestId: 'gt1', accepted: false, note: '' }))).toBe('An explanation not accepted needs a note.');
    expect(reason(() => rules.validateCloseExplanation(s, { actor: officerOf('coord'), requestId: 'gt1', accepted: false, note: 'x' }))).toMatch(/^Only .* may close an explanation request\.$/);

    const a = rules.answerExplanation(s, { actor: officerOf('coord'), requestId: 'gt1', text: ' Do thiếu số liệu ', attachmentIds: ['f1', 'f1'] }, at(20.5));
    expect(a.event).toEqual({ type: 'explanation_answered', data: { requestId: 'gt1', answer: { at: at(20.5), by: 'o-coord', text: 'Do thiếu số liệu', late: true, attachmentIds: ['f1'] } } });
    expect(isSatisfied(s, item, 'coord')).toBe(true);
    expect(pendingTimers(s).filter((t) => t.deadline.key === 'gt1')).toEqual([]);
    expect(reason(() => rules.validateAnswerExplanation(s, { actor: officerOf('coord'), requestId: 'gt1', text: 'x', attachmentIds: [] }))).toBe(
      'This explanation request has already been answered.',
    );
    // Its files are attached before the answer, by the agency asked only.
    const file = { id: 'f2', sha256: 'a'.repeat(64), size: 1, kind: 'explanation' as const, deadlineKey: 'gt1' };
    expect(reason(() => rules.validateAttach(s, { actor: officerOf('coord'), attachment: file }))).toBe('This explanation request has already been answered.');

    expect(reason(() => rules.validateCloseExplanation(s, { actor: supervisor, requestId: 'gt1', accepted: true, note: '' }))).toBe('accepted');
    rules.closeExplanation(s, { actor: supervisor, requestId: 'gt1', accepted: true, note: '' }, at(21));
    expect(s.explanations![0]!.closure).toEqual({ at: at(21), by: 'sup', accepted: true, note: '' });
    expect(reason(() => rules.validateCloseExplanation(s, { actor: leader, requestId: 'gt1', accepted: false, note: 'x' }))).toBe('This explanation request is already closed.');

    // Closed unanswered: its timers stop too.
    const u = state();
    rules.requestExplanation(u, ask(), planFor(20), at(5));
    rules.closeExplanation(u, { actor: leader, requestId: 'gt1', accepted: false, note: 'Rút yêu cầu' }, at(6));
    expect(pendingTimers(u).filter((t) => t.deadline.key === 'gt1')).toEqual([]);
  });

  it('is refused once planned if the directive closed or the same request was made meanwhile; is withdrawn by the system, not accepted', () => {
    const s = state();
    rules.requestExplanation(s, ask(), planFor(20), at(5));
    // Two requests validated side by side: the second is refused when it comes to be recorded.
    expect(reason(() => rules.requestExplanation(s, ask(), planFor(20), at(5)))).toBe('That agency is already asked to explain this item.');
    expect(reason(() => rules.requestExplanation(state({ status: 'cancelled' }), ask(), planFor(20), at(5)))).toBe('The directive is cancelled; nothing more can be done.');
    expect(rules.openExplanationsOf(s).map((x) => x.id)).toEqual(['gt1']);
    const r = rules.withdrawExplanation(s, 'gt1', 'Đóng cùng nhiệm vụ', at(6), null);
    expect(r).toEqual({ event: { type: 'explanation_closed', data: { requestId: 'gt1', accepted: false, note: 'Đóng cùng nhiệm vụ' } }, actorId: null });
    expect(s.explanations![0]!.closure).toMatchObject({ by: 'system', accepted: false });
    expect(rules.openExplanationsOf(s)).toEqual([]);
  });

  it('owes nothing more once the agency asked is no longer assigned', () => {
    const s = state();
    rules.requestExplanation(s, ask(), planFor(20), at(5));
    expect(pendingTimers(s).some((t) => t.deadline.key === 'gt1')).toBe(true);
    rules.reassign(s, { actor: leader, leadAgencyId: 'lead', coordinatingAgencyIds: [], reason: 'Điều chỉnh' });
    expect(pendingTimers(s).some((t) => t.deadline.key === 'gt1')).toBe(false);
  });

  it('moves with the agency asked when it is merged, its ladder going on at the next rung', () => {
    const s = state();
    rules.requestExplanation(s, ask(), planFor(20), at(5));
    const first = pendingTimers(s).find((t) => t.kind === 'escalation' && t.deadline.key === 'gt1')!;
    markFired(s, first);
    rules.transfer(s, { changeId: 'c1', fromAgencyId: 'coord', toAgencyId: 'coord2', reason: 'sáp nhập' });
    expect(s.explanations![0]!.agencyId).toBe('coord2');
    const next = pendingTimers(s).find((t) => t.kind === 'escalation' && t.deadline.key === 'gt1')!;
    expect(next).toMatchObject({ agencyId: 'coord2', level: 2 });
  });
});

describe('explanation requests as the history tells them', () => {
  it('are requested, answered and closed, and follow the agency asked into its successor when it is merged', () => {
    const s = state();
    const requested = rules.requestExplanation(s, ask(), planFor(20), at(5)).event;
    const ev = (seq: number, e: unknown, actorId: string | null = null) => ({ seq, occurredAt: at(seq), actorId, ...(e as object) }) as StoredEventView;
    const reassigned = { type: 'reassigned', data: { before: { leadAgencyId: 'lead', coordinatingAgencyIds: ['coord'] }, after: { leadAgencyId: 'lead', coordinatingAgencyIds: ['coord2'] }, reason: 'sáp nhập', transfer: { changeId: 'c', fromAgencyId: 'coord', toAgencyId: 'coord2' } } };
    const answer = { at: at(7), by: 'o', text: 'Giải trình', late: false, attachmentIds: [] };
    const list = explanationsFrom([
      ev(5, requested, 'leader'),
      ev(6, reassigned),
      ev(7, { type: 'explanation_answered', data: { requestId: 'gt1', answer } }, 'o'),
      ev(8, { type: 'explanation_closed', data: { requestId: 'gt1', accepted: true, note: 'Được' } }, 'sup'),
    ]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'gt1', agencyId: 'coord2', answer, closure: { at: at(8), by: 'sup', accepted: true, note: 'Được' } });
  });
});
