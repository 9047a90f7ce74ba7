/**
 * The rules of the province's statistics: which period a report covers, what a directive counts as at a
 * moment, how a scoring rule turns counts into a score, a colour band and a ranking. Pure: the services
 * compute the counts in SQL from directive_facts and apply these rules to them.
 */
import type { DirectiveEvent } from './events.js';
import { COUNTED_CATEGORIES, type Band, type CountedCategory, type FactState, type StatCategory } from './lists.js';
import { DAY_MS, formatDay, vnEndOfDay, vnStartOfDay, type IsoDate } from './vn-time.js';

// ---------------------------------------------------------------------------------------------------------------
// Periods

export type PeriodKind = 'quarter' | 'six_months' | 'nine_months' | 'year' | 'custom';

export type Period = {
  /** `2026-Q3`, `2026-6M`, `2026-9M`, `2026`, or `2026-01-01..2026-03-31`. */
  label: string;
  kind: PeriodKind;
  /** First and last calendar day the period covers (Vietnam time). */
  from: IsoDate;
  to: IsoDate;
  /** How a report titles it: "quý III năm 2026". */
  title: { vi: string; en: string };
};

const ROMAN = ['I', 'II', 'III', 'IV'];
const PERIOD_LABEL = /^(\d{4})(?:-(Q[1-4]|6M|9M))?$/;
const RANGE_LABEL = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

const isRealDate = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

/**
 * A period as Decree 09/2019/NĐ-CP cuts its data off (Art. 12): a quarter runs from the 15th of the month before
 * it to the 14th of its last month; 6 months, 9 months and the year start on 15 December of the year before and
 * end on 14 June, 14 September and 14 December. Any other span is written `from..to` (calendar days).
 * Returns null for a label that is none of these.
 */
export function parsePeriod(label: string): Period | null {
  const range = RANGE_LABEL.exec(label);
  if (range) {
    const [, from, to] = range as unknown as [string, IsoDate, IsoDate];
    if (!isRealDate(from) || !isRealDate(to) || from > to) return null;
    return {
      label,
      kind: 'custom',
      from,
      to,
      title: { vi: `từ ngày ${formatDay(from)} đến ngày ${formatDay(to)}`, en: `from ${formatDay(from)} to ${formatDay(to)}` },
    };
  }
  const m = PERIOD_LABEL.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null;
  const yearStart: IsoDate = `${year - 1}-12-15`;
  const cut = (month: number): IsoDate => `${year}-${String(month).padStart(2, '0')}-14`;
  const part = m[2];
  if (part === undefined) return { label, kind: 'year', from: yearStart, to: cut(12), title: { vi: `năm ${year}`, en: `year ${year}` } };
  if (part === '6M') return { label, kind: 'six_months', from: yearStart, to: cut(6), title: { vi: `6 tháng đầu năm ${year}`, en: `first 6 months of ${year}` } };
  if (part === '9M') return { label, kind: 'nine_months', from: yearStart, to: cut(9), title: { vi: `9 tháng năm ${year}`, en: `first 9 months of ${year}` } };
  const q = Number(part.slice(1));
  const from: IsoDate = q === 1 ? yearStart : `${year}-${String(3 * (q - 1)).padStart(2, '0')}-15`;
  return { label, kind: 'quarter', from, to: cut(3 * q), title: { vi: `quý ${ROMAN[q - 1]} năm ${year}`, en: `Q${q} ${year}` } };
}

/** The quarters of a year, for a chart of how the categories moved through it. */
export const quartersOf = (year: number): Period[] => [1, 2, 3, 4].map((q) => parsePeriod(`${year}-Q${q}`)!);

/** The period a day falls in, as Decree 09 cuts quarters off (15 December already belongs to next year's Q1). */
export function quarterOf(day: IsoDate): Period {
  const year = Number(day.slice(0, 4));
  if (day > `${year}-12-14`) return parsePeriod(`${year + 1}-Q1`)!;
  return quartersOf(year).find((p) => day <= p.to)!;
}

/**
 * The instants a period's statistic is computed over: from the start of its first day, as of the end of its
 * last (24:00, Civil Code Art. 148), or now for a period still running. Null `asOf`: the period has not begun.
 */
