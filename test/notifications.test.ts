import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { and, eq, gt, ne, or } from 'drizzle-orm';
import { createMailer } from '../activities/notify/mailer.js';
import { WorkingCalendar } from '../domain/calendar.js';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from '../temporal/client.js';
import { notifications, users } from '../db/schema.js';
import { vnDateOf } from '../domain/vn-time.js';
import { freePort } from '../scripts/temporal-server.js';
import { MailSink } from './mail-sink.js';
import { createAgency, eventually, expectProblem, inSeconds, json, pastSoon, soon, startWorld, type World } from './support.js';

let world: World;
const sink = new MailSink();
let S: { id: string; name: string };
let L: { id: string; name: string };
const tag = randomUUID().slice(0, 8);

type Person = { id: string; email: string; token: string; name: string };
async function person(
  role: 'leader' | 'officer' | 'supervisor',
  agencyId: string | null,
  name: string,
  extra: { language?: 'vi' | 'en'; delivery?: 'immediate' | 'digest'; channels?: string[] } = {},
): Promise<Person> {
  const token = `tok-${randomUUID()}`;
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${tag}@so.test`;
  const { hashToken } = await import('../db/bootstrap.js');
  const [row] = await world.db
    .insert(users)
    .values({ name, email, role, agencyId, tokenHash: hashToken(token), language: extra.language ?? 'vi', delivery: extra.delivery ?? 'immediate', channels: extra.channels ?? ['email'] })
    .returning({ id: users.id });
  return { id: row!.id, email, token, name };
}

const subjects = (p: Person, directiveId?: string) =>
  sink
    .to(p.email)
    .filter((r) => !directiveId || r.mail.headers.get('x-directive-id') === directiveId)
    .map((r) => r.mail.subject)
    .sort();

/**
 * Every delivery run of the directive's outbox rows so far has ended: a row sent twice would have been sent by
 * then. The later event that proves an absence, instead of a wait on the clock.
 */
async function deliveriesEnded(directiveId: string): Promise<void> {
  // A row skipped before any attempt (nobody to tell, no address) starts no delivery run.
  const rows = await world.db
    .selectDistinct({ source: notifications.source })
    .from(notifications)
    .where(and(eq(notifications.directiveId, directiveId), or(ne(notifications.status, 'skipped'), gt(notifications.attempts, 0))));
  expect(rows.length).toBeGreaterThan(0);
  // The run starts just after the transaction that wrote its rows: a moment later than they are visible.
  for (const { source } of rows) await eventually(() => world.client.workflow.getHandle(`notify:${source}`).result());
}

async function issue(leader: Person, body: Record<string, unknown>): Promise<string> {
  const res = await world.call('POST', '/v1/directives', { token: leader.token, body });
  expect(res.status).toBe(201);
  return (await json(res)).id as string;
}

beforeAll(async () => {
  await sink.start();
  world = await startWorld({ notify: { mailer: createMailer(sink.url), mailFrom: 'Theo dõi nhiệm vụ <tracker@so.test>', webhookFailureLimit: 3, webhookDisableAfterSeconds: 0 } });
  S = await createAgency(world.db, 'Ban Noi chinh');
  L = await createAgency(world.db, 'Cong an huyen', S.id);
});
afterAll(async () => {
  await world?.close();
  await sink.stop();
});

describe('reminders and escalations by email', () => {
  it('reach exactly the right people once each, in their language, with the Vietnamese text', async () => {
    const O = await createAgency(world.db, 'Thanh tra');
    const vi = await person('officer', L.id, 'Can bo A');
    const en = await person('officer', L.id, 'Officer B', { language: 'en' });
    const digestOnly = await person('officer', L.id, 'Can bo C', { delivery: 'digest' });
    const noMail = await person('officer', L.id, 'Can bo D', { channels: [] });
    const supervisor = await person('supervisor', S.id, 'Chuyen vien E');
    const sOfficer = await person('officer', S.id, 'Can bo F');
    const leader = await person('leader', null, 'Pho Truong ban G');
    const otherLeader = await person('leader', null, 'Lanh dao H');
    const outsider = await person('officer', O.id, 'Can bo I');

    const title = `Rà soát & xử lý đơn thư <khẩn> ${tag}`;
    const id = await issue(leader, {
      title,
      leadAgency: L.id,
      dueAt: inSeconds(3600),
      regime: { kind: 'explicit', dueDates: [soon(2)] },
      policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1S' }, { duration: 'PT2S' }, { duration: 'PT3S' }] },
    });

    await eventually(async () => sink.received.filter((r) => r.mail.headers.get('x-directive-id') === id).map((r) => r.mail.subject), (sent) => sent.length >= 7, pastSoon(2, 29));
    await deliveriesEnded(id);

    expect(subjects(vi, id)).toEqual([`[Chuyển cấp 1] Quá hạn Báo cáo lần 1: ${title}`, `[Nhắc hạn] Báo cáo lần 1: ${title}`]);
    expect(subjects(en, id)).toEqual([`[Escalation level 1] Overdue Báo cáo lần 1: ${title}`, `[Reminder] Báo cáo lần 1: ${title}`]);
    expect(subjects(supervisor, id)).toEqual([`[Chuyển cấp 2] Quá hạn Báo cáo lần 1: ${title}`]);
    expect(subjects(sOfficer, id)).toEqual([`[Chuyển cấp 2] Quá hạn Báo cáo lần 1: ${title}`]);
    expect(subjects(leader, id)).toEqual([`[Chuyển cấp 3] Quá hạn Báo cáo lần 1: ${title}`]);
    for (const p of [digestOnly, noMail, otherLeader, outsider]) expect(subjects(p, id)).toEqual([]);

    const escalation = sink.to(supervisor.email)[0]!.mail;
    const text = escalation.text ?? '';
    process.stdout.write(`\n--- a rendered escalation email (level 2) ---\nSubject: ${escalation.subject}\n\n${text}--- end ---\n`);
    expect(text).toContain('Kính gửi: Ban Noi chinh,');
    expect(text).toContain(`Nhiệm vụ "${title}" đã quá hạn báo cáo lần 1 và được chuyển lên cấp 2.`);
    expect(text).toMatch(/Hạn: \d\d\/\d\d\/\d{4} \d\d:\d\d \(giờ Việt Nam\)/);
    expect(text).toContain('Còn thiếu: Báo cáo lần 1 của Cong an huyen');
    expect(text).toContain(`Chuyển cấp bởi: Hệ thống theo dõi nhiệm vụ, cấp 2/3, theo chỉ đạo của ${leader.name}`);
    expect(text).toContain(`Xem chi tiết: http://test/directives/${id}`);
    expect(escalation.html).toContain('Rà soát &amp; xử lý đơn thư &lt;khẩn&gt;');
    expect(escalation.html).not.toContain('<khẩn>');
    expect(escalation.messageId).toMatch(/^<[0-9a-f-]{36}@directive-tracker>$/);
    expect(escalation.from?.text).toContain('tracker@so.test');

    // The outbox says the same: seven sent, each once.
    const listed = await json(await world.call('GET', `/v1/notifications?directiveId=${id}&limit=200`));
    expect(listed.items).toHaveLength(7);
    expect(listed.items.every((n: any) => n.status === 'sent' && n.attempts === 1 && n.channel === 'email')).toBe(true);
    const mine = await json(await world.call('GET', `/v1/notifications?directiveId=${id}`, { token: vi.token }));
    expect(mine.items.map((n: any) => n.kind).sort()).toEqual(['escalation', 'reminder']);
  }, 90_000);

  it('retries while the SMTP server is down and delivers once when it is back', async () => {
    const officer = await person('officer', L.id, 'Can bo K');
    const leader = await person('leader', null, 'Lanh dao K');
    await sink.stop();
    let id = '';
    try {
      id = await issue(leader, {
        title: `Báo cáo nhanh ${tag}`,
        leadAgency: L.id,
        dueAt: inSeconds(3600),
        regime: { kind: 'explicit', dueDates: [soon(2)] },
        policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1H' }, { duration: 'PT2H' }, { duration: 'PT3H' }] },
      });
      const [retrying] = await eventually(
        () => world.db.select().from(notifications).where(and(eq(notifications.directiveId, id), eq(notifications.recipientUserId, officer.id))),
        ([row]) => row?.status === 'retrying' && row.attempts >= 2,
        pastSoon(2, 29),
      );
      expect(retrying!.lastError).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await sink.start();
    }
    await eventually(async () => subjects(officer, id), (sent) => sent.length > 0, pastSoon(2, 29));
    await deliveriesEnded(id);
    expect(subjects(officer, id)).toEqual([`[Nhắc hạn] Báo cáo lần 1: Báo cáo nhanh ${tag}`]);
    const [row] = await world.db.select().from(notifications).where(and(eq(notifications.directiveId, id), eq(notifications.recipientUserId, officer.id)));
    // Failed attempts gave their row back: retried, never in doubt.
    expect(row).toMatchObject({ status: 'sent', resentInDoubt: 0 });
    expect(row!.attempts).toBeGreaterThanOrEqual(3);
  }, 90_000);
});

