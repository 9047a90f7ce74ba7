/**
 * The timers of any tracked kind: from its deadlines, who owes each and whether they have met it, the ordered
 * list of what is still to fire (a reminder, a due instant passing, the next rung of a ladder). One durable
 * wait on the first item is all a workflow needs; the marks of what fired make each item fire at most once,
 * across continue-as-new too. Pure and import-free: it runs inside the workflow sandbox.
 */
import type { TrackedDeadline } from './types.js';

export type TimerItem<D extends TrackedDeadline = TrackedDeadline> =
  | { kind: 'reminder'; id: string; at: number; deadline: D; agencyId: string; index: number }
  | { kind: 'due'; id: string; at: number; deadline: D }
  /** `level` is the rung's place in the ladder, from 1. */
  | { kind: 'escalation'; id: string; at: number; deadline: D; agencyId: string; level: number };

/** A due instant's identity: an extension gives a deadline a new instant, and so fresh reminders and a fresh ladder. */
export const stampOf = (d: Pick<TrackedDeadline, 'key' | 'dueAt'>): string => `${d.key}@${d.dueAt}`;

/** The marks a timer item carries (a contract with running workflows: they are kept in state as strings). */
export const marks = {
  due: (d: Pick<TrackedDeadline, 'key' | 'dueAt'>): string => `${stampOf(d)}|due`,
  reminder: (d: Pick<TrackedDeadline, 'key' | 'dueAt'>, owner: string, index: number): string => `${stampOf(d)}|${owner}|r${index}`,
  rung: (d: Pick<TrackedDeadline, 'key' | 'dueAt'>, owner: string, level: number): string => `${stampOf(d)}|${owner}|e${level}`,
};

/** A deadline as the timers see it: the instant its plan was made (earlier reminders are no reminders at all). */
export type Watched<D extends TrackedDeadline> = { deadline: D; plannedAt: number };

/** What only the kind knows: who owes a deadline, and whether one of them has met it. */
export type Obligations<D extends TrackedDeadline> = {
  ownersOf(d: D): string[];
  isSatisfied(d: D, owner: string): boolean;
  /** Marks of items already acted on. */
  fired: readonly string[];
};

/** The owners who still owe a deadline. */
export const missingOwners = <D extends TrackedDeadline>(d: D, rules: Pick<Obligations<D>, 'ownersOf' | 'isSatisfied'>): string[] =>
  rules.ownersOf(d).filter((owner) => !rules.isSatisfied(d, owner));

/** Everything still to fire, earliest first (ties by mark, so the order never depends on the input's). */
export function pendingTimers<D extends TrackedDeadline>(watched: Watched<D>[], rules: Obligations<D>): TimerItem<D>[] {
  const fired = new Set(rules.fired);
  const items: TimerItem<D>[] = [];
  for (const { deadline: d, plannedAt } of watched) {
    const due = Date.parse(d.dueAt);
    const missing = missingOwners(d, rules);
    if (missing.length === 0) continue;
    if (!fired.has(marks.due(d))) items.push({ kind: 'due', id: marks.due(d), at: due, deadline: d });
    for (const agencyId of missing) {
      d.reminders.forEach((r, index) => {
        const id = marks.reminder(d, agencyId, index);
        const at = Date.parse(r);
        // A reminder whose moment had passed when the plan was made is no reminder at all.
        if (!fired.has(id) && at >= plannedAt && at < due) items.push({ kind: 'reminder', id, at, deadline: d, agencyId, index });
      });
      // Rungs fire in order: only the lowest one not yet fired is pending.
      const rung = d.escalations.findIndex((_, i) => !fired.has(marks.rung(d, agencyId, i + 1)));
      if (rung >= 0) {
        const level = rung + 1;
        items.push({ kind: 'escalation', id: marks.rung(d, agencyId, level), at: Date.parse(d.escalations[rung]!), deadline: d, agencyId, level });
      }
    }
  }
  return items.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** The earliest due instant some owner has not met yet (possibly past: then the item is behind). */
export function nextDueOf<D extends TrackedDeadline>(deadlines: D[], rules: Pick<Obligations<D>, 'ownersOf' | 'isSatisfied'>): string | null {
  const open = deadlines.filter((d) => missingOwners(d, rules).length > 0);
  return open.length ? open.map((d) => d.dueAt).sort()[0]! : null;
}

/**
 * Whether a rung about to open still stands: the owner has not met the deadline meanwhile, and the deadline
 * in force still has the due instant the rung was counted from (an extension gives it a new ladder).
 */
export function rungStands<D extends TrackedDeadline>(item: { deadline: D; agencyId: string }, current: D | undefined, rules: Pick<Obligations<D>, 'isSatisfied'>): boolean {
  return !rules.isSatisfied(item.deadline, item.agencyId) && stampOf(item.deadline) === stampOf(current ?? item.deadline);
}