export function periodWindow(p: Period, nowMs: number): { start: Date; end: Date; asOf: Date } | null {
  const start = vnStartOfDay(p.from);
  const end = vnEndOfDay(p.to);
  if (start.getTime() > nowMs) return null;
  return { start, end, asOf: new Date(Math.min(end.getTime(), nowMs)) };
}

// ---------------------------------------------------------------------------------------------------------------
// What a directive counts as at a moment

/** One version of a directive's history: what held from one event to the next. */
export type DirectiveFact = {
  state: FactState;
  leadAgencyId: string;
  coordinatingAgencyIds: string[];
  /** The final deadline in force (after any extension approved by then). */
  dueAt: string | null;
  /** The accepted completion's submission, for a completed directive. */
  completedAt: string | null;
};

/**
 * The category of the version in force at `asOfMs`: completed on time or late against the deadline in force
 * when it was accepted; open on time until the deadline passes (a deadline at 24:00 has passed at 24:00).
 * services/statistics.ts says the same in SQL; a test holds the two together.
 */
export function categoryAt(f: Pick<DirectiveFact, 'state' | 'dueAt' | 'completedAt'>, asOfMs: number): StatCategory {
  if (f.state === 'cancelled') return 'cancelled';
  const due = f.dueAt === null ? null : Date.parse(f.dueAt);
  if (f.state === 'completed') return due === null || f.completedAt === null || Date.parse(f.completedAt) <= due ? 'completed_on_time' : 'completed_late';
  if (due === null) return 'no_deadline';
  return asOfMs < due ? 'open_on_time' : 'open_overdue';
}

/** Whole calendar days past the deadline: 1 for anything up to a day late. */
export const daysLate = (dueAt: string, atMs: number): number => Math.max(0, Math.ceil((atMs - Date.parse(dueAt)) / DAY_MS));

/** A recorded event with when it occurred and its place in the directive's history. */
export type FoldedEvent = DirectiveEvent & { occurredAt: string; seq: number };

/**
 * Replays a directive's recorded events into the versions a statistic reads, for directives recorded before
 * directive_facts existed. Live directives write their versions from the workflow's snapshot instead; a
 * test replays real histories through this and compares. The first version begins with the issued event:
 * an Update can be taken while the workflow is still planning, so a few events may precede it in sequence;
 * their effects are already in the state the issued event describes.
 */
export function foldFacts(events: FoldedEvent[]): Array<DirectiveFact & { validFrom: string; seq: number }> {
  const versions: Array<DirectiveFact & { validFrom: string; seq: number }> = [];
  let current = null as DirectiveFact | null;
  let submittedAt: string | null = null;
  const early: FoldedEvent[] = [];
  const step = (from: DirectiveFact, e: FoldedEvent): DirectiveFact => {
    switch (e.type) {
      case 'replanned':
        return e.data.reason === 'next_year' ? from : { ...from, dueAt: e.data.dueAt };
      case 'reassigned':
        return { ...from, leadAgencyId: e.data.after.leadAgencyId, coordinatingAgencyIds: [...new Set(e.data.after.coordinatingAgencyIds)] };
      case 'completion_submitted':
        submittedAt = e.occurredAt;
        return from;
      case 'completion_reviewed':
        if (!e.data.accepted) {
          submittedAt = null;
          return from;
        }
        return { ...from, state: 'completed', completedAt: submittedAt ?? e.occurredAt };
      case 'cancelled':
        return { ...from, state: 'cancelled' };
      default:
        return from;
    }
  };
  for (const e of events) {
    if (current === null) {
      if (e.type !== 'issued') {
        early.push(e);
        continue;
      }
      current = early.reduce(step, { state: 'open', leadAgencyId: e.data.leadAgencyId, coordinatingAgencyIds: [...new Set(e.data.coordinatingAgencyIds)], dueAt: e.data.dueAt, completedAt: null });
      versions.push({ ...current, validFrom: e.occurredAt, seq: e.seq });
      continue;
    }
    const next = step(current, e);
    if (!sameFact(current, next)) {
      versions.push({ ...next, validFrom: e.occurredAt, seq: e.seq });
      current = next;
    }
  }
  return versions;
}

