import type { AssignmentRole, PeriodicRegime } from '../lists.js';

/** UTF-16 offsets into ParseResult.text (the NFC-normalised input); end exclusive. */
export type Span = { start: number; end: number };

export type DirectoryAgency = { id: string; code: string; name: string; shortName: string | null; aliases?: string[] };

export type DocumentKind =
  | 'chi_thi'
  | 'cong_van'
  | 'huong_dan'
  | 'nghi_quyet'
  | 'ket_luan'
  | 'quyet_dinh'
  | 'ke_hoach'
  | 'thong_bao'
  | 'quy_dinh'
  | 'quy_che'
  | 'chuong_trinh'
  | 'bao_cao'
  | 'thong_tu'
  | 'nghi_dinh'
  | 'luat'
  | 'other';

export type DocumentRef = {
  kind: DocumentKind;
  /** As written, e.g. "Chỉ thị". */
  kindLabel: string;
  number: string | null;
  code: string | null;
  ref: string;
  /** ISO YYYY-MM-DD. */
  date: string | null;
  issuer: string | null;
  title: string | null;
  span: Span;
};

export type AgencyRole = AssignmentRole | 'mentioned';

export type AgencyMention = {
  agencyId: string;
  code: string;
  name: string;
  matched: string;
  role: AgencyRole;
  span: Span;
};

export type Regime = PeriodicRegime;

export type DeadlineHint = {
  text: string;
  span: Span;
  kind: 'date' | 'month' | 'quarter' | 'half_year' | 'nine_month' | 'year' | 'tet' | 'recurring';
  /** Suggested ISO date (end of the period); null for recurring hints or when no year can be inferred. */
  dueDate: string | null;
  regime: Regime | null;
};

export type DraftDirective = {
  /** 1-based position. */
  index: number;
  /** "(1)", "1.", "1)", "a)", "-", "+", "•", "–", or "" for sentence-list items. */
  marker: string;
  title: string;
  body: string;
  span: Span;
  confidence: number;
  references: DocumentRef[];
  agencies: AgencyMention[];
  leadAgency: { agencyId: string; code: string } | null;
  coordinatingAgencies: { agencyId: string; code: string }[];
  deadline: DeadlineHint | null;
  regime: Regime | null;
  /** Every deadline and reporting hint found in the item, in text order. */
  deadlineHints: DeadlineHint[];
  /** Whether `deadline` is the item's own or the time frame set for its passage ("Trong quý IV, …:"). */
  deadlineFrom: 'item' | 'passage' | null;
  /** The time frame of the lead-in, heading or paragraph the item stands under, if any. */
  timeFrame: DeadlineHint | null;
  titleTruncated: boolean;
  /** The body the item is addressed to by its lead-in, heading or paragraph; `matched` when the directory knows it. */
  addressee: { text: string; span: Span; matched: boolean } | null;
  /** Which passage of tasks the item belongs to (1-based, in text order). */
  passage: number;
};

/** How the reader took a stretch of the text: tasks it read, assessment it skipped, the closing. */
export type Passage = { kind: 'tasks' | 'assessment' | 'closing'; span: Span; excerpt: string };

/** A body addressed in the text that no directory agency matches: the leader maps it once (an alias). */
export type UnmatchedMention = { text: string; span: Span };

export type ParseWarning = {
  code: 'count_mismatch' | 'no_list' | 'empty' | 'low_confidence' | 'truncated_title' | (string & {});
  message: string;
  span?: Span;
};

export type ListKind = 'parenthesised' | 'numbered' | 'lettered' | 'bulleted' | 'sentences';

export type ParseResult = {
  text: string;
  statedCount: number | null;
  leadIn: { text: string; span: Span } | null;
  addressees: AgencyMention[];
  drafts: DraftDirective[];
  references: DocumentRef[];
  warnings: ParseWarning[];
  /** Which form the chosen list had; null when no list was found. */
  listKind: ListKind | null;
  /** The date used to complete dates written without a year, ISO; null when none was known. */
  referenceDate: string | null;
  /** The text in order: the passages read as tasks, skipped as assessment, or the closing. */
  passages: Passage[];
  /** Addressed bodies the directory does not know. */
  unmatchedMentions: UnmatchedMention[];
};

export type ParseOptions = {
  directory?: DirectoryAgency[];
  /** ISO date of the conference, used when a date is written without a year. */
  referenceDate?: string;
};
