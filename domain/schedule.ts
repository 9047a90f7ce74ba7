import { parse as parseDuration, toSeconds } from 'iso8601-duration';
import type { WorkingCalendar } from './calendar.js';
import type { Offset, Plan, PlanInput, PlannedDeadline, ReportingRegime } from './deadlines.js';
import { vnAt, vnDateOf, type IsoDate } from './vn-time.js';

const REMINDER_HOUR = 8;
/** Standing directives are planned a year ahead; the workflow re-plans when the horizon nears. */
const STANDING_HORIZON_DAYS = 366;

const durationMs = (iso: string): number => toSeconds(parseDuration(iso)) * 1000;

/** The calendar day a deadline instant belongs to: the day whose 24:00 it is. */
const dueDayOf = (dueAt: Date): IsoDate => vnDateOf(new Date(dueAt.getTime() - 1));

function before(cal: WorkingCalendar, dueAt: Date, offset: Offset): Date {
  if ('duration' in offset) return new Date(dueAt.getTime() - durationMs(offset.duration));
  return vnAt(cal.addWorkingDays(dueDayOf(dueAt), -offset.workingDays), REMINDER_HOUR);
}

function after(cal: WorkingCalendar, dueAt: Date, offset: Offset): Date {
  if ('duration' in offset) return new Date(dueAt.getTime() + durationMs(offset.duration));
  return vnAt(cal.addWorkingDays(dueDayOf(dueAt), offset.workingDays), REMINDER_HOUR);
}

/** Decree 09/2019/NĐ-CP: every period's data cut-off is the 14th of its last month. */
function cutoffMonths(kind: Exclude<ReportingRegime['kind'], 'none' | 'explicit'>): number[] {
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

/**
 * Turns a directive's regime and policy into absolute instants: every report due instant from `from` on,
 * the final deadline, and the reminders and escalation ladder of each. Pure apart from the calendar.
 */
export function planSchedule(cal: WorkingCalendar, input: PlanInput): Plan {
  const from = new Date(input.from);
  const finalDue = input.dueDate ? cal.deadline(input.dueDate) : input.dueAt ? new Date(input.dueAt) : null;
  const horizonEnd = finalDue ?? new Date(Date.parse(input.issuedAt) + STANDING_HORIZON_DAYS * 86_400_000);

  const deadlines: PlannedDeadline[] = [];
  const push = (key: string, kind: PlannedDeadline['kind'], label: string, dueAt: Date) => {
    deadlines.push({
      key,
      kind,
      label,
      dueAt: dueAt.toISOString(),
      reminders: input.policy.reminders.map((o) => before(cal, dueAt, o).toISOString()),
      escalations: input.policy.escalations.map((o) => after(cal, dueAt, o).toISOString()),
    });
  };

  const regime = input.regime;
  if (regime.kind === 'explicit') {
    regime.dueDates.forEach((d, i) => {
      const due = d.includes('T') ? new Date(d) : cal.deadline(d);
      if (due > from && due <= horizonEnd) push(`R${i + 1}`, 'report', `Báo cáo lần ${i + 1}`, due);
    });
  } else if (regime.kind !== 'none') {
    const submit = regime.submitAfterCutoff ?? { workingDays: 3 };
    const months = cutoffMonths(regime.kind);
    const firstYear = Number(vnDateOf(from).slice(0, 4));
    const lastYear = Number(vnDateOf(horizonEnd).slice(0, 4));
    for (let year = firstYear; year <= lastYear; year++) {
      for (const month of months) {
        const cutoff: IsoDate = `${year}-${String(month).padStart(2, '0')}-14`;
        const cutoffEnd = cal.deadline(cutoff);
        // A period that ends after the final deadline is covered by the completion itself.
        if (cutoffEnd > horizonEnd) continue;
        const due =
          'duration' in submit
            ? new Date(cutoffEnd.getTime() + durationMs(submit.duration))
            : cal.deadline(cal.addWorkingDays(cal.onOrAfter(cutoff), submit.workingDays));
        if (due <= from) continue;
        const { key, label } = periodLabel(regime.kind, year, month);
        push(key, 'report', label, due);
      }
    }
  }
  if (finalDue) push('final', 'final', 'Hoàn thành nhiệm vụ', finalDue);
  deadlines.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return {
    finalDueAt: finalDue ? finalDue.toISOString() : null,
    deadlines,
    horizonEnd: finalDue ? null : horizonEnd.toISOString(),
  };
}

