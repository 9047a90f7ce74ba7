/**
 * The statistics' SQL over directive_facts: the window and scope a question reads, what a version counts as at a
 * moment, the versions in force, and the directory's tree for a supervisor's line.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { agencies, conferences, directiveFacts as f } from '../db/schema.js';
import { subtreeOf, supervisingIdOf } from '../domain/directory.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { StatCategory } from '../domain/lists.js';
import { emptyCounts, type Counts, type Period, type StatFilters, type StatRow } from '../domain/statistics.js';

export type Window = { period: Period; start: Date; asOf: Date };
export type Scope = { window: Window; filters: StatFilters; visible: string[] | null };

export const invalid = (pointer: string, message: string) =>
  new ServiceFailure(FailureType.Invalid, message, 'validation', [{ location: 'query', pointer, message }]);

/**
 * What a version counts as at `asOf`; domain/statistics.ts categoryAt says the same, and a test holds them
 * together. Queries group by its position: the same expression written twice would carry two parameters.
 */
export const categorySql = (asOf: Date) => sql<StatCategory>`case
  when ${f.state} = 'cancelled' then 'cancelled'
  when ${f.state} = 'completed' then
    case when ${f.dueAt} is null or ${f.completedAt} is null or ${f.completedAt} <= ${f.dueAt} then 'completed_on_time' else 'completed_late' end
  when ${f.dueAt} is null then 'no_deadline'
  when ${f.dueAt} > ${asOf.toISOString()}::timestamptz then 'open_on_time'
  else 'open_overdue' end`;

export const uuidArray = (ids: string[]) => sql`array[${sql.join(ids.map((id) => sql`${id}`), sql`, `)}]::uuid[]`;

/**
 * The versions in force at the window's moment (valid_from < asOf <= valid_to) of the directives the period
 * covers: issued by then and not closed before it began (a closing version is the last, so it begins at the
 * closing).
 */
export function versionsIn({ window, filters, visible }: Scope): SQL {
  const asOf = sql`${window.asOf.toISOString()}::timestamptz`;
  const start = sql`${window.start.toISOString()}::timestamptz`;
  return and(
    // Two halves, each answered by its own partial index, so a query reads the versions its period needs and
    // not the whole history: the open versions in force then, and the closings within the period. The state is
    // written out, not a parameter, so that the planner can match the indexes' predicates.
    sql`((${f.state} = 'open' and ${f.validTo} >= ${asOf} and ${f.validFrom} < ${asOf})
      or (${f.state} <> 'open' and ${f.validFrom} >= ${start} and ${f.validFrom} < ${asOf} and ${f.validTo} >= ${asOf}))`,
    filters.conferenceKind
      ? inArray(f.conferenceId, sql`(select ${conferences.id} from ${conferences} where ${conferences.kind} = ${filters.conferenceKind})`)
      : undefined,
    filters.conferenceId ? eq(f.conferenceId, filters.conferenceId) : undefined,
    filters.issuedBy ? eq(f.issuedBy, filters.issuedBy) : undefined,
    visible === null ? undefined : visible.length === 0 ? sql`false` : sql`(${inArray(f.leadAgencyId, visible)} or ${f.coordinatingAgencyIds} && ${uuidArray(visible)})`,
  )!;
}

export type AgencyNode = { id: string; name: string; up: string | null };

/** Each agency with the one above it (domain/directory.ts: as escalations go). */
export async function agencyTree(db: Database): Promise<Map<string, AgencyNode>> {
  const rows = await db.select({ id: agencies.id, name: agencies.name, supervisorId: agencies.supervisorId, parentId: agencies.parentId }).from(agencies);
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, up: supervisingIdOf(r) }]));
}

/** The agencies `root` supervises, directly or below, and itself. */
export const subtreeIn = (tree: Map<string, AgencyNode>, root: string): Set<string> => subtreeOf(new Map([...tree.values()].map((a) => [a.id, a.up])), root);

export const countsFrom = (rows: Array<{ category: StatCategory; n: number }>): Counts => {
  const c = emptyCounts();
  for (const r of rows) add(c, r.category, r.n);
  return c;
};

export function add(c: Counts, category: StatCategory, n: number): void {
  c[category] += n;
  if (category !== 'cancelled') c.total += n;
}

export const byName = (a: StatRow, b: StatRow) => (a.key?.name ?? '').localeCompare(b.key?.name ?? '', 'vi');
