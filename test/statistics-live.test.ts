import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedEvent } from '../db/events.js';
import { directiveEvents, directiveFacts, directives } from '../db/schema.js';
import { STAT_CATEGORIES, type FactState } from '../domain/lists.js';
import { categoryAt, foldFacts } from '../domain/statistics.js';
import { writeConference } from './statistics-history.js';
import { createAgency, createUser, eventually, freshDatabase, inSeconds, json, startWorld, type World } from './support.js';

/**
 * The versions real workflows write (from their snapshots, in the recordEvent transaction) against the
 * versions the migrator's backfill would replay from the same events, and the SQL of a category against
 * domain/statistics.ts's rule.
 */
let world: World;
let drop: () => Promise<void>;
let lead: { id: string; code: string };
let other: { id: string; code: string };
let coordinating: { id: string; code: string };
const tokens = {} as Record<'leader' | 'lead' | 'other' | 'supervisor', string>;

beforeAll(async () => {
  const database = await freshDatabase();
  drop = () => database.drop();
  world = await startWorld({ database });
  const supervisor = await createAgency(world.db, 'Ban Noi chinh');
  lead = await createAgency(world.db, 'Cong an tinh', supervisor.id);
  other = await createAgency(world.db, 'Toa an tinh', supervisor.id);
  coordinating = await createAgency(world.db, 'Vien KSND', supervisor.id);
  tokens.leader = await createUser(world.db, { role: 'leader' });
  tokens.lead = await createUser(world.db, { role: 'officer', agencyId: lead.id });
  tokens.other = await createUser(world.db, { role: 'officer', agencyId: other.id });
  tokens.supervisor = await createUser(world.db, { role: 'supervisor', agencyId: supervisor.id });
});
afterAll(async () => {
  await world?.close();
  await drop?.();
});

const act = async (token: string, path: string, body?: unknown) => {
  const res = await world.call('POST', path, { token, ...(body === undefined ? {} : { body }) });
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
};
const issue = async () => {
  const res = await world.call('POST', '/v1/directives', {
    token: tokens.leader,
    body: { title: 'Số liệu thật', leadAgency: lead.code, coordinatingAgencies: [coordinating.code], dueAt: inSeconds(3600) },
  });
  expect(res.status).toBe(201);
  return (await json(res)).id as string;
};
const eventCount = async (id: string, n: number) =>
  eventually(() => world.db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, id)).orderBy(asc(directiveEvents.seq)), (rows) => rows.length >= n);
const day = (offset: number) => new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const period = () => `${day(-1)}..${day(1)}`;

