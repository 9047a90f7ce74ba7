import Holidays from 'date-holidays';
import { daysInMonth, isoDate } from './text.js';
import type { DeadlineHint, Regime, Span } from './types.js';

export type RefDate = { y: number; m: number; d: number; iso: string };

export function toRefDate(iso: string | null | undefined): RefDate | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const valid = isoDate(y, mo, d);
  return valid ? { y, m: mo, d, iso: valid } : null;
}

const FIRST_DATE =
  /(?<![\p{L}\p{N}/.-])(?:(\d{1,2})[ ]{0,2}\/[ ]{0,2}(\d{1,2})[ ]{0,2}\/[ ]{0,2}(\d{4})|ngay[ ]{1,3}(\d{1,2})[ ]{1,3}thang[ ]{1,3}(\d{1,2})[ ]{1,3}nam[ ]{1,3}(\d{4}))(?![\p{L}\p{N}])/gu;

/** The first real calendar date written in the (folded) text, as the fallback for dates without a year. */
export function firstWrittenDate(folded: string): RefDate | null {
  for (const m of folded.matchAll(FIRST_DATE)) {
    const iso = m[1] ? isoDate(Number(m[3]), Number(m[2]), Number(m[1])) : isoDate(Number(m[6]), Number(m[5]), Number(m[4]));
    if (iso) return toRefDate(iso);
  }
  return null;
}

let holidays: Holidays | null = null;
// The lunar computation takes about a millisecond a year; a text may mention Tết many times.
const lunarNewYears = new Map<number, string | null>();

/** Lunar new year's day (Tết Nguyên Đán) of a Gregorian year, from date-holidays' lunar rules. */
function lunarNewYear(year: number): string | null {
  const known = lunarNewYears.get(year);
  if (known !== undefined) return known;
  holidays ??= new Holidays('VN');
  const tet = holidays.getHolidays(year).find((h) => h.rule === 'vietnamese 1-0-1');
  const day = tet ? tet.date.slice(0, 10) : null;
  lunarNewYears.set(year, day);
  return day;
}

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The eve of the first lunar new year after the reference date: work "before Tết" has to be done by then. */
function tetDeadline(ref: RefDate | null): string | null {
  if (!ref) return null;
  for (const y of [ref.y, ref.y + 1]) {
    const day = lunarNewYear(y);
    if (day && day > ref.iso) return dayBefore(day);
  }
  return null;
}

const endOfMonth = (y: number, m: number): string => isoDate(y, m, daysInMonth(y, m))!;

/**
 * A year's work is due on its last working day: 31 December, or the Friday before when it falls on a weekend
 * (31 December is never a public holiday; the product's calendar moves it further if an override says so).
 */
export function lastWorkingDayOfYear(y: number): string {
  const weekday = new Date(Date.UTC(y, 11, 31)).getUTCDay();
  return isoDate(y, 12, weekday === 6 ? 30 : weekday === 0 ? 29 : 31)!;
}

const STEMS = ['giap', 'at', 'binh', 'dinh', 'mau', 'ky', 'canh', 'tan', 'nham', 'quy'];
const BRANCHES = ['ty', 'suu', 'dan', 'mao', 'thin', 'ty', 'ngo', 'mui', 'than', 'dau', 'tuat', 'hoi'];

/**
 * The Gregorian year whose lunar new year carries a sexagenary name ("Bính Ngọ" → 2026), the one nearest the
 * reference year. Folded, Tý (rat) and Tỵ (snake) are both "ty": a stem pairs only with branches of its parity.
 */
export function yearOfLunarName(stem: string, branch: string, near: number): number | null {
  const s = STEMS.indexOf(stem);
  const b = branch === 'meo' ? 3 : branch === 'ty' ? (s % 2 === 0 ? 0 : 5) : BRANCHES.indexOf(branch);
  if (s < 0 || b < 0 || s % 2 !== b % 2) return null;
  let best: number | null = null;
  for (let y = near - 31; y <= near + 31; y++) {
    if ((((y - 4) % 10) + 10) % 10 === s && (((y - 4) % 12) + 12) % 12 === b && (best === null || Math.abs(y - near) < Math.abs(best - near))) best = y;
  }
  return best;
}

/** The eve of the named lunar year's Tết. */
function namedTetDeadline(stem: string, branch: string, ref: RefDate | null): string | null {
  const y = yearOfLunarName(stem, branch, ref?.y ?? new Date().getUTCFullYear());
  const day = y === null ? null : lunarNewYear(y);
  return day ? dayBefore(day) : null;
}

/**
 * A period written without a year is taken as the next one that has not ended by the reference date:
 * "quý I" said in October means next year's first quarter.
 */
