/**
 * Who sees which directive and whose title they may read, for one directive (services/directive-reads.ts) and for
 * many at once (a sub-task's parent, a parent's sub-task rows and history, a published result's list): the facts
 * the rules decide on, loaded together, and the rules applied. Lists filter by the same rules in SQL (db/scope.ts).
 */
import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { assignments, directiveReaders, directives } from '../db/schema.js';
import { seesAgencies, visibleAgencies, type Scoped } from '../db/scope.js';
import { mayReadTitle, type TitleFacts, type TitleReader } from '../domain/confidential.js';

/**
 * Whether someone whose role lets them see the directives of `scope` (null: the province) sees a directive: one of
 * its assigned agencies, or a sub-task's parent's lead agency, is in the scope; a confidential one only those
 * `mayReadTitle` names, whatever their scope.
 */
export function maySee(who: TitleReader, scope: string[] | null, d: TitleFacts): boolean {
  if (d.confidential) return mayReadTitle(who, d);
  return seesAgencies(scope, d.assignedAgencyIds) || (d.parentLeadAgencyId !== null && seesAgencies(scope, [d.parentLeadAgencyId]));
}

export function visibility(db: Database) {
  /** What the rules decide on, for each of `ids` the read model holds. */
  async function factsOf(ids: string[]): Promise<Map<string, TitleFacts>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await db
      .select({
        id: directives.id,
        confidential: directives.confidential,
        issuedBy: directives.issuedBy,
        parentLeadAgencyId: sql<string | null>`(select p.lead_agency_id from ${directives} p where p.id = ${directives.parentId})`,
      })
      .from(directives)
      .where(inArray(directives.id, unique));
    // Named readers matter only for a confidential directive; the rest are seen by scope alone.
    const secret = rows.filter((r) => r.confidential).map((r) => r.id);
    const [placed, named] = await Promise.all([
      db
        .select({ directiveId: assignments.directiveId, agencyId: assignments.agencyId })
        .from(assignments)
        .where(and(inArray(assignments.directiveId, unique), isNull(assignments.endedAt))),
      secret.length
        ? db.select({ directiveId: directiveReaders.directiveId, userId: directiveReaders.userId }).from(directiveReaders).where(inArray(directiveReaders.directiveId, secret))
        : Promise.resolve([]),
    ]);
    return new Map(
      rows.map((r) => [
        r.id,
        {
          confidential: r.confidential,
          issuedBy: r.issuedBy,
          parentLeadAgencyId: r.parentLeadAgencyId,
          assignedAgencyIds: placed.filter((a) => a.directiveId === r.id).map((a) => a.agencyId),
          readers: named.filter((n) => n.directiveId === r.id).map((n) => n.userId),
        },
      ]),
    );
  }

  return {
    factsOf,

    /** Of `ids`, those whose title `who` may read; an id the read model does not hold yet is not among them. */
    async readable(who: TitleReader, ids: Iterable<string>): Promise<Set<string>> {
      const facts = await factsOf([...ids]);
      return new Set([...facts].filter(([, f]) => mayReadTitle(who, f)).map(([id]) => id));
    },

    /** Of `ids`, those `who` sees, as a read of each one alone would decide. */
    async seen(who: TitleReader & Scoped, ids: Iterable<string>): Promise<Set<string>> {
      const facts = await factsOf([...ids]);
      if (facts.size === 0) return new Set();
      const scope = await visibleAgencies(db, who);
      return new Set([...facts].filter(([, f]) => maySee(who, scope, f)).map(([id]) => id));
    },
  };
}

export type Visibility = ReturnType<typeof visibility>;
