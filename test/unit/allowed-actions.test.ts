import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type PlannedDeadline } from '../../domain/deadlines.js';
import type { Actor, DirectiveState, ExplanationRequest } from '../../domain/directive.js';
import { ATTACHMENT_KINDS, type Role } from '../../domain/lists.js';
import { allowedActions, withinSupervision, type AllowedActions } from '../../workflows/allowed.js';
import * as rules from '../../workflows/updates.js';
import { reasonOf } from './refusal.js';

/**
 * Every role × directive state: each action the answer offers is accepted by the workflow's own rules (validator,
 * then effect) when a person fills its form, and each one it does not offer is refused. The workflow is the
 * judge here, not the probe allowedActions runs: the inputs below are what a person would send.
 */

const T0 = Date.parse('2026-03-02T01:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const NOW = T0 + 500_000;
const LEAD = 'agency-lead';
const COORD = 'agency-coord';
const OTHER = 'agency-other';
const BNC = 'agency-bnc';

const deadline = (key: string, kind: PlannedDeadline['kind'], dueS: number): PlannedDeadline => ({
  key,
  kind,
  label: key,
  dueAt: at(dueS),
  reminders: [at(dueS - 20)],
  escalations: [at(dueS + 10), at(dueS + 20), at(dueS + 30)],
});

const explanation = (id: string, agencyId: string, over: Partial<ExplanationRequest> = {}): ExplanationRequest => ({
  id,
  agencyId,
  deadlineKey: 'R1',
  label: 'Giải trình: R1',
  question: 'Vì sao?',
  requestedBy: 'leader-1',
  requestedAt: at(200),
  dueAt: at(900),
  reminders: [],
  escalations: [at(910), at(920), at(930)],
  answer: null,
  closure: null,
  ...over,
});

function base(over: Partial<DirectiveState> = {}): DirectiveState {
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
    issuedBy: 'leader-1',
    issuedAt: at(0),
    completedAt: null,
    seq: 1,
    regime: { kind: 'explicit', dueDates: [at(100), at(2000)] },
    policy: DEFAULT_POLICY,
    plannedAt: at(0),
    deadlines: [deadline('R1', 'report', 100), deadline('final', 'final', 1000), deadline('R2', 'report', 2000)],
    fired: [],
    escalations: [],
    ...over,
  };
}

const STATES: Record<string, DirectiveState> = {
  'just issued, the first report overdue': base(),
  'in progress, the lead reported late, an extension asked': base({
    status: 'in_progress',
    acknowledgements: [{ agencyId: LEAD, at: at(10), by: 'o-lead' }],
    reports: [{ deadlineKey: 'R1', agencyId: LEAD, at: at(150), summary: 'Đã rà soát', late: true, by: 'o-lead' }],
    extensions: [{ id: 'x1', requestedAt: at(300), requestedBy: 'o-lead', reason: 'Chờ số liệu', proposedDueDate: '2026-12-31', proposedDueAt: null, decision: null }],
  }),
  'explanations asked, one answered, one closed': base({
    status: 'in_progress',
    explanations: [
      explanation('gt1', COORD),
      explanation('gt2', LEAD, { answer: { at: at(300), by: 'o-lead', text: 'Vì thiếu người', late: false, attachmentIds: [] } }),
      explanation('gt3', COORD, { deadlineKey: 'final', closure: { at: at(400), by: 'leader-1', accepted: false, note: 'Chưa đạt' } }),
    ],
  }),
  'sub-tasks open, the final deadline still ahead': base({
    status: 'in_progress',
    subtasks: [{ directiveId: 'd-2', title: 'Tổ công tác xã', leadAgencyId: 'agency-sub', assigneeId: null, dueAt: at(900), closed: false }],
  }),
  'completion under review': base({ status: 'completion_submitted', completion: { submittedAt: at(400), by: 'o-lead', summary: 'Xong' } }),
  'past its final deadline': base({ status: 'in_progress', dueAt: at(400), deadlines: [deadline('R1', 'report', 100), deadline('final', 'final', 400)] }),
  'a standing directive': base({ dueAt: null, deadlines: [deadline('R1', 'report', 100)] }),
  completed: base({ status: 'completed', completedAt: at(400) }),
  cancelled: base({ status: 'cancelled', cancellation: { at: at(400), by: 'leader-1', reason: 'Không còn phù hợp' } }),
};

