import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../db/schema.js';
import { visibleAgencies } from '../db/scope.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import { requirePermission } from './auth.js';
import { csvOf } from './reports/csv.js';
import type { Principal, ServiceDeps } from './context.js';

/** One write as the doors saw it; `principal` null when the request was not signed in (refused). */
export type AuditEntry = {
  principal: Principal | null;
  action: string;
  path: string;
  status: number;
  address: string;
  door: 'api' | 'web';
  requestId: string | null;
};

/** An entry as stored, its instant as ISO-8601. */
export type AuditEntryView = Omit<typeof auditLog.$inferSelect, 'at'> & { at: string };

export type AuditQuery = { from?: string | undefined; to?: string | undefined; actor?: string | undefined; agency?: string | undefined; cursor?: string | undefined; limit?: number | undefined };

const view = (r: typeof auditLog.$inferSelect): AuditEntryView => ({ ...r, at: r.at.toISOString() });

/**
 * The audit log: appended to by both doors for every write; read and exported by admins and the oversight role.
 * Nothing changes it.
 */
export function auditService({ db, logger }: ServiceDeps) {
  /**
   * The entries a reader may read with the filters asked: all of them for admins and the province's oversight; for
   * an oversight user bound to an agency, those written by people of that agency and its subtree (as its statistics
   * and directives are), never a leader's, an admin's or another agency's.
   */
  const where = async (principal: Principal, q: AuditQuery): Promise<SQL | undefined> => {
    const before = q.cursor === undefined ? undefined : Number.parseInt(q.cursor, 36);
    // An id past what a number holds exactly (and the bigint column) was never given as a cursor.
    if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) throw new ServiceFailure(FailureType.Invalid, 'The cursor is not one this list gave.');
    const scope = await visibleAgencies(db, principal);
    return and(
      scope === null ? undefined : scope.length === 0 ? sql`false` : inArray(auditLog.agencyId, scope),
      q.from ? gte(auditLog.at, new Date(q.from)) : undefined,
      q.to ? lte(auditLog.at, new Date(q.to)) : undefined,
      q.actor ? eq(auditLog.actorId, q.actor) : undefined,
      q.agency ? eq(auditLog.agencyId, q.agency) : undefined,
      before ? lt(auditLog.id, before) : undefined,
    );
  };
  return {
    /**
     * Appends one entry. Called after the write answered: a failure here is logged loudly and does not turn a
     * done write into an error the caller would retry.
     */
    async record(e: AuditEntry): Promise<void> {
      try {
        await db.insert(auditLog).values({
          actorId: e.principal?.userId ?? null,
          actorName: e.principal?.name ?? null,
          role: e.principal?.role ?? null,
          agencyId: e.principal?.agencyId ?? null,
          action: e.action.slice(0, 300),
          path: e.path.slice(0, 1000),
          status: e.status,
          address: e.address.slice(0, 100),
          door: e.door,
          requestId: e.requestId,
        });
      } catch (err) {
        logger.error({ err, action: e.action, path: e.path, actor: e.principal?.userId }, 'audit entry not written');
      }
    },

    /** Newest first, a page at a time (`nextCursor` continues), of the entries the reader may read. */
    async list(principal: Principal, q: AuditQuery): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
      requirePermission(principal, 'readAuditLog');
      const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
      const rows = await db
        .select()
        .from(auditLog)
        .where(await where(principal, q))
        .orderBy(desc(auditLog.id))
        .limit(limit + 1);
      const items = rows.slice(0, limit).map(view);
      return { items, nextCursor: rows.length > limit ? items.at(-1)!.id.toString(36) : null };
    },

    /** The whole selection as CSV (UTF-8 with a BOM, for Excel), at most 100,000 entries. */
    async exportCsv(principal: Principal, q: Omit<AuditQuery, 'cursor' | 'limit'>): Promise<string> {
      requirePermission(principal, 'readAuditLog');
      const rows = await db
        .select()
        .from(auditLog)
        .where(await where(principal, q))
        .orderBy(desc(auditLog.id))
        .limit(100_000);
      const header = ['id', 'at', 'actor_id', 'actor_name', 'role', 'agency_id', 'action', 'path', 'status', 'address', 'door', 'request_id'];
      const lines = rows.map((r) => [r.id, r.at.toISOString(), r.actorId, r.actorName, r.role, r.agencyId, r.action, r.path, r.status, r.address, r.door, r.requestId]);
      return csvOf([header, ...lines]);
    },
  };
}
