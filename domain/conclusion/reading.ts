import { assignRoles, type RawMention } from './agencies.js';
import { findDeadlineHints, pickDeadline, type RefDate } from './deadlines.js';
import { type Candidate, isRecognisedLeadIn, type ListFinder } from './items.js';
import { type Clause, type ProseReader, TASK_HEADING_START, TASK_LEAD_IN } from './prose.js';
import { type Line, lineIndexAt, trimSpan } from './text.js';
import type { AgencyMention, DeadlineHint, DocumentRef, ListKind, Passage, Span, UnmatchedMention } from './types.js';

/** A piece of the text that may be a task: an item of a marked list, or a clause of the prose around them. */
export type Unit = { span: Span; marker: string; kind: ListKind; list: Candidate | null; leadIn: boolean; paragraph: number };

/** A body a lead-in, heading or paragraph addresses: the directory agencies in it, and the parts none covers. */
export type Addressee = { text: string; span: Span; agencies: AgencyMention[]; unmatched: UnmatchedMention[] };

export type ReadDraft = {
  span: Span;
  marker: string;
  kind: ListKind;
  list: Candidate | null;
  /** Opens with a verb of instruction (prose drafts without one were taken from their passage alone). */
  instructs: boolean;
  addressee: Addressee | null;
  frame: DeadlineHint | null;
  leadIn: Span | null;
  passage: number;
};

/**
 * The units of a text: every item of a marked list that is a task or a leaf, and the prose between them cut into
 * clauses. An item holding a nested list is one task when it opens with an instruction ("1. Tăng cường …:" with
 * its "+" details); otherwise it is a section ("2. Nhiệm vụ thời gian tới", "1. Đề nghị Công an tỉnh:") whose own
 * words are prose and whose nested items are units.
 */
export function buildUnits(text: string, folded: string, finder: ListFinder, reader: ProseReader, lines: Line[]): Unit[] {
  const lineOf = (pos: number) => lineIndexAt(lines, pos);
  const items = finder
    .marked()
    .flatMap((list) => list.items.map((it) => ({ span: it.span, marker: it.marker, kind: list.kind, list })))
    .sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  const units: Unit[] = [];
  let blockedUntil = -1;
  let lastEnd = -1;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.span.start < blockedUntil || item.span.start < lastEnd) continue;
    const next = items[i + 1];
    const hasChildren = next !== undefined && next.span.start < item.span.end;
    const nl = text.indexOf('\n', item.span.start);
    const firstLine = trimSpan(text, item.span.start, nl === -1 || nl > item.span.end ? item.span.end : nl);
    const multiLine = firstLine.end < item.span.end;
    // A one-line item that reads as a heading ("1. Về tình hình, kết quả công tác năm 2022") is read as prose.
    if (!hasChildren && !multiLine && !/[.;:!?…]$/.test(folded.slice(item.span.start, item.span.end)) && words(folded.slice(item.span.start, item.span.end)) <= 20) {
      const after = /^[ \t]*\n(?:[ \t]*\n)?\s*(\S[^\n]{0,6})/.exec(text.slice(item.span.end, item.span.end + 200));
      const blank = after !== null && /^[ \t]*\n[ \t]*\n/.test(text.slice(item.span.end, item.span.end + 200));
      const nextIsItem = after !== null && /^(?:\(\d|\d{1,2}[.)]|[a-zđ]\)|[-+•–][ \t])/u.test(after[1]!);
      const nextUpper = after !== null && after[1]!.charAt(0) !== after[1]!.charAt(0).toLowerCase();
      const short = words(folded.slice(item.span.start, item.span.end)) <= 8;
      if (after !== null && !nextIsItem && (blank || (nextUpper && short)) && (reader.kind(item.span, reader.head(item.span)) !== 'instruction' || short)) continue;
    }
    if (hasChildren || multiLine) {
      const head = reader.head(firstLine);
      const kind = reader.kind(firstLine, head);
      const firstText = folded.slice(firstLine.start, firstLine.end);
      const announces = firstText.endsWith(':') && (head.cue || head.addressee !== null) && head.bodyStart >= firstLine.end - 1;
      const nextChar = text.slice(firstLine.end, item.span.end).trimStart().charAt(0);
      const newParagraphAfter = nextChar !== '' && nextChar !== nextChar.toLowerCase();
      const heading = !/[.;:!?…]$/.test(firstText) && (firstText.match(/[\p{L}\p{N}]+/gu) ?? []).length <= 14 && newParagraphAfter;
      const section = heading || announces || (kind !== 'instruction' && hasChildren);
      if (section) continue;
      blockedUntil = item.span.end;
    }
    units.push({ span: item.span, marker: item.marker, kind: item.kind, list: item.list, leadIn: false, paragraph: reader.paragraphOf(lineOf(item.span.start), lines) });
    lastEnd = item.span.end;
  }
  const prose: Unit[] = [];
  let from = 0;
  const gap = (to: number) => {
    if (to > from) {
      for (const c of reader.clauses(from, to, lines, lineOf)) prose.push(clauseUnit(c));
    }
  };
  for (const u of units) {
    gap(u.span.start);
    from = Math.max(from, u.span.end);
  }
  gap(text.length);
  return [...units, ...prose].sort((a, b) => a.span.start - b.span.start);
}