function resolve(build: (y: number) => string | null, explicitYear: string | undefined, ref: RefDate | null): string | null {
  if (explicitYear) return build(Number(explicitYear));
  if (!ref) return null;
  const same = build(ref.y);
  if (same && same >= ref.iso) return same;
  return build(ref.y + 1);
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const re = (s: string) => new RegExp(s, 'gu');

const unitRegime = (unit: string): Regime | null => {
  const u = unit.replace(/^0/, '');
  if (u === 'thang') return 'monthly';
  if (u === 'quy') return 'quarterly';
  if (u === 'nam') return 'annual';
  if (/^(6|sau) thang$/.test(u)) return 'half_year';
  if (/^(9|chin) thang$/.test(u)) return 'nine_month';
  return null;
};

type Rule = {
  kind: DeadlineHint['kind'];
  pattern: RegExp;
  build: (m: RegExpMatchArray, ref: RefDate | null, before: string) => { dueDate: string | null; regime: Regime | null } | null;
};

const PERIOD = '(?:0?6 thang|sau thang|0?9 thang|chin thang|thang|quy|nam)';

/** In priority order: a hint overlapping one already taken is dropped ("6 tháng cuối năm" is not also "cuối năm"). */
const RULES: Rule[] = [
  {
    kind: 'recurring',
    pattern: re(`${B}(?:(?:bao cao|dinh ky)[ ]+)?hang[ ]+(thang|quy|nam)${E}`),
    build: (m) => ({ dueDate: null, regime: unitRegime(m[1]!) }),
  },
  {
    kind: 'recurring',
    pattern: re(`${B}dinh ky[ ]+(${PERIOD})${E}(?![ ]*\\d)`),
    build: (m) => ({ dueDate: null, regime: unitRegime(m[1]!.replace(/ +/g, ' ')) }),
  },
  {
    kind: 'recurring',
    pattern: re(
      `${B}bao cao(?:[ ]+(?:dinh ky|so ket|tong ket|ket qua))?[ ]+(${PERIOD})${E}(?![ ]*(?:\\d|i|ii|iii|iv)${E})(?![ ]+(?:dau|cuoi|qua)${E})(?:[ ]*,[ ]*${PERIOD}${E}){0,3}`,
    ),
    build: (m) => ({ dueDate: null, regime: unitRegime(m[1]!.replace(/ +/g, ' ')) }),
  },
  {
    kind: 'date',
    pattern: re(
      `${B}(?:truoc|cham nhat(?:[ ]+la)?(?:[ ]+vao)?|han chot(?:[ ]+la)?|thoi han|hoan thanh(?:[ ]+truoc)?|xong truoc|den|han)[ ]+(?:ngay[ ]+)?(\\d{1,2})[ ]{0,2}(?:\\/|-|\\.|thang[ ]+)[ ]{0,2}(\\d{1,2})(?:[ ]{0,2}(?:\\/|-|\\.|nam[ ]+)[ ]{0,2}(\\d{4}))?${E}(?![/.-]\\d)`,
    ),
    build: (m, ref) => {
      const d = Number(m[1]);
      const mo = Number(m[2]);
      return { dueDate: resolve((y) => isoDate(y, mo, d), m[3], ref), regime: null };
    },
  },
  {
    kind: 'half_year',
    pattern: re(`${B}(?:0?6|sau)[ ]+thang[ ]+(dau|cuoi)[ ]+nam(?:[ ]+(\\d{4}))?${E}`),
    build: (m, ref) => ({ dueDate: resolve((y) => (m[1] === 'dau' ? `${y}-06-30` : `${y}-12-31`), m[2], ref), regime: null }),
  },
  {
    kind: 'nine_month',
    pattern: re(`${B}(?:0?9|chin)[ ]+thang(?:[ ]+dau[ ]+nam)?(?:[ ]+(?:nam[ ]+)?(\\d{4}))?${E}(?![ ]+qua${E})`),
    build: (m, ref) => ({ dueDate: resolve((y) => `${y}-09-30`, m[1], ref), regime: null }),
  },
  {
    kind: 'month',
    pattern: re(
      `${B}(?:(truoc|trong|cuoi|het|den het|den cuoi|den|hoan thanh trong|hoan thanh truoc|xong trong|xong truoc|cham nhat(?:[ ]+la)?(?:[ ]+trong)?)[ ]+)?thang[ ]+(\\d{1,2})(?:[ ]{0,2}[/.-][ ]{0,2}(\\d{4})|[ ]+nam[ ]+(\\d{4}))?${E}(?![/.-]\\d)`,
    ),
    build: (m, ref) => {
      const cue = m[1];
      const year = m[3] ?? m[4];
      if (!cue && !year) return null;
      const mo = Number(m[2]);
      if (mo < 1 || mo > 12) return null;
      const before = cue !== undefined && /truoc$/.test(cue);
      const due = resolve((y) => (before ? (mo === 1 ? endOfMonth(y - 1, 12) : endOfMonth(y, mo - 1)) : endOfMonth(y, mo)), year, ref);
      return { dueDate: due, regime: null };
    },
  },
  {
    kind: 'quarter',
    pattern: re(
      `${B}(?:(truoc|trong|cuoi|het|den het|den|hoan thanh trong|xong trong)[ ]+)?quy[ ]+(iv|iii|ii|i|0?[1-4])${E}(?:(?:[ ]{0,2}\\/[ ]{0,2}|[ ]+nam[ ]+)(\\d{4})${E})?`,
    ),
    build: (m, ref) => {
      const q = ROMAN[m[2]!] ?? Number(m[2]);
      const before = m[1] === 'truoc';
      const due = resolve((y) => (before ? (q === 1 ? `${y - 1}-12-31` : endOfMonth(y, (q - 1) * 3)) : endOfMonth(y, q * 3)), m[3], ref);
      return { dueDate: due, regime: null };
    },
  },
  {
    kind: 'tet',
    pattern: re(
      `${B}(?:(?:truoc|dip|trong dip|vao dip|den|sau)[ ]+)?tet(?:[ ]+nguyen[ ]+dan)?[ ]+(giap|at|binh|dinh|mau|ky|canh|tan|nham|quy)[ ]+(ty|suu|dan|mao|meo|thin|ngo|mui|than|dau|tuat|hoi)${E}(?:[ ]+(?:nam[ ]+)?\\d{4}${E})?`,
    ),
    build: (m, ref) => ({ dueDate: namedTetDeadline(m[1]!, m[2]!, ref), regime: null }),
  },
  {
    kind: 'tet',
    pattern: re(`${B}(?:(truoc|dip|trong dip|vao dip|den)[ ]+)?tet(?:[ ]+(nguyen[ ]+dan))?${E}(?![ ]+(?:duong|trung|doan|nguyen tieu|thieu nhi)${E})`),
    build: (m, ref) => (m[1] || m[2] ? { dueDate: tetDeadline(ref), regime: null } : null),
  },
  {
    kind: 'year',
    pattern: re(`${B}(?:(?:trong|cuoi|het|den het|den cuoi|den|hoan thanh trong)[ ]+)?nam[ ]+(\\d{4})${E}(?![/.-]\\d)`),
    build: (m, _ref, before) => {
      // "ngày 5 tháng 6 năm 2024" is a date, not a year-long period.
      if (/thang[ ]{1,3}\d{1,2}[ ]{1,3}$/.test(before)) return null;
      return { dueDate: lastWorkingDayOfYear(Number(m[1])), regime: null };
    },
  },
  {
    kind: 'year',
    pattern: re(
      `${B}(?:trong|cuoi|het|den het|den cuoi)[ ]+nam(?:[ ]+nay)?${E}(?![ ]+(?:\\d|ngay|thang|nam|nhiem|noi|giai|van|nhom|muc|cong|dieu|diem|lan|qua|truoc|toi)${E})`,
    ),
    build: (_m, ref) => ({ dueDate: ref ? lastWorkingDayOfYear(ref.y) : null, regime: null }),
  },
];

const RANK: Record<DeadlineHint['kind'], number> = {
  date: 6,
  month: 5,
  quarter: 4,
  tet: 3,
  half_year: 2,
  nine_month: 2,
  year: 1,
  recurring: 0,
};

/** `excluded` holds the document references: their dates are issue dates, not deadlines. */
export function findDeadlineHints(text: string, folded: string, span: Span, excluded: Span[], ref: RefDate | null): DeadlineHint[] {
  const region = folded.slice(span.start, span.end);
  // One flag per character of the region: overlap checks cost the match length, not the number of hints.
  const used = new Uint8Array(region.length);
  const mark = (s: Span) => used.fill(1, Math.max(0, s.start - span.start), Math.max(0, s.end - span.start));
  excluded.forEach(mark);
  const taken: DeadlineHint[] = [];
  for (const rule of RULES) {
    for (const m of region.matchAll(rule.pattern)) {
      if (used.subarray(m.index, m.index + m[0].length).includes(1)) continue;
      const s = { start: span.start + m.index, end: span.start + m.index + m[0].length };
      const built = rule.build(m, ref, folded.slice(Math.max(0, s.start - 12), s.start));
      if (!built) continue;
      mark(s);
      taken.push({ text: text.slice(s.start, s.end), span: s, kind: rule.kind, dueDate: built.dueDate, regime: built.regime });
    }
  }
  return taken.sort((a, b) => a.span.start - b.span.start);
}

/** The most specific final deadline: a day beats a month, a month a quarter, and so on. */
export function pickDeadline(hints: DeadlineHint[]): DeadlineHint | null {
  let best: DeadlineHint | null = null;
  for (const h of hints) if (h.kind !== 'recurring' && (!best || RANK[h.kind] > RANK[best.kind])) best = h;
  return best;
}

export const pickRegime = (hints: DeadlineHint[]): Regime | null => hints.find((h) => h.regime !== null)?.regime ?? null;