describe('webhooks', () => {
  type Hit = { path: string; headers: Record<string, string>; body: string };
  const hits: Hit[] = [];
  let receiver: http.Server;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hits.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body });
        res.statusCode = req.url === '/fail' ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(port, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('signs each delivery per Standard Webhooks: the signature verifies, a tampered one does not', async () => {
    const agency = await createAgency(world.db, 'Vien KSND huyen');
    const leader = await person('leader', null, 'Lanh dao W');
    const created = await world.call('POST', '/v1/webhooks', { body: { agencyId: agency.id, url: `${base}/ok` } });
    expect(created.status).toBe(201);
    const hook = await json(created);
    expect(hook.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await json(await world.call('GET', '/v1/webhooks')))).not.toContain(hook.secret);

    const id = await issue(leader, {
      title: `Webhook ${tag}`,
      leadAgency: agency.id,
      dueAt: inSeconds(3600),
      regime: { kind: 'explicit', dueDates: [soon(2)] },
      policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1H' }, { duration: 'PT2H' }, { duration: 'PT3H' }] },
    });
    const hit = await eventually(async () => hits.find((h) => h.path === '/ok' && h.body.includes(id)), pastSoon(2, 19));
    const verified = new Webhook(hook.secret).verify(hit.body, hit.headers) as { type: string; data: { directiveId: string; deadline: string } };
    expect(verified).toMatchObject({ type: 'directive.reminder', data: { directiveId: id, deadline: 'Báo cáo lần 1' } });
    expect(() => new Webhook(hook.secret).verify(hit.body.replace('Báo cáo', 'Bao cao'), hit.headers)).toThrow(WebhookVerificationError);
    const other = `whsec_${Buffer.from('another secret of 24 by').toString('base64')}`;
    expect(() => new Webhook(other).verify(hit.body, hit.headers)).toThrow(WebhookVerificationError);
    // Its delivery run has ended: a second delivery would have come from it.
    await deliveriesEnded(id);
    expect(hits.filter((h) => h.body.includes(id))).toHaveLength(1);

    const again = { agencyId: agency.id, url: `${base}/ok` };
    const first = await world.call('POST', '/v1/webhooks', { body: again, headers: { 'idempotency-key': `hook-${tag}` } });
    const retried = await world.call('POST', '/v1/webhooks', { body: again, headers: { 'idempotency-key': `hook-${tag}` } });
    expect((await json(retried)).id).toBe((await json(first)).id);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
  }, 60_000);

  it('retries a failing endpoint, disables it after repeated failures and shows why, and sends what it held back once re-enabled', async () => {
    const agency = await createAgency(world.db, 'TAND huyen');
    const leader = await person('leader', null, 'Lanh dao X');
    const hook = await json(await world.call('POST', '/v1/webhooks', { body: { agencyId: agency.id, url: `${base}/fail` } }));
    const id = await issue(leader, {
      title: `Webhook hỏng ${tag}`,
      leadAgency: agency.id,
      dueAt: inSeconds(3600),
      regime: { kind: 'explicit', dueDates: [soon(2)] },
      policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1H' }, { duration: 'PT2H' }, { duration: 'PT3H' }] },
    });
    const disabled = await eventually(
      async () => (await json(await world.call('GET', '/v1/webhooks'))).items.find((w: any) => w.id === hook.id),
      (h) => h && !h.active,
      pastSoon(2, 29),
    );
    expect(disabled).toMatchObject({ consecutiveFailures: 3, lastError: `HTTP 500 from ${base}/fail` });
    expect(disabled.disabledAt).not.toBeNull();
    expect(hits.filter((h) => h.path === '/fail' && h.body.includes(id))).toHaveLength(3);
    const listed = await json(await world.call('GET', `/v1/notifications?directiveId=${id}&channel=webhook`));
    expect(listed.items).toEqual([expect.objectContaining({ status: 'skipped', attempts: 3, lastError: expect.stringContaining('disabled after 3 failures') })]);

    // Fixed and re-enabled: the held-back reminder goes out, once.
    const enabled = await json(await world.call('PATCH', `/v1/webhooks/${hook.id}`, { body: { active: true, url: `${base}/ok` } }));
    expect(enabled).toMatchObject({ active: true, consecutiveFailures: 0, disabledAt: null, failingSince: null, url: `${base}/ok` });
    const delivered = await eventually(async () => hits.find((h) => h.path === '/ok' && h.body.includes(id)), 30_000);
    expect(new Webhook(hook.secret).verify(delivered.body, delivered.headers)).toMatchObject({ type: 'directive.reminder' });
    await deliveriesEnded(id);
    expect(hits.filter((h) => h.path === '/ok' && h.body.includes(id))).toHaveLength(1);
    const rotated = await json(await world.call('POST', `/v1/webhooks/${hook.id}/secret`));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    expectProblem(await world.call('POST', '/v1/webhooks', { body: { agencyId: agency.id, url: 'ftp://x' } }), 400);
    expectProblem(await world.call('GET', '/v1/webhooks', { token: leader.token }), 403);
    expect((await world.call('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
  }, 90_000);
});

describe('preferences', () => {
  it('are the caller’s to read and change, and bad values are refused', async () => {
    const me = await person('officer', L.id, 'Can bo P');
    expect(await json(await world.call('GET', '/v1/me/preferences', { token: me.token }))).toEqual({ channels: ['email'], language: 'vi', delivery: 'immediate' });
    const put = await world.call('PUT', '/v1/me/preferences', { token: me.token, body: { channels: [], language: 'en', delivery: 'digest' } });
    expect(await json(put)).toEqual({ channels: [], language: 'en', delivery: 'digest' });
    const [row] = await world.db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ channels: [], language: 'en', delivery: 'digest' });
    expectProblem(await world.call('PUT', '/v1/me/preferences', { token: me.token, body: { channels: ['sms'], language: 'vi', delivery: 'immediate' } }), 400);
  });
});

