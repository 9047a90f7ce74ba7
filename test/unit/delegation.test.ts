import { describe, expect, it } from 'vitest';
import { reasonOf } from './refusal.js';
import type { Actor, DirectiveState } from '../../domain/directive.js';
import { worstTimelinessOf } from '../../services/directive-model.js';
import type { NewSubtask } from '../../workflows/messages.js';
import * as rules from '../../workflows/updates.js';

/** Splitting a directive into sub-tasks and closing them with it, as plain functions. */
const DUE = '2026-06-30T17:00:00.000Z';
const parent = (over: Partial<DirectiveState> = {}): DirectiveState => ({
  directiveId: 'p',
  title: 'Cha',
  body: '',
  leadAgencyId: 'lead',
  coordinatingAgencyIds: ['coord'],
  conferenceId: 'conf',
  status: 'in_progress',
  timeliness: 'open_on_time',
  dueAt: DUE,
  nextDeadlineAt: DUE,
  escalationLevel: 0,
  issuedBy: 'leader',
  issuedAt: '2026-01-01T00:00:00.000Z',
  completedAt: null,
  seq: 3,
  ...over,
});
const officer: Actor = { userId: 'o', role: 'officer', agencyId: 'lead' };
/** The moment the lead delegates, in the parent's life. */
const NOW = Date.parse('2026-02-01T00:00:00Z');

const sub = (over: Partial<NewSubtask> = {}): NewSubtask => ({
  directiveId: 's1',
  title: 'Con',
  body: '',
  leadAgencyId: 'unit',
  assigneeId: null,
  dueAt: '2026-06-01T00:00:00.000Z',
  dueDate: null,
  ...over,
});
const reason = reasonOf;

