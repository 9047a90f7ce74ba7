import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { CONFIDENTIAL_PREFIX } from '../domain/confidential.js';
import { chainAbove, subtreeOf, supervisingIdOf } from '../domain/directory.js';
import type { Role } from '../domain/lists.js';
import type { Database } from './database.js';
import { agencies, assignments, directiveReaders, directives } from './schema.js';

/** Who is asking: the role and agency are all that scope depends on. */
export type Scoped = { role: Role; agencyId: string | null };

/**
 * Whether `supervisorAgencyId` supervises `agencyId`, directly or up the chain (the whole subtree):
 * each agency's supervising agency, else its organisational parent.
 */
export async function supervises(db: Database, supervisorAgencyId: string, agencyId: string): Promise<boolean> {
  const { chain } = await chainAbove(agencyId, async (id) => {
    const [row] = await db.select({ supervisorId: agencies.supervisorId, parentId: agencies.parentId }).from(agencies).where(eq(agencies.id, id));
    return row ? supervisingIdOf(row) : null;
  });
  return chain.includes(supervisorAgencyId);
}

/**
 * The agencies whose directives a principal may see: null for province-wide roles (leader, admin, an oversight
 * body of the province), the officer's own agency, or a supervisor's (or an agency's oversight body's) agency
 * and everything it supervises below it.
 */
export async function visibleAgencies(db: Database, p: Scoped): Promise<string[] | null> {
  if (p.role === 'leader' || p.role === 'admin' || (p.role === 'oversight' && !p.agencyId)) return null;
  if (!p.agencyId) return [];
  if (p.role === 'officer') return [p.agencyId];
  const all = await db.select({ id: agencies.id, supervisorId: agencies.supervisorId, parentId: agencies.parentId }).from(agencies);
  return [...subtreeOf(new Map(all.map((a) => [a.id, supervisingIdOf(a)])), p.agencyId)];
}

/**
 * Whether a list asks for an agency outside the principal's scope (an officer's own agency crossed with another):
 * then both must hold, and that page is planned differently (services/directive-reads.ts).
 */
export const crossesScope = (scope: string[] | null, agency: string | undefined): boolean =>
  scope !== null && agency !== undefined && !scope.includes(agency);

/** SQL condition: the directive has a current assignment to one of `ids` (null: no restriction). */
export function assignedToAny(ids: string[] | null): SQL | undefined {
  if (ids === null) return undefined;
  if (ids.length === 0) return sql`false`;
  return sql`exists (select 1 from ${assignments} where ${assignments.directiveId} = ${directives.id} and ${assignments.endedAt} is null and ${inArray(assignments.agencyId, ids)})`;
}

export const seesAgencies = (visible: string[] | null, agencyIds: string[]): boolean =>
  visible === null || agencyIds.some((a) => visible.includes(a));

/**
 * domain/confidential.ts `mayReadTitle` as an SQL condition, for lists that leave out what the principal may not
 * read: the directive is not confidential, or the principal is the leader who issued it, a named reader, or
 * someone of an agency assigned to it (or of a sub-task's parent's lead); test/security/confidential-titles.test.ts
 * holds the two to the same answers. Not confidential is checked first, so the directives most lists walk cost
 * one comparison.
 */
export function confidentialAllowed(p: { userId: string; agencyId: string | null }): SQL {
  const agency = p.agencyId
    ? sql` or exists (select 1 from ${assignments} ca where ca.directive_id = ${directives.id} and ca.ended_at is null and ca.agency_id = ${p.agencyId})
        or exists (select 1 from ${directives} pd where pd.id = ${directives.parentId} and pd.lead_agency_id = ${p.agencyId})`
    : sql``;
  return sql`(${directives.confidential} = false or ${directives.issuedBy} = ${p.userId}
    or exists (select 1 from ${directiveReaders} cr where cr.directive_id = ${directives.id} and cr.user_id = ${p.userId})${agency})`;
}

/** SQL: the title as anyone may see it, a confidential directive's reference instead (domain/confidential.ts confidentialRef). */
export const shownTitleSql = sql<string>`case when ${directives.confidential} then ${CONFIDENTIAL_PREFIX} || upper(left(${directives.id}::text, 8)) else ${directives.title} end`;