describe('versions written by running directives', () => {
  it('match, version for version, what the backfill replays from the same events', async () => {
    const completed = await issue();
    await act(tokens.lead, `/v1/directives/${completed}/acknowledgements`);
    await act(tokens.lead, `/v1/directives/${completed}/completion`, { summary: 'Đã xong' });
    await act(tokens.supervisor, `/v1/directives/${completed}/completion/review`, { accept: false, note: 'Bổ sung' });
    await act(tokens.lead, `/v1/directives/${completed}/completion`, { summary: 'Đã bổ sung' });
    await act(tokens.supervisor, `/v1/directives/${completed}/completion/review`, { accept: true });

    const moved = await issue();
    const requested = await act(tokens.lead, `/v1/directives/${moved}/extension-requests`, { proposedDueAt: inSeconds(7200), reason: 'Chờ giám định' });
    await act(tokens.supervisor, `/v1/directives/${moved}/extension-requests/${requested.extensionRequest.id}/decision`, { approve: true });
    await act(tokens.leader, `/v1/directives/${moved}/reassignment`, { leadAgency: other.code, coordinatingAgencies: [], reason: 'Điều chỉnh' });
    await act(tokens.leader, `/v1/directives/${moved}/cancellation`, { reason: 'Không còn phù hợp' });
    await eventCount(completed, 6);
    await eventCount(moved, 5);

    for (const [id, expected] of [
      [completed, ['open', 'completed']],
      [moved, ['open', 'open', 'open', 'cancelled']],
    ] as const) {
      const live = await world.db.select().from(directiveFacts).where(eq(directiveFacts.directiveId, id)).orderBy(asc(directiveFacts.seq));
      const events = await world.db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, id)).orderBy(asc(directiveEvents.seq));
      const replayed = foldFacts(events.map((e) => ({ ...storedEvent(e), occurredAt: e.occurredAt.toISOString(), seq: e.seq })));
      expect(live.map((v) => v.state)).toEqual(expected);
      expect(
        live.map((v) => ({ seq: v.seq, validFrom: v.validFrom.toISOString(), state: v.state, lead: v.leadAgencyId, coordinating: v.coordinatingAgencyIds, dueAt: v.dueAt?.toISOString() ?? null, completedAt: v.completedAt?.toISOString() ?? null })),
      ).toEqual(replayed.map((v) => ({ seq: v.seq, validFrom: v.validFrom, state: v.state, lead: v.leadAgencyId, coordinating: v.coordinatingAgencyIds, dueAt: v.dueAt, completedAt: v.completedAt })));
      // Each version ends where the next begins; the last is in force.
      live.slice(0, -1).forEach((v, i) => expect(v.validTo.getTime()).toBe(live[i + 1]!.validFrom.getTime()));
      const inForce = await world.db.select({ seq: directiveFacts.seq }).from(directiveFacts).where(and(eq(directiveFacts.directiveId, id), sql`${directiveFacts.validTo} = 'infinity'`));
      expect(inForce).toEqual([{ seq: live[live.length - 1]!.seq }]);
    }
    const [done] = await world.db.select().from(directives).where(eq(directives.id, completed));
    const last = (await world.db.select().from(directiveFacts).where(eq(directiveFacts.directiveId, completed))).find((v) => v.state === 'completed')!;
    expect(last.completedAt?.toISOString()).toBe(done!.completedAt?.toISOString());
  });

  it('counts a directive open on time before its completion was accepted and completed on time after', async () => {
    const id = await issue();
    await act(tokens.lead, `/v1/directives/${id}/completion`, { summary: 'Đã xong' });
    await act(tokens.supervisor, `/v1/directives/${id}/completion/review`, { accept: true });
    const [, submitted, accepted] = await eventCount(id, 3);
    // A moment strictly between the two events, as the workflow timed them.
    const gap = accepted!.occurredAt.getTime() - submitted!.occurredAt.getTime();
    expect(gap).toBeGreaterThan(1);
    const between = new Date(submitted!.occurredAt.getTime() + Math.floor(gap / 2)).toISOString();
    const categoryOf = async (asOf?: string) => {
      const q = `/v1/statistics/directives?period=${period()}&groupBy=lead&key=${lead.id}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`;
      const body = await json(await world.call('GET', q));
      return body.items.find((i: { id: string }) => i.id === id)?.category;
    };
    expect(await categoryOf(between)).toBe('open_on_time');
    expect(await categoryOf()).toBe('completed_on_time');
  });
});

describe('the category SQL', () => {
  it('agrees with the domain rule for any version and any moment', async () => {
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    const instant = fc.integer({ min: 0, max: 200 }).map((h) => new Date(t0 + h * 3_600_000).toISOString());
    const version = fc.record({ state: fc.constantFrom<FactState>('open', 'completed', 'cancelled'), dueAt: fc.option(instant), completedAt: fc.option(instant) });
    await fc.assert(
      fc.asyncProperty(fc.array(version, { minLength: 1, maxLength: 8 }), instant, async (versions, asOf) => {
        const runConference = await writeConference(world.db, `Lần ${randomUUID()}`, 'chuyen_de');
        for (const v of versions) {
          const id = randomUUID();
          await world.db.insert(directives).values({ id, workflowId: `directive-${id}`, conferenceId: runConference, title: 'x', leadAgencyId: lead.id, status: 'issued', timeliness: 'open_on_time', issuedAt: new Date(t0 - 3_600_000), lastSeq: 1 });
          await world.db.insert(directiveFacts).values({
            directiveId: id,
            seq: 1,
            validFrom: new Date(t0 - 3_600_000),
            state: v.state,
            leadAgencyId: lead.id,
            dueAt: v.dueAt ? new Date(v.dueAt) : null,
            completedAt: v.state === 'completed' && v.completedAt ? new Date(v.completedAt) : null,
            conferenceId: runConference,
          });
        }
        const body = await json(await world.call('GET', `/v1/statistics?period=2024-12-15..2025-03-14&groupBy=province&conferenceId=${runConference}&asOf=${encodeURIComponent(asOf)}`));
        const expected = Object.fromEntries(STAT_CATEGORIES.map((c) => [c, 0]));
        for (const v of versions) expected[categoryAt({ state: v.state, dueAt: v.dueAt, completedAt: v.state === 'completed' ? v.completedAt : null }, Date.parse(asOf))]! += 1;
        const { total: _total, ...got } = body.totals;
        expect(got).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