const ACTORS: Record<string, Actor> = {
  leader: { userId: 'leader-1', role: 'leader', agencyId: null },
  admin: { userId: 'admin-1', role: 'admin', agencyId: null },
  'officer of the lead': { userId: 'o-lead', role: 'officer', agencyId: LEAD },
  'officer of a coordinating agency': { userId: 'o-coord', role: 'officer', agencyId: COORD },
  'officer of another agency': { userId: 'o-other', role: 'officer', agencyId: OTHER },
  supervisor: { userId: 's-1', role: 'supervisor', agencyId: BNC },
  oversight: { userId: 'v-1', role: 'oversight' as Role, agencyId: null },
};

/** Whether the workflow accepts a filled form: its validator, then its effect on a copy of the state. */
const accepts = (s: DirectiveState, act: (copy: DirectiveState) => unknown): boolean => {
  const copy = structuredClone(s);
  return reasonOf(() => void act(copy)) === 'accepted';
};

/** The workflow's own verdict on every form a person could fill in this state, shaped as the answer is. */
function judged(s: DirectiveState, actor: Actor): AllowedActions {
  const agencies = [LEAD, COORD, OTHER];
  const deadlines = s.deadlines ?? [];
  const explanations = s.explanations ?? [];
  const answerable = explanations.filter((x) =>
    accepts(s, (c) => rules.validateAnswerExplanation(c, { actor, requestId: x.id, text: 'Đã giải trình', attachmentIds: [] })),
  );
  const attachable = (kind: (typeof ATTACHMENT_KINDS)[number]) => {
    const keys = kind === 'explanation' ? answerable.map((x) => x.id) : [null];
    return keys.some((deadlineKey) => accepts(s, (c) => rules.validateAttach(c, { actor, attachment: { id: 'f1', sha256: 'a'.repeat(64), size: 10, kind, deadlineKey } })));
  };
  return {
    acknowledge: accepts(s, (c) => (rules.validateAcknowledge(c, { actor }), rules.acknowledge(c, { actor }, at(500)))),
    report: deadlines
      .filter((d) =>
        accepts(s, (c) => {
          rules.validateSubmitReport(c, { actor, deadlineKey: d.key, summary: 'Báo cáo kỳ' }, true);
          rules.submitReport(c, { actor, deadlineKey: d.key, summary: 'Báo cáo kỳ' }, at(500));
        }),
      )
      .map((d) => d.key),
    attach: ATTACHMENT_KINDS.filter(attachable),
    answerExplanation: answerable.map((x) => x.id),
    requestExtension: accepts(s, (c) => rules.validateRequestExtension(c, { actor, reason: 'Cần thêm thời gian', proposedDueDate: '2027-06-30' }, NOW)),
    decideExtension: (s.extensions ?? []).filter((x) => accepts(s, (c) => rules.validateDecideExtension(c, { actor, requestId: x.id, approve: false, note: 'Không' }))).map((x) => x.id),
    submitCompletion: accepts(s, (c) =>
      rules.validateSubmitCompletion(c, { actor, summary: 'Đã hoàn thành', ...((c.subtasks ?? []).some((t) => !t.closed) ? { closeOpenSubtasks: { note: 'Đóng cùng' } } : {}) }),
    ),
    reviewCompletion: accepts(s, (c) => rules.validateReviewCompletion(c, { actor, accept: false, note: 'Bổ sung' })),
    delegate: accepts(s, (c) =>
      rules.validateDelegate(
        c,
        { actor, subtasks: [{ directiveId: 'd-9', title: 'Xã A', body: '', leadAgencyId: 'agency-sub', assigneeId: null, dueAt: new Date(NOW + 60_000).toISOString(), dueDate: null }] },
        NOW,
      ),
    ),
    requestExplanation: deadlines.flatMap((d) =>
      agencies
        .filter((agencyId) =>
          accepts(s, (c) => rules.validateRequestExplanation(c, { actor, agencyId, deadlineKey: d.key, question: 'Vì sao chậm?', dueDate: '2026-12-31' }, NOW)),
        )
        .map((agencyId) => ({ deadlineKey: d.key, agencyId })),
    ),
    closeExplanation: explanations.flatMap((x) => {
      const accept = accepts(s, (c) => rules.validateCloseExplanation(c, { actor, requestId: x.id, accepted: true, note: '' }));
      const decline = accepts(s, (c) => rules.validateCloseExplanation(c, { actor, requestId: x.id, accepted: false, note: 'Chưa thuyết phục' }));
      return accept || decline ? [{ requestId: x.id, accept }] : [];
    }),
    reassign: accepts(s, (c) => rules.validateReassign(c, { actor, leadAgencyId: COORD, coordinatingAgencyIds: [LEAD], reason: 'Điều chỉnh' })),
    cancel: accepts(s, (c) => rules.validateCancel(c, { actor, reason: 'Không còn phù hợp' })),
  };
}

