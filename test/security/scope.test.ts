import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { eq, getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directives, publishedResults } from '../../db/schema.js';
import { confidentialRef } from '../../domain/confidential.js';
import { FailureType } from '../../domain/failures.js';
import { parsePeriod } from '../../domain/statistics.js';
import type { Principal } from '../../services/context.js';
import { directiveReads } from '../../services/directive-reads.js';
import { claimIdempotencyKey } from '../../services/idempotency.js';
import { bothDoors, createAgency, createUserWithId, eventually, json, startWorld, textOf, type World } from '../support.js';

/**
 * Scope everywhere: what lies outside a principal's scope is neither shown (the audit log, a published result)
 * nor worked on (a directive's history, its workflow) nor guessable (a conference's directive ids).
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());



const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const projected = (id: string) => eventually(() => world.db.select().from(directives).where(eq(directives.id, id)), (rows) => rows.length > 0);
const issue = async (token: string, body: Record<string, unknown>) => {
  const res = await world.call('POST', '/v1/directives', { token, body: { dueAt: inAnHour(), ...body } });
  expect(res.status).toBe(201);
  const { id } = await json(res);
  await projected(id);
  return id as string;
};

describe('scope', () => {
  it('an oversight user bound to an agency reads only its subtree of the audit log, at the API, the page and both exports', async () => {
    const bound = await createAgency(world.db, 'Uy ban Kiem tra');
    const below = await createAgency(world.db, 'Uy ban Kiem tra huyen', bound.id);
    const outside = await createAgency(world.db, 'So Xay dung');
    const [inside, stranger] = await Promise.all([createUserWithId(world.db, { role: 'officer', agencyId: below.id }), createUserWithId(world.db, { role: 'officer', agencyId: outside.id })]);
    // A write each to a route that names its directive (the audit keeps a route's ids, never a raw path), audited
    // with the writer's agency: the ids tell them apart.
    const [insideMark, strangerMark] = [randomUUID(), randomUUID()];
    await world.call('POST', `/v1/directives/${insideMark}/acknowledgements`, { token: inside.token });
    await world.call('POST', `/v1/directives/${strangerMark}/acknowledgements`, { token: stranger.token });
    const oversight = await bothDoors(world, 'oversight', bound.id);
    const province = await bothDoors(world, 'oversight');

    const seen = {
      api: await textOf(await oversight.api('/v1/audit?limit=500')),
      apiExport: await textOf(await oversight.api('/v1/audit/export')),
      page: await textOf(await oversight.get('/admin/audit')),
      pageExport: await textOf(await oversight.get('/admin/audit/export')),
    };
    for (const [door, text] of Object.entries(seen)) {
      expect([door, text.includes(insideMark)]).toEqual([door, true]);
      expect([door, text.includes(strangerMark)]).toEqual([door, false]);
    }
    // Asking for the other agency, or its officer, finds nothing; the province's oversight reads both.
    expect((await json(await oversight.api(`/v1/audit?agency=${outside.id}`))).items).toEqual([]);
    expect((await json(await oversight.api(`/v1/audit?actor=${stranger.id}`))).items).toEqual([]);
    const all = await textOf(await province.api('/v1/audit?limit=500'));
    expect(all).toContain(insideMark);
    expect(all).toContain(strangerMark);
  });

  it('a published result shows its numbers to everyone and its overdue directives only to those who may see them, at both doors', async () => {
    const [mine, theirs] = await Promise.all([createAgency(world.db, 'So Giao duc'), createAgency(world.db, 'So Y te')]);
    const issuer = await bothDoors(world, 'leader');
    const officer = await bothDoors(world, 'officer', mine.id);
    const otherLeader = await bothDoors(world, 'leader');
    const mark = randomUUID().slice(0, 8).toUpperCase();
    const ownId = await issue(issuer.token, { title: `CUATOI${mark} sua chua truong hoc`, leadAgency: mine.id });
    const foreignId = await issue(issuer.token, { title: `CUAHO${mark} nang cap benh vien`, leadAgency: theirs.id });
    const secretId = await issue(issuer.token, { title: `BIMAT${mark} thanh tra`, leadAgency: mine.id, confidential: true });

    // A period long ended, frozen as publishing froze it: the province's numbers and its overdue list.
    const month = 1 + Math.floor(Math.random() * 9);
    const label = `2011-0${month}-01..2011-0${month}-28`;
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const { overdueTotal: _t, ...now } = await world.services.statistics.report(issuer.principal, { period: `${day}..${day}` });
    const overdue = [
      { directiveId: ownId, title: `CUATOI${mark} sua chua truong hoc`, leadAgency: { id: mine.id, name: mine.name }, dueAt: '2011-02-01T16:59:59.999Z', daysOverdue: 20 },
      { directiveId: foreignId, title: `CUAHO${mark} nang cap benh vien`, leadAgency: { id: theirs.id, name: theirs.name }, dueAt: '2011-02-01T16:59:59.999Z', daysOverdue: 20 },
      { directiveId: secretId, title: confidentialRef(secretId), leadAgency: { id: mine.id, name: mine.name }, dueAt: '2011-02-01T16:59:59.999Z', daysOverdue: 20 },
    ];
    const frozen = { ...now, period: parsePeriod(label)!, overdue };
    await world.db.delete(publishedResults).where(eq(publishedResults.period, label));
    await world.db.insert(publishedResults).values({ period: label, asOf: new Date('2011-03-01T00:00:00Z'), ruleVersion: null, rule: frozen.rule, report: frozen, publishedBy: issuer.id });

    const listed = async (who: Awaited<ReturnType<typeof bothDoors>>) => (await json(await who.api(`/v1/published-results/${label}`))).report.overdue.map((o: { directiveId: string }) => o.directiveId);
    expect(await listed(officer)).toEqual([ownId, secretId]);
    expect(await listed(otherLeader)).toEqual([ownId, foreignId]);
    expect(await listed(issuer)).toEqual([ownId, foreignId, secretId]);
    // The numbers are the province's, the same for every reader.
    const asOfficer = await json(await officer.api(`/v1/published-results/${label}`));
    expect(asOfficer.report.byLead).toEqual(frozen.byLead);
    expect(asOfficer.report.scorecard).toEqual(frozen.scorecard);
    // Its files, at the API and from the page.
    for (const file of [await officer.api(`/v1/published-results/${label}/report?format=docx`), await officer.get(`/statistics/published/${label}/export?format=xlsx`)]) {
      expect(file.status).toBe(200);
      const text = await textOf(file);
      expect(text).toContain(`CUATOI${mark}`);
      expect(text).not.toContain(`CUAHO${mark}`);
    }
    expect(await textOf(await otherLeader.get(`/statistics/published/${label}/export?format=xlsx`))).not.toContain(confidentialRef(secretId));
  });

  it('an out-of-scope read refuses from the projection: it loads no history, asks no workflow, and answers as an id that does not exist', async () => {
    const [mine, theirs] = await Promise.all([createAgency(world.db, 'So Nong nghiep'), createAgency(world.db, 'So Cong thuong')]);
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const id = await issue(leader.token, { title: 'Phong chong dich ta lon chau Phi', leadAgency: mine.id });
    const stranger = await createUserWithId(world.db, { role: 'officer', agencyId: theirs.id });
    const insider = await createUserWithId(world.db, { role: 'officer', agencyId: mine.id });

    // The reads' dependencies, watched: which tables are read, which workflows are asked.
    const tables: string[] = [];
    const asked: string[] = [];
    const watch = <T extends object>(target: T, on: (prop: string | symbol, value: unknown) => unknown): T =>
      new Proxy(target, {
        get(t, prop) {
          const value = Reflect.get(t, prop, t) as unknown;
          return on(prop, typeof value === 'function' ? value.bind(t) : value);
        },
      });
    const db = watch(world.db, (prop, value) =>
      prop === 'select'
        ? (...args: unknown[]) =>
            watch((value as (...a: unknown[]) => object)(...args), (p, v) =>
              p === 'from'
                ? (table: unknown, ...rest: unknown[]) => {
                    tables.push(is(table, PgTable) ? getTableName(table) : 'subquery');
                    return (v as (...a: unknown[]) => unknown)(table, ...rest);
                  }
                : v,
            )
        : value,
    );
    const temporal = watch(world.client, (prop, value) =>
      prop === 'workflow'
        ? watch(value as Client['workflow'], (p, v) =>
            p === 'getHandle'
              ? (workflowId: string, ...rest: unknown[]) => {
                  asked.push(workflowId);
                  return (v as (...a: unknown[]) => unknown)(workflowId, ...rest);
                }
              : v,
          )
        : value,
    );
    const reads = directiveReads({ db, temporal, config: { temporal: { namespace: 'default', taskQueue: world.taskQueue, uiUrl: undefined } }, logger: pino({ level: 'silent' }) });
    const as = (u: { id: string }, agencyId: string): Principal => ({ userId: u.id, name: 'x', role: 'officer', agencyId });

    for (const read of [() => reads.detail(as(stranger, theirs.id), id), () => reads.events(as(stranger, theirs.id), id), () => reads.visible(as(stranger, theirs.id), id)]) {
      await expect(read()).rejects.toMatchObject({ type: FailureType.NotFound });
    }
    expect(asked).toEqual([]);
    expect(tables).not.toContain('directive_events');
    // The same reads do that work for someone in scope: the watch sees it.
    await reads.detail(as(insider, mine.id), id);
    expect(asked.length).toBeGreaterThan(0);
    expect(tables).toContain('directive_events');

    // At the door, a directive outside the scope and one that never existed answer alike.
    const none = randomUUID();
    for (const suffix of ['', '/events', '/attachments']) {
      const [outOfScope, missing] = [await world.call('GET', `/v1/directives/${id}${suffix}`, { token: stranger.token }), await world.call('GET', `/v1/directives/${none}${suffix}`, { token: stranger.token })];
      expect([outOfScope.status, missing.status]).toEqual([404, 404]);
      expect(JSON.stringify(await json(outOfScope)).replaceAll(id, '<id>')).toBe(JSON.stringify(await json(missing)).replaceAll(none, '<id>'));
    }
  });

  it('a conference’s directive ids cannot be derived from its id, and a retry still issues each exactly once', async () => {
    const lead = await createAgency(world.db, 'Cong an tinh');
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const due = inAnHour();
    const body = { title: 'Giao ban quy', directives: [0, 1, 2].map((i) => ({ title: `Nhiem vu (${i + 1})`, leadAgency: lead.id, dueAt: due })) };
    const headers = { 'idempotency-key': `conf-${randomUUID()}` };
    const first = await json(await world.call('POST', '/v1/conferences', { token: leader.token, body, headers }));
    const conferenceId = first.conference.id as string;
    const ids = first.directives.map((d: { id: string }) => d.id);
    // What anyone who lists conferences could have computed before: none of them.
    const derived = [0, 1, 2].map((i) => derivedDirectiveId(conferenceId, i));
    expect(ids.filter((x: string) => derived.includes(x))).toEqual([]);
    const again = await world.call('POST', '/v1/conferences', { token: leader.token, body, headers });
    expect(again.status).toBe(200);
    expect((await json(again)).directives.map((d: { id: string }) => d.id)).toEqual(ids);
    expect((await world.client.workflow.count(`ConferenceId = '${conferenceId}'`)).count).toBe(3);
    const other = await json(await world.call('POST', '/v1/conferences', { token: leader.token, body, headers: { 'idempotency-key': `conf-${randomUUID()}` } }));
    expect(other.directives.map((d: { id: string }) => d.id).filter((x: string) => ids.includes(x))).toEqual([]);
  });

  it('a retry of a conference first sent before its ids were kept issues the ids it began with, never a second set', async () => {
    const lead = await createAgency(world.db, 'Toa an tinh');
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const principal: Principal = { userId: leader.id, name: 'leader', role: 'leader', agencyId: null };
    const body = { title: 'Giao ban cu', kind: 'giao_ban' as const, directives: [{ title: 'Nhiem vu cu', body: '', leadAgency: lead.id, coordinatingAgencies: [], dueAt: inAnHour() }] };
    const key = `old-${randomUUID()}`;
    // The release before claimed the key and derived the ids from the conference's; its request ended there.
    const conferenceId = randomUUID();
    await claimIdempotencyKey(world.db, { scope: `POST /v1/conferences ${leader.id}`, key, request: body, newResourceId: conferenceId });
    const retried = await world.services.conferences.issue(principal, body, { idempotencyKey: key });
    expect(retried.conference.id).toBe(conferenceId);
    expect(retried.directives.map((d) => d.id)).toEqual([derivedDirectiveId(conferenceId, 0)]);
    await projected(derivedDirectiveId(conferenceId, 0));
    expect((await world.client.workflow.count(`ConferenceId = '${conferenceId}'`)).count).toBe(1);
  });
});

/** How a conference's directive ids were derived before they were allocated and kept with its claim. */
function derivedDirectiveId(conferenceId: string, index: number): string {
  const h = createHash('sha256').update(`${conferenceId}/${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
