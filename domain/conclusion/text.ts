import { foldVietnamese } from '../text.js';
import type { Span } from './types.js';

/** Folded code unit per code unit, filled on first use; 0 means not computed yet. */
const foldedUnits = new Uint16Array(0x10000);

function foldUnit(code: number): number {
  let f = foldedUnits[code]!;
  if (f === 0) {
    const c = String.fromCharCode(code);
    if (code === 10) f = 10;
    else if (code >= 0xd800 && code <= 0xdfff) f = code;
    else if (/\s/.test(c)) f = 32;
    else {
      const folded = foldVietnamese(c);
      // A lone combining mark folds to nothing; keeping it holds every later offset in place.
      f = folded.length === 0 ? code : folded.charCodeAt(0);
    }
    foldedUnits[code] = f;
  }
  return f;
}

/**
 * Folds unit by unit so that folded[i] always stands for text[i]: an offset found in the folded text is the
 * same offset in the text. foldVietnamese on the whole string would collapse spaces and shift offsets.
 * Newlines survive because line structure decides where lists start and end; other whitespace becomes ' '.
 */
export function foldInPlace(text: string): string {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = foldUnit(text.charCodeAt(i));
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += 8192) parts.push(String.fromCharCode(...units.subarray(i, i + 8192)));
  return parts.join('');
}

export type Token = { text: string; start: number; end: number };

/** Names are matched word by word, so "phòng, chống" in the text meets "phòng chống" in the directory. */
export function tokenize(folded: string): Token[] {
  const tokens: Token[] = [];
  for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return tokens;
}

export const hasWordChar = (s: string): boolean => /[\p{L}\p{N}]/u.test(s);

export function trimSpan(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text.charAt(s))) s++;
  while (e > s && /\s/.test(text.charAt(e - 1))) e--;
  return { start: s, end: e };
}

type Opener = { ch: string; pos: number };

const CLOSES: Record<string, string[]> = { ')': ['('], '”': ['“', '”'], '»': ['«'], ']': ['['] };

/**
 * Marks what lies inside parentheses or quotes, so that a ';' or '.' in a quoted title or a parenthesis does
 * not split an item. Pairs are found per line and unmatched openers are ignored, so one stray quote cannot
 * swallow the rest of the text.
 */
export function nestingMask(text: string): Uint8Array {
  const diff = new Int32Array(text.length + 1);
  const stack: Opener[] = [];
  const counts = new Map<string, number>();
  const bump = (ch: string, by: number) => counts.set(ch, (counts.get(ch) ?? 0) + by);
  const closeTo = (openers: string[], pos: number): boolean => {
    if (!openers.some((o) => (counts.get(o) ?? 0) > 0)) return false;
    while (stack.length > 0) {
      const top = stack.pop()!;
      bump(top.ch, -1);
      if (openers.includes(top.ch)) {
        diff[top.pos]! += 1;
        diff[pos + 1]! -= 1;
        return true;
      }
    }
    return false;
  };
  const open = (ch: string, pos: number) => {
    stack.push({ ch, pos });
    bump(ch, 1);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\n') {
      stack.length = 0;
      counts.clear();
    } else if (c === '(' || c === '“' || c === '«' || c === '[') open(c, i);
    else if (c === '"') {
      if (!closeTo(['"'], i)) open(c, i);
    } else if (c === '”') {
      // Some texts open and close with ” alike.
      if (!closeTo(CLOSES[c]!, i)) open(c, i);
    } else if (c === ')' || c === '»' || c === ']') closeTo(CLOSES[c]!, i);
  }
  const mask = new Uint8Array(text.length);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    depth += diff[i]!;
    mask[i] = depth > 0 ? 1 : 0;
  }
  return mask;
}

export type Line = { start: number; end: number; blank: boolean };

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lines.push({ start, end, blank: !/\S/.test(text.slice(start, end)) });
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}

export function lineIndexAt(lines: Line[], pos: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]!.start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function isoDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

export const within = (inner: Span, outer: Span): boolean => inner.start >= outer.start && inner.end <= outer.end;

export const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

const ABBREVIATIONS = new Set(['tp', 'tx', 'tt', 'ths', 'ts', 'gs', 'pgs', 'bs', 'ks', 'dc', 'q', 'p', 'sdt']);

/** A '.' after "TP", "ThS", "Đ/c" and the like abbreviates a word; it does not end a sentence or a clause. */
export function isAbbreviationDot(text: string, folded: string, dotPos: number): boolean {
  if (text.charAt(dotPos) !== '.') return false;
  const before = /(?<![\p{L}])[\p{L}/]{1,4}$/u.exec(folded.slice(Math.max(0, dotPos - 5), dotPos));
  return before !== null && ABBREVIATIONS.has(before[0].replace('/', ''));
}
