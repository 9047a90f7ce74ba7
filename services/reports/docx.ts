import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type IRunOptions,
} from 'docx';
import { ratesOf, type Counts, type PublishedReport } from '../../domain/statistics.js';
import { formatDue, vnDateOf, type IsoDate } from '../../domain/vn-time.js';
import { CATEGORY_LABELS, COUNT_COLUMNS, TOTAL, asOfPhrase, periodPhrase } from './labels.js';

/** Who issues the report: the header, number and symbol, place and signature of Decree 30/2020/NĐ-CP. */
export type Issuer = {
  /** Cơ quan, tổ chức chủ quản: "TỈNH ỦY ĐỒNG THÁP". */
  parentBody: string;
  /** Cơ quan ban hành: "BAN NỘI CHÍNH". */
  body: string;
  /** Ký hiệu: "BC-BNCTU" (BC: báo cáo). */
  symbol: string;
  /** Địa danh: "Đồng Tháp". */
  place: string;
  signerTitle: string;
  signerName: string;
};

export type DocumentOptions = { issuer: Issuer; number?: string | undefined; date?: IsoDate | undefined; overdueTotal?: number | undefined };

const FONT = 'Times New Roman';
/** Sizes in half-points, as Word counts them. */
const PT = (n: number) => n * 2;
/** Twips per millimetre. */
const MM = 56.7;

const run = (text: string, o: Omit<IRunOptions, 'text'> = {}) => new TextRun({ text, font: FONT, size: PT(14), ...o });
const centred = (children: TextRun[], spacingAfter = 0) => new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: spacingAfter }, children });
/** The short solid line Decree 30 draws under the issuing body and under the motto. */
const rule = (indentTwips: number) =>
  new Paragraph({ border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } }, indent: { left: indentTwips, right: indentTwips }, spacing: { after: 60 }, children: [] });
const body = (children: TextRun[]) => new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: Math.round(10 * MM) }, spacing: { before: 60, after: 60, line: 300 }, children });
const heading = (text: string) => new Paragraph({ indent: { firstLine: Math.round(10 * MM) }, spacing: { before: 120, after: 60 }, children: [run(text, { bold: true })] });

/** "ngày 02 tháng 12 năm 2026": days below 10 and the months 1 and 2 take a leading zero (Decree 30, Appendix I). */
export function vietnameseDate(d: IsoDate): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const dd = day < 10 ? `0${day}` : String(day);
  const mm = m < 3 ? `0${m}` : String(m);
  return `ngày ${dd} tháng ${mm} năm ${y}`;
}

