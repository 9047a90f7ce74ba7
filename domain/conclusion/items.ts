import { isAbbreviationDot, type Line, trimSpan } from './text.js';
import type { ListKind, Span } from './types.js';

export type RawItem = { marker: string; span: Span };

type MarkerKind = Exclude<ListKind, 'sentences'>;

/** A list of consecutive markers: its kind and its items. */
export type Candidate = { kind: MarkerKind; items: RawItem[] };

type Occurrence = {
  kind: MarkerKind;
  /** Separates lists that must not be chained together: "1." and "1)", "-" and "+". */
  style: string;
  value: number;
  /** Second numbering accepted as "next": Vietnamese lists skip f, j, w, z and put đ after d; some writers don't. */
  altValue: number;
  marker: string;
  markerStart: number;
  contentStart: number;
  line: number;
  atLineStart: boolean;
};

const VN_LETTERS = 'abcdđeghiklmnopqrstuvxy';
const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const LINE_MARKER = /^[ \t]*(?:\((\d{1,2})\)|(\d{1,2})([.)])(?=[ \t]|\p{Lu}|$)|([a-zđ])\)(?=[ \t]|\p{L}|$)|([-+•–])(?=[ \t]|\p{L}))/u;
const INLINE_PAREN = /(?<![\p{L}\p{N}])\((\d{1,2})\)/gu;

const LEAD_IN_WORDS = [
  'de nghi',
  'yeu cau',
  'chi dao',
  'nhiem vu',
  'de ra',
  'thong nhat',
  'noi dung sau',
  'nhu sau',
  'thoi gian toi',
  'giai phap',
  'ket luan',
  'can tap trung',
  'tap trung (?:vao|thuc hien|mot so|cac)',
];
const RECOGNISED = new RegExp(
  [
    `(?<![\\p{L}\\p{N}])(?:${LEAD_IN_WORDS.join('|')})(?![\\p{L}\\p{N}])`,
    '^trong (?:\\d{1,2}|mot|ba|sau|chin) (?:thang|quy|nam)(?![\\p{L}\\p{N}])',
    '(?<![\\p{L}\\p{N}])giao(?: cho)?(?: cac(?![\\p{L}\\p{N}])| nhiem vu|[ ]*:$)',
  ].join('|'),
  'u',
);
const GIVES_TO_NAME = /(?<![\p{L}\p{N}])[Gg]iao(?:\s+cho)?\s+\p{Lu}/u;

/**
 * Whether a lead-in introduces the conference's tasks ("đề nghị …:", "giao Sở Tư pháp …:"). It must end with
 * ':', or a heading such as "THÔNG BÁO KẾT LUẬN" above numbered sections would count.
 */
export function isRecognisedLeadIn(text: string, folded: string, span: Span): boolean {
  if (text.charAt(span.end - 1) !== ':') return false;
  return RECOGNISED.test(folded.slice(span.start, span.end)) || GIVES_TO_NAME.test(text.slice(span.start, span.end));
}

const mentionsTasks = (folded: string, span: Span): boolean => RECOGNISED.test(`${folded.slice(span.start, span.end)}:`);

