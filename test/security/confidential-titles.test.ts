import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, auditLog, directiveReaders, directives, escalations, publishedResults } from '../../db/schema.js';
import { confidentialAllowed } from '../../db/scope.js';
import { confidentialRef, mayReadTitle } from '../../domain/confidential.js';
import { visibility } from '../../services/visibility.js';
import { pdf } from '../files.js';
import { bothDoors, createAgency, eventually, json, pastSoon, soon, startWorld, textOf, type World } from '../support.js';

/**
 * A confidential directive ("mật") is confidential everywhere: whoever may not read it finds its title on no read
 * route of either door, not through its sub-task, a split's rules, a drill-down's order, or anything else.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

type Someone = Awaited<ReturnType<typeof bothDoors>>;


const projected = (id: string) => eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);

/** The days around today (Vietnam time) as a custom period. */
const day = (offset: number) => new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const PERIOD = `${day(-1)}..${day(1)}`;

/** Rung 1 a second after the due instant, rung 2 two seconds after. */
const POLICY = { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT1H' }] };

/**
 * The province of these tests: a confidential directive P of a conference (lead L, issued by leader X) that the
 * lead agency split into a sub-task S for its sub-unit SU; both overdue and two rungs up; a file attached; the
 * period published. Everyone else of the province besides.
 */
type Province = Awaited<ReturnType<typeof makeProvince>>;
let province: Promise<Province> | undefined;
const theProvince = () => (province ??= makeProvince());

async function makeProvince() {
  const mark = randomUUID().slice(0, 8).toUpperCase();
  const secret = {
    parentTitle: `KHOA${mark} phuong an bat giu doi tuong Tran Van Bi`,
    parentBody: `THANPHAN${mark} dia ban trinh sat`,
    subTitle: `PHAN${mark} trinh sat xa Long Khanh`,
    subBody: `CHITIET${mark} luc luong tham gia`,
  };
  const supervisor = await createAgency(world.db, 'Ban Noi chinh');
  const lead = await createAgency(world.db, 'Cong an tinh', supervisor.id);
  const unit = await createAgency(world.db, 'Phong Canh sat hinh su');
  await world.db.update(agencies).set({ parentId: lead.id }).where(eq(agencies.id, unit.id));
  const other = await createAgency(world.db, 'So Tai chinh', supervisor.id);
  const people = {
    issuer: await bothDoors(world, 'leader'),
    leader: await bothDoors(world, 'leader'),
    admin: await bothDoors(world, 'admin'),
    oversight: await bothDoors(world, 'oversight'),
    oversightOther: await bothDoors(world, 'oversight', other.id),
    leadOfficer: await bothDoors(world, 'officer', lead.id),
    unitOfficer: await bothDoors(world, 'officer', unit.id),
    otherOfficer: await bothDoors(world, 'officer', other.id),
    supervisor: await bothDoors(world, 'supervisor', supervisor.id),
  };
  const due = soon(4);
  const issued = await world.call('POST', '/v1/conferences', {
    token: people.issuer.token,
    body: {
      title: `Giao ban khoi noi chinh ${mark}`,
      directives: [
        { title: secret.parentTitle, body: secret.parentBody, leadAgency: lead.id, dueAt: due, confidential: true, policy: POLICY },
        { title: `Ra soat don thu ${mark}`, leadAgency: other.id, dueAt: due, policy: POLICY },
      ],
    },
  });
  expect(issued.status).toBe(201);
  const made = await json(issued);
  const conferenceId = made.conference.id as string;
  const parentId = made.directives[0].id as string;
  await projected(parentId);
  const delegated = await world.call('POST', `/v1/directives/${parentId}/subtasks`, {
    token: people.leadOfficer.token,
    body: { subtasks: [{ title: secret.subTitle, body: secret.subBody, subUnit: unit.id, dueAt: due }] },
  });
  expect(delegated.status).toBe(200);
  const [sub] = await eventually(() => world.db.select().from(directives).where(eq(directives.parentId, parentId)), (rows) => rows.length === 1);
  const subId = sub!.id;
  const form = new FormData();
  form.append('file', new Blob([pdf(`Phu luc ${mark}`)]), `phu-luc-${mark}.pdf`);
  const attached = await world.app.request(`/v1/directives/${parentId}/attachments?kind=source`, { method: 'POST', headers: { authorization: `Bearer ${people.issuer.token}` }, body: form });
  expect(attached.status).toBe(201);
  // Both overdue and climbing: rung 1 inside the lead agency, rung 2 at its supervisor's.
  await eventually(
    () => world.db.select().from(escalations).where(and(inArray(escalations.directiveId, [parentId, subId]), eq(escalations.level, 2))),
    (rows) => rows.length === 2,
    pastSoon(4, 27),
  );
  // The period's result, frozen as a leader publishes it (province-wide, P overdue in it).
  const leaderPrincipal = { userId: people.issuer.id, name: 'issuer', role: 'leader' as const, agencyId: null };
  const { overdueTotal: _overdueTotal, ...frozen } = await world.services.statistics.report(leaderPrincipal, { period: PERIOD });
  expect(frozen.overdue.map((o) => o.directiveId)).toContain(parentId);
  await world.db
    .insert(publishedResults)
    .values({ period: PERIOD, asOf: new Date(frozen.asOf), ruleVersion: null, rule: frozen.rule, report: frozen, note: null, publishedBy: people.issuer.id })
    .onConflictDoNothing();
  return { mark, secret, supervisor, lead, unit, other, people, conferenceId, parentId, subId };
}

describe('a confidential directive’s title', () => {
  it('a sub-unit that may read a sub-task sees its confidential parent only by reference', async () => {
    const { people, parentId, subId, secret } = await theProvince();
    expect((await people.unitOfficer.api(`/v1/directives/${parentId}`)).status).toBe(404);
    const sub = await json(await people.unitOfficer.api(`/v1/directives/${subId}`));
    expect(sub.parent).toEqual({ id: parentId, title: confidentialRef(parentId) });
    expect(JSON.stringify(sub)).not.toContain(secret.parentTitle);
    const page = await (await people.unitOfficer.get(`/directives/${subId}`)).text();
    expect(page).toContain(secret.subTitle);
    expect(page).toContain(confidentialRef(parentId));
    expect(page).not.toContain(secret.parentTitle);
  });

  it("a reader of a confidential parent who may not read its sub-task sees the sub-task's row, the live state and the history name it only by reference", async () => {
    const { people, parentId, subId, secret } = await theProvince();
    expect((await people.issuer.api(`/v1/directives/${subId}`)).status).toBe(404);
    const parent = await json(await people.issuer.api(`/v1/directives/${parentId}`));
    expect(parent.title).toBe(secret.parentTitle);
    expect(parent.subtasks.items.map((x: { id: string; title: string }) => [x.id, x.title])).toEqual([[subId, confidentialRef(subId)]]);
    const events = await json(await people.issuer.api(`/v1/directives/${parentId}/events`));
    const delegated = events.items.find((e: { type: string }) => e.type === 'delegated');
    expect(delegated.data.subtasks.map((x: { directiveId: string; title: string }) => [x.directiveId, x.title])).toEqual([[subId, confidentialRef(subId)]]);
    const page = await (await people.issuer.get(`/directives/${parentId}`)).text();
    expect(page).toContain(confidentialRef(subId));
    for (const seen of [JSON.stringify(parent), JSON.stringify(events), page]) {
      expect(seen).not.toContain(secret.subTitle);
      expect(seen).not.toContain(secret.subBody);
    }
    // The lead agency's officers may read both: they see the sub-task's title.
    const asLead = await json(await people.leadOfficer.api(`/v1/directives/${parentId}`));
    expect(asLead.subtasks.items[0].title).toBe(secret.subTitle);
  });

  it('split-preview never reveals a keyword of a confidential title, and a split sends it to the default successor without one', async () => {
    const leader = await bothDoors(world, 'leader');
    const admin = await bothDoors(world, 'admin');
    const splitting = await createAgency(world.db, 'So Noi vu');
    const [byDefault, byRule] = await Promise.all([createAgency(world.db, 'So Noi vu A'), createAgency(world.db, 'So Noi vu B')]);
    const issue = async (title: string, confidential: boolean) => {
      const res = await world.call('POST', '/v1/directives', { token: leader.token, body: { title, leadAgency: splitting.id, dueAt: soon(3600), confidential } });
      expect(res.status).toBe(201);
      return (await json(res)).id as string;
    };
    const secretId = await issue('Phuong an bat giu doi tuong Tran Van Bi', true);
    const plainId = await issue('Ke hoach bat giu doi tuong truy na', false);
    await Promise.all([projected(secretId), projected(plainId)]);
    const request = { defaultSuccessorId: byDefault.id, rules: [{ toAgencyId: byRule.id, keywords: ['ma tuy', 'bat giu', 'tran van bi', 'long khanh'] }] };

    const preview = await json(await world.call('POST', `/v1/agencies/${splitting.id}/split-preview`, { token: admin.token, body: request }));
    const line = (id: string) => (preview as unknown as Array<{ directiveId: string }>).find((l) => l.directiveId === id);
    expect(line(secretId)).toEqual({ directiveId: secretId, title: confidentialRef(secretId), role: 'lead', toAgencyId: byDefault.id, by: 'default', keyword: null });
    expect(line(plainId)).toMatchObject({ toAgencyId: byRule.id, by: 'rule', keyword: 'bat giu' });
    // The form's preview offers the default successor for it, not the rule's.
    const page = await (await admin.post(`/admin/agencies/${splitting.id}/split`, { intent: 'preview', defaultSuccessorId: byDefault.id, rules: `${byRule.code}: bat giu` })).text();
    const select = new RegExp(`name="d:${secretId}"><option value="">([^<]*)<`).exec(page);
    expect(select?.[1]).toContain(byDefault.name);

    const split = await world.call('POST', `/v1/agencies/${splitting.id}/split`, { token: admin.token, body: request });
    expect(split.status).toBe(202);
    const moves = await json(await world.call('GET', `/v1/agencies/reorganisations/${(await json(split)).id}/moves`, { token: admin.token }));
    const moved = (id: string) => (moves as unknown as Array<{ directiveId: string }>).find((m) => m.directiveId === id);
    expect(moved(secretId)).toEqual({ directiveId: secretId, toAgencyId: byDefault.id, by: 'default', keyword: null });
    expect(moved(plainId)).toMatchObject({ toAgencyId: byRule.id, by: 'rule', keyword: 'bat giu' });
  });

  it('a statistics drill-down never orders its rows by a title the reader may not see', async () => {
    const issuer = await bothDoors(world, 'leader');
    const reader = await bothDoors(world, 'leader');
    const lead = await createAgency(world.db, 'So Cong thuong');
    const due = new Date(Date.now() + 3_600_000).toISOString();
    const issue = async (title: string, confidential: boolean) => {
      const res = await world.call('POST', '/v1/directives', { token: issuer.token, body: { title, leadAgency: lead.id, dueAt: due, confidential } });
      return (await json(res)).id as string;
    };
    // A title that sorts first and one that sorts last, against two probes that sort around the reference's "N".
    const ids = [await issue('Bao cao ra soat', false), await issue('A bi mat dau bang', true), await issue('Z bi mat cuoi bang', true), await issue('Y kien tong hop', false)];
    const drill = await eventually(
      async () => json(await reader.api(`/v1/statistics/directives?period=${PERIOD}&groupBy=lead&key=${lead.id}`)),
      (d) => d.total === ids.length,
    );
    const titles = drill.items.map((i: { title: string }) => i.title);
    expect(titles[0]).toBe('Bao cao ra soat');
    expect(titles[3]).toBe('Y kien tong hop');
    const page = await (await reader.get(`/statistics/directives?period=${PERIOD}&groupBy=lead&key=${lead.id}`)).text();
    expect(page.indexOf('Bao cao ra soat')).toBeLessThan(page.indexOf(confidentialRef(ids[1]!)));
    expect(page.indexOf(confidentialRef(ids[1]!))).toBeLessThan(page.indexOf('Y kien tong hop'));
  });

  it('conference detail and the attachment list audit every read of a confidential directive, at both doors', async () => {
    const { people, conferenceId, parentId } = await theProvince();
    const since = new Date();
    const reads = [
      await people.issuer.api(`/v1/conferences/${conferenceId}`),
      await people.issuer.api(`/v1/directives/${parentId}/attachments`),
      await people.issuer.get(`/conferences/${conferenceId}`),
      // Someone who sees only the conference's other directive: nothing confidential shown, nothing audited.
      await people.otherOfficer.api(`/v1/conferences/${conferenceId}`),
      await people.otherOfficer.get(`/conferences/${conferenceId}`),
    ];
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const rows = await eventually(
      () =>
        world.db
          .select({ actorId: auditLog.actorId, action: auditLog.action, door: auditLog.door, status: auditLog.status })
          .from(auditLog)
          .where(and(gte(auditLog.at, since), inArray(auditLog.actorId, [people.issuer.id, people.otherOfficer.id]), sql`${auditLog.action} like 'GET %'`)),
      (r) => r.length >= 3,
    );
    expect(rows.map((r) => [r.actorId, r.door, r.status]).sort()).toEqual(
      [
        [people.issuer.id, 'api', 200],
        [people.issuer.id, 'api', 200],
        [people.issuer.id, 'web', 200],
      ].sort(),
    );
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['GET /v1/conferences/:id', 'GET /v1/directives/:id/attachments']));
  });

  it('a principal who may not read a confidential directive finds its title on no read route of either door', async () => {
    const p = await theProvince();
    const { people, parentId, subId, conferenceId, lead, mark, secret } = p;
    const parentSecrets = [secret.parentTitle, secret.parentBody];
    const subSecrets = [secret.subTitle, secret.subBody];
    const stats = `period=${PERIOD}`;
    const api = [
      `/v1/directives/${parentId}`,
      `/v1/directives/${parentId}/events`,
      `/v1/directives/${parentId}/attachments`,
      `/v1/directives/${subId}`,
      `/v1/directives/${subId}/events`,
      `/v1/directives/${subId}/attachments`,
      '/v1/directives?limit=200',
      `/v1/directives?q=${mark}`,
      `/v1/directives?q=${encodeURIComponent('bat giu')}`,
      `/v1/directives?conferenceId=${conferenceId}`,
      `/v1/directives?agency=${lead.id}`,
      '/v1/conferences',
      `/v1/conferences/${conferenceId}`,
      '/v1/escalations?status=all&limit=200',
      '/v1/notifications?limit=200',
      `/v1/notifications?directiveId=${parentId}`,
      `/v1/statistics?${stats}&groupBy=lead`,
      `/v1/statistics?${stats}&groupBy=conference&format=csv`,
      `/v1/statistics/directives?${stats}&groupBy=lead&key=${lead.id}`,
      `/v1/statistics/directives?${stats}&limit=500`,
      `/v1/statistics/scorecard?${stats}`,
      `/v1/statistics/report?${stats}&format=json`,
      `/v1/statistics/report?${stats}&format=csv`,
      `/v1/statistics/report?${stats}&format=xlsx`,
      `/v1/statistics/report?${stats}&format=docx`,
      '/v1/published-results',
      `/v1/published-results/${PERIOD}`,
      `/v1/published-results/${PERIOD}/report?format=xlsx`,
      `/v1/published-results/${PERIOD}/report?format=docx`,
      '/v1/audit?limit=500',
      '/v1/audit/export',
      '/v1/agencies/reorganisations',
    ];
    const pages = [
      '/',
      '/directives',
      `/directives?q=${mark}`,
      `/directives/${parentId}`,
      `/directives/${subId}`,
      '/conferences',
      `/conferences/${conferenceId}`,
      '/inbox?status=all',
      `/statistics?${stats}`,
      `/statistics/directives?${stats}&groupBy=lead&key=${lead.id}`,
      `/statistics/export?${stats}&format=xlsx`,
      `/statistics/export?${stats}&format=docx`,
      '/statistics/published',
      `/statistics/published/${PERIOD}`,
      `/statistics/published/${PERIOD}/export?format=xlsx`,
      '/admin/audit',
      '/admin/audit/export',
      `/admin/agencies/${lead.id}/split`,
    ];
    /** Who may read neither, the parent only, or the sub-task only. */
    const walks: Array<[string, Someone, string[]]> = [
      ['a leader who did not issue it', people.leader, [...parentSecrets, ...subSecrets]],
      ['an admin', people.admin, [...parentSecrets, ...subSecrets]],
      ['the province’s oversight', people.oversight, [...parentSecrets, ...subSecrets]],
      ['an oversight user of another agency', people.oversightOther, [...parentSecrets, ...subSecrets]],
      ['the lead agency’s supervisor', people.supervisor, [...parentSecrets, ...subSecrets]],
      ['an officer of another agency', people.otherOfficer, [...parentSecrets, ...subSecrets]],
      ['the sub-unit’s officer (the sub-task, not the parent)', people.unitOfficer, parentSecrets],
      ['the issuing leader (the parent, not the sub-task)', people.issuer, subSecrets],
    ];
    const leaks: string[] = [];
    for (const [who, person, secrets] of walks) {
      const seen: Array<[string, string]> = await Promise.all(api.map(async (path): Promise<[string, string]> => [`GET ${path}`, await textOf(await person.api(path))]));
      for (const path of pages) seen.push([`page ${path}`, await textOf(await person.get(path))]);
      for (const [route, text] of seen) for (const s of secrets) if (text.includes(s)) leaks.push(`${who}: ${route} shows "${s}"`);
    }
    expect(leaks).toEqual([]);
    // The walk reached the data: the supervisor's inbox names both by reference, the drill-down counts them.
    const inbox = await textOf(await people.supervisor.api('/v1/escalations?status=all&limit=200'));
    expect(inbox).toContain(confidentialRef(parentId));
    expect(inbox).toContain(confidentialRef(subId));
    const drill = await json(await people.leader.api(`/v1/statistics/directives?${stats}&groupBy=lead&key=${lead.id}`));
    expect(drill.items.map((i: { id: string }) => i.id)).toContain(parentId);
    // And those who may read it do read it.
    expect(await textOf(await people.leadOfficer.api(`/v1/directives/${parentId}`))).toContain(secret.parentTitle);
    expect(await textOf(await people.unitOfficer.get(`/directives/${subId}`))).toContain(secret.subTitle);
  }, 180_000);

  it('the list filter and the single-directive rule agree on who may read a confidential title', async () => {
    const { people, parentId, subId } = await theProvince();
    const reader = await bothDoors(world, 'leader');
    await world.db.insert(directiveReaders).values({ directiveId: parentId, userId: reader.id, addedBy: people.issuer.id });
    const facts = await visibility(world.db).factsOf([parentId, subId]);
    const verdicts: Array<[string, string, string | null, boolean, boolean]> = [];
    for (const [id, f] of facts) {
      for (const who of [...Object.values(people), reader]) {
        const [listed] = await world.db
          .select({ n: sql<number>`count(*)::int` })
          .from(directives)
          .where(and(eq(directives.id, id), confidentialAllowed({ userId: who.id, agencyId: who.agencyId })));
        verdicts.push([id === subId ? 'sub-task' : 'parent', who.role, who.agencyId, listed!.n === 1, mayReadTitle({ userId: who.id, agencyId: who.agencyId }, f)]);
      }
    }
    expect(verdicts.filter(([, , , sql, rule]) => sql !== rule)).toEqual([]);
    // Both answers are not all the same: some may read each, some may not.
    expect(new Set(verdicts.map((v) => v[4])).size).toBe(2);
  });
});