export const sameFact = (a: DirectiveFact, b: DirectiveFact): boolean =>
  a.state === b.state &&
  a.leadAgencyId === b.leadAgencyId &&
  a.dueAt === b.dueAt &&
  a.completedAt === b.completedAt &&
  a.coordinatingAgencyIds.length === b.coordinatingAgencyIds.length &&
  a.coordinatingAgencyIds.every((id, i) => b.coordinatingAgencyIds[i] === id);

// ---------------------------------------------------------------------------------------------------------------
// Counts, scores, bands, ranking

export type Counts = Record<StatCategory, number> & { total: number };

export const emptyCounts = (): Counts => ({ completed_on_time: 0, completed_late: 0, open_on_time: 0, open_overdue: 0, no_deadline: 0, cancelled: 0, total: 0 });

export function addCounts(into: Counts, more: Counts): Counts {
  for (const k of Object.keys(into) as Array<keyof Counts>) into[k] += more[k];
  return into;
}

/** Completed of all counted; completed on time of all completed; overdue (late or open overdue) of all counted. */
export function ratesOf(c: Counts): { completion: number | null; onTimeCompletion: number | null; overdue: number | null } {
  const completed = c.completed_on_time + c.completed_late;
  const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
  return { completion: ratio(completed, c.total), onTimeCompletion: ratio(c.completed_on_time, completed), overdue: ratio(c.completed_late + c.open_overdue, c.total) };
}

/**
 * How a period's counts become an agency's score (thi đua): points per category (null: the category does not
 * count towards the score), a weight for each role the agency held, and the lowest scores of the green and
 * yellow bands. An admin edits it; a published result keeps the one it used.
 */
export type ScoringRule = {
  points: Record<CountedCategory, number | null>;
  weights: { lead: number; coordinating: number };
  bands: { green: number; yellow: number };
};

export const DEFAULT_SCORING_RULE: ScoringRule = {
  points: { completed_on_time: 100, completed_late: 50, open_on_time: 100, open_overdue: 0, no_deadline: null },
  weights: { lead: 1, coordinating: 0.3 },
  bands: { green: 90, yellow: 70 },
};

/** What is wrong with a rule, one sentence per problem; empty when it can be used. */
export function ruleProblems(r: ScoringRule): string[] {
  const problems: string[] = [];
  const counted = COUNTED_CATEGORIES.map((c) => r.points[c]).filter((p): p is number => p !== null);
  if (counted.some((p) => !Number.isFinite(p) || p < 0 || p > 1000)) problems.push('Points are numbers from 0 to 1000.');
  if (counted.length === 0 || Math.max(...counted) <= 0) problems.push('At least one category must earn points.');
  if (!(r.weights.lead > 0) || !(r.weights.coordinating >= 0) || r.weights.lead > 10 || r.weights.coordinating > 10) problems.push('The lead weight is above 0, the coordinating weight at least 0, both at most 10.');
  if (!(r.bands.yellow >= 0 && r.bands.yellow <= r.bands.green && r.bands.green <= 100)) problems.push('Band thresholds satisfy 0 ≤ yellow ≤ green ≤ 100.');
  return problems;
}

/**
 * An agency's score from 0 to 100: the points its directives earned, each weighted by the role it held, over
 * the most they could have earned. Null when nothing it held counts towards a score.
 */
export function scoreOf(byRole: { lead: Counts; coordinating: Counts }, rule: ScoringRule): number | null {
  const max = Math.max(...COUNTED_CATEGORIES.map((c) => rule.points[c] ?? 0));
  let earned = 0;
  let possible = 0;
  for (const role of ['lead', 'coordinating'] as const) {
    const w = rule.weights[role];
    for (const c of COUNTED_CATEGORIES) {
      const p = rule.points[c];
      if (p === null) continue;
      earned += w * byRole[role][c] * p;
      possible += w * byRole[role][c] * max;
    }
  }
  return possible === 0 ? null : Math.round((10_000 * earned) / possible) / 100;
}

export const bandOf = (score: number | null, rule: ScoringRule): Band | null =>
  score === null ? null : score >= rule.bands.green ? 'green' : score >= rule.bands.yellow ? 'yellow' : 'red';

