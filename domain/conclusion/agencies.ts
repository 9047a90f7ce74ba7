import { foldVietnamese } from '../text.js';
import { type Token } from './text.js';
import type { AgencyMention, AgencyRole, DirectoryAgency, Span } from './types.js';

/**
 * Common abbreviations and short forms, each mapped to a fragment of the folded directory name. They only
 * resolve when exactly one directory agency's name holds the fragment: "Tòa án" alone is useless when the
 * directory has a provincial and a district court.
 */
const BUILT_IN: { phrases: string[]; target: string }[] = [
  // "nhân dân" in the abbreviation narrows it: VKSND is never the military procuracy.
  { phrases: ['vksnd', 'vien ksnd', 'vien kiem sat nhan dan'], target: 'vien kiem sat nhan dan' },
  { phrases: ['vien kiem sat', 'vks'], target: 'vien kiem sat' },
  { phrases: ['tand', 'toa an nhan dan'], target: 'toa an nhan dan' },
  { phrases: ['toa an'], target: 'toa an' },
  {
    phrases: ['thads', 'cuc thads', 'thi hanh an dan su', 'cuc thi hanh an dan su', 'co quan thi hanh an dan su'],
    target: 'thi hanh an dan su',
  },
  { phrases: ['ubnd', 'uy ban nhan dan'], target: 'uy ban nhan dan' },
  { phrases: ['hdnd', 'hoi dong nhan dan'], target: 'hoi dong nhan dan' },
  { phrases: ['mttq', 'ubmttq', 'uy ban mttq', 'mttq viet nam', 'uy ban mat tran to quoc', 'mat tran to quoc'], target: 'mat tran to quoc' },
  {
    phrases: ['bcd pctntc', 'ban chi dao pctntc', 'bcd phong chong tham nhung tieu cuc', 'ban chi dao phong chong tham nhung tieu cuc'],
    target: 'ban chi dao phong chong tham nhung tieu cuc',
  },
  { phrases: ['ca tinh'], target: 'cong an' },
  { phrases: ['cong an', 'cong an tinh'], target: 'cong an' },
  { phrases: ['bnctu', 'ban noi chinh', 'ban noi chinh tinh uy'], target: 'ban noi chinh' },
];

const LOWER_LEVEL = /^[ ]+(?:cac|cap huyen|cap xa|huyen|xa|thi xa|thanh pho|quan|phuong)(?![\p{L}\p{N}])/u;

