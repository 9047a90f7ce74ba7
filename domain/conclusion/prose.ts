import { isAbbreviationDot, type Line, trimSpan } from './text.js';
import type { Span } from './types.js';

/**
 * Reading a conclusion as prose: which clauses give instructions and which report, and what a lead-in, a heading
 * or the start of a paragraph says about the clauses under it (who is addressed, by when). Everything here works
 * on the folded text (lower case, no diacritics, one code unit per code unit of the text), so offsets carry over.
 */

const W = '(?![\\p{L}\\p{N}])';
const B = '(?<![\\p{L}\\p{N}])';

/**
 * Verbs (and set phrases) an instruction opens with. "tổ chức", "kiểm tra", "chỉ đạo", "xây dựng" also end agency
 * names ("Ban Tổ chức", "Ủy ban Kiểm tra"): a verb right after a body's head word is read as part of its name.
 */
export const INSTRUCTION_VERBS = [
  'tiep tuc',
  'tien hanh',
  'lap',
  'phan cong',
  'thanh lap',
  'cong khai',
  'kiem diem',
  'bo sung',
  'dieu chinh',
  'tap huan',
  'giu vung',
  'chuan hoa',
  'so hoa',
  'huy dong',
  'mo dot',
  'tan cong',
  'tran ap',
  'dinh huong',
  'bo tri',
  'de xuat',
  'ra soat lai',
  'chu tri',
  'tang cuong',
  'day manh',
  'thuc hien',
  'quan tam',
  'tap trung',
  'chi dao',
  'lanh dao',
  'ra soat',
  'kiem tra',
  'chu dong',
  'som',
  'nang cao',
  'phoi hop',
  'trien khai',
  'xay dung',
  'hoan thanh',
  'hoan thien',
  'to chuc',
  'tham muu',
  'duy tri',
  'doi moi',
  'kien toan',
  'khan truong',
  'nghien cuu',
  'bao dam',
  'dam bao',
  'phat huy',
  'lam tot',
  'nam chac',
  'nam bat',
  'siet chat',
  'xu ly',
  'giai quyet',
  'don doc',
  'theo doi',
  'phat hien',
  'quan triet',
  'tuyen truyen',
  'rut kinh nghiem',
  'khac phuc',
  'thuong xuyen',
  'kip thoi',
  'chan chinh',
  'huong dan',
  'ban hanh',
  'cu the hoa',
  'phan dau',
  'uu tien',
  'bao cao',
  'tong ket',
  'so ket',
  'danh gia',
  'tong hop',
  'chuan bi',
  'quan ly',
  'ngan chan',
  'dau tranh',
  'phong ngua',
  'phong, chong',
  'phong chong',
  'day nhanh',
  'tranh thu',
  'tham dinh',
  'thanh tra',
  'giam sat',
  'cung co',
  'boi duong',
  'dao tao',
  'sap xep',
  'dieu tra',
  'truy to',
  'xet xu',
  'thi hanh',
  'thu hoi',
  'tiep nhan',
  'tiep cong dan',
  'van dong',
  'pho bien',
  'lam ro',
  'xac minh',
  'nghiem tuc',
  'quyet liet',
  'tich cuc',
  'tao dieu kien',
  'ho tro',
  'hoan tat',
  'xem xet',
  'kiem soat',
  'cap nhat',
  'tham gia',
  'chu trong',
  'gan',
  'phat dong',
  'nhan rong',
  'dua',
  'ung dung',
  'chuyen doi',
  'cai cach',
  'nop',
  'trinh',
  'tiep thu',
  'co giai phap',
  'co ke hoach',
  'han che',
  'can',
  'phai',
  'can phai',
  'nen',
];

/** Words that may stand before the verb without changing whom the clause instructs. */
const FILLER = `(?:(?:dong thoi|ngoai ra|ben canh do|mat khac|cung|tiep den|sau cung|cuoi cung|truoc mat|truoc het|nhat la|dac biet(?: la)?|moi|cac cap uy,? )[ ,]*)*`;

