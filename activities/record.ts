/**
 * The recorder's activity: one event appended and the projections moved forward in one transaction, idempotent
 * on (directive, seq); the outbox filled and its delivery started. The workflow's half is engine/recorder.ts.
 */
import { Context } from '@temporalio/activity';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { EVENTS_CHANNEL, type EventAnnouncement } from '../db/events.js';
import { recordFact } from '../db/facts.js';
import { assignments, directiveEvents, directives, escalations, explanationRequests, reports } from '../db/schema.js';
import { returnsOf, standsReturned, type Escalation } from '../domain/directive.js';
import { NOTIFYING_EVENTS } from '../domain/events.js';
import type { AssignmentRole } from '../domain/lists.js';
import { planSpanOf } from '../domain/schedule.js';
import { foldVietnamese } from '../domain/text.js';
import { enqueueEventNotifications, eventSource, hasPending } from './notify/outbox.js';
import type { ActivityDeps } from './types.js';
import type { RecordEventInput, RecordEventResult } from './types.js';

export function recordingActivities({ db, notify, startDelivery }: Pick<ActivityDeps, 'db' | 'startDelivery'> & { notify: NonNullable<ActivityDeps['notify']> }) {
  /** The delivery run of one source is a workflow of its own, so its retries never hold up the directive. */
  const startDeliveryHere = (source: string) => {
    const ctx = Context.current();
    return startDelivery(ctx.client, ctx.info.taskQueue, source);
  };
  return {
    /**
     * Appends one event and moves the projections forward, in one transaction.
     * Unique (directive_id, seq) turns a retried or replayed call into a no-op.
     */
    async recordEvent(input: RecordEventInput): Promise<RecordEventResult> {
      const occurredAt = new Date(input.occurredAt);
      const s = input.snapshot;
      const result = await db.transaction(async (tx): Promise<RecordEventResult> => {
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

        const span = planSpanOf(s.deadlines ?? []);
        const row = {
          workflowId: input.workflowId,
          conferenceId: s.conferenceId,
          title: s.title,
          body: s.body,
          searchText: foldVietnamese(`${s.title} ${s.body}`),
          leadAgencyId: s.leadAgencyId,
          status: s.status,
          timeliness: s.timeliness,
          dueAt: s.dueAt ? new Date(s.dueAt) : null,
          nextDeadlineAt: s.nextDeadlineAt ? new Date(s.nextDeadlineAt) : null,
          escalationLevel: s.escalationLevel,
          issuedBy: s.issuedBy,
          issuedAt: new Date(s.issuedAt),
          completedAt: s.completedAt ? new Date(s.completedAt) : null,
          plannedFrom: span.from,
          plannedUntil: span.until,
          parentId: s.parent?.directiveId ?? null,
          assigneeId: s.assigneeId ?? null,
          confidential: s.confidential === true,
          returnCount: returnsOf(s),
          returned: standsReturned(s),
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
        await recordFact(tx, input);
        await project(tx, input);
        await enqueueEventNotifications(tx, input, notify.publicUrl);
        await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(announcementOf(input))})`);
        return { recorded: true };
      });
      // After the commit, and again on a retry that finds the event recorded: the start is idempotent, so a
      // crash between the commit and the start cannot strand the messages.
      if (NOTIFYING_EVENTS.has(input.type)) {
        const source = eventSource(input.directiveId, input.seq);
        if (await hasPending(db, source)) await startDeliveryHere(source);
      }
      return result;
    },
  };
}

/** Event-specific projections, in the same transaction as the event. */
async function project(tx: Tx, input: RecordEventInput): Promise<void> {
  const at = new Date(input.occurredAt);
  switch (input.type) {
    case 'report_submitted': {
      const r = input.data.report;
      await tx
        .insert(reports)
        .values({
          directiveId: input.directiveId,
          deadlineKey: r.deadlineKey,
          agencyId: r.agencyId,
          submittedAt: new Date(r.at),
          submittedBy: r.by,
          late: r.late,
          summary: r.summary,
        })
        .onConflictDoNothing();
      return;
    }
    case 'escalated': {
      const e = input.data.escalation;
      await tx
        .insert(escalations)
        .values({
          directiveId: input.directiveId,
          deadlineKey: e.deadlineKey,
          dueAt: new Date(e.dueAt),
          agencyId: e.agencyId,
          level: e.level,
          targetAgencyId: e.target.agencyId,
          targetUserId: e.target.userId,
          targetLabel: e.target.label,
          openedAt: new Date(e.openedAt),
        })
        .onConflictDoNothing();
      return;
    }
    case 'escalation_acknowledged': {
      const e = input.data.escalation;
      await tx
        .update(escalations)
        .set({ acknowledgedAt: new Date(e.acknowledgedAt!), acknowledgedBy: e.acknowledgedBy ?? null })
        .where(rungOf(input.directiveId, e));
      return;
    }
    case 'explanation_requested': {
      const x = input.data.request;
      await tx
        .insert(explanationRequests)
        .values({
          directiveId: input.directiveId,
          requestId: x.id,
          agencyId: x.agencyId,
          deadlineKey: x.deadlineKey,
          requestedBy: x.requestedBy,
          requestedAt: new Date(x.requestedAt),
          dueAt: new Date(x.dueAt),
        })
        .onConflictDoNothing();
      return;
    }
    case 'explanation_answered':
      await tx
        .update(explanationRequests)
        .set({ answeredAt: new Date(input.data.answer.at), answeredLate: input.data.answer.late })
        .where(explanationOf(input.directiveId, input.data.requestId));
      return;
    case 'explanation_closed':
      await tx
        .update(explanationRequests)
        .set({ closedAt: at, accepted: input.data.accepted })
        .where(explanationOf(input.directiveId, input.data.requestId));
      return;
    case 'escalation_resolved':
      for (const e of input.data.escalations) {
        await tx
          .update(escalations)
          .set({ resolvedAt: at, resolution: e.resolution })
          .where(and(rungOf(input.directiveId, e), isNull(escalations.resolvedAt)));
      }
      return;
    default:
      return;
  }
}

/** One rung's row: unique on directive, deadline key, due instant, agency and level. */
const rungOf = (directiveId: string, e: Escalation) =>
  and(
    eq(escalations.directiveId, directiveId),
    eq(escalations.deadlineKey, e.deadlineKey),
    eq(escalations.dueAt, new Date(e.dueAt)),
    eq(escalations.agencyId, e.agencyId),
    eq(escalations.level, e.level),
  );

/** One explanation request's row: unique on directive and request id. */
const explanationOf = (directiveId: string, requestId: string) => and(eq(explanationRequests.directiveId, directiveId), eq(explanationRequests.requestId, requestId));

type Assignment = { agencyId: string; role: AssignmentRole };

/** Tells the web app's live pages, through NOTIFY, that someone's work may have changed. */
function announcementOf(input: RecordEventInput): EventAnnouncement {
  const target = input.type === 'escalated' ? input.data.escalation.target : null;
  return {
      directiveId: input.directiveId,
      type: input.type,
      agencyIds: [input.snapshot.leadAgencyId, ...input.snapshot.coordinatingAgencyIds],
      targetAgencyId: target?.agencyId ?? null,
      targetUserId: target?.userId ?? null,
  };
}

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
