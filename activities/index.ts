import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { assignments, directiveEvents, directives } from '../db/schema.js';
import type { RecordEventInput, RecordEventResult } from '../workflows/types.js';

export type ActivityDeps = { db: Database };

/** Every activity is idempotent: Temporal may run one more than once. */
export function createActivities({ db }: ActivityDeps) {
  return {
    /**
     * Appends one event and moves the projections forward, in one transaction.
     * Unique (directive_id, seq) turns a retried or replayed call into a no-op.
     */
    async recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
      const occurredAt = new Date(input.occurredAt);
      const s = input.snapshot;
      return db.transaction(async (tx) => {
        const inserted = await tx
          .insert(directiveEvents)
          .values({
            directiveId: input.directiveId,
            seq: input.seq,
            type: input.type,
            occurredAt,
            actorId: input.actorId,
            data: input.data,
          })
          .onConflictDoNothing({ target: [directiveEvents.directiveId, directiveEvents.seq] })
          .returning({ id: directiveEvents.id });
        if (inserted.length === 0) return { recorded: false };

        const row = {
          workflowId: input.workflowId,
          conferenceId: s.conferenceId,
          title: s.title,
          body: s.body,
          leadAgencyId: s.leadAgencyId,
          status: s.status,
          timeliness: s.timeliness,
          dueAt: s.dueAt ? new Date(s.dueAt) : null,
          nextDeadlineAt: s.nextDeadlineAt ? new Date(s.nextDeadlineAt) : null,
          escalationLevel: s.escalationLevel,
          issuedBy: s.issuedBy,
          issuedAt: new Date(s.issuedAt),
          completedAt: s.completedAt ? new Date(s.completedAt) : null,
          lastSeq: input.seq,
          updatedAt: sql`now()`,
        };
        await tx
          .insert(directives)
          .values({ id: s.directiveId, ...row })
          .onConflictDoUpdate({ target: directives.id, set: row, setWhere: lt(directives.lastSeq, input.seq) });

        await syncAssignments(tx, s.directiveId, occurredAt, [
          { agencyId: s.leadAgencyId, role: 'lead' },
          ...s.coordinatingAgencyIds.map((agencyId) => ({ agencyId, role: 'coordinating' as const })),
        ]);
        return { recorded: true };
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type Assignment = { agencyId: string; role: 'lead' | 'coordinating' };

/** Ends assignments that are no longer in force and opens new ones; ended rows stay as history. */
async function syncAssignments(tx: Tx, directiveId: string, at: Date, wanted: Assignment[]): Promise<void> {
  const active = await tx
    .select({ agencyId: assignments.agencyId, role: assignments.role, assignedAt: assignments.assignedAt })
    .from(assignments)
    .where(and(eq(assignments.directiveId, directiveId), isNull(assignments.endedAt)));
  const key = (a: Assignment) => `${a.role}:${a.agencyId}`;
  const wantedKeys = new Set(wanted.map(key));
  const activeKeys = new Set(active.map(key));
  for (const a of active) {
    if (wantedKeys.has(key(a))) continue;
    await tx
      .update(assignments)
      .set({ endedAt: at })
      .where(
        and(
          eq(assignments.directiveId, directiveId),
          eq(assignments.agencyId, a.agencyId),
          eq(assignments.role, a.role),
          eq(assignments.assignedAt, a.assignedAt),
        ),
      );
  }
  const toOpen = wanted.filter((a) => !activeKeys.has(key(a)));
  if (toOpen.length > 0) {
    await tx
      .insert(assignments)
      .values(toOpen.map((a) => ({ directiveId, agencyId: a.agencyId, role: a.role, assignedAt: at })))
      .onConflictDoNothing();
  }
}
