import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { asc, count, eq, inArray } from 'drizzle-orm';
import { storedEvent } from '../db/events.js';
import { directiveEvents, directives, escalations } from '../db/schema.js';
import type { DeadlinePolicy } from '../domain/deadlines.js';
import type { Actor } from '../domain/directive.js';
import { startDirectiveWorkflow } from '../temporal/client.js';
import type { DirectiveInput } from '../workflows/types.js';
import { createAgency, createUserWithId, eventually, inSeconds, pastSoon, soon, type World } from './support.js';

/** Second-scale ladder: reminder 2 s before, escalations 1, 2 and 3 s after each due instant. */
export const FAST_POLICY: DeadlinePolicy = {
  reminders: [{ duration: 'PT2S' }],
  escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }],
};

export type Org = Awaited<ReturnType<typeof createOrg>>;

/** A supervising agency with two supervised agencies and a spare, and one leader. */
export async function createOrg(world: World) {
  const supervisor = await createAgency(world.db, 'Ban Noi chinh');
  const lead = await createAgency(world.db, 'Cuc THADS', supervisor.id);
  const coordinating = await createAgency(world.db, 'Vien KSND', supervisor.id);
  const other = await createAgency(world.db, 'Thanh tra', supervisor.id);
  const leader = await createUserWithId(world.db, { role: 'leader' });
  const officer = (agencyId: string): Actor => ({ userId: randomUUID(), role: 'officer', agencyId });
  return {
    supervisor,
    lead,
    coordinating,
    other,
    leaderId: leader.id,
    leader: { userId: leader.id, role: 'leader', agencyId: null } as Actor,
    supervisorActor: { userId: randomUUID(), role: 'supervisor', agencyId: supervisor.id } as Actor,
    officer,
  };
}

export { inSeconds, pastSoon, soon };

export async function startDirective(world: World, org: Org, overrides: Partial<DirectiveInput> = {}) {
  const input: DirectiveInput = {
    directiveId: randomUUID(),
    title: 'Nâng cao chất lượng giải quyết đơn thư',
    body: '',
    leadAgencyId: org.lead.id,
    coordinatingAgencyIds: [],
    conferenceId: null,
    dueAt: inSeconds(3600),
    issuedBy: org.leaderId,
    issuedAt: new Date().toISOString(),
    regime: { kind: 'none' },
    policy: FAST_POLICY,
    ...overrides,
  };
  const handle = (await startDirectiveWorkflow(world.client, world.taskQueue, input))!;
  await waitForEvents(world, input.directiveId, (e) => e.some((x) => x.type === 'issued'));
  return { input, handle, id: input.directiveId };
}

/**
 * Starts `n` directives (lead: the org's lead agency unless overridden), 50 at a time; resolves with their ids
 * once every one of them is in the read model.
 */
export async function issueMany(world: World, org: Org, n: number, overrides: Partial<DirectiveInput> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, () => randomUUID());
    await Promise.all(
      batch.map((directiveId) =>
        startDirectiveWorkflow(world.client, world.taskQueue, {
          directiveId,
          title: `Nhiệm vụ ${directiveId.slice(0, 8)}`,
          body: '',
          leadAgencyId: org.lead.id,
          coordinatingAgencyIds: [],
          conferenceId: null,
          dueAt: null,
          issuedBy: org.leaderId,
          issuedAt: new Date().toISOString(),
          regime: { kind: 'none' },
          ...overrides,
        }),
      ),
    );
    ids.push(...batch);
  }
  const issued = async () => (await world.db.select({ n: count() }).from(directives).where(inArray(directives.id, ids)))[0]!.n;
  await eventually(issued, (found) => found === n, 60_000);
  return ids;
}

export const eventsOf = (world: World, id: string) =>
  world.db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, id)).orderBy(asc(directiveEvents.seq));

export type EventRow = Awaited<ReturnType<typeof eventsOf>>[number];

export async function waitForEvents(world: World, id: string, done: (events: EventRow[]) => boolean, timeoutMs = pastSoon(0, 21)) {
  return eventually(() => eventsOf(world, id), done, timeoutMs);
}

/** The deadline an event is about (a reminder, a due instant passing, a rung, a report), or null. */
export function deadlineKeyOf(row: EventRow): string | null {
  const e = storedEvent(row);
  switch (e.type) {
    case 'reminder_due':
    case 'deadline_missed':
      return e.data.deadlineKey;
    case 'overdue':
      return e.data.deadlineKey ?? 'final';
    case 'report_submitted':
      return e.data.report.deadlineKey;
    case 'escalated':
      return e.data.escalation.deadlineKey;
    default:
      return null;
  }
}

export const escalationsOf = (world: World, id: string) =>
  world.db.select().from(escalations).where(eq(escalations.directiveId, id)).orderBy(asc(escalations.id));

/** Resolves once the clock has passed `instant` (ms): for a test's premise ("the deadline passed while …"), never to prove an absence. */
export const untilPast = (instant: number) => new Promise((r) => setTimeout(r, Math.max(0, instant - Date.now() + 50)));

/** The failure type a rejected update carries (the validator's ApplicationFailure type). */
export async function rejection(p: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return { type: err.cause.type ?? undefined, message: err.cause.message };
    }
    // A closed directive's workflow has completed: Temporal itself refuses the update.
    if (err instanceof WorkflowNotFoundError) return { type: 'Closed', message: err.message };
    throw err;
  }
  throw new Error('the update was accepted, but a rejection was expected');
}