const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1).replace('.', ',')}%`);

function cell(text: string, o: { bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; width?: number; size?: number } = {}) {
  return new TableCell({
    verticalAlign: VerticalAlign.CENTER,
    ...(o.width ? { width: { size: o.width, type: WidthType.PERCENTAGE } } : {}),
    children: [new Paragraph({ alignment: o.align ?? AlignmentType.CENTER, children: [run(text, { size: PT(o.size ?? 12), bold: o.bold ?? false })] })],
  });
}

function header(o: DocumentOptions, date: IsoDate): Table {
  const { issuer } = o;
  const numberLine = `Số: ${o.number?.trim() ? o.number.trim() : '\u00a0'.repeat(8)}/${issuer.symbol}`;
  const left = new TableCell({
    width: { size: 40, type: WidthType.PERCENTAGE },
    children: [
      centred([run(issuer.parentBody.toUpperCase(), { size: PT(13) })]),
      centred([run(issuer.body.toUpperCase(), { size: PT(13), bold: true })]),
      rule(Math.round(22 * MM)),
      centred([run(numberLine, { size: PT(13) })]),
    ],
  });
  const right = new TableCell({
    width: { size: 60, type: WidthType.PERCENTAGE },
    children: [
      centred([run('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: PT(13), bold: true })]),
      centred([run('Độc lập - Tự do - Hạnh phúc', { size: PT(14), bold: true })]),
      rule(Math.round(26 * MM)),
      centred([run(`${issuer.place}, ${vietnameseDate(date)}`, { size: PT(14), italics: true })]),
    ],
  });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, borders: TableBorders.NONE, rows: [new TableRow({ children: [left, right] })] });
}

const SHORT = { completed_on_time: 'HT đúng hạn', completed_late: 'HT quá hạn', open_on_time: 'Đang TH trong hạn', open_overdue: 'Đang TH quá hạn', no_deadline: 'Thường xuyên' } as const;

function summaryTable(r: PublishedReport): Table {
  const head = new TableRow({
    tableHeader: true,
    children: [cell('STT', { bold: true, width: 6 }), cell('Cơ quan chủ trì', { bold: true, width: 30 }), cell('Tổng số', { bold: true }), ...COUNT_COLUMNS.map((k) => cell(SHORT[k], { bold: true }))],
  });
  const line = (no: string, name: string, c: Counts, bold = false) =>
    new TableRow({ children: [cell(no, { bold }), cell(name, { bold, align: AlignmentType.LEFT }), cell(String(c.total), { bold }), ...COUNT_COLUMNS.map((k) => cell(String(c[k]), { bold }))] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [head, ...r.byLead.map((l, i) => line(String(i + 1), l.key?.name ?? '', l.counts)), line('', TOTAL, r.totals, true)],
  });
}

function overdueTable(r: PublishedReport): Table {
  const head = new TableRow({
    tableHeader: true,
    children: [cell('STT', { bold: true, width: 6 }), cell('Nội dung nhiệm vụ', { bold: true, width: 50 }), cell('Cơ quan chủ trì', { bold: true, width: 22 }), cell('Hạn', { bold: true, width: 11 }), cell('Số ngày quá hạn', { bold: true, width: 11 })],
  });
  const rows = [...r.overdue]
    .sort((a, b) => b.daysOverdue - a.daysOverdue)
    .map(
      (o, i) =>
        new TableRow({
          children: [cell(String(i + 1)), cell(o.title, { align: AlignmentType.LEFT }), cell(o.leadAgency.name, { align: AlignmentType.LEFT }), cell(formatDue(o.dueAt)), cell(String(o.daysOverdue))],
        }),
    );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [head, ...rows] });
}

/** The agencies that lag: those in the red band, then those with directives open past their deadline. */
function laggards(r: PublishedReport): Paragraph[] {
  const red = r.scorecard.filter((s) => s.band === 'red');
  const overdue = r.byLead.filter((l) => l.counts.open_overdue > 0).sort((a, b) => b.counts.open_overdue - a.counts.open_overdue);
  const out: Paragraph[] = [];
  if (red.length > 0) {
    out.push(
      body([
        run(`Các cơ quan xếp loại đỏ (dưới ${r.rule.bands.yellow} điểm theo quy tắc chấm điểm): `),
        run(red.map((s) => `${s.agency.name} (${String(s.score).replace('.', ',')} điểm)`).join('; '), { bold: true }),
        run('.'),
      ]),
    );
  }
  if (overdue.length > 0) {
    out.push(
      body([
        run('Các cơ quan còn nhiệm vụ đang thực hiện quá hạn: '),
        run(overdue.map((l) => `${l.key?.name} (${l.counts.open_overdue} nhiệm vụ)`).join('; '), { bold: true }),
        run('.'),
      ]),
    );
  }
  if (out.length === 0) out.push(body([run('Không có cơ quan nào xếp loại đỏ hoặc còn nhiệm vụ quá hạn chưa hoàn thành.')]));
  return out;
}

/** Explanation requests of the period: how many, answered on time, late, not yet, and which agencies left some unanswered. */
function explanationSection(r: PublishedReport): Paragraph[] {
  const x = r.explanations;
  if (!x || x.totals.requested === 0) return [];
  const t = x.totals;
  const silent = x.rows.filter((l) => l.counts.unanswered > 0);
  return [
    heading('IV. YÊU CẦU GIẢI TRÌNH'),
    body([
      run(`Trong kỳ có ${t.requested} yêu cầu giải trình; đã giải trình đúng hạn ${t.answeredOnTime}, giải trình muộn ${t.answeredLate}, chưa giải trình ${t.unanswered}.`),
      ...(silent.length > 0 ? [run(' Các cơ quan chưa giải trình: '), run(silent.map((l) => `${l.key.name} (${l.counts.unanswered} yêu cầu)`).join('; '), { bold: true }), run('.')] : []),
    ]),
  ];
}

/**
 * The period's report as an official document laid out per Decree 30/2020/NĐ-CP: A4, Times New Roman, the
 * issuing body and the national motto side by side, number and symbol, place and date; the summary table,
 * the agencies that lag named, the open overdue directives listed; recipients and signature.
 */
export async function reportDocument(r: PublishedReport, o: DocumentOptions): Promise<Buffer> {
  const date = o.date ?? vnDateOf(new Date());
  const t = r.totals;
  const rates = ratesOf(t);
  const overdueTotal = o.overdueTotal ?? r.overdue.length;
  const signature = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          new TableCell({
            width: { size: 45, type: WidthType.PERCENTAGE },
            children: [
              new Paragraph({ children: [run('Nơi nhận:', { size: PT(12), bold: true, italics: true })] }),
              new Paragraph({ children: [run('- Thường trực cấp ủy (b/c);', { size: PT(11) })] }),
              new Paragraph({ children: [run('- Các cơ quan được giao nhiệm vụ;', { size: PT(11) })] }),
              new Paragraph({ children: [run('- Lưu: VT.', { size: PT(11) })] }),
            ],
          }),
          new TableCell({
            width: { size: 55, type: WidthType.PERCENTAGE },
            children: [
              centred([run(o.issuer.signerTitle.toUpperCase(), { bold: true })]),
              new Paragraph({ spacing: { before: 1200 }, children: [] }),
              centred([run(o.issuer.signerName, { bold: true })]),
            ],
          }),
        ],
      }),
    ],
  });
  const doc = new Document({
    creator: o.issuer.body,
    title: `Báo cáo kết quả thực hiện nhiệm vụ ${r.period.title.vi}`,
    styles: { default: { document: { run: { font: FONT, size: PT(14) } } } },
    sections: [
      {
        properties: {
          // A4, margins within Decree 30's ranges: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
          page: { size: { width: 11906, height: 16838 }, margin: { top: Math.round(20 * MM), bottom: Math.round(20 * MM), left: Math.round(30 * MM), right: Math.round(15 * MM) } },
        },
        children: [
          header(o, date),
          new Paragraph({ spacing: { before: 240 }, alignment: AlignmentType.CENTER, children: [run('BÁO CÁO', { bold: true })] }),
          centred([run(`Kết quả thực hiện nhiệm vụ được giao ${r.period.title.vi}`, { bold: true })], 240),
          body([
            run(
              `${o.issuer.body.charAt(0)}${o.issuer.body.slice(1).toLowerCase()} báo cáo kết quả thực hiện các nhiệm vụ được giao ${r.period.title.vi} (kỳ báo cáo ${periodPhrase(r.period)}; ${asOfPhrase(r.asOf)}) như sau:`,
            ),
          ]),
          heading('I. KẾT QUẢ CHUNG'),
          body([
            run(`Tổng số nhiệm vụ: ${t.total}; trong đó: ${CATEGORY_LABELS.completed_on_time.toLowerCase()} ${t.completed_on_time}; ${CATEGORY_LABELS.completed_late.toLowerCase()} ${t.completed_late}; `),
            run(`${CATEGORY_LABELS.open_on_time.toLowerCase()} ${t.open_on_time}; ${CATEGORY_LABELS.open_overdue.toLowerCase()} ${t.open_overdue}; nhiệm vụ thường xuyên ${t.no_deadline}. `),
            run(`Tỷ lệ hoàn thành ${pct(rates.completion)}, trong đó đúng hạn ${pct(rates.onTimeCompletion)}; tỷ lệ quá hạn ${pct(rates.overdue)}.`),
            ...(t.cancelled > 0 ? [run(` Ngoài ra có ${t.cancelled} nhiệm vụ đã hủy, không tính vào tổng số.`)] : []),
          ]),
          summaryTable(r),
          heading('II. CÁC CƠ QUAN CÒN CHẬM'),
          ...laggards(r),
          heading('III. DANH SÁCH NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH'),
          ...(overdueTotal === 0
            ? [body([run('Không có nhiệm vụ nào đang thực hiện quá hạn.')])]
            : [
                ...(overdueTotal > r.overdue.length ? [body([run(`Có ${overdueTotal} nhiệm vụ quá hạn; dưới đây là ${r.overdue.length} nhiệm vụ quá hạn lâu nhất.`)])] : []),
                overdueTable(r),
              ]),
          ...explanationSection(r),
          body([run(`Trên đây là báo cáo kết quả thực hiện nhiệm vụ được giao ${r.period.title.vi}./.`)]),
          new Paragraph({ spacing: { before: 240 }, children: [] }),
          signature,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
