import { and, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, directives, notifications, webhooks } from '../db/schema.js';
import { confidentialRef } from '../domain/confidential.js';
import { createAgency, createUserWithId, eventually, json, pastSoon, soon, startWorld, type World } from './support.js';

/**
 * A confidential directive ("mật") on the real Temporal server and PostgreSQL: its reminder and escalations reach
 * people and webhooks by reference and link only, statistics count it without its text, every read is audited.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());


describe('a confidential directive', () => {
  it('is notified without its title or body, counted in statistics without its text, and every read of it is audited', async () => {
    const supervisor = await createAgency(world.db, 'Uy ban Kiem tra');
    const lead = await createAgency(world.db, 'Cong an tinh', supervisor.id);
    const leader = await createUserWithId(world.db, { role: 'leader' });
    const officer = await createUserWithId(world.db, { role: 'officer', agencyId: lead.id });
    const supervisorUser = await createUserWithId(world.db, { role: 'supervisor', agencyId: supervisor.id });
    await world.db.insert(webhooks).values([
      { agencyId: lead.id, url: 'http://127.0.0.1:9/mat-lead', secret: 'whsec_test' },
      { agencyId: supervisor.id, url: 'http://127.0.0.1:9/mat-sup', secret: 'whsec_test' },
    ]);
    const title = 'Chuyên án ma túy xuyên biên giới';
    const body = 'Đối tượng và địa bàn trinh sát';
    const res = await world.call('POST', '/v1/directives', {
      token: leader.token,
      body: {
        title,
        body,
        leadAgency: lead.id,
        dueAt: soon(2),
        confidential: true,
        policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT1H' }] },
      },
    });
    expect(res.status).toBe(201);
    const { id } = await json(res);

    // A reminder (the officers, the lead's webhook) and two rungs (the lead itself, then its supervisor and its webhook).
    const sent = await eventually(async () => {
      const rows = await world.db.select().from(notifications).where(eq(notifications.directiveId, id));
      const channels = new Set(rows.map((r) => `${r.kind}:${r.channel}`));
      return rows.filter((r) => r.kind === 'escalation' && r.channel === 'webhook').length >= 2 && channels.has('reminder:email') && channels.has('reminder:webhook') ? rows : undefined;
    }, pastSoon(2, 19));
    for (const n of sent) {
      const all = JSON.stringify([n.subject, n.bodyText, n.bodyHtml, n.payload]);
      expect(all).not.toContain(title);
      expect(all).not.toContain(body);
      expect(all).toContain(confidentialRef(id));
      if (n.channel === 'webhook') expect((n.payload as { data: { link: string; apiUrl: string } }).data).toMatchObject({ link: `http://test/directives/${id}`, apiUrl: `http://test/v1/directives/${id}` });
    }

    // Counted in the lead agency's line; the drill-down names it by reference.
    // The days around today (Vietnam time) as a custom period.
    const day = (offset: number) => new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const period = `${day(-1)}..${day(1)}`;
    const stats = await json(await world.call('GET', `/v1/statistics?period=${period}&groupBy=lead`));
    expect(stats.rows.find((r: { key: { id: string } | null }) => r.key?.id === lead.id)?.counts.total).toBe(1);
    const drill = await world.call('GET', `/v1/statistics/directives?period=${period}&groupBy=lead&key=${lead.id}`);
    const listed = JSON.stringify(await json(drill));
    expect(listed).toContain(confidentialRef(id));
    expect(listed).not.toContain(title);
    // The supervisor's inbox shows the rung by reference.
    const inbox = JSON.stringify(await json(await world.call('GET', '/v1/escalations?status=all', { token: supervisorUser.token })));
    expect(inbox).toContain(confidentialRef(id));
    expect(inbox).not.toContain(title);
    const [row] = await world.db.select().from(directives).where(eq(directives.id, id));
    expect(row!.confidential).toBe(true);

    // Every read of it is in the audit log: the officer's and the leader's, over the API.
    const before = new Date();
    expect((await world.call('GET', `/v1/directives/${id}`, { token: officer.token })).status).toBe(200);
    expect((await world.call('GET', `/v1/directives/${id}/events`, { token: leader.token })).status).toBe(200);
    const reads = await world.db
      .select()
      .from(auditLog)
      .where(and(like(auditLog.path, `%${id}%`), inArray(auditLog.actorId, [officer.id, leader.id])));
    const after = reads.filter((r) => r.at >= before);
    expect(after.map((r) => [r.actorId, r.action, r.status]).sort()).toEqual(
      [
        [officer.id, 'GET /v1/directives/:id', 200],
        [leader.id, 'GET /v1/directives/:id/events', 200],
      ].sort(),
    );
  }, 60_000);
});
