import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_RULE, bandOf, categoryAt, daysLate, emptyCounts, foldFacts, foldIntoSuccessors, parsePeriod, periodWindow, quarterOf, rank, ruleProblems, scoreOf, type FoldedEvent } from '../../domain/statistics.js';
import { vietnameseDate } from '../../services/reports/docx.js';
import { asOfPhrase } from '../../services/reports/labels.js';

const at = (iso: string) => Date.parse(iso);

describe('periods as Decree 09/2019 cuts them off', () => {
  it('starts a year and its first quarter on 15 December of the year before and ends each quarter on the 14th of its last month', () => {
    expect(parsePeriod('2026-Q1')).toMatchObject({ kind: 'quarter', from: '2025-12-15', to: '2026-03-14', title: { vi: 'quý I năm 2026' } });
    expect(parsePeriod('2026-Q2')).toMatchObject({ from: '2026-03-15', to: '2026-06-14' });
    expect(parsePeriod('2026-Q3')).toMatchObject({ from: '2026-06-15', to: '2026-09-14', title: { vi: 'quý III năm 2026' } });
    expect(parsePeriod('2026-Q4')).toMatchObject({ from: '2026-09-15', to: '2026-12-14' });
    expect(parsePeriod('2026-6M')).toMatchObject({ kind: 'six_months', from: '2025-12-15', to: '2026-06-14', title: { vi: '6 tháng đầu năm 2026' } });
    expect(parsePeriod('2026-9M')).toMatchObject({ kind: 'nine_months', from: '2025-12-15', to: '2026-09-14' });
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', from: '2025-12-15', to: '2026-12-14', title: { vi: 'năm 2026' } });
  });

  it('takes any span of real days, and refuses what is not a period', () => {
    expect(parsePeriod('2026-01-01..2026-03-31')).toMatchObject({ kind: 'custom', from: '2026-01-01', to: '2026-03-31', title: { vi: 'từ ngày 01/01/2026 đến ngày 31/03/2026' } });
    for (const bad of ['2026-Q5', '2026-Q0', '26-Q1', '2026-02-30..2026-03-01', '2026-03-02..2026-03-01', '1999', 'Q1-2026', '']) expect(parsePeriod(bad), bad).toBeNull();
  });

  it('puts 15 December into next year’s first quarter', () => {
    expect(quarterOf('2026-12-15').label).toBe('2027-Q1');
    expect(quarterOf('2026-12-14').label).toBe('2026-Q4');
    expect(quarterOf('2026-06-15').label).toBe('2026-Q3');
  });

  it('counts as of 24:00 on the last day, or now while the period runs, and not at all before it begins', () => {
    const q3 = parsePeriod('2026-Q3')!;
    expect(periodWindow(q3, at('2027-01-01T00:00:00Z'))).toEqual({ start: new Date('2026-06-14T17:00:00Z'), end: new Date('2026-09-14T17:00:00Z'), asOf: new Date('2026-09-14T17:00:00Z') });
    expect(periodWindow(q3, at('2026-08-01T00:00:00Z'))!.asOf).toEqual(new Date('2026-08-01T00:00:00Z'));
    expect(periodWindow(q3, at('2026-06-14T16:59:59Z'))).toBeNull();
  });
});

describe('what a directive counts as at a moment', () => {
  const due = '2026-09-14T17:00:00.000Z';
  it('is overdue from the instant its deadline passes, and completed on time up to that instant', () => {
    expect(categoryAt({ state: 'open', dueAt: due, completedAt: null }, at(due) - 1)).toBe('open_on_time');
    expect(categoryAt({ state: 'open', dueAt: due, completedAt: null }, at(due))).toBe('open_overdue');
    expect(categoryAt({ state: 'completed', dueAt: due, completedAt: due }, at(due) + 1e9)).toBe('completed_on_time');
    expect(categoryAt({ state: 'completed', dueAt: due, completedAt: '2026-09-14T17:00:00.001Z' }, 0)).toBe('completed_late');
    expect(categoryAt({ state: 'open', dueAt: null, completedAt: null }, 0)).toBe('no_deadline');
    expect(categoryAt({ state: 'completed', dueAt: null, completedAt: due }, 0)).toBe('completed_on_time');
    expect(categoryAt({ state: 'cancelled', dueAt: due, completedAt: null }, at(due) + 1)).toBe('cancelled');
  });

  it('counts days late in whole calendar days, a part of a day as one', () => {
    expect(daysLate(due, at(due))).toBe(0);
    expect(daysLate(due, at(due) + 1)).toBe(1);
    expect(daysLate(due, at(due) + 35 * 86_400_000)).toBe(35);
  });
});

