import ExcelJS from 'exceljs';
import { ratesOf, type Counts, type PublishedReport, type StatRow } from '../../domain/statistics.js';
import { formatDue } from '../../domain/vn-time.js';
import { BAND_COLOURS, BAND_LABELS, CATEGORY_LABELS, COUNT_COLUMNS, GROUPING_LABELS, RATE_LABELS, ROLE_LABELS, TOTAL, asOfPhrase, periodPhrase } from './labels.js';

const HEADER_ROW = 4;
const FONT = 'Times New Roman';
const PERCENT = '0.0%';

/** Excel's name for the n-th column (1 → A, 27 → AA). */
const col = (n: number): string => (n <= 26 ? String.fromCharCode(64 + n) : col(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

/**
 * A sheet's first lines: the report's title with its period, the period's days and the moment the numbers
 * describe, then the header row, frozen so it stays in view.
 */
function begin(ws: ExcelJS.Worksheet, r: PublishedReport, subtitle: string, headers: string[], widths: number[]) {
  const last = col(headers.length);
  ws.mergeCells(`A1:${last}1`);
  ws.getCell('A1').value = `KẾT QUẢ THỰC HIỆN NHIỆM VỤ ${r.period.title.vi.toUpperCase()}`;
  ws.getCell('A1').font = { name: FONT, size: 14, bold: true };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.mergeCells(`A2:${last}2`);
  ws.getCell('A2').value = `Kỳ báo cáo ${periodPhrase(r.period)}; ${asOfPhrase(r.asOf)}.`;
  ws.getCell('A2').font = { name: FONT, size: 12, italic: true };
  ws.getCell('A2').alignment = { horizontal: 'center' };
  ws.mergeCells(`A3:${last}3`);
  ws.getCell('A3').value = subtitle;
  ws.getCell('A3').font = { name: FONT, size: 12, bold: true };
  const header = ws.getRow(HEADER_ROW);
  header.values = headers;
  header.font = { name: FONT, size: 12, bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  header.height = 48;
  headers.forEach((_, i) => {
    header.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    header.getCell(i + 1).border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  });
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.views = [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0 }];
}

const COUNT_HEADERS = ['Tổng số', ...COUNT_COLUMNS.map((k) => CATEGORY_LABELS[k]), RATE_LABELS.completion, RATE_LABELS.onTimeCompletion, RATE_LABELS.overdue, CATEGORY_LABELS.cancelled];
const COUNT_WIDTHS = [10, 13, 13, 13, 13, 15, 12, 14, 12, 14];

/**
 * Writes one line of counts from column `first`: the total as a formula over the five counted categories, the
 * three rates as formulas over the line's own cells, cancelled directives last.
 */
function countCells(row: ExcelJS.Row, first: number, c: Counts) {
  const n = row.number;
  const at = (i: number) => `${col(first + i)}${n}`;
  COUNT_COLUMNS.forEach((k, i) => (row.getCell(first + 1 + i).value = c[k]));
  row.getCell(first).value = { formula: `SUM(${at(1)}:${at(5)})`, result: c.total };
  const r = ratesOf(c);
  const rates: Array<[string, number | null]> = [
    [`IF(${at(0)}=0,"",(${at(1)}+${at(2)})/${at(0)})`, r.completion],
    [`IF((${at(1)}+${at(2)})=0,"",${at(1)}/(${at(1)}+${at(2)}))`, r.onTimeCompletion],
    [`IF(${at(0)}=0,"",(${at(2)}+${at(4)})/${at(0)})`, r.overdue],
  ];
  rates.forEach(([formula, result], i) => {
    const cell = row.getCell(first + 6 + i);
    cell.value = { formula, result: result ?? '' };
    cell.numFmt = PERCENT;
  });
  row.getCell(first + 9).value = c.cancelled;
}

/** The totals line: each count column summed over the lines above, the rates again as formulas. */
function totalsRow(ws: ExcelJS.Worksheet, label: string, labelCol: number, first: number, fromRow: number, toRow: number, totals: Counts, criteria?: { col: number; value: string }) {
  const row = ws.addRow([]);
  row.getCell(labelCol).value = label;
  const sum = (c: number) => {
    const range = `${col(c)}${fromRow}:${col(c)}${toRow}`;
    return criteria ? `SUMIF(${col(criteria.col)}${fromRow}:${col(criteria.col)}${toRow},"${criteria.value}",${range})` : `SUM(${range})`;
  };
  countCells(row, first, totals);
  for (let i = 1; i <= 5; i++) row.getCell(first + i).value = { formula: sum(first + i), result: totals[COUNT_COLUMNS[i - 1]!] };
  row.getCell(first + 9).value = { formula: sum(first + 9), result: totals.cancelled };
  row.font = { name: FONT, bold: true };
  return row;
}

function countsSheet(wb: ExcelJS.Workbook, r: PublishedReport, grouping: 'province' | 'lead' | 'supervisor' | 'conference', rows: StatRow[]) {
  const labels = GROUPING_LABELS[grouping];
  const ws = wb.addWorksheet(labels.sheet);
  const subtitle =
    grouping === 'supervisor'
      ? 'Mỗi cơ quan theo dõi, đôn đốc gồm các nhiệm vụ do chính cơ quan và các cơ quan thuộc phạm vi theo dõi chủ trì.'
      : grouping === 'province'
        ? 'Toàn tỉnh (trong phạm vi người xuất báo cáo được xem).'
        : `Theo ${labels.key.toLowerCase()}.`;
  begin(ws, r, subtitle, ['STT', labels.key, ...COUNT_HEADERS], [6, 45, ...COUNT_WIDTHS]);
  const first = HEADER_ROW + 1;
  rows.forEach((line, i) => {
    const row = ws.addRow([i + 1, line.key?.name ?? 'Toàn tỉnh']);
    countCells(row, 3, line.counts);
  });
  // Subtrees overlap (a supervisor's line includes the lines below it), so they have no sum.
  if (grouping !== 'supervisor' && grouping !== 'province' && rows.length > 0) totalsRow(ws, TOTAL, 2, 3, first, first + rows.length - 1, r.totals);
  ws.eachRow((row, n) => {
    if (n > HEADER_ROW) row.font = { name: FONT, size: 12, bold: row.font?.bold ?? false };
  });
}

function assignedSheet(wb: ExcelJS.Workbook, r: PublishedReport) {
  const ws = wb.addWorksheet(GROUPING_LABELS.assigned.sheet);
  begin(ws, r, 'Theo cơ quan được giao: nhiệm vụ chủ trì và nhiệm vụ phối hợp tính riêng.', ['STT', 'Cơ quan', 'Vai trò', ...COUNT_HEADERS], [6, 40, 11, ...COUNT_WIDTHS]);
  const first = HEADER_ROW + 1;
  let i = 0;
  for (const line of r.byAssigned) {
    i++;
    for (const role of ['lead', 'coordinating'] as const) {
      const row = ws.addRow([role === 'lead' ? i : '', line.key!.name, ROLE_LABELS[role]]);
      countCells(row, 4, line[role]!);
    }
  }
  const last = first + 2 * r.byAssigned.length - 1;
  if (r.byAssigned.length > 0) {
    const sumOf = (role: 'lead' | 'coordinating') => r.byAssigned.reduce((c, l) => {
      for (const k of [...COUNT_COLUMNS, 'cancelled', 'total'] as const) c[k] += l[role]![k];
      return c;
    }, { completed_on_time: 0, completed_late: 0, open_on_time: 0, open_overdue: 0, no_deadline: 0, cancelled: 0, total: 0 });
    totalsRow(ws, `${TOTAL} (${ROLE_LABELS.lead.toLowerCase()})`, 2, 4, first, last, sumOf('lead'), { col: 3, value: ROLE_LABELS.lead });
    totalsRow(ws, `${TOTAL} (${ROLE_LABELS.coordinating.toLowerCase()})`, 2, 4, first, last, sumOf('coordinating'), { col: 3, value: ROLE_LABELS.coordinating });
  }
}

function scorecardSheet(wb: ExcelJS.Workbook, r: PublishedReport) {
  const ws = wb.addWorksheet('Xếp hạng');
  const rule = r.rule;
  const points = COUNT_COLUMNS.map((k) => `${CATEGORY_LABELS[k]}: ${rule.points[k] === null ? 'không tính' : rule.points[k]}`).join('; ');
  begin(
    ws,
    r,
    `Quy tắc chấm điểm: ${points}. Hệ số chủ trì ${rule.weights.lead}, phối hợp ${rule.weights.coordinating}. Xanh từ ${rule.bands.green} điểm, vàng từ ${rule.bands.yellow} điểm.`,
    ['Hạng', 'Cơ quan', 'Điểm', 'Xếp loại', `${ROLE_LABELS.lead}: tổng số`, ...COUNT_COLUMNS.map((k) => `${ROLE_LABELS.lead}: ${CATEGORY_LABELS[k]}`), `${ROLE_LABELS.coordinating}: tổng số`, ...COUNT_COLUMNS.map((k) => `${ROLE_LABELS.coordinating}: ${CATEGORY_LABELS[k]}`)],
    [7, 40, 9, 10, 10, 13, 13, 13, 13, 15, 10, 13, 13, 13, 13, 15],
  );
  for (const s of r.scorecard) {
    const row = ws.addRow([s.rank ?? '', s.agency.name, s.score ?? '', s.band ? BAND_LABELS[s.band] : '']);
    const n = row.number;
    row.getCell(5).value = { formula: `SUM(F${n}:J${n})`, result: s.lead.total };
    COUNT_COLUMNS.forEach((k, i) => (row.getCell(6 + i).value = s.lead[k]));
    row.getCell(11).value = { formula: `SUM(L${n}:P${n})`, result: s.coordinating.total };
    COUNT_COLUMNS.forEach((k, i) => (row.getCell(12 + i).value = s.coordinating[k]));
    if (s.band) row.getCell(4).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: BAND_COLOURS[s.band] } };
    row.font = { name: FONT, size: 12 };
  }
}