const VERB_AT = new RegExp(`^${FILLER}(?:${INSTRUCTION_VERBS.map((v) => v.replace(/ /g, '[ ]+')).join('|')})${W}`, 'u');
const VERB_ANYWHERE = new RegExp(`${B}(?:${INSTRUCTION_VERBS.filter((v) => v.length > 3).map((v) => v.replace(/ /g, '[ ]+')).join('|')})${W}`, 'gu');

const NOUN_AFTER_TO_CHUC = /^[ ]+(?:dang|doan the|chinh tri|co so dang|bo may|hanh nghe|tin dung|ton giao|xa hoi|quoc te|phi chinh phu|cong doan)(?![\p{L}\p{N}])/u;
const MODAL = /(?<![\p{L}\p{N}])(?:can|phai)(?![\p{L}\p{N}])/u;

/** Heads of the names of bodies: a verb right after one of them is part of the name ("Ban Tổ chức"). */
const NAME_HEAD = new RegExp(`${B}(?:ban|uy ban|so|to|cuc|chi cuc|phong|vien|hoi|doan|khoi|nganh|co quan)[ ]+$`, 'u');

/** How a body is named at the start of a clause: "Các cơ quan tiến hành tố tụng cần …", "Thanh tra tỉnh chủ động …". */
const BODY_START = new RegExp(
  `^(?:cac[ ]+|moi[ ]+|tung[ ]+)?(?:co quan|don vi|so|ban|uy ban|ubnd|ubmttq|mttq|mat tran|cong an|vien|vksnd|tand|toa an|thanh tra|cuc|chi cuc|phong|hoi|doan|khoi|dang uy|huyen uy|thanh uy|tinh uy|tinh doan|lien doan|cap uy|cap|nganh|dia phuong|bo chi huy|bo doi|thads|thi hanh an|hdnd|hoi dong|van phong|bao|dai|to cong tac|to chuc dang|chi bo|ban chi dao|bcd|lanh dao|nguoi dung dau|thu truong|dong chi|cac dong chi|ca nhan|dang vien|can bo|xa|phuong|huyen|tinh|doan the|luc luong|tu phap)${W}`,
  'u',
);

/** Who speaks, then the verb that instructs: "Đồng chí đề nghị", "Hội nghị yêu cầu", "Ban Thường vụ giao". */
const CUE = new RegExp(
  `${B}(?:(?<=(?:dong chi|hoi nghi|tinh uy|thuong truc|chu tich|bi thu|lanh dao tinh)(?:[ ]+(?:cung|da|con|dong thoi))?[ ]+)chi dao${W}|(?<!(?:hop|nghi|lich|cuoc|tri|ky|buoi|phien|co|theo|cac|nhung|moi|dap ung|dung)[ ]+)(?:de nghi|yeu cau|giao(?![ ]+(?:thong|luu|dich|tiep|duc|nhan|khoan|quyen|dat|ket)${W})(?:[ ]+cho)?|luu y|nhan manh|dat ra yeu cau)${W})[ ]*:?[ ]*`,
  'u',
);

/** A clause that opens tasks without a verb of asking: "Về nhiệm vụ năm 2027, …", "Nhiệm vụ thời gian tới". */
export const TASK_HEADING_START = new RegExp(
  [
    `^(?:[ivx]+[.)][ ]*|\\d{1,2}[.)][ ]*|[a-z][.)][ ]*)?(?:ve[ ]+)?(?:(?:mot so|cac)[ ]+)?(?:nhiem vu|phuong huong|giai phap|nhiem vu,? giai phap|phuong huong,? nhiem vu)${W}(?![ ]+(?:da|duoc)${W})`,
    `^(?:ve|trong|tu nay den)[ ]+(?:thoi gian toi|thoi gian sap toi|nam \\d{4}|nam toi)${W}`,
  ].join('|'),
  'u',
);

