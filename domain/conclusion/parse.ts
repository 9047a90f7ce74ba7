import { type Ambiguity, AgencyMatcher, assignRoles } from './agencies.js';
import { findDeadlineHints, firstWrittenDate, pickDeadline, pickRegime, toRefDate } from './deadlines.js';
import { ListFinder } from './items.js';
import { ProseReader } from './prose.js';
import { buildUnits, dedupe, mentionsIn, type ReadDraft, readUnits } from './reading.js';
import { findReferences } from './references.js';
import { foldInPlace, hasWordChar, isAbbreviationDot, nestingMask, splitLines, tokenize, within } from './text.js';
import type {
  DraftDirective,
  ParseOptions,
  ParseResult,
  ParseWarning,
  Span,
} from './types.js';

export type {
  AgencyMention,
  DeadlineHint,
  DirectoryAgency,
  DocumentKind,
  DocumentRef,
  DraftDirective,
  ListKind,
  ParseOptions,
  ParseResult,
  ParseWarning,
  Passage,
  Regime,
  Span,
  UnmatchedMention,
} from './types.js';

export class ConclusionInputError extends Error {
  constructor(
    readonly code: 'empty' | 'too_large' | 'binary',
    message: string,
  ) {
    super(message);
    this.name = 'ConclusionInputError';
  }
}

export const MAX_CONCLUSION_CHARS = 200_000;

const MAX_TITLE = 200;

/**
 * Turns a conference conclusion into draft directives for a leader to review. Pure: no I/O, the same input
 * always gives the same drafts. Offsets in the result point into `result.text`, the NFC form of the input.
 */
