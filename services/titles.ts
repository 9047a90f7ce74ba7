/**
 * Whose titles a principal may read, for every read that shows a directive it did not filter by that rule
 * itself: a sub-task's parent, a parent's sub-task rows and history, a published result's list. The facts
 * domain/confidential.ts `mayReadTitle` decides on, loaded for many directives at once, and that rule applied.
 */
import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { assignments, directiveReaders, directives } from '../db/schema.js';
import { mayReadTitle, type TitleFacts, type TitleReader } from '../domain/confidential.js';

export function titleReads(db: Database) {
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
    // Only a confidential directive's people matter; the rest are read by anyone their scope lets see them.
    const secret = rows.filter((r) => r.confidential).map((r) => r.id);
    const [placed, named] = secret.length
      ? await Promise.all([
          db
            .select({ directiveId: assignments.directiveId, agencyId: assignments.agencyId })
            .from(assignments)
            .where(and(inArray(assignments.directiveId, secret), isNull(assignments.endedAt))),
          db.select({ directiveId: directiveReaders.directiveId, userId: directiveReaders.userId }).from(directiveReaders).where(inArray(directiveReaders.directiveId, secret)),
        ])
      : [[], []];
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

  /** Of `ids`, those whose title `who` may read; an id the read model does not hold yet is not among them. */
  async function readable(who: TitleReader, ids: Iterable<string>): Promise<Set<string>> {
    const facts = await factsOf([...ids]);
    return new Set([...facts].filter(([, f]) => mayReadTitle(who, f)).map(([id]) => id));
  }

  return { factsOf, readable };
}

export type TitleReads = ReturnType<typeof titleReads>;
