/**
 * The words of the province's reports. Reports are official documents in Vietnamese whatever language the
 * reader's screen is in, so these are not the web app's switchable dictionary.
 */
import type { Band, CountedCategory, StatCategory, StatGrouping } from '../../domain/lists.js';
import { formatDay, vnDateOf } from '../../domain/vn-time.js';

export const CATEGORY_LABELS = {
  completed_on_time: 'Hoàn thành đúng hạn',
  completed_late: 'Hoàn thành quá hạn',
  open_on_time: 'Đang thực hiện trong hạn',
  open_overdue: 'Đang thực hiện quá hạn',
  no_deadline: 'Thường xuyên (không có thời hạn)',
  cancelled: 'Đã hủy (không tính vào tổng số)',
} as const satisfies Record<StatCategory, string>;

/** The columns of every table, in order: the counted categories add up to the total. */
export const COUNT_COLUMNS = ['completed_on_time', 'completed_late', 'open_on_time', 'open_overdue', 'no_deadline'] as const satisfies readonly CountedCategory[];

export const RATE_LABELS = { completion: 'Tỷ lệ hoàn thành', onTimeCompletion: 'Tỷ lệ hoàn thành đúng hạn', overdue: 'Tỷ lệ quá hạn' } as const;

export const GROUPING_LABELS = {
  province: { sheet: 'Toàn tỉnh', key: 'Phạm vi' },
  lead: { sheet: 'Cơ quan chủ trì', key: 'Cơ quan chủ trì' },
  assigned: { sheet: 'Cơ quan được giao', key: 'Cơ quan' },
  supervisor: { sheet: 'Cơ quan theo dõi', key: 'Cơ quan theo dõi, đôn đốc (gồm các cơ quan thuộc phạm vi)' },
  conference: { sheet: 'Hội nghị', key: 'Hội nghị' },
} as const satisfies Record<StatGrouping, { sheet: string; key: string }>;

export const ROLE_LABELS = { lead: 'Chủ trì', coordinating: 'Phối hợp' } as const;
export const BAND_LABELS = { green: 'Xanh', yellow: 'Vàng', red: 'Đỏ' } as const satisfies Record<Band, string>;
/** ARGB fills of the bands, in Excel and on the page. */
export const BAND_COLOURS = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' } as const satisfies Record<Band, string>;

export const TOTAL = 'Tổng cộng';

/** "Số liệu tính đến 24:00 ngày 14/09/2026": an instant at a Vietnamese midnight is the end of the day before it. */
export function asOfPhrase(asOf: string): string {
  const at = new Date(asOf);
  const vn = new Date(at.getTime() + 7 * 3_600_000);
  if (vn.getUTCHours() === 0 && vn.getUTCMinutes() === 0 && vn.getUTCSeconds() === 0 && vn.getUTCMilliseconds() === 0) {
    return `số liệu tính đến 24:00 ngày ${formatDay(vnDateOf(new Date(at.getTime() - 1)))}`;
  }
  const hh = String(vn.getUTCHours()).padStart(2, '0');
  const mm = String(vn.getUTCMinutes()).padStart(2, '0');
  return `số liệu tính đến ${hh}:${mm} ngày ${formatDay(vnDateOf(at))}`;
}

export const periodPhrase = (p: { from: string; to: string }) => `từ ngày ${formatDay(p.from)} đến ngày ${formatDay(p.to)}`;
