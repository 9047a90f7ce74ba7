import { and, asc, desc, eq, inArray, isNull, ne, notInArray, sql } from 'drizzle-orm';
import { foldVietnamese } from '../domain/text.js';
import { agencies, assignments, directives, reorganisationMoves, reorganisations, users, webhooks } from '../db/schema.js';
import { CLOSED_STATUSES } from '../domain/lists.js';
import { chainAbove, MAX_SUPERVISION_DEPTH, supervisingIdOf } from '../domain/directory.js';
import { shownTitle } from '../domain/confidential.js';
import { successorFor, type SplitChoice, type SplitRule } from '../domain/split.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import { claimFor } from './idempotency.js';
import { UUID } from './agency-refs.js';
import { startAgencyTransfer } from '../temporal/client.js';

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

/** A merge or a split and how far its directives' move got. */
export type ReorganisationView = {
  id: string;
  kind: 'merge' | 'split';
  fromAgencyId: string;
  toAgencyId: string;
  reason: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  examined: number | null;
  moved: number | null;
  /** A split's rules (`toAgencyId` is then its default successor). */
  rules: SplitRule[] | null;
};

/**
 * A split ("chia tách"): the predecessor's open directives go each to one successor (named per directive, else by
 * the first matching rule, else the default); its users go where the admin says (null: deactivated), else to the
 * default successor, like its sub-units and webhooks.
 */
export type SplitRequest = {
  defaultSuccessorId: string;
  rules?: SplitRule[] | undefined;
  directives?: Array<{ directiveId: string; toAgencyId: string }> | undefined;
  users?: Array<{ userId: string; toAgencyId: string | null }> | undefined;
};

/** One open directive of an agency being split and the successor it would go to. */
export type SplitPreview = Array<{ directiveId: string; title: string; role: 'lead' | 'coordinating' } & SplitChoice>;

const reorganisationView = (r: typeof reorganisations.$inferSelect): ReorganisationView => ({
  id: r.id,
  kind: r.kind,
  fromAgencyId: r.fromAgencyId,
  toAgencyId: r.toAgencyId,
  reason: r.reason,
  createdAt: r.createdAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
  examined: r.examined,
  moved: r.moved,
  rules: r.rules ?? null,
});

/** The reason a merge's (and a split's) moves carry in every directive's history. */
export const MERGE_REASON = 'sáp nhập';
export const SPLIT_REASON = 'chia tách';