describe('the daily digest', () => {
  it('is scheduled at the set hour in Asia/Ho_Chi_Minh, and moving the hour updates the schedule', async () => {
    try {
      await ensureDigestSchedule(world.client, { taskQueue: world.taskQueue, hour: 7, minute: 30 });
      await ensureDigestSchedule(world.client, { taskQueue: world.taskQueue, hour: 8, minute: 15 });
      const described = await world.client.schedule.getHandle(DIGEST_SCHEDULE_ID).describe();
      expect(described.spec.timezone).toBe('Asia/Ho_Chi_Minh');
      expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 8, end: 8, step: 1 }], minute: [{ start: 15, end: 15, step: 1 }] });
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyDigestWorkflow', taskQueue: world.taskQueue });

      // A run the schedule starts composes the digest of the day it was scheduled for, in Vietnam.
      const handle = world.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
      await handle.trigger();
      const started = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId);
      const result = (await world.client.workflow.getHandle(started).result()) as { date: string };
      expect(result.date).toBe(vnDateOf(new Date()));
    } finally {
      await world.client.schedule.getHandle(DIGEST_SCHEDULE_ID).delete().catch(() => undefined);
    }
  });

  it('is skipped on a public holiday and on a weekend, and sent to supervisors on a working day', async () => {
    const run = (date: string) =>
      world.client.workflow.execute('dailyDigestWorkflow', { taskQueue: world.taskQueue, workflowId: `digest-test-${date}-${tag}`, args: [{ date }] }) as Promise<{
        skipped: string | null;
        recipients: number;
      }>;
    // 2 September is National Day; 28 November 2026 is a Saturday.
    for (const day of ['2026-09-02', '2026-11-28']) {
      expect((await run(day)).skipped).toContain('not a working day');
      expect(await world.db.select().from(notifications).where(eq(notifications.source, `digest:${day}`))).toEqual([]);
    }

    // The rungs opened today (the first test) belong to the next working day's digest.
    const supervisor = await person('supervisor', S.id, 'Chuyen vien Digest');
    const escalated = await world.db.select().from(notifications).where(eq(notifications.kind, 'escalation'));
    expect(escalated.length).toBeGreaterThan(0);
    const next = new WorkingCalendar().addWorkingDays(vnDateOf(new Date()), 1);
    const result = await run(next);
    expect(result.skipped).toBeNull();
    const digest = await eventually(async () => sink.to(supervisor.email)[0]);
    expect(digest.mail.subject).toContain('Tổng hợp ngày');
    expect(digest.mail.text).toContain('Chuyển cấp mới');
    expect(digest.mail.text).toContain(`Rà soát & xử lý đơn thư <khẩn> ${tag}: cấp 2, Cong an huyen → Ban Noi chinh`);
  }, 60_000);
});