describe('delegating a directive', () => {
  it('lets only the lead agency split it, into sub-units or its own named officers, due no later than the directive', () => {
    const s = parent();
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub()] }, NOW))).toBe('accepted');
    expect(reason(() => rules.validateDelegate(s, { actor: { ...officer, agencyId: 'coord' }, subtasks: [sub()] }, NOW))).toMatch(/^Only the lead agency/);
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub({ dueAt: '2026-07-01T00:00:00.000Z' })] }, NOW))).toMatch(/no later than/);
    // The day's end counts: 30 June ends at 17:00 UTC, exactly the directive's deadline.
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub({ dueAt: null, dueDate: '2026-06-30' })] }, NOW))).toBe('accepted');
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub({ dueAt: null, dueDate: '2026-07-01' })] }, NOW))).toMatch(/no later than/);
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub({ dueAt: null })] }, NOW))).toMatch(/no later than/);
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub({ leadAgencyId: 'lead' })] }, NOW))).toMatch(/sub-unit/);
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub({ leadAgencyId: 'lead', assigneeId: 'u2' })] }, NOW))).toBe('accepted');
    expect(reason(() => rules.validateDelegate(s, { actor: officer, subtasks: [sub(), sub()] }, NOW))).toMatch(/exists already/);
    expect(reason(() => rules.validateDelegate(parent({ parent: { directiveId: 'x', leadAgencyId: 'y', issuedBy: null } }), { actor: officer, subtasks: [sub()] }, NOW))).toMatch(/not split further/);
    // A standing directive's sub-tasks may be standing too.
    expect(reason(() => rules.validateDelegate(parent({ dueAt: null }), { actor: officer, subtasks: [sub({ dueAt: null })] }, NOW))).toBe('accepted');
    // A standing parent bounds nothing, the horizon does: ten years from now, and not before the parent's issue.
    expect(reason(() => rules.validateDelegate(parent({ dueAt: null }), { actor: officer, subtasks: [sub({ dueAt: '2036-02-01T00:00:00.000Z' })] }, NOW))).toBe('accepted');
    expect(reason(() => rules.validateDelegate(parent({ dueAt: null }), { actor: officer, subtasks: [sub({ dueAt: '2036-02-02T00:00:00.000Z' })] }, NOW))).toMatch(/at most 10 years ahead/);
    expect(reason(() => rules.validateDelegate(parent({ dueAt: null }), { actor: officer, subtasks: [sub({ dueAt: null, dueDate: '9999-12-31' })] }, NOW))).toMatch(/at most 10 years ahead/);
    expect(reason(() => rules.validateDelegate(parent({ dueAt: null }), { actor: officer, subtasks: [sub({ dueAt: '2025-12-31T00:00:00.000Z' })] }, NOW))).toMatch(/before the directive was issued/);
  });

  it('starts each sub-task on the parent’s conference and policy, its ladder through the parent', () => {
    const s = parent({ policy: { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }] } });
    const recorded = rules.delegate(s, { actor: officer, subtasks: [sub()] });
    expect(recorded.event).toEqual({ type: 'delegated', data: { subtasks: [{ directiveId: 's1', title: 'Con', leadAgencyId: 'unit', assigneeId: null, dueAt: '2026-06-01T00:00:00.000Z', closed: false }] } });
    const input = rules.subtaskInput(s, sub(), officer, '2026-02-01T00:00:00.000Z');
    expect(input).toMatchObject({ conferenceId: 'conf', issuedBy: 'o', policy: s.policy, parent: { directiveId: 'p', leadAgencyId: 'lead', issuedBy: 'leader' } });
  });

  it('refuses completing the parent while sub-tasks are open unless the lead confirms with a note; closed ones do not count', () => {
    const s = parent();
    rules.delegate(s, { actor: officer, subtasks: [sub(), sub({ directiveId: 's2' })] });
    expect(reason(() => rules.validateSubmitCompletion(s, { actor: officer, summary: 'Xong' }))).toMatch(/Sub-tasks are still open/);
    expect(reason(() => rules.validateSubmitCompletion(s, { actor: officer, summary: 'Xong', closeOpenSubtasks: { note: ' ' } }))).toMatch(/Sub-tasks are still open/);
    expect(reason(() => rules.validateSubmitCompletion(s, { actor: officer, summary: 'Xong', closeOpenSubtasks: { note: 'Chuyển kỳ sau' } }))).toBe('accepted');
    rules.markSubtaskClosed(s, { directiveId: 's1', status: 'completed' });
    rules.markSubtaskClosed(s, { directiveId: 's2', status: 'cancelled' });
    expect(reason(() => rules.validateSubmitCompletion(s, { actor: officer, summary: 'Xong' }))).toBe('accepted');
  });

  it('closes an open sub-task with the parent’s note, once', () => {
    const child = parent({ directiveId: 's1', leadAgencyId: 'unit', parent: { directiveId: 'p', leadAgencyId: 'lead', issuedBy: 'leader' } });
    const recorded = rules.closeByParent(child, { parentId: 'p', status: 'completed', note: 'Chuyển kỳ sau', by: 'sup' }, '2026-03-01T00:00:00.000Z');
    expect(child.status).toBe('cancelled');
    expect(recorded?.event).toEqual({ type: 'cancelled', data: { reason: 'Đóng cùng nhiệm vụ cha (đã hoàn thành): Chuyển kỳ sau' } });
    expect(rules.closeByParent(child, { parentId: 'p', status: 'completed', note: 'x', by: 'sup' }, '2026-03-02T00:00:00.000Z')).toBeNull();
  });

  it('rolls up the worst timeliness: open overdue, then completed late, then on time', () => {
    expect(worstTimelinessOf(['completed_on_time', 'open_overdue', 'completed_late'])).toBe('open_overdue');
    expect(worstTimelinessOf(['completed_on_time', 'completed_late', 'open_on_time'])).toBe('completed_late');
    expect(worstTimelinessOf(['completed_on_time', 'open_on_time'])).toBe('open_on_time');
    expect(worstTimelinessOf([])).toBe('no_deadline');
  });
});
