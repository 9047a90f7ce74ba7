/**
 * The deadline engine's vocabulary, shared by every tracked kind (a directive today; a monitored case, a
 * reporting obligation next). Pure types and import-free: the workflow sandbox reads them too. Everything
 * crosses the Temporal boundary as JSON: instants are ISO-8601 strings, days `YYYY-MM-DD` in Vietnam time.
 */

/**
 * How far one instant lies from another:
 * - `workingDays`: whole working days of the Vietnamese calendar, landing at 08:00 (a reminder, a rung);
 * - `calendarDays`: a limit counted in days (Criminal Procedure Code 2015, Art. 134; Civil Code Art. 147–148):
 *   it ends at 24:00 of its last day, moved to the next working day when that day is a rest day;
 * - `calendarMonths`: a limit counted in months (Art. 134): it ends on the same day number of the later month,
 *   or that month's last day when it has no such day, moved to the next working day the same way;
 * - `duration`: an exact ISO-8601 duration ("PT5S", "P2D"), for tests and sub-day clocks.
 */
export type Offset = { workingDays: number } | { calendarDays: number } | { calendarMonths: number } | { duration: string };

/** Who a rung of a ladder reaches, resolved from the directory when it fires (so a reorganisation is respected). */
export type RungTarget =
  /** The owner who missed the deadline (an agency). */
  | { kind: 'owner' }
  /** The owner's supervising agency (its supervisor, else its parent); the issuer when it has none. */
  | { kind: 'supervisor' }
  /** The person who issued the tracked item; the province's leaders when no one is named. */
  | { kind: 'issuer' }
  /** A named agency (e.g. the Ban Nội chính for a monitored case). */
  | { kind: 'agency'; agencyId: string };

/** One rung: how long after a missed due instant it fires, and whom it reaches. */
export type Rung = { offset: Offset; target: RungTarget };

/** Any number of rungs, fired in order, each at most once per owner and due instant. */
export type Ladder = Rung[];

/** Reminders before a due instant and the ladder after it: what placing a deadline needs besides the instant. */
export type DeadlineRules = { reminders: Offset[]; ladder: Ladder };

/**
 * One due instant with its placed reminders and rungs, as the timers read it. A kind adds its own fields
 * (a directive's deadline has a `kind`; a case stage has its stage); the engine reads only these.
 */
export type TrackedDeadline = {
  key: string;
  label: string;
  dueAt: string;
  reminders: string[];
  /** The instants of the ladder's rungs, in order: rung i (1-based level i + 1 … ) fires at escalations[i]. */
  escalations: string[];
};

/** A half-open span during which a clock does not run: from `from`, until `until` (null: still suspended). */
export type Suspension = { from: string; until: string | null; reason?: string };

/**
 * A statutory clock: opened by an event (a stage entered) on a day, running for a limit, extended by later
 * offsets counted from the end in force, and suspended and resumed. How a resumption counts is the law's:
 * - `continue`: the time already used stays used; the end moves by the whole days the clock stood still
 *   (verification of a crime report, Art. 148);
 * - `restart`: the full limit runs again from the day it resumed (investigation resumed, Art. 229–230).
 */
export type Clock = {
  /** The calendar day of the event that opened it; the day itself is not counted (Civil Code Art. 147). */
  openedOn: string;
  limit: Offset;
  /** Extensions granted, in order; after a `restart`, only those granted since the clock resumed. */
  extensions: Offset[];
  suspensions: Suspension[];
  onResume: 'continue' | 'restart';
};
