import { durationMs, placeDeadline } from '../engine/place.js';
import { ladderOf } from '../engine/ladder.js';
import type { WorkingCalendar } from './calendar.js';
import { DIRECTIVE_RUNG_TARGETS, type DeadlinePolicy, type Offset, type Plan, type PlanInput, type PlannedDeadline, type ReplanInput, type ReportingRegime } from './deadlines.js';
import { horizonEndMs, MAX_DEADLINES_PER_PLAN, MAX_OFFSET_MS, MAX_OFFSET_WORKING_DAYS, PLAN_AHEAD_DAYS, PlanRefused } from './horizon.js';
import { givenInstant, vnDateOf, type IsoDate } from './vn-time.js';

const offsetsOf = (input: Pick<PlanInput, 'regime' | 'policy'>): Offset[] => [
  ...input.policy.reminders,
  ...input.policy.escalations,
  ...(input.regime.kind !== 'none' && input.regime.kind !== 'explicit' && input.regime.submitAfterCutoff ? [input.regime.submitAfterCutoff] : []),
];

/** Refuses what no door accepts (domain/horizon.ts): an offset past the horizon, an instant beyond it. */
function refuseUnbounded(input: PlanInput, finalDue: Date | null): void {
  for (const o of offsetsOf(input)) {
    const within = 'duration' in o ? durationMs(o.duration) <= MAX_OFFSET_MS : Number.isInteger(o.workingDays) && o.workingDays <= MAX_OFFSET_WORKING_DAYS;
    if (!within) throw new PlanRefused(`An offset of the plan lies beyond the horizon: ${JSON.stringify(o)}`);
  }
  const limit = horizonEndMs(Math.max(Date.parse(input.issuedAt), Date.parse(input.from)));
  const instants = [finalDue, input.reportsUntil ? new Date(input.reportsUntil) : null];
  if (input.regime.kind === 'explicit') instants.push(...input.regime.dueDates.map(givenInstant));
  for (const at of instants) {
    if (at && !(at.getTime() <= limit)) throw new PlanRefused(`An instant of the plan lies beyond the horizon: ${at.toISOString()}`);
  }
}

type PeriodicKind = Exclude<ReportingRegime['kind'], 'none' | 'explicit'>;

/** Decree 09/2019/NĐ-CP: every period's data cut-off is the 14th of its last month. */
function cutoffMonths(kind: PeriodicKind): number[] {
  switch (kind) {
    case 'monthly':
      return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    case 'quarterly':
      return [3, 6, 9, 12];
    case 'half_year':
      return [6, 12];
    case 'nine_month':
      return [9];
    case 'annual':
      return [12];
  }
}

function periodLabel(kind: string, year: number, month: number): { key: string; label: string } {
  const mm = String(month).padStart(2, '0');
  switch (kind) {
    case 'monthly':
      return { key: `M${year}-${mm}`, label: `Báo cáo tháng ${month}/${year}` };
    case 'quarterly':
      return { key: `Q${year}-${month / 3}`, label: `Báo cáo quý ${['I', 'II', 'III', 'IV'][month / 3 - 1]}/${year}` };
    case 'half_year':
      return month === 6
        ? { key: `H${year}-1`, label: `Báo cáo 6 tháng đầu năm ${year}` }
        : { key: `H${year}-2`, label: `Báo cáo năm ${year}` };
    case 'nine_month':
      return { key: `N${year}`, label: `Báo cáo 9 tháng năm ${year}` };
    default:
      return { key: `Y${year}`, label: `Báo cáo năm ${year}` };
  }
}

/** One deadline with its reminders and escalation ladder, all placed by the calendar and the policy. */
function placed(cal: WorkingCalendar, policy: DeadlinePolicy, key: string, kind: PlannedDeadline['kind'], label: string, dueAt: Date): PlannedDeadline {
  return { key, kind, label, ...placeDeadline(cal, { reminders: policy.reminders, ladder: ladderOf(policy.escalations, DIRECTIVE_RUNG_TARGETS) }, dueAt) };
}

/** The report of the period whose data cut-off is the 14th of `month`: due `submitAfterCutoff` after it. */
function periodDue(cal: WorkingCalendar, regime: { submitAfterCutoff?: Offset | undefined }, year: number, month: number): { cutoffEnd: Date; due: Date } {
  const submit = regime.submitAfterCutoff ?? { workingDays: 3 };
  const cutoff: IsoDate = `${year}-${String(month).padStart(2, '0')}-14`;
  const cutoffEnd = cal.deadline(cutoff);
  const due =
    'duration' in submit ? new Date(cutoffEnd.getTime() + durationMs(submit.duration)) : cal.deadline(cal.addWorkingDays(cal.onOrAfter(cutoff), submit.workingDays));
  return { cutoffEnd, due };
}

/** The period a report key of periodLabel names: its year and the month of its cut-off. */
function periodOfKey(kind: PeriodicKind, key: string): { year: number; month: number } | null {
  const m = /^([MQHNY])(\d{4})(?:-(\d{1,2}))?$/.exec(key);
  if (!m) return null;
  const year = Number(m[2]);
  const n = m[3] === undefined ? null : Number(m[3]);
  const month = m[1] === 'M' ? n : m[1] === 'Q' ? (n ?? 0) * 3 : m[1] === 'H' ? (n ?? 0) * 6 : m[1] === 'N' ? 9 : 12;
  if (month === null || month < 1 || month > 12 || !cutoffMonths(kind).includes(month)) return null;
  return { year, month };
}