/** The same inside a lead-in or a heading: "… đề ra 06 nhiệm vụ trọng tâm … trong thời gian tới:". */
export const TASK_LEAD_IN = new RegExp(
  `${B}(?:nhiem vu|giai phap|phuong huong)[^.;]{0,80}(?:thoi gian toi|sap toi|nam \\d{4}|trong tam|nhu sau|cu the|chu yeu|sau day|sau)${W}|${B}(?:thong nhat|ket luan)[^.;]{0,120}:$`,
  'u',
);

/** "Đối với khối Mặt trận:", "Đối với Công an tỉnh," */
const FOR_GROUP = /^(?:[ivx]+[.)][ ]*|\d{1,2}[.)][ ]*|[a-zđ][.)][ ]*|[-+•–][ ]*)?(?:doi voi|ve phia|rieng)[ ]+/u;

/** A time frame set for what follows: "Trong quý IV năm 2025, …", "Về nhiệm vụ năm 2027, …", "Trong dịp Tết …". */
const FRAME_LEAD = /^(?:(?:ve nhiem vu|ve phuong huong|nhiem vu|trong|den|tu nay den|trong dip|dip|nhan dip|vao dip|truoc)[ ]+)/u;

/** The assessment: praise, results, shortcomings. */
const ASSESSMENT = new RegExp(
  `${B}(?:ghi nhan|danh gia cao|bieu duong|bieu duong|chuc mung|bay to|bien ban|dat duoc|da dat|da dat duoc|ket qua dat duoc|nhin chung|tuy nhien|ben canh (?:nhung|do)|han che(?:,)? (?:nhu|la)|con (?:mot so )?han che|con ton tai|ton tai,? han che|van con|con cham|chua (?:dap ung|dong bo|kip thoi|quyet liet|cao|dat|triet de)|kho khan|vuong mac|co chuyen bien|chuyen bien tich cuc|dat ty le|tang \\d|giam \\d|so voi cung ky|tuy vay|van chiem|van con|con nhieu|chua duoc|con xay ra|van dien bien|con tiem an|tiem an nguy co)${W}`,
  'u',
);
/** Report tense at a clause's start: "đã …", "được …", "đã được …", and results counted in figures. */
const REPORT_TENSE = /^(?:[^,;:]{0,80}?[ ])?(?:da|duoc|da duoc)[ ]+(?!\d)/u;
const FIGURES =
  /(?<![\p{L}\p{N}/.-])\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?[ ]*(?:%|vu|nguoi|ty|trieu|don|thu|tin bao|bi can|bi cao|to chuc|dang vien|van ban|cuoc|lan|doi tuong|truong hop|ho so|vu viec|vu an|luot|cuoc|ban an|quyet dinh|tap the|ca nhan|hoi nghi|lop)(?![\p{L}\p{N}])/u;

const PRAISE = /(?<![\p{L}\p{N}])(?:ghi nhan|danh gia cao|bieu duong|chuc mung|hoan nghenh|tuyen duong)(?![\p{L}\p{N}])/u;
const ANNOUNCES = /(?:nhu sau|sau day|(?:noi dung|nhiem vu|giai phap|van de|yeu cau)[ ]+(?:trong tam|sau|chu yeu|cu the)(?:[ ]+nhu sau)?)[ ]*[.:]?$/u;

/** A subject, then "cần", "phải": "Các đồng chí phải trực tiếp đối thoại …". */
const MODAL_OPENING = /^[^,;:.]{0,70}?[ ](?:can|phai|can phai|nen|phai kip thoi)[ ]+(?!thiet|biet|cu|co)\p{L}/u;

