import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { invitations, users } from '../../db/schema.js';
import { loadConfig } from '../../config.js';
import { createUserWithId, formBrowser, json, startWorld, type World } from '../support.js';

/**
 * Secrets never enter the audit log or a URL (security review 2026-12, finding 1): an invitation's code travels
 * in the form's body, the audit log keeps route patterns and ids, an invitation dies after a few wrong tries, and
 * the release voids every invitation whose code the old paths may have left in the log.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());

/**
 * What a person does with the link an admin made: the browser asks for the address before `#` (a browser never
 * sends the fragment), then posts the page's invitation form with the code the link carries.
 */
async function followInvitation(url: string, password: string, repeat: string): Promise<{ code: string; status: number }> {
  const link = new URL(url);
  const code = link.hash ? decodeURIComponent(link.hash.slice(1)) : link.pathname.split('/').at(-1)!;
  const browser = formBrowser(world);
  const page = await (await browser.get(`${link.pathname}${link.search}`)).text();
  const action = /<form method="post" action="(\/invitations[^"]*)"/.exec(page)?.[1];
  expect(action).toBeDefined();
  const res = await browser.post(action!, { code, password, repeat });
  return { code, status: res.status };
}

async function invite(userId: string): Promise<{ url: string; code?: string }> {
  const res = await world.call('POST', `/v1/users/${userId}/invitation`);
  expect(res.status).toBe(201);
  return json(res) as Promise<{ url: string; code?: string }>;
}

describe('invitation codes', () => {
  it('an oversight user cannot read an invitation code from the audit log or its export', async () => {
    const victim = await createUserWithId(world.db, { role: 'admin' });
    await world.db.update(users).set({ email: `victim.${victim.id.slice(0, 8)}@so.test` }).where(eq(users.id, victim.id));
    const oversight = await createUserWithId(world.db, { role: 'oversight' });
    const { url } = await invite(victim.id);
    // The victim mistypes the repeated password: the form is refused and the write audited.
    const { code, status } = await followInvitation(url, 'Correct-horse-1', 'Correct-horse-2');
    expect(status).toBe(422);

    const log = await world.call('GET', '/v1/audit?limit=200', { token: oversight.token });
    expect(log.status).toBe(200);
    const entries = (await json(log)).items as Array<{ action: string; path: string }>;
    expect(entries.some((e) => e.action === 'POST /invitations' || e.action.startsWith('POST /invitations/'))).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(code);
    const exported = await world.call('GET', '/v1/audit/export', { token: oversight.token });
    expect(exported.status).toBe(200);
    expect(await exported.text()).not.toContain(code);
  });

  it('never puts an invitation code in a URL a server sees: only after `#`, and on its own', async () => {
    const person = await createUserWithId(world.db, { role: 'officer' });
    const { url, code } = await invite(person.id);
    const link = new URL(url);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(`${link.pathname}${link.search}`).not.toContain(code!);
    expect(link.hash).toBe(`#${code}`);
  });

  it('dies after five wrong submissions, even for the right password afterwards', async () => {
    const person = await createUserWithId(world.db, { role: 'officer' });
    const { url } = await invite(person.id);
    for (let i = 0; i < 4; i++) expect((await followInvitation(url, 'Một mật khẩu dài', 'Một mật khẩu khác')).status).toBe(422);
    // The fifth wrong one voids it.
    expect((await followInvitation(url, 'ngắn', 'ngắn')).status).toBe(404);
    expect((await followInvitation(url, 'Một mật khẩu dài', 'Một mật khẩu dài')).status).toBe(404);
    const [row] = await world.db.select().from(invitations).where(eq(invitations.userId, person.id));
    expect(row).toMatchObject({ failedAttempts: 5 });
    expect(row!.usedAt).not.toBeNull();
    const [after] = await world.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, person.id));
    expect(after!.passwordHash).toBeNull();
  });

  it('works once, from the body, for the right code and two equal entries', async () => {
    const person = await createUserWithId(world.db, { role: 'officer' });
    const { url } = await invite(person.id);
    expect((await followInvitation(url, 'Một mật khẩu dài', 'Một mật khẩu dài')).status).toBe(303);
    expect((await followInvitation(url, 'Một mật khẩu dài', 'Một mật khẩu dài')).status).toBe(404);
  });
});

describe('the release that took codes out of paths', () => {
  it('voids every invitation still open, since its code may sit in the append-only audit log', async () => {
    const config = loadConfig();
    const name = `dt_inv_${Date.now()}_${process.pid}`;
    const admin = postgres(config.testDatabaseAdminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const folder = path.resolve(import.meta.dirname, '../../db/migrations');
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-before-'));
    try {
      // The database as the release before left it: every migration up to the one that voids the codes.
      const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
      const upTo = journal.entries.findIndex((e) => e.tag.endsWith('_invitations_in_bodies'));
      expect(upTo).toBeGreaterThan(0);
      fs.mkdirSync(path.join(before, 'meta'));
      fs.writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }));
      for (const e of journal.entries.slice(0, upTo)) fs.copyFileSync(path.join(folder, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: before });
      const [person] = await client<Array<{ id: string }>>`insert into users (name, role, token_hash) values ('Người được mời', 'officer', ${`h-${name}`}) returning id`;
      await client`insert into invitations (token_hash, user_id, expires_at) values (${`t-${name}`}, ${person!.id}, now() + interval '7 days')`;
      const [open] = await client<Array<{ used_at: Date | null }>>`select used_at from invitations where user_id = ${person!.id}`;
      expect(open!.used_at).toBeNull();

      await migrate(db, { migrationsFolder: folder });
      const [voided] = await client<Array<{ used_at: Date | null }>>`select used_at from invitations where user_id = ${person!.id}`;
      expect(voided!.used_at).not.toBeNull();
      expect((await db.execute(sql`select count(*)::int as n from invitations where used_at is null`))[0]).toEqual({ n: 0 });
    } finally {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      fs.rmSync(before, { recursive: true, force: true });
    }
  });
});
