import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { DirectiveState } from '../domain/directive.js';
import type { DirectiveEventType } from '../domain/events.js';
import { foldFacts, sameFact, type DirectiveFact } from '../domain/statistics.js';
import type { Database, Tx } from './database.js';
import { storedEvent } from './events.js';
import { directiveEvents, directiveFacts, directives } from './schema.js';

/** What a statistic reads of the workflow's state after an event. */
export function factOf(s: Pick<DirectiveState, 'status' | 'leadAgencyId' | 'coordinatingAgencyIds' | 'dueAt' | 'completedAt'>): DirectiveFact {
  return {
    state: s.status === 'completed' ? 'completed' : s.status === 'cancelled' ? 'cancelled' : 'open',
    leadAgencyId: s.leadAgencyId,
    coordinatingAgencyIds: [...new Set(s.coordinatingAgencyIds)],
    dueAt: s.dueAt === null ? null : new Date(s.dueAt).toISOString(),
    completedAt: s.completedAt === null ? null : new Date(s.completedAt).toISOString(),
  };
}

type Constants = { conferenceId: string | null; issuedBy: string | null };

const asFact = (r: typeof directiveFacts.$inferSelect): DirectiveFact => ({
  state: r.state,
  leadAgencyId: r.leadAgencyId,
  coordinatingAgencyIds: r.coordinatingAgencyIds,
  dueAt: r.dueAt?.toISOString() ?? null,
  completedAt: r.completedAt?.toISOString() ?? null,
});

const row = (directiveId: string, seq: number, validFrom: Date, f: DirectiveFact, c: Constants) => ({
  directiveId,
  seq,
  validFrom,
  state: f.state,
  leadAgencyId: f.leadAgencyId,
  coordinatingAgencyIds: f.coordinatingAgencyIds,
  dueAt: f.dueAt === null ? null : new Date(f.dueAt),
  completedAt: f.completedAt === null ? null : new Date(f.completedAt),
  conferenceId: c.conferenceId,
  issuedBy: c.issuedBy,
});

/**
 * Moves a directive's versions forward after one recorded event, in the recordEvent transaction (so exactly
 * once per event): the version in force ends where the event occurred and a new one begins, unless the
 * event changed nothing a statistic reads. A directive recorded before versions existed first gets them
 * replayed from its events. An older event arriving after a newer one changes nothing: the newer snapshot
 * already holds its effect.
 */
export async function recordFact(tx: Tx, input: { directiveId: string; type: DirectiveEventType; seq: number; occurredAt: string; snapshot: DirectiveState }): Promise<void> {
  const constants = { conferenceId: input.snapshot.conferenceId, issuedBy: input.snapshot.issuedBy };
  let [current] = await tx
    .select()
    .from(directiveFacts)
    .where(and(eq(directiveFacts.directiveId, input.directiveId), sql`${directiveFacts.validTo} = 'infinity'`))
    .for('update');
  if (!current && input.type !== 'issued') {
    // Recorded before versions existed, or taken while the workflow was still planning: in the second case
    // nothing is replayed and the issued event, still to come, begins the first version.
    if ((await replay(tx, [{ id: input.directiveId, ...constants }], input.seq)) === 0) return;
    [current] = await tx
      .select()
      .from(directiveFacts)
      .where(and(eq(directiveFacts.directiveId, input.directiveId), sql`${directiveFacts.validTo} = 'infinity'`))
      .for('update');
  }
  if (current && current.seq >= input.seq) return;
  const next = factOf(input.snapshot);
  if (current && sameFact(asFact(current), next)) return;
  const at = new Date(input.occurredAt);
  if (current) {
    await tx
      .update(directiveFacts)
      .set({ validTo: at })
      .where(and(eq(directiveFacts.directiveId, input.directiveId), eq(directiveFacts.seq, current.seq)));
  }
  await tx.insert(directiveFacts).values(row(input.directiveId, input.seq, at, next, constants)).onConflictDoNothing();
}

type Replayed = { id: string } & Constants;

/** Writes directives' versions from their recorded events (before `beforeSeq`, for one directive), in one read and few writes. */
async function replay(tx: Tx | Database, list: Replayed[], beforeSeq?: number): Promise<number> {
  if (list.length === 0) return 0;
  const events = await tx
    .select({ directiveId: directiveEvents.directiveId, seq: directiveEvents.seq, type: directiveEvents.type, data: directiveEvents.data, occurredAt: directiveEvents.occurredAt })
    .from(directiveEvents)
    .where(and(inArray(directiveEvents.directiveId, list.map((d) => d.id)), beforeSeq === undefined ? undefined : lt(directiveEvents.seq, beforeSeq)))
    .orderBy(asc(directiveEvents.directiveId), asc(directiveEvents.seq));
  const byDirective = new Map<string, typeof events>();
  for (const e of events) {
    const list = byDirective.get(e.directiveId);
    if (list) list.push(e);
    else byDirective.set(e.directiveId, [e]);
  }
  const rows = list.flatMap((d) => {
    const versions = foldFacts((byDirective.get(d.id) ?? []).map((e) => ({ ...storedEvent(e), occurredAt: e.occurredAt.toISOString(), seq: e.seq })));
    return versions.map((v, i) => ({
      ...row(d.id, v.seq, new Date(v.validFrom), v, d),
      validTo: i + 1 < versions.length ? new Date(versions[i + 1]!.validFrom) : sql`'infinity'::timestamptz`,
    }));
  });
  // PostgreSQL takes at most 65,535 parameters a statement; a row has eleven.
  for (let i = 0; i < rows.length; i += 4000) await tx.insert(directiveFacts).values(rows.slice(i, i + 4000)).onConflictDoNothing();
  return rows.length;
}

const lacksFacts = sql`not exists (select 1 from ${directiveFacts} where ${directiveFacts.directiveId} = ${directives.id})`;

/**
 * Gives every directive recorded before this release its versions, from its events: run by the migrator,
 * idempotent (a directive that has versions is left alone), in batches so a large database is not one
 * transaction.
 */
export async function backfillFacts(db: Database, batchSize = 500): Promise<{ directives: number; versions: number }> {
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  let versions = 0;
  for (;;) {
    const batch = await db
      .select({ id: directives.id })
      .from(directives)
      .where(and(gt(directives.id, after), lacksFacts))
      .orderBy(asc(directives.id))
      .limit(batchSize);
    if (batch.length === 0) return { directives: done, versions };
    after = batch[batch.length - 1]!.id;
    await db.transaction(async (tx) => {
      // Locks the batch's projection rows, as recordEvent does, then looks again: a worker that recorded an
      // event for one of them meanwhile has already replayed it.
      const locked = await tx
        .select({ id: directives.id, conferenceId: directives.conferenceId, issuedBy: directives.issuedBy })
        .from(directives)
        .where(and(inArray(directives.id, batch.map((b) => b.id)), lacksFacts))
        .for('update');
      versions += await replay(tx, locked);
      done += locked.length;
    });
  }
}