/**
 * Turns a directive's regime and policy into absolute instants: every report due instant from `from` on,
 * the final deadline, and the reminders and escalation ladder of each. Pure apart from the calendar.
 */
export function planSchedule(cal: WorkingCalendar, input: PlanInput): Plan {
  const from = new Date(input.from);
  const finalDue = input.dueDate ? cal.deadline(input.dueDate) : input.dueAt ? new Date(input.dueAt) : null;
  // The horizon holds the day as given, as every door reads it (givenInstant): a due day ten years ahead that falls
  // on a rest day moves past the horizon by the rest-day rule, and is still the day the doors accepted.
  refuseUnbounded(input, input.dueDate ? givenInstant(input.dueDate) : finalDue);
  // Periodic reports are planned a year ahead of the later of the issue and `from`, never past the final deadline
  // (or `reportsUntil`: the final deadline of a directive whose next year of reports this plans); the workflow
  // plans the next year when this one's reports are due. An explicit list is planned whole.
  const end = finalDue ?? (input.reportsUntil ? new Date(input.reportsUntil) : null);
  const windowEnd = new Date(Math.max(Date.parse(input.issuedAt), from.getTime()) + PLAN_AHEAD_DAYS * 86_400_000);
  const periodic = input.regime.kind !== 'none' && input.regime.kind !== 'explicit';
  const cutShort = periodic && end !== null && windowEnd < end;
  const horizonEnd = end === null || cutShort ? windowEnd : end;

  const deadlines: PlannedDeadline[] = [];
  const push = (key: string, kind: PlannedDeadline['kind'], label: string, dueAt: Date) => deadlines.push(placed(cal, input.policy, key, kind, label, dueAt));

  const regime = input.regime;
  if (regime.kind === 'explicit') {
    regime.dueDates.forEach((d, i) => {
      const due = d.includes('T') ? new Date(d) : cal.deadline(d);
      if (due > from && due <= horizonEnd) push(`R${i + 1}`, 'report', `Báo cáo lần ${i + 1}`, due);
    });
  } else if (regime.kind !== 'none') {
    const months = cutoffMonths(regime.kind);
    const firstYear = Number(vnDateOf(from).slice(0, 4));
    const lastYear = Number(vnDateOf(horizonEnd).slice(0, 4));
    for (let year = firstYear; year <= lastYear; year++) {
      for (const month of months) {
        const { cutoffEnd, due } = periodDue(cal, regime, year, month);
        // A period that ends after the final deadline is covered by the completion itself.
        if (cutoffEnd > horizonEnd) continue;
        if (due <= from) continue;
        const { key, label } = periodLabel(regime.kind, year, month);
        push(key, 'report', label, due);
      }
    }
  }
  if (finalDue) push('final', 'final', 'Hoàn thành nhiệm vụ', finalDue);
  if (deadlines.length > MAX_DEADLINES_PER_PLAN) throw new PlanRefused(`A plan of ${deadlines.length} deadlines is more than ${MAX_DEADLINES_PER_PLAN}`);
  deadlines.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return {
    finalDueAt: finalDue ? finalDue.toISOString() : null,
    deadlines,
    horizonEnd: end === null || cutShort ? horizonEnd.toISOString() : null,
  };
}


/**
 * The same deadlines placed again on the calendar as it is now (a holiday added, a make-up day, a removed
 * override): each keeps its key and label; a due instant that came from a day (a report period's cut-off, an
 * explicit day, the final day) is placed again, one given as an instant stays; reminders and rungs follow.
 */
export function replanDeadlines(cal: WorkingCalendar, input: ReplanInput): PlannedDeadline[] {
  const fixed = new Set(input.fixed);
  const regime = input.regime;
  const nominalDue = (d: PlannedDeadline): Date | null => {
    if (d.kind === 'final') return input.dueDate ? cal.deadline(input.dueDate) : null;
    if (regime.kind === 'explicit') {
      const day = /^R(\d+)$/.exec(d.key) ? regime.dueDates[Number(d.key.slice(1)) - 1] : undefined;
      return day && !day.includes('T') ? cal.deadline(day) : null;
    }
    if (regime.kind === 'none') return null;
    const period = periodOfKey(regime.kind, d.key);
    return period ? periodDue(cal, regime, period.year, period.month).due : null;
  };
  return input.deadlines.map((d) => {
    const due = (fixed.has(d.key) ? null : nominalDue(d)) ?? new Date(d.dueAt);
    return placed(cal, input.policy, d.key, d.kind, d.label, due);
  });
}

/** The first and the last instant a plan holds (null, null when it has none): what a calendar change can reach. */
export function planSpanOf(deadlines: PlannedDeadline[]): { from: Date | null; until: Date | null } {
  const instants = deadlines.flatMap((d) => [d.dueAt, ...d.reminders, ...d.escalations]).sort();
  return { from: instants.length ? new Date(instants[0]!) : null, until: instants.length ? new Date(instants.at(-1)!) : null };
}