/** The agency directory: a tree of any depth with a supervising agency per node (organisation is data). */
export function agencyService({ db, temporal, config, logger }: ServiceDeps) {
  /** Saved before this runs; when Temporal cannot be reached the move starts with the API next time. */
  const startMove = async (r: typeof reorganisations.$inferSelect): Promise<void> => {
    try {
      await startAgencyTransfer(temporal, config.temporal.taskQueue, {
        changeId: r.id,
        fromAgencyId: r.fromAgencyId,
        toAgencyId: r.toAgencyId,
        reason: r.reason,
        ...(r.kind === 'split' ? { planned: true } : {}),
      });
      await db.update(reorganisations).set({ startedAt: sql`now()` }).where(eq(reorganisations.id, r.id));
    } catch (err) {
      logger.warn({ err, reorganisation: r.id }, 'reorganisation not started; it starts with the API next time');
    }
  };
  const requireAgencies = async (ids: Array<string | null | undefined>, pointer: string[]) => {
    for (const [i, id] of ids.entries()) {
      if (!id) continue;
      const [row] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, id));
      if (!row) throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', undefined, [{ location: 'body', pointer: pointer[i]!, message: `No agency ${id}` }]);
    }
  };
  /**
   * Refuses an edit that would close the supervising chain (or the containment chain) into a loop, or make it
   * deeper than the one walk goes (domain/directory.ts): escalations and scope climb it.
   */
  const requireNoCycle = async (id: string, supervisorId: string | null | undefined, parentId: string | null | undefined) => {
    const row = async (agencyId: string) =>
      (await db.select({ supervisorId: agencies.supervisorId, parentId: agencies.parentId }).from(agencies).where(eq(agencies.id, agencyId)))[0];
    const edited = { supervisorId: supervisorId ?? null, parentId: parentId ?? null };
    const edges: Array<(a: { supervisorId: string | null; parentId: string | null }) => string | null> = [supervisingIdOf, (a) => a.parentId];
    for (const edge of edges) {
      const { complete } = await chainAbove(id, async (agencyId) => {
        if (agencyId === id) return edge(edited);
        const r = await row(agencyId);
        return r ? edge(r) : null;
      });
      if (!complete) {
        throw new ServiceFailure(
          FailureType.Invalid,
          `An agency cannot supervise or contain itself, directly or up the chain, and a chain is at most ${MAX_SUPERVISION_DEPTH} agencies deep.`,
        );
      }
    }
  };

  /** The open directives an agency has a place in now, with its role there. */
  const openPlaces = (executor: Pick<typeof db, 'selectDistinct'>, agencyId: string) =>
    executor
      .selectDistinct({ directiveId: directives.id, title: directives.title, confidential: directives.confidential, role: assignments.role })
      .from(assignments)
      .innerJoin(directives, eq(directives.id, assignments.directiveId))
      .where(and(eq(assignments.agencyId, agencyId), isNull(assignments.endedAt), notInArray(directives.status, [...CLOSED_STATUSES])))
      .orderBy(asc(directives.id));
  /**
   * The directory side of a merge or a split, in its transaction: the agency becomes inactive with `to` as its
   * successor of record, and its sub-units, its users (but `keepUsers`, placed by a split) and its webhooks move to `to`.
   */
  const retire = async (tx: Pick<typeof db, 'update'>, fromId: string, to: string, keepUsers: string[] = []) => {
    await tx.update(agencies).set({ successorId: to, active: false }).where(eq(agencies.id, fromId));
    await tx.update(agencies).set({ parentId: to }).where(and(eq(agencies.parentId, fromId), ne(agencies.id, to)));
    await tx.update(agencies).set({ supervisorId: to }).where(and(eq(agencies.supervisorId, fromId), ne(agencies.id, to)));
    await tx
      .update(users)
      .set({ agencyId: to })
      .where(and(eq(users.agencyId, fromId), keepUsers.length ? notInArray(users.id, keepUsers) : undefined));
    await tx.update(webhooks).set({ agencyId: to }).where(eq(webhooks.agencyId, fromId));
  };
  /** A successor must be active, never merged, and not the agency being reorganised. */
  const requireSuccessors = async (fromId: string, ids: string[], pointer: string) => {
    const unique = [...new Set(ids)];
    const bad = unique.find((id) => !UUID.test(id));
    if (bad !== undefined) throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', undefined, [{ location: 'body', pointer, message: `No agency ${bad}` }]);
    const rows = unique.length ? await db.select({ id: agencies.id, active: agencies.active, successorId: agencies.successorId }).from(agencies).where(inArray(agencies.id, unique)) : [];
    for (const id of unique) {
      const row = rows.find((r) => r.id === id);
      if (!row) throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', undefined, [{ location: 'body', pointer, message: `No agency ${id}` }]);
      if (id === fromId) throw new ServiceFailure(FailureType.Invalid, 'An agency cannot be its own successor.', undefined, [{ location: 'body', pointer, message: id }]);
      if (row.successorId || !row.active) {
        throw new ServiceFailure(FailureType.Invalid, 'The successor must be an active agency that has not been merged itself.', undefined, [{ location: 'body', pointer, message: id }]);
      }
    }
  };
  const requireReorganisable = async (id: string) => {
    const [from] = await db.select({ ...columns, successorId: agencies.successorId }).from(agencies).where(eq(agencies.id, id));
    if (!from) throw new ServiceFailure(FailureType.NotFound, `No agency ${id}.`);
    if (from.successorId) throw new ServiceFailure(FailureType.Conflict, 'This agency has already been merged.');
    return from;
  };
  const plan = (places: Array<{ directiveId: string; title: string; confidential: boolean; role: string }>, request: SplitRequest): SplitPreview => {
    const chosen = new Map((request.directives ?? []).map((d) => [d.directiveId, d.toAgencyId]));
    const byId = new Map<string, SplitPreview[number]>();
    for (const p of places) {
      // A directive where the agency is both lead and coordinating moves once, as lead.
      if (byId.get(p.directiveId)?.role === 'lead') continue;
      // The admin places a confidential directive by its reference; no rule reads its title (domain/split.ts).
      const choice = successorFor(p.confidential ? null : p.title, request.rules ?? [], request.defaultSuccessorId, chosen.get(p.directiveId));
      byId.set(p.directiveId, { directiveId: p.directiveId, title: shownTitle({ id: p.directiveId, ...p }), role: p.role === 'lead' ? 'lead' : 'coordinating', ...choice });
    }
    return [...byId.values()];
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
      await requireNoCycle(claim.resourceId, body.supervisorId, body.parentId);
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

    /**
     * Merges an agency into its successor ("sáp nhập"): in one transaction the predecessor is marked merged and
     * inactive, its sub-units, users and webhooks move to the successor, and the move of its open directives is
     * recorded; then that move runs as a workflow (each directive's `transfer` Update: its place, what it did and
     * was sent go to the successor; the history keeps the predecessor for the time before).
     */
    async merge(principal: Principal, id: string, body: { successorId: string }): Promise<ReorganisationView> {
      requirePermission(principal, 'administer');
      const from = await requireReorganisable(id);
      const [to] = await db.select({ ...columns, successorId: agencies.successorId }).from(agencies).where(eq(agencies.id, body.successorId));
      if (!to) throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', undefined, [{ location: 'body', pointer: '/successorId', message: `No agency ${body.successorId}` }]);
      if (to.id === from.id) throw new ServiceFailure(FailureType.Invalid, 'An agency cannot be merged into itself.');
      if (to.successorId || !to.active) throw new ServiceFailure(FailureType.Invalid, 'The successor must be an active agency that has not been merged itself.');
      const row = await db.transaction(async (tx) => {
        await retire(tx, from.id, to.id);
        const [r] = await tx.insert(reorganisations).values({ kind: 'merge', fromAgencyId: from.id, toAgencyId: to.id, reason: MERGE_REASON, createdBy: principal.userId }).returning();
        return r!;
      });
      await startMove(row);
      const [after] = await db.select().from(reorganisations).where(eq(reorganisations.id, row.id));
      return reorganisationView(after!);
    },

    /** Where each open directive of the agency would go under these rules: what the split form shows before it is made. */
    async splitPreview(principal: Principal, id: string, request: SplitRequest): Promise<SplitPreview> {
      requirePermission(principal, 'administer');
      await requireReorganisable(id);
      return plan(await openPlaces(db, id), request);
    },

    /**
     * Splits an agency ("chia tách"): in one transaction it is marked inactive (its successor of record, for
     * escalations that still name it and for folded statistics, is the default successor), its users, sub-units
     * and webhooks move, and each open directive's successor is decided and kept as the plan; then the plan runs
     * as a workflow (each directive's `transfer` Update to its own successor).
     */
    async split(principal: Principal, id: string, request: SplitRequest): Promise<ReorganisationView> {
      requirePermission(principal, 'administer');
      const from = await requireReorganisable(id);
      await requireSuccessors(id, [request.defaultSuccessorId], '/defaultSuccessorId');
      await requireSuccessors(id, (request.rules ?? []).map((r) => r.toAgencyId), '/rules');
      await requireSuccessors(id, (request.directives ?? []).map((d) => d.toAgencyId), '/directives');
      await requireSuccessors(id, (request.users ?? []).flatMap((u) => (u.toAgencyId ? [u.toAgencyId] : [])), '/users');
      const to = request.defaultSuccessorId;
      const row = await db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from ${agencies} where ${agencies.id} = ${from.id} for update`);
        const places = await openPlaces(tx, from.id);
        const foreign = (request.directives ?? []).filter((d) => !places.some((p) => p.directiveId === d.directiveId));
        if (foreign.length) {
          throw new ServiceFailure(FailureType.Invalid, 'A directive named is not an open directive of this agency.', undefined, [
            { location: 'body', pointer: '/directives', message: foreign.map((d) => d.directiveId).join(', ') },
          ]);
        }
        const staff = await tx.select({ id: users.id }).from(users).where(eq(users.agencyId, from.id));
        const strangers = (request.users ?? []).filter((u) => !staff.some((s) => s.id === u.userId));
        if (strangers.length) {
          throw new ServiceFailure(FailureType.Invalid, 'A user named does not belong to this agency.', undefined, [
            { location: 'body', pointer: '/users', message: strangers.map((u) => u.userId).join(', ') },
          ]);
        }
        for (const u of request.users ?? []) {
          if (u.toAgencyId) await tx.update(users).set({ agencyId: u.toAgencyId }).where(eq(users.id, u.userId));
          else await tx.update(users).set({ revokedAt: sql`coalesce(${users.revokedAt}, now())` }).where(eq(users.id, u.userId));
        }
        await retire(
          tx,
          from.id,
          to,
          (request.users ?? []).map((u) => u.userId),
        );
        const [r] = await tx
          .insert(reorganisations)
          .values({ kind: 'split', fromAgencyId: from.id, toAgencyId: to, reason: SPLIT_REASON, rules: request.rules ?? [], createdBy: principal.userId })
          .returning();
        const moves = plan(places, request);
        if (moves.length) {
          await tx.insert(reorganisationMoves).values(moves.map((m) => ({ reorganisationId: r!.id, directiveId: m.directiveId, toAgencyId: m.toAgencyId, by: m.by, keyword: m.keyword })));
        }
        return r!;
      });
      await startMove(row);
      const [after] = await db.select().from(reorganisations).where(eq(reorganisations.id, row.id));
      return reorganisationView(after!);
    },

    /** A split's plan: where each directive went and why. */
    async moves(principal: Principal, reorganisationId: string) {
      requirePermission(principal, 'administer');
      return db
        .select({
          directiveId: reorganisationMoves.directiveId,
          toAgencyId: reorganisationMoves.toAgencyId,
          by: reorganisationMoves.by,
          // A split made before rules left confidential titles alone may have kept a keyword of one: never shown.
          keyword: sql<string | null>`case when ${directives.confidential} then null else ${reorganisationMoves.keyword} end`,
        })
        .from(reorganisationMoves)
        .innerJoin(directives, eq(directives.id, reorganisationMoves.directiveId))
        .where(eq(reorganisationMoves.reorganisationId, reorganisationId))
        .orderBy(asc(reorganisationMoves.directiveId));
    },

    async reorganisations(principal: Principal): Promise<ReorganisationView[]> {
      requirePermission(principal, 'administer');
      return (await db.select().from(reorganisations).orderBy(desc(reorganisations.createdAt)).limit(50)).map(reorganisationView);
    },

    /** Starts the move of every merge not started yet (Temporal was down when it was made). Called when the API starts. */
    async startPendingReorganisations(): Promise<number> {
      const pending = await db.select().from(reorganisations).where(isNull(reorganisations.startedAt)).orderBy(asc(reorganisations.createdAt));
      for (const r of pending) await startMove(r);
      return pending.length;
    },

    async update(principal: Principal, id: string, patch: AgencyPatch): Promise<AgencyView> {
      requirePermission(principal, 'administer');
      const [current] = await db.select(columns).from(agencies).where(eq(agencies.id, id));
      if (!current) throw new ServiceFailure(FailureType.NotFound, `No agency ${id}.`);
      await requireAgencies([patch.parentId, patch.supervisorId], ['/parentId', '/supervisorId']);
      await requireNoCycle(id, patch.supervisorId === undefined ? current.supervisorId : patch.supervisorId, patch.parentId === undefined ? current.parentId : patch.parentId);
      if (Object.keys(patch).length === 0) return current;
      const [row] = await db.update(agencies).set(patch).where(eq(agencies.id, id)).returning(columns);
      return row!;
    },
  };
}
