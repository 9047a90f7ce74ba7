import { and, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, assignments, directiveEvents, users, webhooks } from '../db/schema.js';
import type { DeadlinePolicy } from '../domain/deadlines.js';
import type { DirectiveEventType } from '../domain/events.js';
import type { Escalation } from '../domain/directive.js';
import { agencyTransferWorkflowId } from '../temporal/client.js';
import type { AgencyTransferResult } from '../workflows/agency-transfer.js';
import { createOrg, inSeconds, issueMany, pastSoon, soon, type Org } from './lifecycle-support.js';
import { createAgency, createUserWithId, eventually, json, startWorld, webSession, type World } from './support.js';

/**
 * A merge on the real Temporal server and PostgreSQL: an agency with 50 open directives, each reminded and one
 * rung up its ladder, is merged into a successor under another supervising agency.
 */
let world: World;
let org: Org;
beforeAll(async () => {
  world = await startWorld();
  org = await createOrg(world);
});
afterAll(async () => world?.close());

/** Reminded 2 s before the due instant; rung 1 a second after it, rung 2 twenty-five seconds after. */
const POLICY: DeadlinePolicy = { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT25S' }, { duration: 'PT1H' }] };

describe('merging an agency', () => {
  it('moves each open directive once; the ladder goes on at the next rung for the successor; the history and past statistics keep the predecessor', async () => {
    const predecessor = await createAgency(world.db, 'So Noi vu cu', org.supervisor.id);
    const otherSupervisor = await createAgency(world.db, 'Ban To chuc');
    const successor = await createAgency(world.db, 'So Noi vu moi', otherSupervisor.id);
    const officer = await createUserWithId(world.db, { role: 'officer', agencyId: predecessor.id });
    const [hook] = await world.db.insert(webhooks).values({ agencyId: predecessor.id, url: 'http://127.0.0.1:9/hook', secret: 'whsec_test' }).returning();

    const N = 50;
    // Reminded LEAD_SECONDS from now, due 2 s later: the plan is made before the reminder even when 50 start at once on
    // a busy machine (a reminder whose moment passed before its plan was made is none).
    const ids = await issueMany(world, org, N, { leadAgencyId: predecessor.id, dueAt: soon(2), policy: POLICY });
    const eventsOf = (type: DirectiveEventType) => world.db.select().from(directiveEvents).where(and(inArray(directiveEvents.directiveId, ids), eq(directiveEvents.type, type)));
    // Every directive reminded and escalated once (rung 1, to the predecessor itself) before the merge.
    await eventually(() => eventsOf('escalated'), (events) => events.length === N, pastSoon(2, 19));
    const beforeMerge = new Date().toISOString();

    const res = await world.call('POST', `/v1/agencies/${predecessor.id}/merge`, { body: { successorId: successor.id } });
    expect(res.status).toBe(202);
    const reorganisation = await json(res);
    expect(reorganisation).toMatchObject({ kind: 'merge', fromAgencyId: predecessor.id, toAgencyId: successor.id, reason: 'sáp nhập' });
    const result: AgencyTransferResult = await world.client.workflow.getHandle(agencyTransferWorkflowId(reorganisation.id)).result();
    expect(result).toEqual({ changeId: reorganisation.id, examined: N, moved: N });

    // The directory moved with it.
    const [merged] = await world.db.select().from(agencies).where(eq(agencies.id, predecessor.id));
    expect(merged).toMatchObject({ successorId: successor.id, active: false });
    expect((await world.db.select().from(users).where(eq(users.id, officer.id)))[0]!.agencyId).toBe(successor.id);
    expect((await world.db.select().from(webhooks).where(eq(webhooks.id, hook!.id)))[0]!.agencyId).toBe(successor.id);

    // Rung 2 reaches the successor, and the successor's supervising agency: not rung 1 again.
    await eventually(() => eventsOf('escalated'), (events) => events.length === 2 * N, 60_000);
    const escalations = (await eventsOf('escalated')).map((e) => (e.data as { escalation: Escalation }).escalation);
    expect(escalations.filter((e) => e.level === 1).every((e) => e.agencyId === predecessor.id)).toBe(true);
    const second = escalations.filter((e) => e.level === 2);
    expect(second).toHaveLength(N);
    expect(second.every((e) => e.agencyId === successor.id && e.target.agencyId === otherSupervisor.id)).toBe(true);
    // Reminded once, the predecessor, before the merge; the successor is not reminded again.
    const reminders = (await eventsOf('reminder_due')).map((e) => (e.data as { agencyId: string }).agencyId);
    expect(reminders).toEqual(Array(N).fill(predecessor.id));
    // The predecessor's open rung closed as transferred.
    const resolved = (await eventsOf('escalation_resolved')).map((e) => e.data as { resolution: string; escalations: Escalation[] });
    expect(resolved.filter((r) => r.resolution === 'transferred' && r.escalations.every((e) => e.agencyId === predecessor.id))).toHaveLength(N);

    // Each moved exactly once, and its history keeps the predecessor for the time before.
    const moves = (await eventsOf('reassigned')).filter((e) => (e.data as { transfer?: { changeId: string } }).transfer?.changeId === reorganisation.id);
    expect(moves.map((e) => e.directiveId).sort()).toEqual([...ids].sort());
    expect(moves.every((e) => (e.data as { before: { leadAgencyId: string } }).before.leadAgencyId === predecessor.id)).toBe(true);
    expect(moves.every((e) => (e.data as { reason: string; after: { leadAgencyId: string } }).reason === 'sáp nhập' && (e.data as { after: { leadAgencyId: string } }).after.leadAgencyId === successor.id)).toBe(true);
    const issued = await eventsOf('issued');
    expect(issued.every((e) => (e.data as { leadAgencyId: string }).leadAgencyId === predecessor.id)).toBe(true);

    // Statistics as of before the merge count the predecessor; as of now, the successor.
    // The days around today (Vietnam time): a quarter named here would leave the directives behind when it ends.
    const day = (offset: number) => new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const leadRow = async (asOf: string, agencyId: string, fold = false) => {
      const body = await json(await world.call('GET', `/v1/statistics?period=${day(-1)}..${day(1)}&groupBy=lead&asOf=${encodeURIComponent(asOf)}&foldMerged=${fold}`));
      return body.rows.find((r: { key: { id: string } | null }) => r.key?.id === agencyId)?.counts.total ?? 0;
    };
    expect(await leadRow(beforeMerge, predecessor.id)).toBe(N);
    expect(await leadRow(beforeMerge, successor.id)).toBe(0);
    const now = new Date().toISOString();
    expect(await leadRow(now, successor.id)).toBe(N);
    expect(await leadRow(now, predecessor.id)).toBe(0);
    // Asked to, the past is folded into the successor's line.
    expect(await leadRow(beforeMerge, successor.id, true)).toBe(N);
    expect(await leadRow(beforeMerge, predecessor.id, true)).toBe(0);

    // One directive's history, as the closing note of the issue shows it.
    const one = await world.db.select().from(directiveEvents).where(eq(directiveEvents.directiveId, ids[0]!)).orderBy(directiveEvents.seq);
    const who = (id: string | undefined) => (id === predecessor.id ? 'predecessor' : id === successor.id ? 'successor' : id === otherSupervisor.id ? "successor's supervisor" : id);
    const line = one.map((e) => {
      const d = e.data as Record<string, any>;
      if (e.type === 'issued') return `issued (lead ${who(d.leadAgencyId)})`;
      if (e.type === 'reminder_due') return `reminder_due (${who(d.agencyId)})`;
      if (e.type === 'overdue') return `overdue (missing ${d.missing.map(who).join(', ')})`;
      if (e.type === 'escalated') return `escalated rung ${d.escalation.level} (${who(d.escalation.agencyId)} → ${who(d.escalation.target.agencyId)})`;
      if (e.type === 'reassigned') return `reassigned "${d.reason}" (${who(d.before.leadAgencyId)} → ${who(d.after.leadAgencyId)})`;
      if (e.type === 'escalation_resolved') return `escalation_resolved ${d.resolution} (rung ${d.escalations.map((x: Escalation) => x.level).join(',')} of ${who(d.escalations[0]?.agencyId)})`;
      return e.type;
    });
    console.log(`a merged directive's events: ${line.join(' · ')}`);

    // Merged once: a second merge of it is refused, and its run is listed as finished.
    expect((await world.call('POST', `/v1/agencies/${predecessor.id}/merge`, { body: { successorId: successor.id } })).status).toBe(409);
    const list = await json(await world.call('GET', '/v1/agencies/reorganisations'));
    expect(list.find((r: { id: string }) => r.id === reorganisation.id)).toMatchObject({ examined: N, moved: N, finishedAt: expect.any(String) });
  }, 120_000);

  it('is an admin’s form on the agencies page, refused with the reason for an agency merged already', async () => {
    const from = await createAgency(world.db, 'Phong cu');
    const to = await createAgency(world.db, 'Phong moi');
    const admin = await webSession(world, 'admin');
    await admin.get('/admin/agencies');
    expect((await admin.post(`/admin/agencies/${from.id}/merge`, { successorId: to.id })).status).toBe(303);
    const [merged] = await world.db.select().from(agencies).where(eq(agencies.id, from.id));
    expect(merged).toMatchObject({ successorId: to.id, active: false });
    await admin.post(`/admin/agencies/${from.id}/merge`, { successorId: to.id });
    expect(await (await admin.get('/admin/agencies')).text()).toContain('Cơ quan này đã được sáp nhập.');
  });
});

describe('splitting an agency', () => {
  it('sends each open directive to the successor the admin chose, else the first matching rule, else the default; users and webhooks go where told', async () => {
    const predecessor = await createAgency(world.db, 'So Lao dong Thuong binh Xa hoi', org.supervisor.id);
    const health = await createAgency(world.db, 'So Y te moi', org.supervisor.id);
    const labour = await createAgency(world.db, 'So Noi vu (lao dong)', org.supervisor.id);
    const fallback = await createAgency(world.db, 'So Giao duc', org.supervisor.id);
    const [movedOfficer, revokedOfficer, otherOfficer] = await Promise.all([1, 2, 3].map(() => createUserWithId(world.db, { role: 'officer', agencyId: predecessor.id })));
    const [hook] = await world.db.insert(webhooks).values({ agencyId: predecessor.id, url: 'http://127.0.0.1:9/split', secret: 'whsec_test' }).returning();

    const due = inSeconds(3600);
    const titled = async (title: string, overrides = {}) => (await issueMany(world, org, 1, { title, leadAgencyId: predecessor.id, dueAt: due, ...overrides }))[0]!;
    const ids = {
      hospital: await titled('Nâng cấp Bệnh viện đa khoa tỉnh'),
      clinics: await titled('Y tế cơ sở vùng cao'),
      jobs: await titled('Giải quyết việc làm cho người LAO ĐỘNG'),
      schools: await titled('Sắp xếp trường học'),
      chosen: await titled('Bệnh viện dã chiến, giao theo quyết định riêng'),
      // The predecessor coordinates here; the lead stays.
      coordinating: await titled('Bảo trợ xã hội', { leadAgencyId: org.lead.id, coordinatingAgencyIds: [predecessor.id] }),
    };
    const body = {
      defaultSuccessorId: fallback.id,
      rules: [
        { toAgencyId: health.id, keywords: ['y tế', 'bệnh viện'] },
        { toAgencyId: labour.id, keywords: ['lao động', 'bảo trợ'] },
      ],
      directives: [{ directiveId: ids.chosen, toAgencyId: labour.id }],
      users: [
        { userId: movedOfficer!.id, toAgencyId: health.id },
        { userId: revokedOfficer!.id, toAgencyId: null },
      ],
    };
    const expected: Record<string, string> = {
      [ids.hospital]: health.id,
      [ids.clinics]: health.id,
      [ids.jobs]: labour.id,
      [ids.schools]: fallback.id,
      [ids.chosen]: labour.id,
      [ids.coordinating]: labour.id,
    };

    // The preview says where each would go, and changes nothing.
    const preview = await json(await world.call('POST', `/v1/agencies/${predecessor.id}/split-preview`, { body }));
    expect(Object.fromEntries(preview.map((p: { directiveId: string; toAgencyId: string }) => [p.directiveId, p.toAgencyId]))).toEqual(expected);
    expect(preview.find((p: { directiveId: string }) => p.directiveId === ids.chosen)).toMatchObject({ by: 'admin' });
    expect(preview.find((p: { directiveId: string }) => p.directiveId === ids.schools)).toMatchObject({ by: 'default' });
    expect(preview.find((p: { directiveId: string }) => p.directiveId === ids.jobs)).toMatchObject({ by: 'rule', keyword: 'lao động' });
    expect((await world.db.select().from(agencies).where(eq(agencies.id, predecessor.id)))[0]!.active).toBe(true);

    // A directive that is not the predecessor's cannot be placed by the split.
    const [elsewhere] = await issueMany(world, org, 1, { dueAt: due });
    const refused = await world.call('POST', `/v1/agencies/${predecessor.id}/split`, { body: { ...body, directives: [{ directiveId: elsewhere!, toAgencyId: health.id }] } });
    expect(refused.status).toBe(422);
    expect((await world.db.select().from(agencies).where(eq(agencies.id, predecessor.id)))[0]!.active).toBe(true);

    const res = await world.call('POST', `/v1/agencies/${predecessor.id}/split`, { body });
    expect(res.status).toBe(202);
    const reorganisation = await json(res);
    expect(reorganisation).toMatchObject({ kind: 'split', fromAgencyId: predecessor.id, toAgencyId: fallback.id, reason: 'chia tách', rules: body.rules });
    const result: AgencyTransferResult = await world.client.workflow.getHandle(agencyTransferWorkflowId(reorganisation.id)).result();
    expect(result).toEqual({ changeId: reorganisation.id, examined: 6, moved: 6 });

    // Each directive moved once, to its own successor, with the reason "chia tách"; the read model follows.
    const all = Object.values(ids);
    const moves = (await world.db.select().from(directiveEvents).where(and(inArray(directiveEvents.directiveId, all), eq(directiveEvents.type, 'reassigned')))).map(
      (e) => ({ directiveId: e.directiveId, ...(e.data as { reason: string; transfer: { changeId: string; toAgencyId: string } }) }),
    );
    expect(moves).toHaveLength(6);
    expect(moves.every((m) => m.reason === 'chia tách' && m.transfer.changeId === reorganisation.id)).toBe(true);
    expect(Object.fromEntries(moves.map((m) => [m.directiveId, m.transfer.toAgencyId]))).toEqual(expected);
    const places = await world.db.select().from(assignments).where(and(inArray(assignments.directiveId, all), isNull(assignments.endedAt)));
    for (const [directiveId, agencyId] of Object.entries(expected)) {
      const role = directiveId === ids.coordinating ? 'coordinating' : 'lead';
      expect(places.some((p) => p.directiveId === directiveId && p.agencyId === agencyId && p.role === role)).toBe(true);
    }
    expect(places.some((p) => p.agencyId === predecessor.id)).toBe(false);
    expect(places.some((p) => p.directiveId === ids.coordinating && p.agencyId === org.lead.id && p.role === 'lead')).toBe(true);
    const plan = await json(await world.call('GET', `/v1/agencies/reorganisations/${reorganisation.id}/moves`));
    expect(plan).toHaveLength(6);

    // The directory: inactive, its successor of record the default; users moved, revoked or defaulted; the webhook to the default.
    expect((await world.db.select().from(agencies).where(eq(agencies.id, predecessor.id)))[0]).toMatchObject({ active: false, successorId: fallback.id });
    const people = await world.db.select().from(users).where(inArray(users.id, [movedOfficer!.id, revokedOfficer!.id, otherOfficer!.id]));
    const person = (id: string) => people.find((p) => p.id === id)!;
    expect(person(movedOfficer!.id).agencyId).toBe(health.id);
    expect(person(revokedOfficer!.id).revokedAt).not.toBeNull();
    expect(person(otherOfficer!.id)).toMatchObject({ agencyId: fallback.id, revokedAt: null });
    expect((await world.db.select().from(webhooks).where(eq(webhooks.id, hook!.id)))[0]!.agencyId).toBe(fallback.id);
    expect((await world.call('POST', `/v1/agencies/${predecessor.id}/split`, { body })).status).toBe(409);
  }, 120_000);

  it('is an admin’s form: the preview shows where each directive goes, a refusal comes back with the reason', async () => {
    const from = await createAgency(world.db, 'Phong tach');
    const a = await createAgency(world.db, 'Phong A');
    const b = await createAgency(world.db, 'Phong B');
    const [code] = (await world.db.select({ code: agencies.code }).from(agencies).where(eq(agencies.id, b.id))).map((r) => r.code);
    const [one] = await issueMany(world, org, 1, { title: 'Đề án chuyển đổi số', leadAgencyId: from.id, dueAt: inSeconds(3600) });
    const admin = await webSession(world, 'admin');
    const form = await (await admin.get(`/admin/agencies/${from.id}/split`)).text();
    expect(form).toContain('Đề án chuyển đổi số');
    const preview = await (await admin.post(`/admin/agencies/${from.id}/split`, { intent: 'preview', defaultSuccessorId: a.id, rules: `${code}: chuyển đổi số` })).text();
    expect(preview).toContain('Theo quy tắc: Phong B');
    // No default successor: the same form, with the reason.
    const refused = await admin.post(`/admin/agencies/${from.id}/split`, { intent: 'split', rules: `${code}: chuyển đổi số` });
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain('Cơ quan tiếp nhận mặc định');
    expect((await admin.post(`/admin/agencies/${from.id}/split`, { intent: 'split', defaultSuccessorId: a.id, rules: `${code}: chuyển đổi số` })).status).toBe(303);
    const [split] = await world.db.select().from(agencies).where(eq(agencies.id, from.id));
    expect(split).toMatchObject({ successorId: a.id, active: false });
    await eventually(async () => {
      const [move] = await world.db.select().from(directiveEvents).where(and(eq(directiveEvents.directiveId, one!), eq(directiveEvents.type, 'reassigned')));
      return (move?.data as { transfer?: { toAgencyId: string } } | undefined)?.transfer?.toAgencyId === b.id ? true : undefined;
    }, 30_000);
  }, 60_000);
});