describe('what an actor may do now: offered exactly when the workflow accepts it', () => {
  const cases = Object.entries(STATES).flatMap(([state, s]) => Object.entries(ACTORS).map(([actor, a]) => [actor, state, s, a] as const));

  it.each(cases)('%s, %s', (_actor, _state, s, actor) => {
    const offered = allowedActions(s, actor, NOW);
    // The oversight role reads and changes nothing, whatever the workflow would say (domain/policy.ts readsOnly).
    if (actor.role === 'oversight') {
      expect(Object.values(offered).every((v) => v === false || (Array.isArray(v) && v.length === 0))).toBe(true);
      return;
    }
    expect(offered).toEqual(judged(s, actor));
  });

  it('offers something in every open state to someone, and nothing once the directive is closed', () => {
    const anything = (a: AllowedActions) => Object.values(a).some((v) => v === true || (Array.isArray(v) && v.length > 0));
    for (const [name, s] of Object.entries(STATES)) {
      const someone = Object.values(ACTORS).some((a) => anything(allowedActions(s, a, NOW)));
      expect(someone, name).toBe(s.status !== 'completed' && s.status !== 'cancelled');
    }
  });

  it('offers an explanation request only for an item an agency owes and missed or met late (the page once offered every past item)', () => {
    const s = STATES['in progress, the lead reported late, an extension asked']!;
    const asked = allowedActions(s, ACTORS.leader!, NOW).requestExplanation;
    // R1: the lead reported late, the coordinating agency never did; the final deadline is ahead; R2 is ahead.
    expect(asked).toEqual([
      { deadlineKey: 'R1', agencyId: LEAD },
      { deadlineKey: 'R1', agencyId: COORD },
    ]);
    const past = allowedActions(STATES['past its final deadline']!, ACTORS.leader!, NOW).requestExplanation;
    // The final deadline is owed by the lead alone: a coordinating agency is never offered for it.
    expect(past).toContainEqual({ deadlineKey: 'final', agencyId: LEAD });
    expect(past).not.toContainEqual({ deadlineKey: 'final', agencyId: COORD });
  });

  it("takes out, for a supervisor, what names an agency it does not supervise", () => {
    const s = STATES['in progress, the lead reported late, an extension asked']!;
    const all = allowedActions(s, ACTORS.supervisor!, NOW);
    expect(all.decideExtension).toEqual(['x1']);
    const overCoordOnly = withinSupervision(all, s, (agencyId) => agencyId === COORD);
    expect(overCoordOnly.decideExtension).toEqual([]);
    expect(overCoordOnly.reviewCompletion).toBe(false);
    expect(overCoordOnly.requestExplanation).toEqual([{ deadlineKey: 'R1', agencyId: COORD }]);
    expect(withinSupervision(all, s, () => true)).toEqual(all);
  });
});