describe('versions replayed from events', () => {
  const e = (seq: number, type: FoldedEvent['type'], data: unknown, occurredAt = `2026-07-0${seq}T05:00:00.000Z`) => ({ seq, type, data, occurredAt }) as FoldedEvent;
  const issued = (seq: number) => e(seq, 'issued', { leadAgencyId: 'A', coordinatingAgencyIds: ['B', 'B'], dueAt: '2026-08-01T00:00:00.000Z' });

  it('begins a version at each change a statistic reads and at nothing else', () => {
    const versions = foldFacts([
      issued(1),
      e(2, 'acknowledged', { agencyId: 'A' }),
      e(3, 'replanned', { reason: 'extension', requestId: 'x1', dueAt: '2026-09-01T00:00:00.000Z', deadlines: [] }),
      e(4, 'replanned', { reason: 'next_year', deadlines: [] }),
      e(5, 'reassigned', { before: { leadAgencyId: 'A', coordinatingAgencyIds: ['B'] }, after: { leadAgencyId: 'C', coordinatingAgencyIds: [] }, reason: 'x' }),
      e(6, 'completion_submitted', { summary: 'x' }),
      e(7, 'completion_reviewed', { accepted: false, note: 'x' }),
      e(8, 'completion_submitted', { summary: 'y' }),
      e(9, 'completion_reviewed', { accepted: true, note: '' }),
    ]);
    expect(versions.map((v) => [v.seq, v.state, v.leadAgencyId, v.coordinatingAgencyIds, v.dueAt, v.completedAt])).toEqual([
      [1, 'open', 'A', ['B'], '2026-08-01T00:00:00.000Z', null],
      [3, 'open', 'A', ['B'], '2026-09-01T00:00:00.000Z', null],
      [5, 'open', 'C', [], '2026-09-01T00:00:00.000Z', null],
      [9, 'completed', 'C', [], '2026-09-01T00:00:00.000Z', '2026-07-08T05:00:00.000Z'],
    ]);
  });

  it('folds events taken while the workflow was still planning into the version its issued event begins', () => {
    const versions = foldFacts([e(1, 'cancelled', { reason: 'x' }, '2026-07-01T05:00:00.000Z'), issued(2)]);
    expect(versions).toEqual([expect.objectContaining({ seq: 2, state: 'cancelled', validFrom: '2026-07-02T05:00:00.000Z' })]);
  });
});

describe('scores, bands and ranks', () => {
  const c = (o: Partial<ReturnType<typeof emptyCounts>>) => ({ ...emptyCounts(), ...o });

  it('weights each role and leaves uncounted categories out', () => {
    // Lead: 100 + 50 of 200 (the standing directive does not count); coordinating: 0.3 × 0 of 0.3 × 100.
    expect(scoreOf({ lead: c({ completed_on_time: 1, completed_late: 1, no_deadline: 4 }), coordinating: c({ open_overdue: 1 }) }, DEFAULT_SCORING_RULE)).toBe(65.22);
    expect(scoreOf({ lead: c({ no_deadline: 2, cancelled: 3 }), coordinating: c({}) }, DEFAULT_SCORING_RULE)).toBeNull();
  });

  it('bands at the thresholds, and refuses a rule that cannot score', () => {
    expect([90, 89.99, 70, 69.99, null].map((s) => bandOf(s, DEFAULT_SCORING_RULE))).toEqual(['green', 'yellow', 'yellow', 'red', null]);
    expect(ruleProblems(DEFAULT_SCORING_RULE)).toEqual([]);
    expect(ruleProblems({ ...DEFAULT_SCORING_RULE, bands: { green: 50, yellow: 60 } })).toHaveLength(1);
    expect(ruleProblems({ ...DEFAULT_SCORING_RULE, points: { completed_on_time: 0, completed_late: 0, open_on_time: null, open_overdue: 0, no_deadline: null } })).toHaveLength(1);
    expect(ruleProblems({ ...DEFAULT_SCORING_RULE, weights: { lead: 0, coordinating: 0.3 } })).toHaveLength(1);
  });

  it('shares a rank between equal scores and skips the next, and ranks no score last', () => {
    const ranked = rank([
      { name: 'B', score: 80 },
      { name: 'A', score: 80 },
      { name: 'C', score: null },
      { name: 'D', score: 95 },
      { name: 'E', score: 60 },
    ]);
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([
      ['D', 1],
      ['A', 2],
      ['B', 2],
      ['E', 4],
      ['C', null],
    ]);
  });
});

describe('the words of an official report', () => {
  it('writes dates as Decree 30 asks: a leading zero for days below 10 and for January and February', () => {
    expect(vietnameseDate('2026-12-02')).toBe('ngày 02 tháng 12 năm 2026');
    expect(vietnameseDate('2026-02-15')).toBe('ngày 15 tháng 02 năm 2026');
    expect(vietnameseDate('2026-03-05')).toBe('ngày 05 tháng 3 năm 2026');
  });

  it('says "as of 24:00" of the day a midnight ends, and the time of day otherwise', () => {
    expect(asOfPhrase('2026-09-14T17:00:00.000Z')).toBe('số liệu tính đến 24:00 ngày 14/09/2026');
    expect(asOfPhrase('2026-09-14T03:30:00.000Z')).toBe('số liệu tính đến 10:30 ngày 14/09/2026');
  });
});

describe('folding merged agencies into their successors', () => {
  const counts = (open_on_time: number) => ({ ...emptyCounts(), open_on_time, total: open_on_time });
  it('adds a merged agency’s line to its last successor’s, through a chain, and keeps the others', () => {
    const rows = [
      { key: { id: 'a', name: 'A' }, counts: counts(2), lead: counts(2), coordinating: counts(0) },
      { key: { id: 'b', name: 'B' }, counts: counts(3), lead: counts(1), coordinating: counts(2) },
      { key: { id: 'c', name: 'C' }, counts: counts(5), lead: counts(5), coordinating: counts(0) },
      { key: { id: 'x', name: 'X' }, counts: counts(7), lead: counts(7), coordinating: counts(0) },
    ];
    // a merged into b, b into c.
    const successors = new Map([
      ['a', { id: 'b', name: 'B' }],
      ['b', { id: 'c', name: 'C' }],
    ]);
    const folded = foldIntoSuccessors(rows, successors);
    expect(folded.map((r) => [r.key?.id, r.key?.name, r.counts.total, r.lead?.total, r.coordinating?.total])).toEqual([
      ['c', 'C', 10, 8, 2],
      ['x', 'X', 7, 7, 0],
    ]);
    // The rows given are not changed.
    expect(rows[0]!.counts.total).toBe(2);
  });
});
