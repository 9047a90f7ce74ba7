import { isoDate } from './text.js';
import type { DocumentKind, DocumentRef } from './types.js';

const KINDS: [label: string, kind: DocumentKind][] = [
  ['chi thi', 'chi_thi'],
  ['cong van', 'cong_van'],
  ['huong dan', 'huong_dan'],
  ['nghi quyet lien tich', 'nghi_quyet'],
  ['nghi quyet', 'nghi_quyet'],
  ['ket luan', 'ket_luan'],
  ['quyet dinh', 'quyet_dinh'],
  ['ke hoach', 'ke_hoach'],
  ['thong bao ket luan', 'thong_bao'],
  ['thong bao', 'thong_bao'],
  ['quy dinh', 'quy_dinh'],
  ['quy che', 'quy_che'],
  ['chuong trinh', 'chuong_trinh'],
  ['bao cao', 'bao_cao'],
  ['thong tu lien tich', 'thong_tu'],
  ['thong tu', 'thong_tu'],
  ['nghi dinh', 'nghi_dinh'],
  ['luat', 'luat'],
  ['thong tri', 'other'],
  ['to trinh', 'other'],
  ['de an', 'other'],
  ['phap lenh', 'other'],
];

const kindOf = new Map(KINDS.map(([label, kind]) => [label, kind]));

const labelPattern = KINDS.map(([label]) => label.replace(/ /g, ' +')).join('|');

/** Runs on the folded text; every quantifier is bounded or separated by fixed punctuation, so no backtracking blow-up. */
const REF = new RegExp(
  `(?<![\\p{L}\\p{N}])(${labelPattern}) +(so *:? *)?(\\d{1,6}(?:[-/.][\\p{L}\\p{N}]{1,20}){0,4})(?![\\p{L}\\p{N}])`,
  'gu',
);
const DATE = /[ ]{0,3},?[ ]{0,3}(?:ban hanh[ ]{1,3})?(?:ngay[ ]{1,3})?(\d{1,2})[ ]{0,2}(?:\/|-|\.|thang[ ]{1,3})[ ]{0,2}(\d{1,2})[ ]{0,2}(?:\/|-|\.|nam[ ]{1,3})[ ]{0,2}(\d{4})(?![\p{L}\p{N}])/uy;
const ISSUER_START = /[ ]{0,3},?[ ]{0,3}cua[ ]{1,3}/uy;
const ISSUER_END = /[“”"«»,;:()[\]\n]|\.(?=\s|$)| (?:ve|nham|theo|de|va|tai|trong|thi|dong thoi) /u;
const TITLE_START = /[ ]{0,3},?[ ]{0,3}(?:ve[ ]{1,3})?([“"«])/uy;
const CLOSING: Record<string, string> = { '“': '”', '"': '"', '«': '»' };
const MAX_ISSUER = 160;
const MAX_TITLE = 1000;

export function findReferences(text: string, folded: string): DocumentRef[] {
  const matches = [...folded.matchAll(REF)];
  const refs: DocumentRef[] = [];
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i]!;
    const [whole, label, so, token] = m as unknown as [string, string, string | undefined, string];
    const hasCode = /[-/]/.test(token);
    // "báo cáo 6 tháng" or "Nghị quyết 35" is not a citation; a code or the word "số" makes it one.
    if (!so && !hasCode) continue;
    const start = m.index;
    const tokenStart = start + whole.length - token.length;
    const written = text.slice(tokenStart, tokenStart + token.length);
    const split = /^(\d+)[-/.](.+)$/.exec(written);
    let end = tokenStart + token.length;
    const nextStart = matches[i + 1]?.index ?? folded.length;

    let date: string | null = null;
    DATE.lastIndex = end;
    const d = DATE.exec(folded);
    if (d) {
      const iso = isoDate(Number(d[3]), Number(d[2]), Number(d[1]));
      if (iso) {
        date = iso;
        end = DATE.lastIndex;
      }
    }

    let issuer: string | null = null;
    ISSUER_START.lastIndex = end;
    if (ISSUER_START.exec(folded)) {
      const from = ISSUER_START.lastIndex;
      const limit = Math.min(from + MAX_ISSUER, nextStart, folded.length);
      const rest = folded.slice(from, limit);
      const stop = ISSUER_END.exec(rest);
      const to = from + (stop ? stop.index : rest.length);
      const value = text.slice(from, to).trim();
      if (/[\p{L}\p{N}]/u.test(value)) {
        issuer = value;
        end = from + text.slice(from, to).trimEnd().length;
      }
    }

    let title: string | null = null;
    TITLE_START.lastIndex = end;
    const t = TITLE_START.exec(folded);
    if (t) {
      const open = TITLE_START.lastIndex - 1;
      const close = findClosing(text, open + 1, CLOSING[t[1]!]!);
      if (close !== -1) {
        const value = text.slice(open + 1, close).trim();
        if (value) {
          title = value;
          end = close + 1;
        }
      }
    }

    refs.push({
      kind: kindOf.get(label.replace(/ +/g, ' ')) ?? 'other',
      kindLabel: text.slice(start, start + label.length),
      number: split ? split[1]! : written,
      code: split ? split[2]! : null,
      ref: written,
      date,
      issuer,
      title,
      span: { start, end },
    });
  }
  return refs;
}

function findClosing(text: string, from: number, closer: string): number {
  const limit = Math.min(text.length, from + MAX_TITLE);
  for (let i = from; i < limit; i++) {
    const c = text.charAt(i);
    if (c === '\n') return -1;
    if (c === closer) return i;
  }
  return -1;
}
