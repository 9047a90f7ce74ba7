import type { ReportFormat } from '../../domain/lists.js';
import type { PublishedReport } from '../../domain/statistics.js';
import type { IsoDate } from '../../domain/vn-time.js';
import { scorecardCsv } from './csv.js';
import { reportDocument, type Issuer } from './docx.js';
import { reportWorkbook } from './xlsx.js';

export type Rendered = { body: string | Uint8Array; contentType: string; filename: string };

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const satisfies Record<ReportFormat, string>;

/** A period's report in one of the formats provinces use; `overdueTotal` says how many overdue directives there were beyond those listed. */
export async function renderReport(
  r: PublishedReport,
  format: ReportFormat,
  o: { issuer: Issuer; number?: string | undefined; date?: IsoDate | undefined; overdueTotal?: number | undefined; name: string },
): Promise<Rendered> {
  const filename = `${o.name}.${format}`;
  switch (format) {
    case 'json':
      return { body: JSON.stringify(r), contentType: CONTENT_TYPES.json, filename };
    case 'csv':
      return { body: scorecardCsv(r), contentType: CONTENT_TYPES.csv, filename };
    case 'xlsx':
      return { body: await reportWorkbook(r, o.overdueTotal), contentType: CONTENT_TYPES.xlsx, filename };
    case 'docx':
      return { body: await reportDocument(r, o), contentType: CONTENT_TYPES.docx, filename };
  }
}

export type { Issuer } from './docx.js';
export { statisticsCsv } from './csv.js';
