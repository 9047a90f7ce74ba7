/**
 * How long a text a person gives may be, one table for every door: the API's zod schemas, the pages' form
 * fields and the workflow's validators (the last line, for every door) read these. The workflow keeps every
 * report, reason and answer in its state and copies the state into each recorded event, so an unbounded text
 * would walk a long-lived directive towards Temporal's payload limit. Pure and import-free.
 */
export const TEXT_LIMITS = {
  title: 500,
  body: 20_000,
  /** A report's, a completion's summary; an explanation's answer. */
  summary: 20_000,
  /** Why: an extension, a reassignment, a cancellation, a sub-task closing with its parent. */
  reason: 2000,
  /** A decision's, a review's, a closing's note. */
  note: 2000,
  question: 5000,
  /** A report period's or an explanation request's key. */
  key: 50,
} as const;

export type TextKind = keyof typeof TEXT_LIMITS;

export const tooLongMessage = (max: number): string => `A text given is longer than ${max} characters.`;
