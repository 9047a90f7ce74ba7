import { stringify } from 'csv-stringify/sync';
import { ratesOf, type Counts, type PublishedReport, type StatRow, type Statistics } from '../../domain/statistics.js';
import { BAND_LABELS, CATEGORY_LABELS, COUNT_COLUMNS, GROUPING_LABELS, RATE_LABELS, ROLE_LABELS } from './labels.js';

/**
 * Every CSV the product writes: a byte-order mark, so that Excel opens the Vietnamese text as UTF-8, and no cell a
 * spreadsheet would run as a formula (a title or a name starting with = + - @, a tab or a carriage return gets a
 * leading ' as OWASP's CSV injection guidance says; negative numbers stay numbers).
 */
export const csvOf = (rows: unknown[][]): string => `\uFEFF${stringify(rows, { escape_formulas: true })}`;

const rate = (v: number | null) => (v === null ? '' : v.toFixed(4));
const countCells = (c: Counts) => [c.total, ...COUNT_COLUMNS.map((k) => c[k]), c.cancelled, rate(ratesOf(c).completion), rate(ratesOf(c).onTimeCompletion), rate(ratesOf(c).overdue)];
const countHeaders = ['Tổng số', ...COUNT_COLUMNS.map((k) => CATEGORY_LABELS[k]), CATEGORY_LABELS.cancelled, RATE_LABELS.completion, RATE_LABELS.onTimeCompletion, RATE_LABELS.overdue];

/** One grouping of a statistic as a table: a line per agency (per role when grouped by assigned agency) or conference. */
export function statisticsCsv(s: Statistics): string {
  const assigned = s.grouping === 'assigned';
  const header = ['Mã', GROUPING_LABELS[s.grouping as keyof typeof GROUPING_LABELS]?.key ?? 'Nhóm', ...(assigned ? ['Vai trò'] : []), ...countHeaders];
  const lines = s.rows.flatMap((r: StatRow) =>
    assigned
      ? (['lead', 'coordinating'] as const).map((role) => [r.key?.id ?? '', r.key?.name ?? '', ROLE_LABELS[role], ...countCells(r[role]!)])
      : [[r.key?.id ?? '', r.key?.name ?? 'Toàn tỉnh', ...countCells(r.counts)]],
  );
  return csvOf([header, ...lines]);
}

/** The period's scorecard: a line per agency with its rank, score, band and counts as lead and as coordinator. */
export function scorecardCsv(r: PublishedReport): string {
  const header = [
    'Hạng',
    'Mã',
    'Cơ quan',
    'Điểm',
    'Xếp loại',
    ...countHeaders.slice(0, 6).map((h) => `${ROLE_LABELS.lead}: ${h}`),
    ...countHeaders.slice(0, 6).map((h) => `${ROLE_LABELS.coordinating}: ${h}`),
  ];
  const lines = r.scorecard.map((s) => [
    s.rank ?? '',
    s.agency.id,
    s.agency.name,
    s.score ?? '',
    s.band ? BAND_LABELS[s.band] : '',
    s.lead.total,
    ...COUNT_COLUMNS.map((k) => s.lead[k]),
    s.coordinating.total,
    ...COUNT_COLUMNS.map((k) => s.coordinating[k]),
  ]);
  return csvOf([header, ...lines]);
}
