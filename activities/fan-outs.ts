/**
 * The fan-outs' activities: a calendar change's re-plan and a reorganisation's move page through the running
 * directives they reach and send each one its message; both are idempotent per directive and change.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { and, asc, eq, gt, gte, isNull, lte, notInArray, sql } from 'drizzle-orm';
import { assignments, calendarChanges, directiveEvents, directives, reorganisationMoves, reorganisations } from '../db/schema.js';
import { CLOSED_STATUSES } from '../domain/lists.js';
import type { ActivityDeps } from './types.js';

/**
 * An Update sent from an activity to a directive whose workflow tasks this same worker may run: it gives up when
 * the activity is cancelled (the worker shutting down cancels what is in flight), so the attempt fails at once and
 * is tried again, instead of holding the shutdown for the activity's whole timeout while nobody runs the directive.
 */
const untilCancelled = <T>(send: (client: Client) => Promise<T>): Promise<T> => {
  const { client, cancellationSignal } = Context.current();
  return client.withAbortSignal(cancellationSignal, () => send(client));
};

export function fanOutActivities({ db, sendReplan, sendTransfer }: Pick<ActivityDeps, 'db' | 'sendReplan' | 'sendTransfer'>) {
  return {
    /** One page of the open directives whose plan spans [from, to], in id order after `after`. */
    async affectedDirectives(input: { from: string; to: string; after: string | null; limit: number }): Promise<string[]> {
      const rows = await db
        .select({ id: directives.id })
        .from(directives)
        .where(
          and(
            notInArray(directives.status, [...CLOSED_STATUSES]),
            gte(directives.plannedUntil, new Date(input.from)),
            lte(directives.plannedFrom, new Date(input.to)),
            input.after ? gt(directives.id, input.after) : undefined,
          ),
        )
        .orderBy(asc(directives.id))
        .limit(input.limit);
      return rows.map((r) => r.id);
    },

    /**
     * Asks one directive to re-plan for a calendar change; whether it moved is read back from its history
     * (the Update records the move before it answers), so a retry answers the same.
     */
    async replanDirective(input: { directiveId: string; changeId: string; cause: string }): Promise<{ moved: boolean; closed: boolean }> {
      const outcome = await untilCancelled((client) => sendReplan(client, input.directiveId, { changeId: input.changeId, cause: input.cause }));
      const [row] = await db
        .select({ id: directiveEvents.id })
        .from(directiveEvents)
        .where(
          and(
            eq(directiveEvents.directiveId, input.directiveId),
            eq(directiveEvents.type, 'replanned'),
            sql`${directiveEvents.data}->>'changeId' = ${input.changeId}`,
          ),
        )
        .limit(1);
      return { moved: row !== undefined, closed: outcome === 'closed' };
    },

    async finishCalendarChange(input: { changeId: string; examined: number; moved: number }): Promise<void> {
      await db
        .update(calendarChanges)
        .set({ finishedAt: sql`now()`, examined: input.examined, moved: input.moved })
        .where(eq(calendarChanges.id, input.changeId));
    },

    /** One page of the open directives an agency currently has a place in (lead or coordinating), in id order. */
    async directivesAssignedTo(input: { agencyId: string; after: string | null; limit: number }): Promise<string[]> {
      const rows = await db
        .selectDistinct({ id: assignments.directiveId })
        .from(assignments)
        .innerJoin(directives, eq(directives.id, assignments.directiveId))
        .where(
          and(
            eq(assignments.agencyId, input.agencyId),
            isNull(assignments.endedAt),
            notInArray(directives.status, [...CLOSED_STATUSES]),
            input.after ? gt(assignments.directiveId, input.after) : undefined,
          ),
        )
        .orderBy(asc(assignments.directiveId))
        .limit(input.limit);
      return rows.map((r) => r.id);
    },

    /** One page of a split's plan: each directive and the successor it goes to, in directive id order. */
    async plannedMoves(input: { changeId: string; after: string | null; limit: number }): Promise<Array<{ directiveId: string; toAgencyId: string }>> {
      return db
        .select({ directiveId: reorganisationMoves.directiveId, toAgencyId: reorganisationMoves.toAgencyId })
        .from(reorganisationMoves)
        .where(and(eq(reorganisationMoves.reorganisationId, input.changeId), input.after ? gt(reorganisationMoves.directiveId, input.after) : undefined))
        .orderBy(asc(reorganisationMoves.directiveId))
        .limit(input.limit);
    },

    /** Moves one directive's place from the predecessor to the successor; whether it moved is read from its history. */
    async transferDirective(input: { directiveId: string; changeId: string; fromAgencyId: string; toAgencyId: string; reason: string }): Promise<{ moved: boolean }> {
      const { directiveId, ...args } = input;
      await untilCancelled((client) => sendTransfer(client, directiveId, args));
      const [row] = await db
        .select({ id: directiveEvents.id })
        .from(directiveEvents)
        .where(and(eq(directiveEvents.directiveId, directiveId), eq(directiveEvents.type, 'reassigned'), sql`${directiveEvents.data}->'transfer'->>'changeId' = ${args.changeId}`))
        .limit(1);
      return { moved: row !== undefined };
    },

    async finishReorganisation(input: { changeId: string; examined: number; moved: number }): Promise<void> {
      await db
        .update(reorganisations)
        .set({ finishedAt: sql`now()`, examined: input.examined, moved: input.moved })
        .where(eq(reorganisations.id, input.changeId));
    },
  };
}
