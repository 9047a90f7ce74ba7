import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities/index.js';
import { assignments, directiveEvents, directives } from '../db/schema.js';
import { stateQuery } from '../workflows/messages.js';
import { sendReplan, sendTransfer, startDelivery, startDirectiveWorkflow } from '../temporal/client.js';
import { DirectiveStatusKey, LeadAgencyKey, TimelinessKey } from '../workflows/search-attributes.js';
import { initialState } from '../workflows/state.js';
import { workflowIdFor, type DirectiveInput } from '../workflows/types.js';
import { createAgency, eventually, pastSoon, soon, startWorld, type World } from './support.js';

let world: World;
let lead: { id: string };
let coordinating: { id: string };

beforeAll(async () => {
  world = await startWorld();
  const supervisor = await createAgency(world.db, 'Ban Noi chinh');
  lead = await createAgency(world.db, 'Cuc THADS', supervisor.id);
  coordinating = await createAgency(world.db, 'Vien KSND', supervisor.id);
});
afterAll(async () => world?.close());

function input(overrides: Partial<DirectiveInput> = {}): DirectiveInput {
  return {
    directiveId: randomUUID(),
    title: 'Đẩy nhanh tiến độ thi hành án dân sự',
    body: 'Tập trung giải quyết dứt điểm các vụ việc tồn đọng.',
    leadAgencyId: lead.id,
    coordinatingAgencyIds: [coordinating.id],
    conferenceId: null,
    dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    issuedBy: null,
    issuedAt: new Date().toISOString(),
    ...overrides,
  };
}

async function start(i: DirectiveInput) {
  return (await startDirectiveWorkflow(world.client, world.taskQueue, i))!;
}

const eventsOf = (id: string) =>
  world.db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, id)).orderBy(asc(directiveEvents.seq));

describe('the directive workflow', () => {
  it('records its issued event and projects the directive with its lead and coordinating agencies', async () => {
    const i = input();
    const handle = await start(i);

    const [issued] = await eventually(async () => ((await eventsOf(i.directiveId)).length >= 1 ? eventsOf(i.directiveId) : undefined));
    expect(issued).toMatchObject({ seq: 1, type: 'issued' });

    const [row] = await world.db.select().from(directives).where(eq(directives.id, i.directiveId));
    expect(row).toMatchObject({
      workflowId: `directive-${i.directiveId}`,
      status: 'issued',
      timeliness: 'open_on_time',
      leadAgencyId: lead.id,
      lastSeq: 1,
    });
    expect(row?.dueAt?.toISOString()).toBe(i.dueAt);

    const assigned = await world.db
      .select({ agencyId: assignments.agencyId, role: assignments.role })
      .from(assignments)
      .where(eq(assignments.directiveId, i.directiveId));
    expect(assigned).toEqual(
      expect.arrayContaining([
        { agencyId: lead.id, role: 'lead' },
        { agencyId: coordinating.id, role: 'coordinating' },
      ]),
    );
    expect(assigned).toHaveLength(2);

    const state = await handle.query(stateQuery);
    expect(state).toMatchObject({ status: 'issued', seq: 1, leadAgencyId: lead.id });

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(DirectiveStatusKey)).toBe('issued');
    expect(description.typedSearchAttributes.get(LeadAgencyKey)).toBe(lead.id);
  });

  it('turns a directive overdue when its deadline passes unanswered, in the history, projection and search attributes', async () => {
    const i = input({ dueAt: soon() });
    const handle = await start(i);

    const events = await eventually(() => eventsOf(i.directiveId), (e) => e.length >= 2, pastSoon(0, 21));
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'issued'],
      [2, 'overdue'],
    ]);
    expect(events[1]!.occurredAt.getTime()).toBeGreaterThanOrEqual(Date.parse(i.dueAt!));

    const [row] = await world.db.select().from(directives).where(eq(directives.id, i.directiveId));
    expect(row).toMatchObject({ timeliness: 'open_overdue', lastSeq: 2, status: 'issued' });
    // The recorder is a local activity: its row is written inside the workflow task, whose search attributes the
    // server applies when the task completes, a moment later.
    const description = await eventually(async () => {
      const d = await handle.describe();
      return d.typedSearchAttributes.get(TimelinessKey) === 'open_overdue' ? d : undefined;
    }, 10_000);
    expect(description.typedSearchAttributes.get(TimelinessKey)).toBe('open_overdue');
    expect(description.status.name).toBe('RUNNING');
  });

  it('keeps a standing directive without a deadline open and never overdue', async () => {
    const i = input({ dueAt: null });
    const handle = await start(i);
    await eventually(() => eventsOf(i.directiveId), (events) => events.length === 1);
    const state = await handle.query(stateQuery);
    expect(state.timeliness).toBe('no_deadline');
    expect(state.nextDeadlineAt).toBeNull();
  });
});

describe('the recordEvent activity', () => {
  it('records a retried event once and never moves the projection backwards', async () => {
    const { recordEvent } = createActivities({ db: world.db, startDelivery, sendReplan, sendTransfer, collectBlobs: async () => ({ blobs: 0, objects: 0 }) });
    const i = input();
    const first = initialState(i);
    const base = {
      directiveId: i.directiveId,
      workflowId: workflowIdFor(i.directiveId),
      occurredAt: new Date().toISOString(),
      actorId: null,
    };
    const issued = { type: 'issued' as const, data: { leadAgencyId: i.leadAgencyId, coordinatingAgencyIds: i.coordinatingAgencyIds, dueAt: i.dueAt } };
    expect(await recordEvent({ ...base, ...issued, seq: 1, snapshot: { ...first, seq: 1 } })).toEqual({ recorded: true });
    expect(await recordEvent({ ...base, ...issued, seq: 1, snapshot: { ...first, seq: 1 } })).toEqual({ recorded: false });
    const overdue = { ...first, seq: 2, timeliness: 'open_overdue' as const };
    expect(await recordEvent({ ...base, type: 'overdue', data: { dueAt: i.dueAt! }, seq: 2, snapshot: overdue })).toEqual({ recorded: true });

    const rows = await eventsOf(i.directiveId);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    const [row] = await world.db.select().from(directives).where(eq(directives.id, i.directiveId));
    expect(row).toMatchObject({ lastSeq: 2, timeliness: 'open_overdue' });
    const active = await world.db
      .select()
      .from(assignments)
      .where(and(eq(assignments.directiveId, i.directiveId), eq(assignments.role, 'lead')));
    expect(active).toHaveLength(1);
  });
});
