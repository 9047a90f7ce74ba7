/** A statistics page's question, read from its query, and the links that ask another. */
import { type Context } from 'hono';
import { CONFERENCE_KINDS, STAT_GROUPINGS, includes, type StatGrouping } from '../../../domain/lists.js';
import { parsePeriod, quarterOf, type Period } from '../../../domain/statistics.js';
import { formatDay, formatDue, vnDateOf } from '../../../domain/vn-time.js';
import type { StatQuery } from '../../../services/statistics.js';
import type { WebEnv } from '../../context.js';
import type { Dictionary } from '../../i18n.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const today = () => vnDateOf(new Date());

/** What a dashboard address asks for; anything unreadable falls back to the default, except the period, which the service judges. */
export type Ask = Omit<StatQuery, 'foldMerged'> & { groupBy: StatGrouping };

export function askOf(c: Context<WebEnv>): Ask {
  const q = (k: string) => c.req.query(k)?.trim() || undefined;
  const from = q('from');
  const to = q('to');
  const period = from && to && DAY.test(from) && DAY.test(to) ? `${from}..${to}` : (q('period') ?? quarterOf(today()).label);
  const groupBy = q('groupBy');
  const kind = q('conferenceKind');
  const issuedBy = q('issuedBy');
  const conferenceId = q('conferenceId');
  const asOf = q('asOf');
  return {
    period: period.slice(0, 40),
    groupBy: includes(STAT_GROUPINGS, groupBy) ? groupBy : 'lead',
    conferenceKind: includes(CONFERENCE_KINDS, kind) ? kind : undefined,
    issuedBy: issuedBy && UUID.test(issuedBy) ? issuedBy : undefined,
    conferenceId: conferenceId && UUID.test(conferenceId) ? conferenceId : undefined,
    asOf: asOf && !Number.isNaN(Date.parse(asOf)) ? asOf : undefined,
  };
}

/** The same question as a query string, with some parts changed. */
export function href(path: string, ask: Partial<Ask> & Record<string, string | undefined>, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...ask, ...extra })) if (v !== undefined && v !== '') params.set(k, String(v));
  return `${path}?${params.toString()}`;
}

export const baseAsk = (a: Ask): Record<string, string | undefined> => ({ period: a.period, conferenceKind: a.conferenceKind, issuedBy: a.issuedBy, conferenceId: a.conferenceId, asOf: a.asOf });

/** The periods offered: every quarter, 6 and 9 months and year of this year and the last that has begun. */
export function periodChoices(current: string): Period[] {
  const year = Number(today().slice(0, 4));
  const now = today();
  const labels = [year, year - 1].flatMap((y) => [`${y}-Q4`, `${y}-9M`, `${y}-Q3`, `${y}-6M`, `${y}-Q2`, `${y}-Q1`, `${y}`]);
  const list = labels.map((l) => parsePeriod(l)!).filter((p) => p.from <= now);
  const chosen = parsePeriod(current);
  return chosen && !list.some((p) => p.label === chosen.label) ? [chosen, ...list] : list;
}

export const asOfLine = (t: Dictionary, period: Period, asOf: string) => {
  const ends = new Date(asOf).getTime() === new Date(`${period.to}T00:00:00+07:00`).getTime() + 86_400_000;
  return `${t.statistics.span(formatDay(period.from), formatDay(period.to))}; ${ends ? t.statistics.asOfEnd(formatDay(period.to)) : t.statistics.asOfNow(formatDue(asOf))}.`;
};
