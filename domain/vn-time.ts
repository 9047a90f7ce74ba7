/**
 * Calendar days and instants in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). Pure and import-free, so the
 * workflow, the calendar and every reader share one definition of "the end of a Vietnamese day".
 */

export type IsoDate = string;

const VN_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The Vietnamese calendar day an instant falls on. */
export const vnDateOf = (instant: Date): IsoDate => new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
/** 00:00 of a Vietnamese calendar day, as an instant. */
export const vnStartOfDay = (d: IsoDate): Date => new Date(Date.parse(`${d}T00:00:00Z`) - VN_OFFSET_MS);
/** 24:00 of a Vietnamese calendar day, as an instant: when a deadline on that day passes (Civil Code 2015, Art. 148). */
export const vnEndOfDay = (d: IsoDate): Date => new Date(vnStartOfDay(d).getTime() + DAY_MS);
/** An instant as a request gives it: a day (`YYYY-MM-DD`, its 24:00 Vietnam time) or an ISO-8601 instant. */
export const givenInstant = (v: string): Date => (v.includes('T') ? new Date(v) : vnEndOfDay(v));
/** A time of day on a Vietnamese calendar day, as an instant. */
export const vnAt = (d: IsoDate, hour: number, minute = 0): Date =>
  new Date(vnStartOfDay(d).getTime() + hour * 3_600_000 + minute * 60_000);

/** 2026-09-02 → 02/09/2026 */
/** Whether `s` is a day of the calendar written YYYY-MM-DD (not 2026-02-30, not 9999-99-99). */
export const isIsoDate = (s: string): s is IsoDate => {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Number.NaN;
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(s);
};

export const formatDay = (isoDate: IsoDate): string => isoDate.split('-').reverse().join('/');

/**
 * dd/mm/yyyy in Vietnam time, with the time of day. A deadline that ends a day falls on 24:00 (00:00 of the
 * next day), so an instant exactly at a Vietnamese midnight is shown as the day it ends, with no time of day.
 */
export function formatDue(iso: string): string {
  const at = new Date(iso);
  const vn = new Date(at.getTime() + VN_OFFSET_MS);
  const midnight = vn.getUTCHours() === 0 && vn.getUTCMinutes() === 0 && vn.getUTCSeconds() === 0;
  const date = formatDay(vnDateOf(new Date(at.getTime() - (midnight ? 1 : 0))));
  if (midnight) return date;
  return `${date} ${String(vn.getUTCHours()).padStart(2, '0')}:${String(vn.getUTCMinutes()).padStart(2, '0')}`;
}
