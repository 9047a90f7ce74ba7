import { type Ambiguity, AgencyMatcher, assignRoles, type RawMention } from './agencies.js';
import { findDeadlineHints, firstWrittenDate, pickDeadline, pickRegime, toRefDate } from './deadlines.js';
import { chooseCandidate, ListFinder } from './items.js';
import { findReferences } from './references.js';
import { foldInPlace, hasWordChar, isAbbreviationDot, nestingMask, splitLines, tokenize, within } from './text.js';
import type {
  AgencyMention,
  DraftDirective,
  ListKind,
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
  Regime,
  Span,
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

  const chosen = chooseCandidate(new ListFinder(text, folded, lines, mask).candidates());
  if (!chosen) {
    warnings.push({ code: 'no_list', message: 'No numbered, lettered, bulleted or sentence list of tasks was found.' });
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
    };
  }

  const leadIn = chosen.leadIn ? { text: text.slice(chosen.leadIn.start, chosen.leadIn.end), span: chosen.leadIn } : null;
  const statedCount = leadIn ? statedCountOf(folded.slice(leadIn.span.start, leadIn.span.end)) : null;
  const addressees = leadIn ? assignRoles(folded, mentionsIn(mentions, leadIn.span), leadIn.span) : [];
  const addresseeIds = [...new Set(addressees.map((a) => a.agencyId))];
  const addressee = addresseeIds.length === 1 ? addressees[0]! : null;

  const n = chosen.items.length;
  if (statedCount !== null && statedCount !== n) {
    warnings.push({
      code: 'count_mismatch',
      message: `The lead-in announces ${statedCount} tasks but ${n} items were found.`,
      span: leadIn!.span,
    });
  }
  if (chosen.kind === 'sentences') {
    warnings.push({
      code: 'low_confidence',
      message: 'The tasks were split from running sentences, so check where each one starts and ends.',
      span: chosen.extent,
    });
  }

  const base = baseConfidence(chosen.kind, statedCount, n);
  const drafts: DraftDirective[] = chosen.items.map((item, k) => {
    const span = item.span;
    const itemRefs = references.filter((r) => within(r.span, span));
    const agencies = assignRoles(folded, mentionsIn(mentions, span), span);
    const hints = findDeadlineHints(text, folded, span, itemRefs.map((r) => r.span), refDate);
    const { title, truncated } = titleOf(text, folded, mask, span);
    if (truncated) {
      warnings.push({ code: 'truncated_title', message: `The title of item ${k + 1} was cut to ${MAX_TITLE} characters.`, span });
    }
    const lead = agencies.find((a) => a.role === 'lead') ?? addressee;
    const coordinating = dedupe(agencies.filter((a) => a.role === 'coordinating' && a.agencyId !== lead?.agencyId));
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
      deadline: pickDeadline(hints),
      regime: pickRegime(hints),
      deadlineHints: hints,
      titleTruncated: truncated,
    };
  });

  warnings.push(...ambiguityWarnings(ambiguities, [...(leadIn ? [leadIn.span] : []), ...chosen.items.map((i) => i.span)]));

  return {
    text,
    statedCount,
    leadIn,
    addressees,
    drafts,
    references,
    warnings,
    listKind: chosen.kind,
    referenceDate: refDate?.iso ?? null,
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
 * disagrees). Letters are sequential too but often mark sub-points (0.75); bullets carry no order (0.65);
 * a sentence list depends on punctuation alone (0.5). For those, a matching count adds 0.05 and a
 * disagreeing one takes 0.2. Each item then loses 0.1 if its title had to be cut.
 */
function baseConfidence(kind: ListKind, stated: number | null, count: number): number {
  if (kind === 'parenthesised' || kind === 'numbered') return stated === null ? 0.8 : stated === count ? 0.9 : 0.6;
  const base = kind === 'lettered' ? 0.75 : kind === 'bulleted' ? 0.65 : 0.5;
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

/** Mentions are sorted by offset: binary search for the first one inside `span`. */
function mentionsIn(mentions: RawMention[], span: Span): RawMention[] {
  let lo = 0;
  let hi = mentions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (mentions[mid]!.span.start < span.start) lo = mid + 1;
    else hi = mid;
  }
  const out: RawMention[] = [];
  for (let i = lo; i < mentions.length && mentions[i]!.span.start < span.end; i++) if (mentions[i]!.span.end <= span.end) out.push(mentions[i]!);
  return out;
}

function dedupe(mentions: AgencyMention[]): AgencyMention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => !seen.has(m.agencyId) && seen.add(m.agencyId));
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
