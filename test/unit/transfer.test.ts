import { describe, expect, it } from 'vitest';
import type { DirectiveState } from '../../domain/directive.js';
import { timelinessOf } from '../../domain/timeliness.js';
import { pendingTimers } from '../../workflows/lifecycle.js';
import * as rules from '../../workflows/updates.js';

/** An agency's place in a directive moving to its successor (a merge), as plain functions. */
const due = '2026-03-10T10:00:00.000Z';
const deadline = {
  key: 'R1',
  kind: 'report' as const,
  label: 'Báo cáo lần 1',
  dueAt: due,
  reminders: ['2026-03-10T09:00:00.000Z'],
  escalations: ['2026-03-10T11:00:00.000Z', '2026-03-10T12:00:00.000Z', '2026-03-10T13:00:00.000Z'],
};
const state = (over: Partial<DirectiveState> = {}): DirectiveState => {
  const base = {
    directiveId: 'd',
    title: 't',
    body: '',
    leadAgencyId: 'old',
    coordinatingAgencyIds: ['coord', 'new'],
    conferenceId: null,
    status: 'in_progress' as const,
    dueAt: null,
    nextDeadlineAt: null,
    escalationLevel: 0,
    issuedBy: null,
    issuedAt: '2026-03-01T00:00:00.000Z',
    completedAt: null,
    seq: 4,
    plannedAt: '2026-03-01T00:00:00.000Z',
    deadlines: [deadline],
    fired: [`R1@${due}|old|r0`, `R1@${due}|due`, `R1@${due}|old|e1`, `R1@${due}|coord|r0`],
    acknowledgements: [{ agencyId: 'old', at: '2026-03-02T00:00:00.000Z', by: 'u' }],
  };
  return { ...base, timeliness: timelinessOf(base, Date.parse(base.issuedAt)), ...over };
};
const args = { changeId: 'm1', fromAgencyId: 'old', toAgencyId: 'new', reason: 'sáp nhập' };

describe('moving a merged agency’s place to its successor', () => {
  it('gives the successor the lead once, with the predecessor’s acknowledgement and the marks of what was sent', () => {
    const s = state();
    const recorded = rules.transfer(s, args);
    expect(s.leadAgencyId).toBe('new');
    expect(s.coordinatingAgencyIds).toEqual(['coord']);
    expect(s.acknowledgements?.map((a) => a.agencyId)).toEqual(['new']);
    expect(recorded?.event).toEqual({
      type: 'reassigned',
      data: {
        before: { leadAgencyId: 'old', coordinatingAgencyIds: ['coord', 'new'] },
        after: { leadAgencyId: 'new', coordinatingAgencyIds: ['coord'] },
        reason: 'sáp nhập',
        transfer: { changeId: 'm1', fromAgencyId: 'old', toAgencyId: 'new' },
      },
    });
    // The successor's ladder goes on at rung 2; its reminder was already sent.
    const mine = pendingTimers(s).filter((t) => 'agencyId' in t && t.agencyId === 'new');
    expect(mine.map((t) => t.id)).toEqual([`R1@${due}|new|e2`]);
  });

  it('counts a report the predecessor made as the successor’s', () => {
    const s = state({ reports: [{ deadlineKey: 'R1', agencyId: 'old', at: due, summary: 's', late: false, by: 'u' }] });
    rules.transfer(s, args);
    expect(pendingTimers(s).filter((t) => 'agencyId' in t && t.agencyId === 'new')).toEqual([]);
  });

  it('changes nothing where the predecessor has no place, and refuses a transfer that names no change or one agency twice', () => {
    const s = state({ leadAgencyId: 'x', coordinatingAgencyIds: [] });
    expect(rules.transfer(s, args)).toBeNull();
    expect(s.leadAgencyId).toBe('x');
    expect(() => rules.validateTransfer(state(), { ...args, changeId: '' })).toThrow('A transfer names its reorganisation.');
    expect(() => rules.validateTransfer(state(), { ...args, toAgencyId: 'old' })).toThrow('A transfer moves work from one agency to another.');
    expect(() => rules.validateTransfer(state({ status: 'completed' }), args)).toThrow(/completed/);
  });
});
