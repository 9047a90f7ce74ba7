import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createMailer } from '../activities/notify/mailer.js';
import { hashToken } from '../db/bootstrap.js';
import { notifications, users } from '../db/schema.js';
import { MailSink } from './mail-sink.js';
import { createAgency, eventually, freshDatabase, inSeconds, json, soon, startWorld, type World } from './support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sink = new MailSink();
let world: World;
let child: ChildProcess | undefined;

let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

beforeAll(async () => {
  await sink.start();
  // A database of its own: the worker process below migrates it at start, which reloads the calendar of record that
  // other files of the run are changing.
  database = await freshDatabase();
  world = await startWorld({ database, notify: { mailer: createMailer(sink.url) } });
  // Only the separate worker process below serves the task queue until it is killed.
  await world.stopWorker();
});
afterAll(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  await world?.close();
  await database?.drop();
  await sink.stop();
});

describe('a worker killed while it delivers', () => {
  it('duplicates nothing: the message is delivered once, by the worker that takes over', async () => {
    let out = '';
    child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['worker/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: database!.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: world.taskQueue,
        SMTP_URL: sink.url,
        PUBLIC_URL: 'http://test',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: tsx runs the worker in a child process, and SIGKILL must reach that one too.
      detached: true,
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(async () => out.includes('worker running'), (running) => running, 120_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`);
    });

    const agency = await createAgency(world.db, 'Cuc THADS');
    const email = `officer.${randomUUID().slice(0, 8)}@so.test`;
    const [officer] = await world.db
      .insert(users)
      .values({ name: 'Can bo THADS', email, role: 'officer', agencyId: agency.id, tokenHash: hashToken(randomUUID()) })
      .returning({ id: users.id });

    // The SMTP server holds its reply to the message; the worker dies while it waits for it.
    sink.delayMs = 4000;
    const held = new Promise<void>((resolve) => (sink.onHold = resolve));
    const res = await world.call('POST', '/v1/directives', {
      body: {
        title: 'Giải quyết dứt điểm việc thi hành án tồn đọng',
        leadAgency: agency.id,
        dueAt: inSeconds(3600),
        regime: { kind: 'explicit', dueDates: [soon(2)] },
        policy: { reminders: [{ duration: 'PT2S' }], escalations: [{ duration: 'PT1H' }, { duration: 'PT2H' }, { duration: 'PT3H' }] },
      },
    });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    await held;
    const exited = new Promise((r) => child!.once('exit', r));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    sink.delayMs = 0;

    // A worker in this process takes over: the activity is retried once its heartbeat times out, and the row
    // is taken again once the dead attempt's lease has run out.
    const killedAt = Date.now();
    await world.startWorker();
    await eventually(async () => sink.to(email), (mails) => mails.length > 0, 90_000);
    process.stdout.write(`delivered ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill\n`);
    const [sent] = await world.db.select().from(notifications).where(and(eq(notifications.directiveId, id), eq(notifications.recipientUserId, officer!.id)));
    // The delivery run has ended: a second copy would have been sent by it.
    await world.client.workflow.getHandle(`notify:${sent!.source}`).result();
    expect(sink.to(email).map((r) => r.mail.subject)).toEqual(['[Nhắc hạn] Báo cáo lần 1: Giải quyết dứt điểm việc thi hành án tồn đọng']);
    // The copy the dead worker had sent carried the same Message-ID as the one delivered: a mail system that
    // had kept the unanswered copy could drop the second as a duplicate.
    const copies = sink.seen.filter((m) => m.to.includes(email));
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((m) => m.messageId)).size).toBe(1);
    const [row] = await world.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.directiveId, id), eq(notifications.recipientUserId, officer!.id)));
    // Taken again from the attempt that died holding it: counted as resent in doubt, once.
    expect(row).toMatchObject({ status: 'sent', resentInDoubt: 1 });
    // The first attempt died with its worker; the one that delivered was a retry, after the dead one's lease ran out.
    const { events } = await world.client.workflow.getHandle(`notify:${row!.source}`).fetchHistory();
    const attempts = (events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 0] : []));
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toBeGreaterThan(1);
  }, 180_000);
});