export function parseConclusion(input: string, options: ParseOptions = {}): ParseResult {
  const text = prepare(input);
  const folded = foldInPlace(text);
  const lines = splitLines(text);
  const mask = nestingMask(text);
  const warnings: ParseWarning[] = [];

  const references = findReferences(text, folded);
  const refZones = mergeSpans(references.map((r) => r.span));
  const matcher = new AgencyMatcher(options.directory ?? []);
  const { mentions, ambiguities } = matcher.find(text, folded, tokenize(folded), refZones);

  let refDate = toRefDate(options.referenceDate);
  if (options.referenceDate !== undefined && !refDate) {
    warnings.push({ code: 'invalid_reference_date', message: `The reference date "${options.referenceDate}" is not an ISO date, so it was ignored.` });
  }
  refDate ??= firstWrittenDate(folded);

  const finder = new ListFinder(text, folded, lines, mask);
  const reader = new ProseReader(text, folded, mask, mentions.map((m) => m.span));
  const units = buildUnits(text, folded, finder, reader, lines);
  const read = readUnits(units, { text, folded, reader, mentions, references, refDate, lines });

  if (read.drafts.length === 0) {
    warnings.push({ code: 'no_list', message: 'No list of tasks and no passage of instructions was found; the text reads as assessment or report.' });
    return {
      text,
      statedCount: null,
      leadIn: null,
      addressees: [],
      drafts: [],
      references,
      warnings,
      listKind: null,
      referenceDate: refDate?.iso ?? null,
      passages: read.passages,
      unmatchedMentions: [],
    };
  }

  const first = read.drafts[0]!;
  const leadIn = first.leadIn ? { text: text.slice(first.leadIn.start, first.leadIn.end), span: first.leadIn } : null;
  const statedCount = leadIn ? statedCountOf(folded.slice(leadIn.span.start, leadIn.span.end)) : null;
  const addressees = leadIn ? assignRoles(folded, mentionsIn(mentions, leadIn.span), leadIn.span) : [];
  const underLeadIn = read.drafts.filter((d) => d.passage === first.passage && d.leadIn === first.leadIn);
  const n = underLeadIn.length;
  if (statedCount !== null && statedCount !== n) {
    warnings.push({
      code: 'count_mismatch',
      message: `The lead-in announces ${statedCount} tasks but ${n} items were found.`,
      span: leadIn!.span,
    });
  }
  const prose = read.drafts.filter((d) => d.kind === 'sentences');
  if (prose.length > 0) {
    warnings.push({
      code: 'low_confidence',
      message: `${prose.length === read.drafts.length ? 'The tasks were' : `${prose.length} tasks were`} split from running sentences, so check where each one starts and ends.`,
      span: { start: prose[0]!.span.start, end: prose[prose.length - 1]!.span.end },
    });
  }

  const listSizes = new Map<unknown, number>();
  for (const d of read.drafts) if (d.list) listSizes.set(d.list, (listSizes.get(d.list) ?? 0) + 1);
  const drafts: DraftDirective[] = read.drafts.map((item, k) => {
    const span = item.span;
    const itemRefs = references.filter((r) => within(r.span, span));
    const agencies = assignRoles(folded, mentionsIn(mentions, span), span);
    const hints = findDeadlineHints(text, folded, span, itemRefs.map((r) => r.span), refDate);
    const { title, truncated } = titleOf(text, folded, mask, span);
    if (truncated) {
      warnings.push({ code: 'truncated_title', message: `The title of item ${k + 1} was cut to ${MAX_TITLE} characters.`, span });
    }
    const addressed = item.addressee?.agencies ?? [];
    const lead = agencies.find((a) => a.role === 'lead') ?? addressed[0] ?? null;
    const coordinating = dedupe([...agencies.filter((a) => a.role === 'coordinating'), ...addressed.slice(1)].filter((a) => a.agencyId !== lead?.agencyId));
    const stated = item.leadIn === first.leadIn && item.passage === first.passage ? statedCount : null;
    const base = baseConfidence(item, stated, listSizes.get(item.list) ?? 1);
    const own = pickDeadline(hints);
    return {
      index: k + 1,
      marker: item.marker,
      title,
      body: text.slice(span.start, span.end),
      span,
      confidence: clamp(base - (truncated ? 0.1 : 0)),
      references: itemRefs,
      agencies,
      leadAgency: lead ? { agencyId: lead.agencyId, code: lead.code } : null,
      coordinatingAgencies: coordinating.map((a) => ({ agencyId: a.agencyId, code: a.code })),
      deadline: own ?? item.frame,
      deadlineFrom: own ? 'item' : item.frame ? 'passage' : null,
      timeFrame: item.frame,
      regime: pickRegime(hints),
      deadlineHints: hints,
      titleTruncated: truncated,
      addressee: item.addressee ? { text: item.addressee.text, span: item.addressee.span, matched: item.addressee.agencies.length > 0 } : null,
      passage: item.passage,
    };
  });

  const inDrafts = [...(leadIn ? [leadIn.span] : []), ...read.drafts.map((d) => d.span), ...read.drafts.flatMap((d) => (d.addressee ? [d.addressee.span] : []))];
  warnings.push(...ambiguityWarnings(ambiguities, inDrafts));

  return {
    text,
    statedCount,
    leadIn,
    addressees,
    drafts,
    references,
    warnings,
    listKind: first.kind,
    referenceDate: refDate?.iso ?? null,
    passages: read.passages,
    unmatchedMentions: read.unmatched,
  };
}

/** Rejects what cannot be a conclusion before any pattern runs, so a huge or binary upload costs one pass at most. */
function prepare(input: string): string {
  if (typeof input !== 'string') throw new ConclusionInputError('binary', 'The conclusion must be text.');
  if (input.length > MAX_CONCLUSION_CHARS) {
    throw new ConclusionInputError('too_large', `The conclusion has ${input.length} characters, more than the limit of ${MAX_CONCLUSION_CHARS}.`);
  }
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (!/\S/.test(s)) throw new ConclusionInputError('empty', 'The conclusion is empty.');
  let controls = 0;
  let replacements = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) throw new ConclusionInputError('binary', 'The conclusion contains NUL characters, so it is not text.');
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c <= 0x9f)) controls++;
    else if (c === 0xfffd) replacements++;
  }
  if (controls > s.length * 0.1) throw new ConclusionInputError('binary', 'More than a tenth of the conclusion is control characters, so it is not text.');
  if (replacements > s.length * 0.01) {
    throw new ConclusionInputError('binary', 'The conclusion holds many undecodable characters (U+FFFD), so it was probably not UTF-8 text.');
  }
  return s.normalize('NFC').replace(/\r\n?/g, '\n');
}