/** What ends the text's tasks: the implementation clause, the closing and the signature block. */
const CLOSING = new RegExp(
  `^(?:[ivx]+[.)][ ]*|\\d{1,2}[.)][ ]*)?(?:to chuc thuc hien(?=[ ]*(?::|$|\\n))|[^;:.]{0,100}thong bao (?:de|den|cho)[^.;]{0,80}(?:biet|thuc hien)|van phong [^;:.]{0,60}thong bao|noi nhan|kinh gui|t\\/m|k\\/t|tm\\.|kt\\.|tl\\.|\\(?da ky\\)?|tran trong|xin tran trong)${W}`,
  'u',
);

/** Clauses too short to be a task, or that only continue the one before ("nhất là …", "trong đó …"). */
const CONTINUES = /^(?:nhat la|trong do|dac biet la|nhu|ke ca|bao gom|gom|tranh|khong de|de|nham|qua do|tu do|thong qua|theo|voi)(?![\p{L}\p{N}])/u;

export type ClauseKind = 'instruction' | 'report' | 'neutral';

export type Head = {
  /** Where the clause's task text starts (after a lead-in such as "Đồng chí đề nghị Sở Tư pháp"). */
  bodyStart: number;
  /** The body named as addressee: after the cue verb, in "Đối với X", or as the clause's subject. */
  addressee: Span | null;
  /** The clause asks ("đề nghị", "yêu cầu", "giao"), names a task heading, or addresses a group. */
  cue: boolean;
  /** The frame phrase before the first comma ("Trong quý IV năm 2025"), if any. */
  frame: Span | null;
};

const wordCount = (s: string): number => (s.match(/[\p{L}\p{N}]+/gu) ?? []).length;

export class ProseReader {
  constructor(
    private readonly text: string,
    private readonly folded: string,
    private readonly mask: Uint8Array,
    /** Spans of directory agencies found in the text, sorted. */
    private readonly named: Span[],
  ) {}