/** Ranks by score, highest first; equal scores share a rank and the next rank skips (1, 2, 2, 4); no score, no rank. */
export function rank<T extends { score: number | null; name: string }>(rows: T[]): Array<T & { rank: number | null }> {
  const sorted = [...rows].sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.name.localeCompare(b.name, 'vi'));
  let previous: number | null = null;
  let previousRank = 0;
  return sorted.map((row, i) => {
    if (row.score === null) return { ...row, rank: null };
    const r = row.score === previous ? previousRank : i + 1;
    previous = row.score;
    previousRank = r;
    return { ...row, rank: r };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What a statistic returns, and what a published result keeps

export type Named = { id: string; name: string };

/** One line of a statistic: a province, an agency (with its lead and coordinating roles apart) or a conference. */
export type StatRow = {
  key: Named | null;
  counts: Counts;
  /** Grouped by assigned agency: the directives it led, and those it coordinated. */
  lead?: Counts;
  coordinating?: Counts;
};

/**
 * Agency lines folded into the agencies that succeeded them (merges, possibly in a chain): a merged agency's
 * line is added to its last successor's, named by it. `successorOf` gives an agency's direct successor and its
 * name. Lines of agencies never merged are kept as they are.
 */
export function foldIntoSuccessors(rows: StatRow[], successorOf: Map<string, Named>): StatRow[] {
  const last = (id: string): Named | null => {
    let at: Named | null = null;
    let current = id;
    for (let hops = 0; hops < 32; hops++) {
      const next = successorOf.get(current);
      if (!next) break;
      at = next;
      current = next.id;
    }
    return at;
  };
  const by = new Map<string, StatRow>();
  const copy = (r: StatRow, key: Named | null): StatRow => ({
    key,
    counts: addCounts(emptyCounts(), r.counts),
    ...(r.lead ? { lead: addCounts(emptyCounts(), r.lead) } : {}),
    ...(r.coordinating ? { coordinating: addCounts(emptyCounts(), r.coordinating) } : {}),
  });
  for (const r of rows) {
    const key = r.key ? (last(r.key.id) ?? r.key) : null;
    const id = key?.id ?? '';
    const into = by.get(id);
    if (!into) {
      by.set(id, copy(r, key));
      continue;
    }
    addCounts(into.counts, r.counts);
    if (r.lead) into.lead = addCounts(into.lead ?? emptyCounts(), r.lead);
    if (r.coordinating) into.coordinating = addCounts(into.coordinating ?? emptyCounts(), r.coordinating);
    if (r.key && into.key && r.key.id === id) into.key = r.key;
  }
  return [...by.values()];
}

export type StatFilters = { conferenceKind?: string | undefined; conferenceId?: string | undefined; issuedBy?: string | undefined };

/** Explanation requests made in a period: how many, answered on time or late by the moment counted, or not yet. */
export type ExplanationCounts = { requested: number; answeredOnTime: number; answeredLate: number; unanswered: number };
export type ExplanationStats = { totals: ExplanationCounts; rows: Array<{ key: Named; counts: ExplanationCounts }> };

export type Statistics = {
  period: Period;
  /** The moment the counts describe: the period's end, or now while it runs. */
  asOf: string;
  start: string;
  grouping: string;
  filters: StatFilters;
  rows: StatRow[];
  totals: Counts;
  /** Explanation requests asked in the period, by the agency asked. */
  explanations: ExplanationStats;
};

export type ScorecardRow = { agency: Named; lead: Counts; coordinating: Counts; score: number | null; band: Band | null; rank: number | null };

/** An open overdue directive as of the period's end. */
export type OverdueItem = { directiveId: string; title: string; leadAgency: Named; dueAt: string; daysOverdue: number };

/** Everything a period's reports show: what exports render and what a published result freezes. */
export type PublishedReport = {
  period: Period;
  asOf: string;
  start: string;
  filters: StatFilters;
  totals: Counts;
  byLead: StatRow[];
  byAssigned: StatRow[];
  bySupervisor: StatRow[];
  byConference: StatRow[];
  rule: ScoringRule;
  scorecard: ScorecardRow[];
  overdue: OverdueItem[];
  /** Explanation requests of the period; absent in results published before they were counted. */
  explanations?: ExplanationStats;
};
