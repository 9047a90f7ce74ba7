import { shownTitle } from '../domain/confidential.js';
import { and, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { directives, escalations } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { EscalationLevel, EscalationState } from '../domain/lists.js';
import { acknowledgeEscalationUpdate } from '../workflows/messages.js';
import { workflowIdFor } from '../workflows/types.js';
import type { Principal, ServiceDeps } from './context.js';
import { refusalOf } from './directives.js';
import { updateWithin } from '../temporal/client.js';

export type EscalationView = {
  id: number;
  directiveId: string;
  directiveTitle: string;
  deadlineKey: string;
  dueAt: string;
  agencyId: string;
  level: EscalationLevel;
  target: { agencyId: string | null; userId: string | null; label: string };
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  secondsToResolution: number | null;
};

/**
 * Whose inbox a rung is in: its target agency's people, or the targeted leader. One addressed to nobody (no
 * leader on record) is the admins', whose inbox holds every rung, as its mail is (activities/notify/outbox.ts).
 */
function inboxOf(p: Principal): SQL | undefined {
  if (p.role === 'admin' || (p.role === 'oversight' && !p.agencyId)) return undefined;
  if (p.role === 'leader') return eq(escalations.targetUserId, p.userId);
  return p.agencyId ? eq(escalations.targetAgencyId, p.agencyId) : sql`false`;
}

const STATE: Record<EscalationState, SQL | undefined> = {
  open: and(isNull(escalations.resolvedAt), isNull(escalations.acknowledgedAt)),
  acknowledged: and(isNull(escalations.resolvedAt), isNotNull(escalations.acknowledgedAt)),
  resolved: isNotNull(escalations.resolvedAt),
  all: undefined,
};

const asLevel = (n: number): EscalationLevel => (n === 1 || n === 2 ? n : 3);

export function escalationService({ db, temporal }: ServiceDeps) {
  const select = (where: SQL | undefined, limit: number) =>
    db
      .select({ e: escalations, title: directives.title, confidential: directives.confidential })
      .from(escalations)
      .innerJoin(directives, eq(directives.id, escalations.directiveId))
      .where(where)
      .orderBy(desc(escalations.openedAt), desc(escalations.id))
      .limit(limit);
  // The rung's people may be outside a confidential directive's readers: they get its reference, not its title.
  const view = ({ e, title, confidential }: Awaited<ReturnType<typeof select>>[number]): EscalationView => ({
    id: e.id,
    directiveId: e.directiveId,
    directiveTitle: shownTitle({ id: e.directiveId, title, confidential }),
    deadlineKey: e.deadlineKey,
    dueAt: e.dueAt.toISOString(),
    agencyId: e.agencyId,
    level: asLevel(e.level),
    target: { agencyId: e.targetAgencyId, userId: e.targetUserId, label: e.targetLabel },
    openedAt: e.openedAt.toISOString(),
    acknowledgedAt: e.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: e.resolvedAt?.toISOString() ?? null,
    resolution: e.resolution,
    secondsToResolution: e.resolvedAt ? Math.round((e.resolvedAt.getTime() - e.openedAt.getTime()) / 1000) : null,
  });

  return {
    /** The caller's escalation inbox, newest first. */
    async inbox(principal: Principal, state: EscalationState, limit: number): Promise<EscalationView[]> {
      return (await select(and(inboxOf(principal), STATE[state]), limit)).map(view);
    },

    /** Acknowledges a rung in the caller's inbox through its directive's workflow; someone else's is NotFound. */
    async acknowledge(principal: Principal, id: number): Promise<EscalationView> {
      const mine = and(eq(escalations.id, id), inboxOf(principal));
      const [row] = await select(mine, 1);
      if (!row) throw new ServiceFailure(FailureType.NotFound, `No escalation ${id} in your inbox.`);
      if (!row.e.acknowledgedAt) {
        try {
          await updateWithin(temporal, () =>
            temporal.workflow.getHandle(workflowIdFor(row.e.directiveId)).executeUpdate(acknowledgeEscalationUpdate, {
              args: [
                {
                  actor: { userId: principal.userId, role: principal.role, agencyId: principal.agencyId },
                  escalation: { deadlineKey: row.e.deadlineKey, dueAt: row.e.dueAt.toISOString(), agencyId: row.e.agencyId, level: asLevel(row.e.level) },
                },
              ],
            }),
          );
        } catch (err) {
          throw refusalOf(err);
        }
      }
      const [after] = await select(mine, 1);
      return view(after!);
    },
  };
}
