import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../domain/calendar.js';
import { chainAbove, MAX_SUPERVISION_DEPTH, subtreeOf } from '../../domain/directory.js';
import { vnAt, vnEndOfDay } from '../../domain/vn-time.js';
import { PROVINCE_LEADERS_LABEL, ladderOf, resolveRung, type Directory, type DirectoryAgency } from '../../engine/ladder.js';
import { addCalendarMonths, after, before, clockEnd, limitEnd, placeDeadline } from '../../engine/place.js';
import { sequencedRecorder } from '../../engine/recorder.js';
import { marks, nextDueOf, pendingTimers, rungStands, type Obligations } from '../../engine/timers.js';
import type { Clock, TrackedDeadline } from '../../engine/types.js';

/** The deadline engine's primitives as plain functions: no Temporal server, no database. */

const cal = new WorkingCalendar();

describe('offsets counted as the Criminal Procedure Code counts them (Art. 134)', () => {
  it('ends a month on the same day number of the later month, or on its last day when it has none', () => {
    expect(addCalendarMonths('2026-03-15', 2)).toBe('2026-05-15');
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-12-15', 2)).toBe('2027-02-15');
    expect(addCalendarMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('ends a limit in days at 24:00 of its last day, the opening day not counted', () => {
    // 20 days from Monday 02/03/2026: the last day is Sunday 22/03, so the limit ends on Monday 23/03.
    expect(limitEnd(cal, '2026-03-02', { calendarDays: 20 })).toEqual(vnEndOfDay('2026-03-23'));
    // 9 days from Thursday 05/03/2026 end on Saturday 14/03, moved to Monday 16/03.
    expect(limitEnd(cal, '2026-03-05', { calendarDays: 9 })).toEqual(vnEndOfDay('2026-03-16'));
    expect(limitEnd(cal, '2026-03-05', { calendarDays: 6 })).toEqual(vnEndOfDay('2026-03-11'));
  });

  it('moves a limit that ends on a rest day or a public holiday to the next working day', () => {
    // 30/04 and 01/05/2026 are public holidays (Thursday, Friday), then a weekend: the next working day is 04/05.
    expect(limitEnd(cal, '2026-04-10', { calendarDays: 20 })).toEqual(vnEndOfDay('2026-05-04'));
    expect(limitEnd(cal, '2026-03-30', { calendarMonths: 1 })).toEqual(vnEndOfDay('2026-05-04'));
    // 31/01 + 1 month is Saturday 28/02/2026: the limit ends on Monday 02/03.
    expect(limitEnd(cal, '2026-01-31', { calendarMonths: 1 })).toEqual(vnEndOfDay('2026-03-02'));
  });

  it('counts working days, and durations exactly from the instant of the event', () => {
    // 29/04 is a working day; 30/04 and 01/05 are holidays, then a weekend: the second working day is 04/05.
    expect(limitEnd(cal, '2026-04-28', { workingDays: 2 })).toEqual(vnEndOfDay('2026-05-04'));
    const opened = new Date('2026-03-02T03:00:00Z');
    expect(limitEnd(cal, '2026-03-02', { duration: 'P1D' }, opened)).toEqual(new Date('2026-03-03T03:00:00Z'));
    expect(limitEnd(cal, '2026-03-02', { duration: 'PT1H' })).toEqual(new Date(vnEndOfDay('2026-03-02').getTime() + 3_600_000));
  });

  it('places reminders before a due instant on a working day and rungs after it, in every unit', () => {
    const due = vnEndOfDay('2026-05-04');
    // Three calendar days before Monday 04/05 is Friday 01/05, a holiday: the reminder comes on Wednesday 29/04.
    expect(before(cal, due, { calendarDays: 3 })).toEqual(vnAt('2026-04-29', 8));
    expect(before(cal, due, { workingDays: 1 })).toEqual(vnAt('2026-04-29', 8));
    expect(before(cal, due, { calendarMonths: 1 })).toEqual(vnAt('2026-04-03', 8));
    expect(before(cal, due, { duration: 'PT1H' })).toEqual(new Date(due.getTime() - 3_600_000));
    // Five calendar days after Monday 04/05 is Saturday 09/05: the rung fires on Monday 11/05.
    expect(after(cal, due, { calendarDays: 5 })).toEqual(vnAt('2026-05-11', 8));
    expect(after(cal, due, { calendarMonths: 1 })).toEqual(vnAt('2026-06-04', 8));
    expect(after(cal, due, { workingDays: 5 })).toEqual(vnAt('2026-05-11', 8));
  });

  it('places a ladder of any length, each rung at its own offset', () => {
    const ladder = ladderOf(
      [{ workingDays: 1 }, { calendarDays: 10 }, { calendarMonths: 1 }, { duration: 'P60D' }],
      [{ kind: 'owner' }, { kind: 'supervisor' }, { kind: 'agency', agencyId: 'bnc' }, { kind: 'issuer' }],
    );
    const placed = placeDeadline(cal, { reminders: [{ calendarDays: 7 }], ladder }, vnEndOfDay('2026-03-16'));
    expect(placed.escalations).toHaveLength(4);
    expect(placed.escalations).toEqual([...placed.escalations].sort());
    expect(placed.reminders).toEqual([vnAt('2026-03-09', 8).toISOString()]);
    expect(() => ladderOf([{ workingDays: 1 }], [])).toThrow(/1 offsets was given 0 targets/);
  });
});

describe('a statutory clock, opened on an event, extended, suspended and resumed', () => {
  const clock = (over: Partial<Clock> = {}): Clock => ({ openedOn: '2026-03-02', limit: { calendarDays: 20 }, extensions: [], suspensions: [], onResume: 'continue', ...over });

  it('runs its limit from the opening day', () => {
    expect(clockEnd(cal, clock())).toEqual(vnEndOfDay('2026-03-23'));
  });

  it('counts each extension from the last day in force before the rest-day move', () => {
    // Two months from 02/03 end on Saturday 02/05; +2 months from that nominal day end on Thursday 02/07.
    expect(clockEnd(cal, clock({ limit: { calendarMonths: 2 } }))).toEqual(vnEndOfDay('2026-05-04'));
    expect(clockEnd(cal, clock({ limit: { calendarMonths: 2 }, extensions: [{ calendarMonths: 2 }] }))).toEqual(vnEndOfDay('2026-07-02'));
  });

  it('has no end while it stands suspended', () => {
    expect(clockEnd(cal, clock({ suspensions: [{ from: '2026-03-05T02:00:00Z', until: null }] }))).toBeNull();
  });

  it('keeps the time used and adds the days it stood still when it continues', () => {
    // Suspended 05/03 → 15/03: ten days stood still; the last day moves from Sunday 22/03 to Wednesday 01/04.
    const resumed = clock({ suspensions: [{ from: '2026-03-05T02:00:00Z', until: '2026-03-15T02:00:00Z' }] });
    expect(clockEnd(cal, resumed)).toEqual(vnEndOfDay('2026-04-01'));
  });

  it('runs the whole limit again from the day it resumed when it restarts', () => {
    const restarted = clock({ onResume: 'restart', limit: { calendarMonths: 2 }, suspensions: [{ from: '2026-03-05T02:00:00Z', until: '2026-04-15T02:00:00Z' }] });
    expect(clockEnd(cal, restarted)).toEqual(vnEndOfDay('2026-06-15'));
  });
});

describe('timers of any kind: who owes a deadline and whether it is met are the kind\'s', () => {
  const T0 = Date.parse('2026-03-02T01:00:00Z');
  const at = (s: number) => new Date(T0 + s * 1000).toISOString();
  const stage = (key: string, dueS: number, rungs: number): TrackedDeadline => ({
    key,
    label: key,
    dueAt: at(dueS),
    reminders: [at(dueS - 20), at(dueS - 5)],
    escalations: Array.from({ length: rungs }, (_, i) => at(dueS + 10 * (i + 1))),
  });
  const rules = (met: Record<string, string[]> = {}, fired: string[] = []): Obligations<TrackedDeadline> => ({
    ownersOf: (d) => (d.key === 'trial' ? ['court'] : ['police', 'procuracy']),
    isSatisfied: (d, owner) => (met[d.key] ?? []).includes(owner),
    fired,
  });

  it('lists each owner\'s reminders, the due instant and the first rung, earliest first', () => {
    const d = stage('investigation', 100, 5);
    const items = pendingTimers([{ deadline: d, plannedAt: T0 }], rules());
    expect(items.map((i) => i.id)).toEqual([
      marks.reminder(d, 'police', 0),
      marks.reminder(d, 'procuracy', 0),
      marks.reminder(d, 'police', 1),
      marks.reminder(d, 'procuracy', 1),
      marks.due(d),
      marks.rung(d, 'police', 1),
      marks.rung(d, 'procuracy', 1),
    ]);
  });

  it('climbs a ladder of any length one rung at a time, and stops at its top', () => {
    const d = stage('trial', 100, 5);
    const fired = [marks.due(d), marks.reminder(d, 'court', 0), marks.reminder(d, 'court', 1)];
    for (let level = 1; level <= 5; level++) {
      const items = pendingTimers([{ deadline: d, plannedAt: T0 }], rules({}, fired));
      expect(items).toEqual([expect.objectContaining({ kind: 'escalation', level, at: Date.parse(d.escalations[level - 1]!) })]);
      fired.push(items[0]!.id);
    }
    expect(pendingTimers([{ deadline: d, plannedAt: T0 }], rules({}, fired))).toEqual([]);
  });

  it('drops a reminder whose moment had passed when the plan was made, and anything of an owner who has met it', () => {
    const d = stage('investigation', 100, 2);
    const items = pendingTimers([{ deadline: d, plannedAt: T0 + 90_000 }], rules({ investigation: ['police'] }));
    expect(items.map((i) => i.id)).toEqual([marks.reminder(d, 'procuracy', 1), marks.due(d), marks.rung(d, 'procuracy', 1)]);
    expect(pendingTimers([{ deadline: d, plannedAt: T0 }], rules({ investigation: ['police', 'procuracy'] }))).toEqual([]);
  });

  it('names the earliest due instant someone still owes, met ones aside', () => {
    const early = stage('investigation', 100, 1);
    const late = stage('trial', 200, 1);
    expect(nextDueOf([late, early], rules())).toBe(early.dueAt);
    expect(nextDueOf([late, early], rules({ investigation: ['police', 'procuracy'] }))).toBe(late.dueAt);
    expect(nextDueOf([late, early], rules({ investigation: ['police', 'procuracy'], trial: ['court'] }))).toBeNull();
  });

  it('lets a rung open only while the owner still owes the deadline at the instant it was counted from', () => {
    const d = stage('trial', 100, 2);
    const item = { deadline: d, agencyId: 'court' };
    expect(rungStands(item, d, rules())).toBe(true);
    expect(rungStands(item, { ...d, dueAt: at(500) }, rules())).toBe(false);
    expect(rungStands(item, d, rules({ trial: ['court'] }))).toBe(false);
  });
});

describe('the recorder\'s sequencing, generic over events and state', () => {
  it('numbers concurrent records apart and advances the state only once each is written', async () => {
    const state = { seq: 4, note: 'a' };
    const written: Array<{ event: string; seq: number; snapshot: { seq: number; note: string } }> = [];
    const gates: Array<() => void> = [];
    const record = sequencedRecorder<string, typeof state>(state, async (input) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      written.push(input);
    });
    const first = record({ event: 'one', actorId: null });
    state.note = 'b';
    const second = record({ event: 'two', actorId: 'u1' });
    expect(state.seq).toBe(4);
    gates[1]!();
    await second;
    expect(state.seq).toBe(6);
    gates[0]!();
    await first;
    expect(state.seq).toBe(6);
    expect(written.map((w) => [w.event, w.seq, w.snapshot])).toEqual([
      ['two', 6, { seq: 6, note: 'b' }],
      ['one', 5, { seq: 5, note: 'a' }],
    ]);
  });

  it('leaves the state\'s number where it was when a write fails', async () => {
    const state = { seq: 1 };
    const record = sequencedRecorder<string, typeof state>(state, () => Promise.reject(new Error('database down')));
    await expect(record({ event: 'x', actorId: null })).rejects.toThrow('database down');
    expect(state.seq).toBe(1);
  });
});

describe('a rung\'s target, resolved from the directory when it fires', () => {
  const agency = (id: string, over: Partial<DirectoryAgency & { successorId: string }> = {}) => ({ id, name: `Cơ quan ${id}`, supervisorId: null, parentId: null, ...over });
  const rows = new Map([
    ['police', agency('police', { parentId: 'province' })],
    ['district', agency('district', { supervisorId: 'police', parentId: 'province' })],
    ['old', agency('old', { successorId: 'district' })],
    ['bnc', agency('bnc')],
    ['province', agency('province')],
  ]);
  const directory: Directory = {
    current: async (id) => {
      let row = rows.get(id);
      while (row && 'successorId' in row && row.successorId) row = rows.get(row.successorId as string);
      return row ?? agency(id);
    },
    person: async (id) => (id === 'leader-1' ? { id, name: 'Đ/c Bí thư' } : null),
  };
  const ctx = (ownerId: string, issuedBy: string | null = 'leader-1') => ({ ownerId, issuedBy });

  it('reaches the owner, its supervisor (else its parent), a named agency or the issuer', async () => {
    expect(await resolveRung({ kind: 'owner' }, ctx('old'), directory)).toEqual({ agencyId: 'district', userId: null, label: 'Cơ quan district' });
    expect(await resolveRung({ kind: 'supervisor' }, ctx('district'), directory)).toMatchObject({ agencyId: 'police' });
    expect(await resolveRung({ kind: 'supervisor' }, ctx('police'), directory)).toMatchObject({ agencyId: 'province' });
    expect(await resolveRung({ kind: 'agency', agencyId: 'bnc' }, ctx('police'), directory)).toMatchObject({ agencyId: 'bnc' });
    expect(await resolveRung({ kind: 'issuer' }, ctx('police'), directory)).toEqual({ agencyId: null, userId: 'leader-1', label: 'Đ/c Bí thư' });
  });

  it('falls from a supervisor rung of an agency that answers to no one to the issuer, and then to the province\'s leaders', async () => {
    expect(await resolveRung({ kind: 'supervisor' }, ctx('bnc'), directory)).toMatchObject({ userId: 'leader-1' });
    expect(await resolveRung({ kind: 'supervisor' }, ctx('bnc', 'gone'), directory)).toEqual({ agencyId: null, userId: null, label: PROVINCE_LEADERS_LABEL });
  });
});

describe('the one supervision walk', () => {
  const ups = (pairs: Array<[string, string | null]>) => new Map(pairs);

  it('climbs to the top, nearest first', async () => {
    const up = ups([['commune', 'district'], ['district', 'province'], ['province', null]]);
    expect(await chainAbove('commune', (id) => up.get(id) ?? null)).toEqual({ chain: ['district', 'province'], complete: true });
  });

  it('stops at a loop, and at the depth every walk shares', async () => {
    const loop = ups([['a', 'b'], ['b', 'c'], ['c', 'a']]);
    expect(await chainAbove('a', (id) => loop.get(id) ?? null)).toEqual({ chain: ['b', 'c'], complete: false });
    const deep = (id: string) => (Number(id) < 100 ? String(Number(id) + 1) : null);
    const walked = await chainAbove('0', deep);
    expect(walked.complete).toBe(false);
    expect(walked.chain).toHaveLength(MAX_SUPERVISION_DEPTH);
    expect(await chainAbove('70', deep)).toMatchObject({ complete: true });
  });

  it('reads the same edges downwards for scope', () => {
    const up = ups([['commune', 'district'], ['district', 'province'], ['other', 'province'], ['province', null]]);
    expect(subtreeOf(up, 'district')).toEqual(new Set(['district', 'commune']));
    expect(subtreeOf(up, 'province')).toEqual(new Set(['province', 'district', 'commune', 'other']));
  });
});