const words = (s: string): string[] => foldVietnamese(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * Abbreviations fold onto ordinary words ("CA tỉnh" / "cả tỉnh", "TU" / "tự"), so they match only when
 * written in capitals, as abbreviations are.
 */
const ACRONYMS = new Set(['vksnd', 'vks', 'ksnd', 'tand', 'thads', 'ubnd', 'hdnd', 'mttq', 'ubmttq', 'bcd', 'pctntc', 'bnctu', 'ca']);
const isAcronym = (word: string): boolean => /^\p{Lu}{2,}$/u.test(word);
/** Positions of the words of a directory phrase written in capitals. */
const capitalised = (phrase: string): number[] =>
  phrase
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .flatMap((w, k) => (isAcronym(w) ? [k] : []));

type TrieNode = {
  next: Map<string, TrieNode>;
  exact: Set<string>;
  fuzzy: Set<string>;
  /** Word positions that must be written in capitals for this phrase to match. */
  upperAt: Set<number>;
};

const node = (): TrieNode => ({ next: new Map(), exact: new Set(), fuzzy: new Set(), upperAt: new Set() });

export type Ambiguity = { matched: string; span: Span; candidates: string[] };

export type RawMention = { agency: DirectoryAgency; matched: string; span: Span; firstToken: number; lastToken: number };

/** Longest-match phrase lookup over folded word tokens, built once per directory. */
export class AgencyMatcher {
  private readonly root = node();
  private readonly byId = new Map<string, DirectoryAgency>();
  private maxDepth = 0;

  constructor(directory: DirectoryAgency[]) {
    for (const a of directory) this.byId.set(a.id, a);
    for (const a of directory) {
      for (const phrase of [a.name, a.shortName, ...(a.aliases ?? [])]) {
        if (phrase) this.insert(words(phrase), a.id, 'exact', capitalised(phrase));
      }
    }
    const folded = directory.map((a) => ({ id: a.id, name: ` ${words(a.name).join(' ')} ` }));
    for (const entry of BUILT_IN) {
      const fits = folded.filter((a) => a.name.includes(` ${entry.target} `));
      const fitsProvince = fits.filter((a) => a.name.includes(' tinh '));
      for (const phrase of entry.phrases) {
        const ws = phrase.split(' ');
        const upper = ws.flatMap((w, k) => (ACRONYMS.has(w) ? [k] : []));
        for (const a of fits) this.insert(ws, a.id, 'fuzzy', upper);
        if (ws.at(-1) !== 'tinh') for (const a of fitsProvince) this.insert([...ws, 'tinh'], a.id, 'fuzzy', upper);
      }
    }
  }

  private insert(ws: string[], id: string, how: 'exact' | 'fuzzy', upperAt: number[]) {
    if (ws.length === 0) return;
    let n = this.root;
    for (const w of ws) {
      let child = n.next.get(w);
      if (!child) n.next.set(w, (child = node()));
      n = child;
    }
    n[how].add(id);
    for (const k of upperAt) n.upperAt.add(k);
    this.maxDepth = Math.max(this.maxDepth, ws.length);
  }

  /**
   * Scans the tokens once, taking the longest phrase at each position. Words may be separated by spaces,
   * commas or hyphens ("phòng, chống tham nhũng"), never by sentence punctuation or a line break.
   */
  find(text: string, folded: string, tokens: Token[], excluded: Span[]): { mentions: RawMention[]; ambiguities: Ambiguity[] } {
    const mentions: RawMention[] = [];
    const ambiguities: Ambiguity[] = [];
    if (this.root.next.size === 0) return { mentions, ambiguities };
    let ex = 0;
    for (let i = 0; i < tokens.length; i++) {
      const first = tokens[i]!;
      while (ex < excluded.length && excluded[ex]!.end <= first.start) ex++;
      const zone = excluded[ex];
      if (zone && zone.start <= first.start) continue;
      let n = this.root.next.get(first.text);
      let best: { node: TrieNode; last: number } | null = null;
      let j = i;
      while (n) {
        if (n.exact.size + n.fuzzy.size > 0) best = { node: n, last: j };
        const nextToken = tokens[j + 1];
        if (!nextToken || j - i + 1 >= this.maxDepth) break;
        if (!/^[ ,\-–]{1,4}$/.test(folded.slice(tokens[j]!.end, nextToken.start))) break;
        if (zone && nextToken.end > zone.start) break;
        n = n.next.get(nextToken.text);
        j++;
      }
      if (!best) continue;
      const last = tokens[best.last]!;
      const span = { start: first.start, end: last.end };
      const matched = text.slice(span.start, span.end);
      const lower = [...best.node.upperAt].some((k) => {
        const t = tokens[i + k]!;
        const written = text.slice(t.start, t.end);
        return written !== written.toUpperCase();
      });
      if (lower) continue;
      const ids = best.node.exact.size > 0 ? best.node.exact : best.node.fuzzy;
      // "UBND các huyện" names many lower-level bodies, not the one provincial agency an abbreviation resolves to.
      if (best.node.exact.size === 0 && last.text !== 'tinh' && LOWER_LEVEL.test(folded.slice(last.end, last.end + 16))) {
        i = best.last;
        continue;
      }
      if (ids.size === 1) {
        const agency = this.byId.get([...ids][0]!)!;
        mentions.push({ agency, matched, span, firstToken: i, lastToken: best.last });
      } else {
        ambiguities.push({ matched, span, candidates: [...ids].map((id) => this.byId.get(id)!.name) });
      }
      i = best.last;
    }
    return { mentions, ambiguities };
  }
}

const CONNECTOR = /^[ ]{0,3}(?:,|va|cung|,[ ]{0,3}va|\/)?[ ]{0,3}$/u;
const LEADS_AFTER = /^[ ,]{0,4}(?:(?:la|lam)[ ]+(?:co quan[ ]+|don vi[ ]+)?)?chu tri(?![\p{L}\p{N}])/u;
const GIVEN_TO = /(?:^|[^\p{L}\p{N}])giao(?:[ ]+cho)?[ ]{1,3}$/u;
const COORDINATES = /phoi hop(?:[ ]+chat che)?(?:[ ]+(?:voi|cung))?[ ]{0,3}(?:cac[ ]+|voi[ ]+)?$/u;

/**
 * Roles come from the words around each mention: "<X> chủ trì", "giao <X> …" → lead; "phối hợp với <X>" →
 * coordinating. A role spreads to neighbours joined by ", " or "và", so "Công an tỉnh, VKSND tỉnh chủ trì"
 * gives two leads.
 */
export function assignRoles(folded: string, raw: RawMention[], bounds: Span): AgencyMention[] {
  const roles: AgencyRole[] = raw.map(() => 'mentioned');
  const joined = (a: RawMention, b: RawMention) => CONNECTOR.test(folded.slice(a.span.end, b.span.start));
  for (let k = 0; k < raw.length; k++) {
    const m = raw[k]!;
    const after = folded.slice(m.span.end, Math.min(bounds.end, m.span.end + 30));
    if (LEADS_AFTER.test(after)) {
      roles[k] = 'lead';
      for (let p = k - 1; p >= 0 && joined(raw[p]!, raw[p + 1]!); p--) roles[p] = 'lead';
      continue;
    }
    if (roles[k] !== 'mentioned') continue;
    const before = folded.slice(Math.max(bounds.start, m.span.start - 40), m.span.start);
    const role: AgencyRole | null = GIVEN_TO.test(before) ? 'lead' : COORDINATES.test(before) ? 'coordinating' : null;
    if (!role) continue;
    roles[k] = role;
    for (let q = k + 1; q < raw.length && joined(raw[q - 1]!, raw[q]!); q++) {
      if (LEADS_AFTER.test(folded.slice(raw[q]!.span.end, Math.min(bounds.end, raw[q]!.span.end + 30)))) break;
      roles[q] = role;
    }
  }
  return raw.map((m, k) => ({
    agencyId: m.agency.id,
    code: m.agency.code,
    name: m.agency.name,
    matched: m.matched,
    role: roles[k]!,
    span: m.span,
  }));
}
