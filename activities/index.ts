import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { and, asc, eq, gt, gte, isNull, lt, lte, notInArray, sql } from 'drizzle-orm';
import { loadOverrides } from '../db/calendar.js';
import type { Database, Tx } from '../db/client.js';
import { EVENTS_CHANNEL, type EventAnnouncement } from '../db/events.js';
import { recordFact } from '../db/facts.js';
import { agencies, assignments, calendarChanges, directiveEvents, directives, escalations, explanationRequests, reorganisationMoves, reorganisations, reports, users } from '../db/schema.js';
import { DIRECTIVE_RUNG_TARGETS, type Plan, type PlanInput, type PlannedDeadline, type ReplanInput } from '../domain/deadlines.js';
import { MAX_SUPERVISION_DEPTH } from '../domain/directory.js';
import { returnsOf, standsReturned, type Escalation, type EscalationTarget } from '../domain/directive.js';
import { NOTIFYING_EVENTS } from '../domain/events.js';
import { CLOSED_STATUSES, type AssignmentRole } from '../domain/lists.js';
import { planSpanOf } from '../domain/schedule.js';
import { foldVietnamese } from '../domain/text.js';
import { resolveRung } from '../engine/ladder.js';
import type { RungTarget } from '../engine/types.js';
import { planner } from './planner.js';
import type { RecordEventInput, RecordEventResult } from './types.js';
import { deliverNotifications, type DeliveryResult, type Mailer } from './notify/deliver.js';
import { composeDigests, enqueueEventNotifications, eventSource, hasPending } from './notify/outbox.js';

/**
 * An Update sent from an activity to a directive whose workflow tasks this same worker may run: it gives up when
 * the activity is cancelled (the worker shutting down cancels what is in flight), so the attempt fails at once and
 * is tried again, instead of holding the shutdown for the activity's whole timeout while nobody runs the directive.
 */
const untilCancelled = <T>(send: (client: Client) => Promise<T>): Promise<T> => {
  const { client, cancellationSignal } = Context.current();
  return client.withAbortSignal(cancellationSignal, () => send(client));
};

export type NotifyOptions = {
  /** Base of the links in messages. */
  publicUrl: string;
  mailer: Mailer | undefined;
  mailFrom: string;
  webhookFailureLimit: number;
  webhookDisableAfterSeconds: number;
  /** Absent or false: a webhook whose host resolves to a non-public address is not called. */
  allowPrivateWebhookTargets?: boolean;
};

/** Starts the delivery run of one outbox source (services/temporal.ts), through the activity's own client. */
export type StartDelivery = (client: Client, taskQueue: string, source: string) => Promise<void>;

/**
 * Sends one directive the `replan` Update of a calendar change (services/temporal.ts), through the activity's
 * own client: 'closed' when the directive has ended and has nothing to move.
 */
export type SendReplan = (client: Client, directiveId: string, args: { changeId: string; cause: string }) => Promise<'replanned' | 'closed'>;

/** Sends one directive the `transfer` Update of a reorganisation (services/temporal.ts). */
export type SendTransfer = (
  client: Client,
  directiveId: string,
  args: { changeId: string; fromAgencyId: string; toAgencyId: string; reason: string },
) => Promise<'transferred' | 'closed'>;

/** Takes away the attachment bytes no attachment names, older than the grace period (services/blob-store.ts). */
export type CollectBlobs = (graceSeconds: number) => Promise<{ blobs: number; objects: number }>;

export type ActivityDeps = { db: Database; notify?: NotifyOptions; startDelivery: StartDelivery; sendReplan: SendReplan; sendTransfer: SendTransfer; collectBlobs: CollectBlobs };

export const NO_NOTIFY: NotifyOptions = { publicUrl: 'http://localhost:3000', mailer: undefined, mailFrom: 'directive-tracker@localhost', webhookFailureLimit: 5, webhookDisableAfterSeconds: 3600 };

/** Every activity is idempotent: Temporal may run one more than once. */
export function createActivities({ db, notify = NO_NOTIFY, startDelivery, sendReplan, sendTransfer, collectBlobs }: ActivityDeps) {
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

    async deliverNotifications(input: { source: string }): Promise<DeliveryResult> {
      return deliverNotifications({ db, ...notify }, input.source);
    },

    async composeDigests(input: { date: string }): Promise<{ skipped: string | null; source: string; recipients: number }> {
      return composeDigests(db, input.date, notify.publicUrl);
    },

    async collectBlobs(input: { graceSeconds: number }): Promise<{ blobs: number; objects: number }> {
      return collectBlobs(input.graceSeconds);
    },

    /**
     * Calendar math stays out of workflow code (the holiday table is data that changes every year) and off the
     * event loop (activities/planner.ts). A plan the horizon refuses fails for good: no retry recomputes it.
     */
    async planSchedule(input: PlanInput): Promise<Plan> {
      const firstYear = Number(input.from.slice(0, 4)) - 1;
      return planner.plan(await loadOverrides(db, firstYear, firstYear + 12), input);
    },

    /** The same deadlines placed again on the calendar as it is now (domain/schedule.ts replanDeadlines). */
    async replanSchedule(input: ReplanInput): Promise<PlannedDeadline[]> {
      const years = input.deadlines.flatMap((d) => [d.dueAt, ...d.reminders, ...d.escalations]).map((x) => Number(x.slice(0, 4)));
      if (input.dueDate) years.push(Number(input.dueDate.slice(0, 4)));
      if (years.length === 0) return [];
      const overrides = await loadOverrides(db, Math.min(...years) - 1, Math.max(...years) + 1);
      return planner.replan(overrides, input);
    },

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

    async finishCalendarChange(input: { changeId: string; examined: number; moved: number }): Promise<void> {
      await db
        .update(calendarChanges)
        .set({ finishedAt: sql`now()`, examined: input.examined, moved: input.moved })
        .where(eq(calendarChanges.id, input.changeId));
    },

    /**
     * Targets are resolved when the rung fires, from the directory as it is then, so a reorganisation
     * (a merged agency, a new supervisor) is respected. A rung names its target, or (a directive's rung, as
     * every recorded history asks) its level on the directive's ladder.
     */
    async resolveEscalationTarget(input: { agencyId: string; level: number; issuedBy: string | null; target?: RungTarget }): Promise<EscalationTarget> {
      const target = input.target ?? DIRECTIVE_RUNG_TARGETS[input.level - 1] ?? { kind: 'issuer' };
      return resolveRung(target, { ownerId: input.agencyId, issuedBy: input.issuedBy }, {
        current: (id) => currentAgency(db, id),
        person: async (id) => (await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, id)))[0] ?? null,
      });
    },
  };
}

type AgencyRow = { id: string; name: string; supervisorId: string | null; parentId: string | null };

/** Follows merges to the agency that owns an old agency's work today. */
async function currentAgency(db: Database, id: string): Promise<AgencyRow> {
  let agencyId = id;
  for (let hops = 0; hops < MAX_SUPERVISION_DEPTH; hops++) {
    const [row] = await db
      .select({ id: agencies.id, name: agencies.name, supervisorId: agencies.supervisorId, parentId: agencies.parentId, successorId: agencies.successorId })
      .from(agencies)
      .where(eq(agencies.id, agencyId));
    if (!row) return { id: agencyId, name: '(cơ quan không xác định)', supervisorId: null, parentId: null };
    if (!row.successorId) return row;
    agencyId = row.successorId;
  }
  throw new Error(`agency ${id}: successor chain too long`);
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

export type Activities = ReturnType<typeof createActivities>;

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
