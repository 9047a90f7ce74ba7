import { createHash } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import pMap from 'p-map';
import { conferences, directives } from '../db/schema.js';
import { assignedToAny, confidentialAllowed, visibleAgencies } from '../db/scope.js';
import { FailureType, ServiceFailure, type FieldError } from '../domain/failures.js';
import { TIMELINESS, type ConferenceKind, type Timeliness } from '../domain/lists.js';
import { initialState } from '../workflows/state.js';
import { agenciesById } from './agency-refs.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import type { DirectiveFields, DirectiveService, DirectiveView, Retry } from './directives.js';
import { claimWithParts } from './idempotency.js';

const START_CONCURRENCY = 8;

export type ConferenceView = {
  id: string;
  title: string;
  kind: ConferenceKind;
  heldOn: string | null;
  chair: string | null;
  conclusionRef: string | null;
  createdAt: string;
};

export type NewConference = {
  title: string;
  kind: ConferenceKind;
  heldOn?: string | undefined;
  chair?: string | undefined;
  conclusionRef?: string | undefined;
  directives: Array<Omit<DirectiveFields, 'conferenceId'>>;
};

/**
 * The id a conference's n-th directive was given before ids were kept with the conference's claim: anyone who saw
 * the conference could compute it. Only a retry of a conference first sent then still uses it, so that it starts
 * exactly the missing directives and never one twice.
 */
function derivedDirectiveId(conferenceId: string, index: number): string {
  const h = createHash('sha256').update(`${conferenceId}/${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const view = (r: typeof conferences.$inferSelect): ConferenceView => ({
  id: r.id,
  title: r.title,
  kind: r.kind,
  heldOn: r.heldOn,
  chair: r.chair,
  conclusionRef: r.conclusionRef,
  createdAt: r.createdAt.toISOString(),
});

export function conferenceService({ db }: ServiceDeps, directiveService: DirectiveService) {
  return {
    /**
     * Records a conference and issues all its directives (leader, admin). Idempotent with a retry key: each
     * start is idempotent on its fixed workflow id, so a retry after a crash starts only what is missing.
     */
    async issue(principal: Principal, body: NewConference, retry: Retry = {}): Promise<{ conference: ConferenceView; directives: DirectiveView[]; replayed: boolean }> {
      requirePermission(principal, 'issueDirectives');
      const now = new Date();
      const prepared = await Promise.all(body.directives.map((d, i) => directiveService.prepare(d, `/directives/${i}`, now)));
      const errors: FieldError[] = prepared.flatMap((p) => p.errors);
      if (errors.length > 0) throw new ServiceFailure(FailureType.Invalid, 'Some directives cannot be issued as given.', 'invalid-directive', errors);

      // Each directive's id is allocated once with the claim, so a retry starts exactly the missing ones, and kept
      // unguessable: a conference is listed to everyone, its directives only to those who may see them.
      const claim = await claimWithParts(db, `POST /v1/conferences ${principal.userId}`, retry.idempotencyKey, body, body.directives.length);
      const conferenceId = claim.resourceId;
      const directiveIds = claim.parts ?? body.directives.map((_, i) => derivedDirectiveId(conferenceId, i));
      await db
        .insert(conferences)
        .values({
          id: conferenceId,
          title: body.title,
          kind: body.kind,
          heldOn: body.heldOn ?? null,
          chair: body.chair ?? null,
          conclusionRef: body.conclusionRef ?? null,
          createdBy: principal.userId,
        })
        .onConflictDoNothing();
      const inputs = prepared.map((p, i) => p.build(directiveIds[i]!, conferenceId, principal.userId));
      await Promise.all(prepared.map((p, i) => p.saveReaders(inputs[i]!.directiveId, principal.userId)));
      // Side by side, a few at a time: one after another, 50 starts cost 50 round trips to the server in a row;
      // all at once, a big conference would take every connection the server gives one client.
      await pMap(inputs, (input) => directiveService.start(input), { concurrency: START_CONCURRENCY });
      const [row] = await db.select().from(conferences).where(eq(conferences.id, conferenceId));
      const agencies = new Map(prepared.flatMap((p) => [...p.agencies]));
      return { conference: view(row!), directives: inputs.map((input) => directiveService.view(initialState(input), agencies)), replayed: claim.replayed };
    },

    async list(_principal: Principal, limit: number): Promise<ConferenceView[]> {
      return (await db.select().from(conferences).orderBy(desc(conferences.createdAt)).limit(limit)).map(view);
    },

    /**
     * A conference with the directives the caller may see, and their count per timeliness category; `confidential`:
     * one of them is, so the door audits this read of it.
     */
    async detail(principal: Principal, id: string): Promise<{ conference: ConferenceView; counts: Record<Timeliness, number>; directives: DirectiveView[]; confidential: boolean }> {
      const [row] = await db.select().from(conferences).where(eq(conferences.id, id));
      if (!row) throw new ServiceFailure(FailureType.NotFound, `No conference ${id}.`);
      const visible = await visibleAgencies(db, principal);
      const rows = await db
        .select({ id: directives.id })
        .from(directives)
        .where(and(eq(directives.conferenceId, id), assignedToAny(visible), confidentialAllowed(principal)))
        .orderBy(asc(directives.issuedAt), asc(sql`${directives.title}`));
      const states = (await Promise.all(rows.map((r) => directiveService.projected(r.id)))).filter((s) => s !== null);
      const agencies = await agenciesById(db, states.flatMap((s) => [s.leadAgencyId, ...s.coordinatingAgencyIds]));
      const counts = Object.fromEntries(TIMELINESS.map((t) => [t, states.filter((s) => s.timeliness === t).length])) as Record<Timeliness, number>;
      const shown = states.map((s) => directiveService.view(s, agencies));
      return { conference: view(row), counts, directives: shown, confidential: shown.some((d) => d.confidential) };
    },
  };
}