  /** The directory name that holds `pos`, if any (the names are sorted and do not overlap). */
  private nameHolding(pos: number): Span | null {
    let lo = 0;
    let hi = this.named.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.named[mid]!.end <= pos) lo = mid + 1;
      else hi = mid;
    }
    const n = this.named[lo];
    return n !== undefined && n.start <= pos ? n : null;
  }

  private inName(pos: number): boolean {
    return this.nameHolding(pos) !== null;
  }

  /** The directory name that starts at `pos`, if any. */
  private nameAt(pos: number): Span | null {
    const n = this.nameHolding(pos);
    return n?.start === pos ? n : null;
  }

  /** The first instruction verb at or after `from` (within `to`) that is not part of a name. */
  private verbFrom(from: number, to: number): number {
    const f = this.folded.slice(from, to);
    let found = -1;
    VERB_ANYWHERE.lastIndex = 0;
    for (let m = VERB_ANYWHERE.exec(f); m; m = VERB_ANYWHERE.exec(f)) {
      const at = from + m.index;
      if (this.inName(at)) continue;
      if (NAME_HEAD.test(this.folded.slice(Math.max(0, at - 12), at))) continue;
      // "tổ chức đảng", "tổ chức chính trị - xã hội" are bodies, not the verb "tổ chức".
      if (m[0] === 'to chuc' && NOUN_AFTER_TO_CHUC.test(f.slice(m.index + m[0].length, m.index + m[0].length + 20))) continue;
      found = at;
      break;
    }
    const modal = MODAL.exec(found === -1 ? f : f.slice(0, found - from));
    if (modal && !this.inName(from + modal.index)) return from + modal.index;
    return found;
  }

  /** Reads a clause's lead-in: frame, cue, addressee, and where its task text starts. */
  head(span: Span): Head {
    const f = this.folded.slice(span.start, span.end);
    let at = 0;
    let frame: Span | null = null;
    let cue = false;
    let addressee: Span | null = null;

    const group = FOR_GROUP.exec(f);
    if (group) {
      // "Đối với X: …", "Đối với X, Chủ tịch UBND tỉnh yêu cầu …", "Đối với X, tập trung …".
      const from = span.start + group[0].length;
      const rest = f.slice(group[0].length);
      const colon = rest.indexOf(':');
      const asked = CUE.exec(rest);
      const verb = this.verbFrom(from, span.end);
      let stop = -1;
      let bodyStart = -1;
      if (colon !== -1 && colon <= 160 && (verb === -1 || verb > from + colon)) {
        stop = colon;
        bodyStart = from + colon + 1;
      } else if (asked && asked.index <= 160) {
        stop = rest.lastIndexOf(',', asked.index);
        const v = this.verbFrom(from + asked.index + asked[0].length, span.end);
        bodyStart = v === -1 ? span.end : v;
      } else if (verb !== -1 && verb - from <= 160) {
        stop = rest.lastIndexOf(',', verb - from);
        bodyStart = verb;
      }
      if (stop > 0) {
        addressee = trimSpan(this.text, from, from + stop);
        return { bodyStart: Math.min(span.end, bodyStart), addressee, cue: true, frame };
      }
    }

    const comma = f.indexOf(',');
    if (FRAME_LEAD.test(f) && comma > 0 && comma <= 90) {
      frame = { start: span.start, end: span.start + comma };
      at = comma + 1;
    }
    if (TASK_HEADING_START.test(f)) cue = true;

    let cueMatch = CUE.exec(f.slice(at));
    // "họp giao ban" is a meeting; "giao Ban Nội chính …" gives a task to a committee.
    if (cueMatch && /^giao[ ]+ban(?![\p{L}\p{N}])/u.test(cueMatch[0] + f.slice(at + cueMatch.index + cueMatch[0].length, at + cueMatch.index + cueMatch[0].length + 4))) {
      const b = this.text.indexOf('an', span.start + at + cueMatch.index + 4) - 1;
      if (this.text.charAt(b) === 'b') cueMatch = null;
    }
    // "Ban Chỉ đạo …", "Trưởng Ban Chỉ đạo" name a body, they ask nothing.
    if (cueMatch && NAME_HEAD.test(f.slice(Math.max(0, at + cueMatch.index - 12), at + cueMatch.index))) cueMatch = null;
    if (cueMatch && at + cueMatch.index <= 90 && !/(?:^|[ ])(?:da|duoc)[ ]+$/.test(f.slice(Math.max(0, at + cueMatch.index - 8), at + cueMatch.index))) {
      cue = true;
      const afterCue = at + cueMatch.index + cueMatch[0].length;
      // "… yêu cầu Công an tỉnh huy động …": a directory name right after the cue is the addressee, whatever verb follows.
      let name = this.nameAt(span.start + afterCue);
      if (name) {
        for (let next = name; next; ) {
          const gap = this.folded.slice(next.end, next.end + 6).match(/^(?:,[ ]*|[ ]+va[ ]+|[ ]+cung[ ]+)/u);
          const following = gap ? this.nameAt(next.end + gap[0].length) : null;
          if (following) name = { start: name.start, end: following.end };
          next = following!;
        }
        // "Giao Ban Nội chính Tỉnh ủy (Cơ quan Thường trực Ban Chỉ đạo) theo dõi …": the aside is part of the name.
        const aside = /^[ ]*\([^()]{0,100}\)/u.exec(this.folded.slice(name.end, span.end));
        if (aside) name = { start: name.start, end: name.end + aside[0].length };
        const rest = this.folded.slice(name.end, span.end);
        if (!/^[ ]*(?:chu tri|phoi hop|va|cung|,)/u.test(rest) && !/^[ ]*:/.test(rest)) {
          return { bodyStart: name.end + (rest.length - rest.trimStart().length), addressee: name, cue: true, frame };
        }
      }
      const verb = this.verbFrom(span.start + afterCue, span.end);
      const colon = f.indexOf(':', afterCue);
      const stop = verb === -1 ? (colon === -1 ? -1 : span.start + colon) : verb;
      if (stop !== -1 && stop - (span.start + afterCue) <= 160) {
        const a = trimSpan(this.text, span.start + afterCue, stop);
        const words = wordCount(this.folded.slice(a.start, a.end));
        if (words > 0 && words <= 24) addressee = a;
        return { bodyStart: verb === -1 ? span.end : verb, addressee, cue, frame };
      }
      return { bodyStart: span.start + afterCue, addressee, cue, frame };
    }

    // The clause names its subject: "Thanh tra tỉnh chủ động …", "Các cơ quan tiến hành tố tụng cần …".
    const rest = f.slice(at).replace(/^[ ]+/, '');
    const restStart = span.end - rest.length;
    if (BODY_START.test(rest) || this.inName(restStart)) {
      const verb = this.verbFrom(restStart, Math.min(span.end, restStart + 140));
      const name = this.nameAt(restStart);
      if (name && !REPORT_TENSE.test(this.folded.slice(name.start, Math.min(span.end, name.end + 12)))) {
        return { bodyStart: restStart, addressee: name, cue, frame };
      }
      if (verb > restStart) {
        const subject = trimSpan(this.text, restStart, verb);
        const words = wordCount(this.folded.slice(subject.start, subject.end));
        const between = this.folded.slice(subject.end, verb);
        if (words >= 1 && words <= 16 && !/[.;:]/.test(between) && !REPORT_TENSE.test(this.folded.slice(subject.start, verb + 1))) {
          return { bodyStart: restStart, addressee: subject, cue, frame };
        }
      }
    }
    return { bodyStart: restStart, addressee, cue, frame };
  }

  /** Instruction, report or neither, from the clause's own words (its lead-in already read by `head`). */
  kind(span: Span, head: Head): ClauseKind {
    const f = this.folded.slice(head.bodyStart, span.end).trimStart();
    const whole = this.folded.slice(span.start, span.end);
    // The body after its subject: "Thanh tra tỉnh chủ động …" is judged from "chủ động".
    const afterSubject = head.addressee && head.bodyStart === head.addressee.start ? this.folded.slice(head.addressee.end, span.end).trimStart() : f;
    const bodyFrom = head.addressee && head.bodyStart === head.addressee.start ? head.addressee.end : head.bodyStart;
    if (this.reportBeforeVerb(head.bodyStart, span.end) || this.reportBeforeVerb(bodyFrom, span.end)) return 'report';
    if (PRAISE.test(whole.slice(0, 80)) || /^[^\p{Ll}]*$/u.test(this.text.slice(span.start, span.end))) return 'report';
    if (VERB_AT.test(afterSubject) || VERB_AT.test(f) || MODAL_OPENING.test(f.slice(0, 90))) return 'instruction';
    if (FIGURES.test(whole) || ASSESSMENT.test(whole.slice(0, 160))) return 'report';
    return 'neutral';
  }

  /** "Các cấp ủy, chính quyền đã lãnh đạo …", "Công tác tuyên truyền được đẩy mạnh": đã/được before the first verb. */
  private reportBeforeVerb(from: number, to: number): boolean {
    const verb = this.verbFrom(from, Math.min(to, from + 90));
    const prefix = this.folded.slice(from, verb === -1 ? Math.min(to, from + 60) : verb);
    return /(?:^|[ ,])(?:da|duoc)(?:[ ]|$)/u.test(prefix);
  }

  /** Results counted in figures ("212 vụ", "71%"): a report outside a passage of tasks, a target inside one. */
  hasFigures(span: Span): boolean {
    return FIGURES.test(this.folded.slice(span.start, span.end));
  }

  /** "… các nhiệm vụ cụ thể như sau.", "… tập trung vào một số nội dung trọng tâm.": a lead-in ended by a full stop. */
  announces(span: Span): boolean {
    return ANNOUNCES.test(this.folded.slice(Math.max(span.start, span.end - 60), span.end));
  }

  isClosing(span: Span): boolean {
    return CLOSING.test(this.folded.slice(span.start, Math.min(span.end, span.start + 200)));
  }

  /** A clause that only continues the previous task, or is too short to be one. */
  isFragment(span: Span, head: Head): boolean {
    const f = this.folded.slice(head.bodyStart, span.end).trim();
    const n = wordCount(f);
    if (n < 3) return true;
    if (VERB_AT.test(f)) return false;
    return CONTINUES.test(f) || n < 5;
  }

  /** Splits [start, end) into clauses: at ';', at sentence ends, after a ':' and at paragraph breaks. */
  clauses(start: number, end: number, lines: Line[], lineOf: (pos: number) => number): Clause[] {
    const out: Clause[] = [];
    let from = start;
    const push = (to: number, leadIn: boolean) => {
      const span = trimSpan(this.text, from, to);
      const marker = /^(?:[-+•–][ \t]+|\(\d{1,2}\)[ \t]*|\d{1,2}[.)][ \t]+|[a-zđ]\)[ \t]+)/u.exec(this.text.slice(span.start, span.start + 6));
      if (marker) span.start += marker[0].length;
      if (span.end > span.start && /[\p{L}\p{N}]/u.test(this.text.slice(span.start, span.end))) {
        out.push({ span, leadIn, marker: marker ? marker[0].trim() : '', paragraph: this.paragraphOf(lineOf(span.start), lines) });
      }
    };
    for (let i = start; i < end; i++) {
      if (this.mask[i]) continue;
      const c = this.text.charAt(i);
      if (c === ';') {
        push(i, false);
        from = i + 1;
      } else if (c === ':' && /\s/.test(this.text.charAt(i + 1) || ' ')) {
        push(i + 1, true);
        from = i + 1;
      } else if ((c === '.' || c === '!' || c === '?' || c === '…') && !isAbbreviationDot(this.text, this.folded, i)) {
        let k = i + 1;
        while (k < end && /[”"’)»\]]/.test(this.text.charAt(k))) k++;
        if (k >= end || !/\s/.test(this.text.charAt(k))) continue;
        let n = k;
        while (n < end && /\s/.test(this.text.charAt(n))) n++;
        const next = this.text.charAt(n);
        if (n >= end || next !== next.toLowerCase() || /[\d(“"\-+•–]/.test(next) || this.text.slice(k, n).includes('\n')) {
          push(k, false);
          from = k;
        }
      } else if (c === '\n') {
        const l = lineOf(i + 1);
        if (l < lines.length && this.paragraphOf(l, lines) !== this.paragraphOf(lineOf(i), lines)) {
          push(i, false);
          from = i + 1;
        }
      }
    }
    push(end, false);
    return out;
  }

  private paragraphStarts: Int32Array | null = null;

  /**
   * Paragraph of a line: a line continues the one before when that one stops mid-sentence and it starts in lower
   * case (a hard-wrapped paragraph); otherwise each line is a paragraph.
   */
  paragraphOf(line: number, lines: Line[]): number {
    if (!this.paragraphStarts) {
      const p = new Int32Array(lines.length);
      let current = 0;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        if (i > 0) {
          const prev = lines[i - 1]!;
          const prevText = this.text.slice(prev.start, prev.end).trimEnd();
          const first = this.text.slice(l.start, l.end).trimStart().charAt(0);
          const wrapped = !prev.blank && !l.blank && !/[.;:!?…”"]$/.test(prevText) && first !== '' && first === first.toLowerCase() && first !== first.toUpperCase();
          if (!wrapped) current = i;
        }
        p[i] = current;
      }
      this.paragraphStarts = p;
    }
    return this.paragraphStarts[line]!;
  }
}

export type Clause = { span: Span; leadIn: boolean; marker: string; paragraph: number };