function overdueSheet(wb: ExcelJS.Workbook, r: PublishedReport, total: number) {
  const ws = wb.addWorksheet('Quá hạn chưa hoàn thành');
  begin(
    ws,
    r,
    total > r.overdue.length ? `Nhiệm vụ đang thực hiện quá hạn: ${total} (liệt kê ${r.overdue.length} nhiệm vụ quá hạn lâu nhất).` : `Nhiệm vụ đang thực hiện quá hạn: ${total}.`,
    ['STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Hạn hoàn thành', 'Số ngày quá hạn'],
    [6, 70, 35, 16, 12],
  );
  [...r.overdue]
    .sort((a, b) => b.daysOverdue - a.daysOverdue)
    .forEach((o, i) => {
      const row = ws.addRow([i + 1, o.title, o.leadAgency.name, formatDue(o.dueAt), o.daysOverdue]);
      row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
      row.font = { name: FONT, size: 12 };
    });
}

/** Explanation requests of the period, per agency asked, with the province's total; no sheet when none was made (or the result was published before they were counted). */
function explanationsSheet(wb: ExcelJS.Workbook, r: PublishedReport) {
  const x = r.explanations;
  if (!x || x.totals.requested === 0) return;
  const ws = wb.addWorksheet('Giải trình');
  begin(ws, r, `Yêu cầu giải trình trong kỳ: ${x.totals.requested}.`, ['STT', 'Cơ quan được yêu cầu', 'Số yêu cầu', 'Giải trình đúng hạn', 'Giải trình muộn', 'Chưa giải trình'], [6, 45, 14, 18, 16, 16]);
  const first = ws.rowCount + 1;
  x.rows.forEach((l, i) => {
    const row = ws.addRow([i + 1, l.key.name, l.counts.requested, l.counts.answeredOnTime, l.counts.answeredLate, l.counts.unanswered]);
    row.font = { name: FONT, size: 12 };
  });
  const last = ws.rowCount;
  const sum = (col: string, value: number) => (last >= first ? { formula: `SUM(${col}${first}:${col}${last})`, result: value } : value);
  const total = ws.addRow(['', 'Tổng cộng', sum('C', x.totals.requested), sum('D', x.totals.answeredOnTime), sum('E', x.totals.answeredLate), sum('F', x.totals.unanswered)]);
  total.font = { name: FONT, size: 12, bold: true };
}

/**
 * The period's report as a workbook: a sheet per grouping with totals and rates as formulas, the ranking
 * with its bands, the open overdue directives. Every sheet's title names the period and the "as of" moment.
 */
export async function reportWorkbook(r: PublishedReport, overdueTotal = r.overdue.length): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Theo dõi thực hiện kết luận, chỉ đạo';
  wb.created = new Date(r.asOf);
  // exceljs leaves out a formula's cached result when it is 0 or empty: the spreadsheet computes every formula as
  // it opens, so no cell shows blank where its value is 0.
  wb.calcProperties.fullCalcOnLoad = true;
  countsSheet(wb, r, 'province', [{ key: null, counts: r.totals }]);
  countsSheet(wb, r, 'lead', r.byLead);
  assignedSheet(wb, r);
  countsSheet(wb, r, 'supervisor', r.bySupervisor);
  countsSheet(wb, r, 'conference', r.byConference);
  scorecardSheet(wb, r);
  overdueSheet(wb, r, overdueTotal);
  explanationsSheet(wb, r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
