import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../activities/notify/mailer.js';
import { escalations, notifications, users } from '../../db/schema.js';
import { startDirective, createOrg } from '../lifecycle-support.js';
import { MailSink } from '../mail-sink.js';
import { createAgency, createUserWithId, eventually, freshDatabase, json, pastSoon, soon, startWorld, webSession, type World } from '../support.js';

/**
 * People's links and the people a rung reaches (review 2026-12): a reminder or an escalation opens the directive's
 * page, never the bearer-only API; a level-3 rung with no leader on record goes to the admins, never to every leader.
 * A database of its own: who is a leader or an admin is the whole directory's question.
 */
let world: World;
let drop: () => Promise<void>;
const sink = new MailSink();
const PUBLIC_URL = 'http://test';

beforeAll(async () => {
  await sink.start();
  const database = await freshDatabase();
  drop = () => database.drop();
  world = await startWorld({ database, notify: { mailer: createMailer(sink.url), publicUrl: PUBLIC_URL } });
});
afterAll(async () => {
  await world?.close();
  await drop?.();
  await sink.stop();
});

const withEmail = async (role: 'leader' | 'admin' | 'officer', agencyId?: string) => {
  const u = await createUserWithId(world.db, { role, ...(agencyId ? { agencyId } : {}) });
  const email = `${role}.${u.id.slice(0, 8)}@so.test`;
  await world.db.update(users).set({ email }).where(eq(users.id, u.id));
  return { ...u, email };
};

describe('the links people are sent', () => {
  it('open the directive’s page for the signed-in person, in every reminder and escalation mail and in a webhook’s payload', async () => {
    const supervisor = await createAgency(world.db, 'Ban Noi chinh');
    const lead = await createAgency(world.db, 'Cong an huyen', supervisor.id);
    const officer = await webSession(world, 'officer');
    await world.db.update(users).set({ agencyId: lead.id }).where(eq(users.id, officer.id));
    const [me] = await world.db.select({ email: users.email }).from(users).where(eq(users.id, officer.id));
    const res = await world.call('POST', '/v1/directives', {
      body: {
        title: 'Rà soát đơn thư tồn đọng',
        leadAgency: lead.id,
        dueAt: soon(3600),
        regime: { kind: 'explicit', dueDates: [soon(2)] },
        policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT1H' }, { duration: 'PT2H' }] },
      },
    });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    const mails = await eventually(async () => sink.to(me!.email!).filter((r) => r.mail.headers.get('x-directive-id') === id), (m) => m.length >= 2, pastSoon(2, 29));
    const page = `${PUBLIC_URL}/directives/${id}`;
    for (const { mail } of mails) {
      expect(mail.text).toContain(page);
      expect(mail.text).not.toContain('/v1/');
      expect(mail.html).toContain(`href="${page}"`);
    }
    // The person who clicks it, signed in with a session, gets the page.
    const opened = await officer.get(new URL(page).pathname);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('Rà soát đơn thư tồn đọng');
  }, 90_000);

  it('give a webhook’s receiver the page for people and the API for machines, each in its own field', async () => {
    const lead = await createAgency(world.db, 'Vien KSND huyen');
    const created = await world.call('POST', '/v1/webhooks', { body: { agencyId: lead.id, url: 'http://127.0.0.1:9/hook' } });
    expect(created.status).toBe(201);
    const res = await world.call('POST', '/v1/directives', {
      body: { title: 'Kiểm sát thi hành án', leadAgency: lead.id, dueAt: soon(3600), regime: { kind: 'explicit', dueDates: [soon(2)] }, policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1H' }, { duration: 'PT2H' }, { duration: 'PT3H' }] } },
    });
    const { id } = await json(res);
    const [row] = await eventually(() => world.db.select().from(notifications).where(eq(notifications.directiveId, id)), (rows) => rows.some((r) => r.channel === 'webhook'), pastSoon(2, 29)).then((rows) =>
      rows.filter((r) => r.channel === 'webhook'),
    );
    expect((row!.payload as { data: { link: string; apiUrl: string } }).data).toMatchObject({ link: `${PUBLIC_URL}/directives/${id}`, apiUrl: `${PUBLIC_URL}/v1/directives/${id}` });
  }, 90_000);
});

describe('a level-3 escalation with no leader on record', () => {
  it('reaches the admins, and neither every leader’s mail nor every leader’s inbox', async () => {
    const org = await createOrg(world);
    const leaders = await Promise.all([withEmail('leader'), withEmail('leader')]);
    const admin = await withEmail('admin');
    // Issued with no leader on record (a machine's token, a leader who has left): its third rung has no one to go to.
    const { id } = await startDirective(world, org, {
      issuedBy: null,
      regime: { kind: 'explicit', dueDates: [soon()] },
      policy: { reminders: [], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }] },
    });
    await eventually(() => world.db.select().from(escalations).where(eq(escalations.directiveId, id)), (rungs) => rungs.some((r) => r.level === 3), pastSoon(0, 31));
    const third = await eventually(
      () => world.db.select().from(notifications).where(eq(notifications.directiveId, id)),
      (rows) => rows.some((r) => r.subject?.includes('[Chuyển cấp 3]') && r.status === 'sent'),
      40_000,
    ).then((rows) => rows.filter((r) => r.subject?.includes('[Chuyển cấp 3]')));
    // Every admin (the test world's own has no address, so its row is kept as skipped), and no leader.
    const admins = (await world.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'))).map((u) => u.id);
    expect(third.map((r) => r.recipientUserId).sort()).toEqual([...admins].sort());
    expect(third.filter((r) => r.status === 'sent').map((r) => r.recipientUserId)).toEqual([admin.id]);
    // Its delivery has ended: had any leader been on the list, the mail would have gone by now.
    await world.client.workflow.getHandle(`notify:${third[0]!.source}`).result();
    for (const l of leaders) expect(sink.to(l.email).filter((r) => r.mail.headers.get('x-directive-id') === id)).toEqual([]);
    expect(sink.to(admin.email).map((r) => r.mail.subject)).toEqual([expect.stringContaining('[Chuyển cấp 3]')]);
    for (const l of leaders) {
      const inbox = await json(await world.call('GET', '/v1/escalations?status=all', { token: l.token }));
      expect(inbox.items.filter((e: { directiveId: string }) => e.directiveId === id)).toEqual([]);
    }
    const adminInbox = await json(await world.call('GET', '/v1/escalations?status=all', { token: admin.token }));
    expect(adminInbox.items.filter((e: { directiveId: string; level: number }) => e.directiveId === id && e.level === 3)).toHaveLength(1);
  }, 90_000);
});
