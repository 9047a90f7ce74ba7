import { asc, eq, sql } from 'drizzle-orm';
import { foldVietnamese } from '../domain/text.js';
import { agencies } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import { claimFor } from './idempotency.js';

export type AgencyView = {
  id: string;
  code: string;
  name: string;
  shortName: string | null;
  aliases: string[];
  parentId: string | null;
  supervisorId: string | null;
  active: boolean;
};
export type NewAgency = { code: string; name: string; shortName?: string | undefined; parentId?: string | undefined; supervisorId?: string | undefined };
export type AgencyPatch = {
  name?: string | undefined;
  shortName?: string | null | undefined;
  parentId?: string | null | undefined;
  supervisorId?: string | null | undefined;
  active?: boolean | undefined;
};

const columns = {
  id: agencies.id,
  code: agencies.code,
  name: agencies.name,
  shortName: agencies.shortName,
  aliases: agencies.aliases,
  parentId: agencies.parentId,
  supervisorId: agencies.supervisorId,
  active: agencies.active,
};

/** The agency directory: a tree of any depth with a supervising agency per node (organisation is data). */
export function agencyService({ db }: ServiceDeps) {
  const requireAgencies = async (ids: Array<string | null | undefined>, pointer: string[]) => {
    for (const [i, id] of ids.entries()) {
      if (!id) continue;
      const [row] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, id));
      if (!row) throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', undefined, [{ location: 'body', pointer: pointer[i]!, message: `No agency ${id}` }]);
    }
  };
  /** Refuses a supervising chain that loops back: escalations walk it upwards. */
  const requireNoCycle = async (id: string, supervisorId: string | null | undefined, parentId: string | null | undefined) => {
    for (const start of [supervisorId, parentId]) {
      let current = start ?? null;
      for (let hops = 0; current && hops < 64; hops++) {
        if (current === id) throw new ServiceFailure(FailureType.Invalid, 'An agency cannot supervise or contain itself, directly or up the chain.');
        const [row]: Array<{ up: string | null }> = await db.select({ up: agencies.supervisorId }).from(agencies).where(eq(agencies.id, current));
        current = row?.up ?? null;
      }
    }
  };

  return {
    list: (_principal: Principal): Promise<AgencyView[]> => db.select(columns).from(agencies).orderBy(asc(agencies.code)),

    async create(principal: Principal, body: NewAgency, retry: { idempotencyKey?: string | undefined } = {}): Promise<{ agency: AgencyView; replayed: boolean }> {
      requirePermission(principal, 'administer');
      const claim = await claimFor(db, `POST /v1/agencies ${principal.userId}`, retry.idempotencyKey, body);
      if (claim.replayed) {
        const [existing] = await db.select(columns).from(agencies).where(eq(agencies.id, claim.resourceId));
        if (existing) return { agency: existing, replayed: true };
      }
      await requireAgencies([body.parentId, body.supervisorId], ['/parentId', '/supervisorId']);
      const [row] = await db
        .insert(agencies)
        .values({
          id: claim.resourceId,
          code: body.code,
          name: body.name,
          shortName: body.shortName ?? null,
          parentId: body.parentId ?? null,
          supervisorId: body.supervisorId ?? null,
        })
        .onConflictDoNothing({ target: agencies.code })
        .returning(columns);
      if (!row) throw new ServiceFailure(FailureType.Conflict, `An agency with code ${body.code} already exists.`);
      return { agency: row, replayed: false };
    },

    /**
     * Remembers another name of an agency, as a conclusion wrote it ("Tòa án tỉnh", "Cục THADS"): the importer
     * matches it from then on. A leader maps it from the drafts; a name that already names another agency is refused.
     */
    async addAlias(principal: Principal, id: string, alias: string): Promise<AgencyView> {
      requirePermission(principal, 'importConclusions');
      const name = alias.normalize('NFC').replace(/\s+/g, ' ').trim();
      const key = foldVietnamese(name);
      if (!/[\p{L}\p{N}]/u.test(key)) {
        throw new ServiceFailure(FailureType.Invalid, 'An alias needs letters.', undefined, [{ location: 'body', pointer: '/alias', message: 'An alias needs letters.' }]);
      }
      const all = await db.select(columns).from(agencies);
      const current = all.find((a) => a.id === id);
      if (!current) throw new ServiceFailure(FailureType.NotFound, `No agency ${id}.`);
      const owner = all.find((a) => [a.name, a.shortName, ...a.aliases].some((n) => n !== null && foldVietnamese(n) === key));
      if (owner && owner.id !== id) throw new ServiceFailure(FailureType.Conflict, `"${name}" already names ${owner.name} (${owner.code}).`);
      if (owner) return current;
      const [row] = await db
        .update(agencies)
        .set({ aliases: sql`array_append(${agencies.aliases}, ${name}::text)` })
        .where(eq(agencies.id, id))
        .returning(columns);
      return row!;
    },

    async update(principal: Principal, id: string, patch: AgencyPatch): Promise<AgencyView> {
      requirePermission(principal, 'administer');
      const [current] = await db.select(columns).from(agencies).where(eq(agencies.id, id));
      if (!current) throw new ServiceFailure(FailureType.NotFound, `No agency ${id}.`);
      await requireAgencies([patch.parentId, patch.supervisorId], ['/parentId', '/supervisorId']);
      await requireNoCycle(id, patch.supervisorId, patch.parentId);
      if (Object.keys(patch).length === 0) return current;
      const [row] = await db.update(agencies).set(patch).where(eq(agencies.id, id)).returning(columns);
      return row!;
    },
  };
}