const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10 };
const STATED_COUNT =
  /(?<![\p{L}\p{N}])(\d{1,3}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi)[ ]+(?:nhom[ ]+)?(?:nhiem vu|noi dung|giai phap|van de|cong viec|yeu cau|nhom|diem|muc|viec|chi tieu|chuong trinh|kien nghi|de nghi)(?![\p{L}\p{N}])/u;

/** "06 nhiệm vụ trọng tâm" → 6, "ba nhiệm vụ" → 3; "các nhiệm vụ sau" states no count. */
function statedCountOf(foldedLeadIn: string): number | null {
  const m = STATED_COUNT.exec(foldedLeadIn);
  if (!m) return null;
  const word = m[1]!;
  const value = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word];
  return value !== undefined && value > 0 ? value : null;
}

/**
 * How much the split can be trusted, before per-item deductions. Consecutive numbers rarely happen by
 * accident, and a stated count that matches confirms the split (0.9; 0.8 with no count; 0.6 when the count
 * disagrees). Letters are sequential too but often mark sub-points (0.75); bullets carry no order (0.65); for
 * those, a matching count adds 0.05 and a disagreeing one takes 0.2. A clause of prose depends on punctuation
 * alone: 0.5 when it opens with a verb of instruction, 0.4 when its passage alone made it a task. Each item then
 * loses 0.1 if its title had to be cut.
 */
function baseConfidence(item: ReadDraft, stated: number | null, count: number): number {
  const kind = item.kind;
  if (kind === 'sentences') return item.instructs ? 0.5 : 0.4;
  if (kind === 'parenthesised' || kind === 'numbered') return stated === null ? 0.8 : stated === count ? 0.9 : 0.6;
  const base = kind === 'lettered' ? 0.75 : 0.65;
  return stated === null ? base : stated === count ? base + 0.05 : base - 0.2;
}

const clamp = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;

const NESTED_MARKER = /^[ \t]*(?:\(\d{1,2}\)|\d{1,2}[.)][ \t]|[a-zđ]\)|[-+•–][ \t])/u;

/**
 * First clause: up to the first ';' or sentence-ending '.' outside quotes and parentheses. A line break ends
 * it only before a nested list or after a ':'; otherwise it is just hard-wrapped text.
 */
function titleOf(text: string, folded: string, mask: Uint8Array, span: Span): { title: string; truncated: boolean } {
  let end = span.end;
  for (let i = span.start; i < span.end; i++) {
    if (mask[i]) continue;
    const c = text.charAt(i);
    const stops =
      c === ';' ||
      (c === '.' && (i + 1 === span.end || /\s/.test(text.charAt(i + 1))) && !isAbbreviationDot(text, folded, i)) ||
      (c === '\n' && (/:\s*$/.test(text.slice(Math.max(span.start, i - 8), i)) || NESTED_MARKER.test(text.slice(i + 1, i + 12))));
    if (stops) {
      end = i;
      break;
    }
  }
  const tidy = (s: string) => s.replace(/\s+/g, ' ').replace(/[\s,:;–-]+$/, '').trim();
  let title = tidy(text.slice(span.start, end));
  if (!hasWordChar(title)) title = tidy(text.slice(span.start, span.end));
  if (title.length <= MAX_TITLE) return { title, truncated: false };
  const cut = title.lastIndexOf(' ', MAX_TITLE - 1);
  return { title: `${title.slice(0, cut > MAX_TITLE / 2 ? cut : MAX_TITLE - 1).trimEnd()}…`, truncated: true };
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

function ambiguityWarnings(ambiguities: Ambiguity[], spans: Span[]): ParseWarning[] {
  const seen = new Set<string>();
  const out: ParseWarning[] = [];
  for (const a of ambiguities) {
    if (seen.has(a.matched) || !spans.some((s) => within(a.span, s))) continue;
    seen.add(a.matched);
    out.push({
      code: 'ambiguous_agency',
      message: `"${a.matched}" fits several directory agencies (${a.candidates.join(', ')}), so it was not matched.`,
      span: a.span,
    });
  }
  return out;
}