const SENTENCE_END = /[.!?…]/;
const MARKER_FIRST = /[(\da-zđ\-+•–]/;
const isSentenceEnd = (c: string): boolean => c === '.' || c === '!' || c === '?' || c === '…';

/** Letter or digit, with an ASCII fast path: this runs once per character of the text. */
function isWordUnit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  return /[\p{L}\p{N}]/u.test(s.charAt(i));
}
const CLOSERS = /[”"’)»\]]/;
const MAX_LEAD_IN = 600;

export class ListFinder {
  private readonly lines: Line[];
  private readonly lineMarkers: (Occurrence | null)[];
  private readonly breakPrefix: Int32Array;
  private readonly wordPrefix: Int32Array;
  /** sentenceStarts[i]: where the sentence holding offset i starts (a line start or just after '. '). */
  private readonly sentenceStarts: Int32Array;

  constructor(
    private readonly text: string,
    private readonly folded: string,
    lines: Line[],
    private readonly mask: Uint8Array,
  ) {
    this.lines = lines;
    this.lineMarkers = lines.map((l, i) => this.lineMarker(l, i));
    // A hard break is a paragraph that opens after a blank line without any marker, or a new lead-in line
    // ("Đồng chí chủ trì đề nghị:") after a finished item: lists do not run across it.
    this.breakPrefix = new Int32Array(lines.length + 1);
    for (let i = 0; i < lines.length; i++) {
      const plain = i > 0 && !lines[i]!.blank && this.lineMarkers[i] === null;
      const afterBlank = plain && lines[i - 1]!.blank;
      const newLeadIn = plain && !lines[i - 1]!.blank && this.endsWithColon(i) && this.endsClause(i - 1);
      this.breakPrefix[i + 1] = this.breakPrefix[i]! + (afterBlank || newLeadIn ? 1 : 0);
    }
    this.wordPrefix = new Int32Array(text.length + 1);
    for (let i = 0; i < text.length; i++) this.wordPrefix[i + 1] = this.wordPrefix[i]! + (isWordUnit(folded, i) ? 1 : 0);
    this.sentenceStarts = new Int32Array(text.length + 1);
    let current = 0;
    for (let i = 0; i <= text.length; i++) {
      const prev = text.charAt(i - 1);
      if (prev === '\n' || (isSentenceEnd(prev) && /\s/.test(text.charAt(i)) && !this.isAbbreviation(i - 1))) current = i;
      this.sentenceStarts[i] = current;
    }
  }

  /** Every numbered, lettered, parenthesised or bulleted list, nested ones included. */
  marked(): Candidate[] {
    const all: Candidate[] = [];
    all.push(...this.chains(this.parenOccurrences()));
    const groups = new Map<string, Occurrence[]>();
    for (const o of this.lineMarkers) {
      if (!o || o.kind === 'parenthesised') continue;
      const key = `${o.kind}|${o.style}`;
      const g = groups.get(key);
      if (g) g.push(o);
      else groups.set(key, [o]);
    }
    for (const occ of groups.values()) all.push(...this.chains(occ));
    return all;
  }

  private hasWord(start: number, end: number): boolean {
    return end > start && this.wordPrefix[end]! - this.wordPrefix[start]! > 0;
  }

  private breakBetween(lineA: number, lineB: number): boolean {
    return this.breakPrefix[lineB + 1]! - this.breakPrefix[lineA + 1]! > 0;
  }

  private lineMarker(l: Line, i: number): Occurrence | null {
    if (l.blank) return null;
    let first = l.start;
    while (first < l.end && (this.text.charAt(first) === ' ' || this.text.charAt(first) === '\t')) first++;
    if (!MARKER_FIRST.test(this.text.charAt(first))) return null;
    const m = LINE_MARKER.exec(this.text.slice(l.start, Math.min(l.end, first + 8)));
    if (!m) return null;
    const lead = m[0].length - m[0].trimStart().length;
    const markerStart = l.start + lead;
    const marker = m[0].slice(lead);
    let contentStart = markerStart + marker.length;
    while (contentStart < l.end && /[ \t]/.test(this.text.charAt(contentStart))) contentStart++;
    const at = (kind: MarkerKind, style: string, value: number, altValue: number): Occurrence => ({
      kind,
      style,
      value,
      altValue,
      marker,
      markerStart,
      contentStart,
      line: i,
      atLineStart: true,
    });
    if (m[1]) return at('parenthesised', '()', Number(m[1]), Number(m[1]));
    if (m[2]) return at('numbered', m[3]!, Number(m[2]), Number(m[2]));
    if (m[4]) {
      const vn = VN_LETTERS.indexOf(m[4]) + 1;
      const ascii = ASCII_LETTERS.indexOf(m[4]) + 1;
      return at('lettered', ')', vn, ascii > 0 ? ascii : vn);
    }
    return at('bulleted', m[5]!, 0, 0);
  }

  private parenOccurrences(): Occurrence[] {
    const out: Occurrence[] = [];
    let line = 0;
    for (const m of this.text.matchAll(INLINE_PAREN)) {
      while (line + 1 < this.lines.length && this.lines[line + 1]!.start <= m.index) line++;
      const l = this.lines[line]!;
      let contentStart = m.index + m[0].length;
      while (contentStart < l.end && /[ \t]/.test(this.text.charAt(contentStart))) contentStart++;
      const value = Number(m[1]);
      out.push({
        kind: 'parenthesised',
        style: '()',
        value,
        altValue: value,
        marker: m[0],
        markerStart: m.index,
        contentStart,
        line,
        atLineStart: !/\S/.test(this.text.slice(l.start, m.index)),
      });
    }
    return out;
  }

  /**
   * Chains occurrences into consecutive lists. Each chain stops at the next first marker, so the total scan
   * stays linear. A marker that is not the next number is plain text of the current item.
   */
  private chains(occ: Occurrence[]): Candidate[] {
    const out: Candidate[] = [];
    const bullets = occ[0]?.kind === 'bulleted';
    let i = 0;
    while (i < occ.length) {
      const first = occ[i]!;
      if (!bullets && first.value !== 1 && first.altValue !== 1) {
        i++;
        continue;
      }
      const chain = [first];
      let j = i + 1;
      for (; j < occ.length; j++) {
        const cur = chain[chain.length - 1]!;
        const o = occ[j]!;
        if (!bullets && (o.value === 1 || o.altValue === 1)) break;
        const sameLine = o.line === cur.line;
        if (!sameLine && this.breakBetween(cur.line, o.line)) break;
        const isNext = bullets || o.value === cur.value + 1 || o.altValue === cur.altValue + 1;
        if (!isNext || (!sameLine && !o.atLineStart)) continue;
        if (!this.hasWord(cur.contentStart, o.markerStart)) {
          if (bullets) chain.pop();
          else continue;
        }
        chain.push(o);
      }
      i = bullets ? j : Math.max(i + 1, j);
      const candidate = this.toCandidate(chain);
      if (candidate) out.push(candidate);
    }
    return out;
  }

  private toCandidate(chain: Occurrence[]): Candidate | null {
    if (chain.length === 0) return null;
    const kind = chain[0]!.kind;
    const last = chain[chain.length - 1]!;
    const lastEnd = this.itemEnd(last.line, kind, chain[0]!.style);
    const items: RawItem[] = [];
    for (let k = 0; k < chain.length; k++) {
      const o = chain[k]!;
      const end = k + 1 < chain.length ? chain[k + 1]!.markerStart : Math.max(lastEnd, o.contentStart);
      const span = trimSpan(this.text, o.contentStart, end);
      if (!this.hasWord(span.start, span.end)) {
        if (k === chain.length - 1 || kind === 'bulleted') continue;
        return null;
      }
      items.push({ marker: o.marker, span });
    }
    if (items.length === 0) return null;
    const leadIn = this.leadInBefore(chain[0]!);
    const recognised = leadIn !== null && isRecognisedLeadIn(this.text, this.folded, leadIn);
    if (items.length < (recognised ? 1 : 2)) return null;
    return { kind, items };
  }

  private endsSentence(lineIdx: number): boolean {
    const l = this.lines[lineIdx]!;
    let e = l.end;
    while (e > l.start && /\s/.test(this.text.charAt(e - 1))) e--;
    while (e > l.start && CLOSERS.test(this.text.charAt(e - 1))) e--;
    return e > l.start && SENTENCE_END.test(this.text.charAt(e - 1));
  }

  private endsClause(lineIdx: number): boolean {
    const l = this.lines[lineIdx]!;
    return this.endsSentence(lineIdx) || /;\s*$/.test(this.text.slice(Math.max(l.start, l.end - 10), l.end));
  }

  private endsWithColon(lineIdx: number): boolean {
    const l = this.lines[lineIdx]!;
    return /:\s*$/.test(this.text.slice(Math.max(l.start, l.end - 10), l.end));
  }

  private startsLowercase(lineIdx: number): boolean {
    const l = this.lines[lineIdx]!;
    const c = this.text.slice(l.start, l.end).trimStart().charAt(0);
    return c !== '' && c === c.toLowerCase() && c !== c.toUpperCase();
  }

  /**
   * Where the last item of a list ends: lines after it still belong to it while they read as continuations
   * (wrapped text, a nested list announced by ':'). A blank line, a line of the same list kind, or a new
   * capitalised line after a finished sentence (a byline such as "Tấn Phước") ends it.
   */
  private itemEnd(startLine: number, kind: MarkerKind, style: string): number {
    let end = this.lines[startLine]!.end;
    let sawColon = this.endsWithColon(startLine);
    let prev = startLine;
    for (let L = startLine + 1; L < this.lines.length; L++) {
      const line = this.lines[L]!;
      if (line.blank) break;
      const mk = this.lineMarkers[L];
      if (mk) {
        if (mk.kind === kind && (kind === 'parenthesised' || mk.style === style)) break;
        const nested = sawColon || (kind === 'bulleted' && mk.kind === 'bulleted');
        if (!nested) break;
      } else {
        if (this.endsSentence(prev) && !this.startsLowercase(L)) break;
      }
      end = line.end;
      prev = L;
      if (this.endsWithColon(L)) sawColon = true;
    }
    return end;
  }

  /** Start of the sentence that ends at `pos`: after the previous '.', '!' or '?' on the same line. */
  private sentenceStart(pos: number, lineStart: number): number {
    let i = pos - 1;
    while (i > lineStart && /[\s.!?…:]/.test(this.text.charAt(i))) i--;
    return Math.max(this.sentenceStarts[Math.max(i, 0)] ?? 0, lineStart, pos - MAX_LEAD_IN);
  }

  private isAbbreviation(dotPos: number): boolean {
    return isAbbreviationDot(this.text, this.folded, dotPos);
  }

  /** The sentence right before a list: on the same line for an inline list, else the previous non-blank line. */
  private leadInBefore(first: Occurrence): Span | null {
    const line = this.lines[first.line]!;
    let span: Span;
    if (this.hasWord(line.start, first.markerStart)) {
      span = trimSpan(this.text, this.sentenceStart(first.markerStart, line.start), first.markerStart);
    } else {
      let p = first.line - 1;
      if (p >= 0 && this.lines[p]!.blank) p--;
      if (p < 0 || this.lines[p]!.blank || this.lineMarkers[p]) return null;
      const prev = this.lines[p]!;
      const end = trimSpan(this.text, prev.start, prev.end).end;
      span = trimSpan(this.text, this.sentenceStart(end, prev.start), end);
    }
    if (!this.hasWord(span.start, span.end)) return null;
    const endsColon = this.text.charAt(span.end - 1) === ':';
    return endsColon || mentionsTasks(this.folded, span) ? span : null;
  }
}