const clauseUnit = (c: Clause): Unit => ({ span: c.span, marker: c.marker, kind: 'sentences', list: null, leadIn: c.leadIn, paragraph: c.paragraph });

type Context = {
  text: string;
  folded: string;
  reader: ProseReader;
  mentions: RawMention[];
  references: DocumentRef[];
  refDate: RefDate | null;
  lines: Line[];
};

const words = (s: string): number => (s.match(/[\p{L}\p{N}]+/gu) ?? []).length;

/**
 * Reads the units in order, as a reader would: a lead-in, a heading or a clause that asks ("đề nghị", "yêu cầu",
 * "giao", "Về nhiệm vụ …", "Đối với …:") opens a passage of tasks and may name who is addressed and by when;
 * a clause of report (what was done: "đã", "được", figures; praise and shortcomings) at the start of a paragraph
 * closes it; the implementation clause, the closing and the signature end the tasks. Inside a passage a clause
 * that instructs is a task, a clause too short to be one joins the task before it.
 */
export function readUnits(units: Unit[], ctx: Context): { drafts: ReadDraft[]; passages: Passage[]; unmatched: UnmatchedMention[] } {
  const { text, folded, reader } = ctx;
  const drafts: ReadDraft[] = [];
  const labels: { span: Span; kind: Passage['kind'] }[] = [];

  let inPassage = false;
  /** Under an assessment lead-in or heading ("Kết quả đạt được:"), until a passage of tasks opens. */
  let assessing = false;
  let closed = false;
  let passage = 0;
  let addressee: Addressee | null = null;
  let frame: DeadlineHint | null = null;
  let paragraphFrame: { paragraph: number; hint: DeadlineHint } | null = null;
  let leadIn: Span | null = null;
  let sentenceMode: 'task' | 'report' | null = null;
  let prevParagraph = -1;
  let prevEnd = -1;
  let lastWasDraft = false;
  const listInstructs = new Map<Candidate, boolean>();

  const resolve = (span: Span): Addressee => {
    const raw = mentionsIn(ctx.mentions, span);
    const agencies = dedupe(assignRoles(folded, raw, span));
    // The parts of the phrase no directory name covers: "UBND các xã" in "Sở Tư pháp và UBND các xã".
    let at = span.start;
    const parts: Span[] = [];
    for (const m of raw) {
      parts.push({ start: at, end: m.span.start });
      at = m.span.end;
    }
    parts.push({ start: at, end: span.end });
    const unmatched: UnmatchedMention[] = [];
    for (const p of parts) {
      const t = trimSpan(text, p.start, p.end);
      // The joins around a directory name are not a body: "và", "cùng", ",".
      const lead = /^(?:[,;]|\s|(?:và|cùng|với)(?=\s|$))+/u.exec(text.slice(t.start, t.end));
      if (lead) t.start += lead[0].length;
      const tail = /(?:[,;]|\s|(?<=\s)(?:và|cùng|với))+$/u.exec(text.slice(t.start, t.end));
      if (tail) t.end -= tail[0].length;
      if (t.end <= t.start || words(text.slice(t.start, t.end)) === 0) continue;
      unmatched.push({ text: text.slice(t.start, t.end), span: t });
    }
    return { text: text.slice(span.start, span.end), span, agencies, unmatched };
  };
  const frameIn = (span: Span): DeadlineHint | null =>
    span.end > span.start ? pickDeadline(findDeadlineHints(text, folded, span, ctx.references.map((r) => r.span), ctx.refDate)) : null;
  const endPassage = () => {
    inPassage = false;
    addressee = null;
    frame = null;
    paragraphFrame = null;
    leadIn = null;
  };
  const label = (span: Span, kind: Passage['kind']) => labels.push({ span, kind });

  for (const u of units) {
    const newParagraph = u.paragraph !== prevParagraph;
    const afterPrev = prevEnd >= 0 ? text.slice(prevEnd, u.span.start) : '';
    const sameSentence = !newParagraph && /^[\s]*[;:]/.test(afterPrev);
    if (!sameSentence) sentenceMode = null;
    prevParagraph = u.paragraph;
    prevEnd = u.span.end;
    if (paragraphFrame && paragraphFrame.paragraph !== u.paragraph) paragraphFrame = null;

    if (reader.isClosing(u.span)) {
      endPassage();
      closed = true;
      lastWasDraft = false;
      label(u.span, 'closing');
      continue;
    }
    const head = reader.head(u.span);
    const kind = reader.kind(u.span, head);
    const f = folded.slice(u.span.start, u.span.end);
    const isLeadIn =
      (u.leadIn && (head.cue || TASK_LEAD_IN.test(f) || kind !== 'instruction' || words(folded.slice(head.bodyStart, u.span.end)) === 0)) ||
      (u.kind === 'sentences' && kind !== 'report' && reader.announces(u.span));
    const line = ctx.lines[lineIndexAt(ctx.lines, u.span.start)]!;
    const lineEnd = ctx.lines[lineIndexAt(ctx.lines, u.span.end)]!.end;
    const wholeLine =
      u.span.start - line.start <= 8 &&
      /^\s*(?:[IVXivx]+[.)]|\d{1,2}[.)]|[a-zđ][.)]|[-+•–])?\s*$/u.test(text.slice(line.start, u.span.start)) &&
      !/\S/.test(text.slice(u.span.end, lineEnd));
    // A heading: a whole line without a full stop, numbered, in capitals, or standing alone between blank lines.
    const marked = /\S/.test(text.slice(line.start, u.span.start)) || !/\p{Ll}/u.test(text.slice(u.span.start, u.span.end));
    const alone = /\n[ \t]*\n[ \t]*$|^\s*$/.test(text.slice(Math.max(0, line.start - 4), line.start)) && /^[ \t]*(?:\n[ \t]*\n|\s*$)/.test(text.slice(lineEnd, lineEnd + 4));
    const headingLike = u.kind === 'sentences' && wholeLine && (marked || alone) && !/[.;:!?…]\s*$/.test(f) && words(f) <= 20 && !/^\d/.test(f);
    const taskHeading =
      TASK_HEADING_START.test(f) || ((isLeadIn || headingLike) && TASK_LEAD_IN.test(f)) || (isLeadIn && kind !== 'report' && isRecognisedLeadIn(text, folded, u.span));
    const opens = (head.cue || taskHeading) && (!closed || taskHeading) && sentenceMode !== 'report' && (kind !== 'report' || u.leadIn || headingLike);
    const subjectStyle = head.addressee !== null && head.bodyStart === head.addressee.start;
    // A person is not a body to assign to: "Đồng chí … chủ trì hội nghị" opens nothing.
    const bodySubject = subjectStyle && !/^(?:cac[ ]+)?dong chi(?![\p{L}\p{N}])/u.test(folded.slice(head.addressee!.start, head.addressee!.end));

    if (opens) {
      assessing = false;
      if (!inPassage) passage++;
      inPassage = true;
      closed = false;
      sentenceMode = 'task';
    }
    if (opens && u.list === null) {
      // A lead-in's or heading's frame is every hint in it ("2. Về nhiệm vụ bảo đảm an ninh, trật tự dịp Tết …");
      // a clause's, what stands before its task ("Từ nay đến hết quý I/2026, …", "Về nhiệm vụ năm 2027, đề nghị").
      const leadPart: Span = isLeadIn || headingLike ? u.span : { start: u.span.start, end: Math.max(u.span.start, head.bodyStart) };
      const hint = frameIn(leadPart) ?? (head.frame ? frameIn(head.frame) : null);
      if (hint) {
        if (isLeadIn || headingLike || taskHeading) frame = hint;
        else paragraphFrame = { paragraph: u.paragraph, hint };
      }
      if (head.addressee && !subjectStyle) addressee = resolve(head.addressee);
      else if (isLeadIn) {
        const named = dedupe(assignRoles(folded, mentionsIn(ctx.mentions, u.span), u.span));
        addressee = named.length === 1 ? { text: named[0]!.matched, span: named[0]!.span, agencies: named, unmatched: [] } : null;
      } else if (!subjectStyle && head.bodyStart > u.span.start) addressee = null;
    }
    if (isLeadIn) leadIn = u.span;

    // "Từ nay đến hết quý I/2026, tập trung …" in a passage: the frame holds for the rest of the paragraph.
    if (!opens && inPassage && u.list === null && head.frame) {
      const hint = frameIn(head.frame);
      if (hint) paragraphFrame = { paragraph: u.paragraph, hint };
    }
    if (isLeadIn || (headingLike && !subjectStyle)) {
      if (!opens && (kind === 'report' || /^(?:[ivx]+[.)][ ]*|\d{1,2}[.)][ ]*)?(?:ve[ ]+)?(?:ket qua|danh gia|tinh hinh)/u.test(f))) {
        endPassage();
        assessing = true;
      }
      label(u.span, inPassage ? 'tasks' : 'assessment');
      lastWasDraft = false;
      continue;
    }

    let task = false;
    // A clause that asks but says no task ("Tuy vậy, đồng chí lưu ý tai nạn … vẫn chiếm tỷ lệ cao") only opens.
    if (opens && u.list === null && kind !== 'instruction' && !subjectStyle) {
      label(u.span, 'tasks');
      lastWasDraft = false;
      continue;
    }
    if (kind === 'report') {
      if (newParagraph && !opens) endPassage();
      sentenceMode = 'report';
    } else if (closed || sentenceMode === 'report') {
      task = false;
    } else if (kind === 'instruction') {
      let listOk = false;
      if (u.list) {
        let ok = listInstructs.get(u.list);
        if (ok === undefined) {
          const heads = u.list.items.map((it) => reader.kind(it.span, reader.head(it.span)));
          ok = heads.filter((k) => k === 'instruction').length >= Math.ceil(heads.length * 0.6);
          listInstructs.set(u.list, ok);
        }
        listOk = ok;
      }
      // Outside a passage, results read like instructions ("Phát hiện, bắt giữ 212 vụ"): their figures tell them apart.
      task = inPassage || opens || (!assessing && !reader.hasFigures(u.span) && (bodySubject || listOk));
    } else {
      task = inPassage && (u.list !== null || sentenceMode === 'task');
    }

    if (u.kind === 'sentences' && (task || kind === 'neutral') && !opens && !subjectStyle && lastWasDraft && !newParagraph && reader.isFragment(u.span, head)) {
      const last = drafts[drafts.length - 1]!;
      last.span = { start: last.span.start, end: u.span.end };
      label(u.span, 'tasks');
      continue;
    }
    if (!task) {
      label(u.span, inPassage ? 'tasks' : 'assessment');
      lastWasDraft = false;
      continue;
    }
    if (!inPassage) {
      passage++;
      inPassage = true;
    }
    // A paragraph's subject stays the addressee of what follows until another is named; an item's only of itself.
    const own = subjectStyle ? resolve(head.addressee!) : null;
    if (own && u.list === null) addressee = own;
    sentenceMode = 'task';
    const start = u.kind === 'sentences' && !subjectStyle ? head.bodyStart : u.span.start;
    const span = trimSpan(text, Math.min(start, u.span.end), u.span.end);
    if (span.end <= span.start || words(text.slice(span.start, span.end)) === 0) {
      lastWasDraft = false;
      continue;
    }
    drafts.push({
      span,
      marker: u.marker,
      kind: u.kind,
      list: u.list,
      instructs: kind === 'instruction',
      addressee: own ?? addressee,
      frame: paragraphFrame?.hint ?? frame,
      leadIn,
      passage,
    });
    label(u.span, 'tasks');
    lastWasDraft = true;
  }

  const passages: Passage[] = [];
  for (const l of labels) {
    const last = passages[passages.length - 1];
    if (last && last.kind === l.kind) last.span = { start: last.span.start, end: l.span.end };
    else passages.push({ kind: l.kind, span: { ...l.span }, excerpt: '' });
  }
  for (const p of passages) {
    const t = text.slice(p.span.start, p.span.end).replace(/\s+/g, ' ');
    p.excerpt = t.length > 100 ? `${t.slice(0, t.lastIndexOf(' ', 99) > 50 ? t.lastIndexOf(' ', 99) : 99)}…` : t;
  }
  // The names the drafts are addressed to that the directory does not know, each once.
  const unmatched = new Map<string, UnmatchedMention>();
  for (const m of drafts.flatMap((d) => d.addressee?.unmatched ?? [])) {
    const key = folded.slice(m.span.start, m.span.end);
    if (!unmatched.has(key)) unmatched.set(key, m);
  }
  return { drafts, passages, unmatched: [...unmatched.values()] };
}

/** Mentions are sorted by offset: binary search for the first one inside `span`. */
export function mentionsIn(mentions: RawMention[], span: Span): RawMention[] {
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

export function dedupe(mentions: AgencyMention[]): AgencyMention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => !seen.has(m.agencyId) && seen.add(m.agencyId));
}
