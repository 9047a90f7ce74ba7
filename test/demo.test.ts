import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONCLUSION } from '../scripts/demo/example.js';
import { startHttpServer, type HttpServer } from '../http/serve.js';
import { createClient } from '../api/client.js';
import { ensureDemoDirectory, runDemo } from '../scripts/demo/run-demo.js';
import { freshDatabase, startWorld, type World } from './support.js';

// The example conference the demo ships (../shared/examples), so the suite runs anywhere.
const text = EXAMPLE_CONCLUSION.read();

let world: World;
let server: HttpServer;
let drop: (() => Promise<void>) | undefined;

// A database of its own: the demo counts the directory's people and reads the province's newest rungs, which the
// other files of the run would add to.
beforeAll(async () => {
  const database = await freshDatabase();
  drop = () => database.drop();
  world = await startWorld({ database });
  server = await startHttpServer(world.app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server?.close();
  await world?.close();
  await drop?.();
});

describe('npm run demo', () => {
  it('imports the example conference, issues its six tasks and ends with four on time, one late and one escalated to the leader', async () => {
    const lines: string[] = [];
    const result = await runDemo({ baseUrl: server.url, adminToken: world.adminToken, text, heldOn: '2024-10-11', timeScale: 0.5, say: (l) => lines.push(l) });
    const output = lines.join('\n');

    expect(result.draftCount).toBe(6);
    expect(result.directiveIds).toHaveLength(6);
    expect(result.counts).toMatchObject({ completed_on_time: 4, completed_late: 1, open_overdue: 1, open_on_time: 0 });
    // Task (2) climbs to its supervising agency before its late report; task (5) all the way to the leader.
    const rungs = (task: number) => result.escalations.filter((e) => e.task === task).map((e) => e.level);
    expect(rungs(2)).toEqual([1, 2]);
    expect(rungs(5)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect([1, 3, 6].flatMap(rungs)).toEqual([]);
    expect(result.eventTypes.reminder_due).toBeGreaterThanOrEqual(2);
    expect(result.eventTypes.escalation_resolved).toBeGreaterThanOrEqual(1);
    expect(result.notifications).toBeGreaterThan(0);

    expect(output).toContain('stated: 6; found 6 draft directives');
    expect(output).toContain('Chỉ thị 19-CT/TU, ngày 26/05/2021');
    expect(output).toMatch(/\(2\) report R1 from .* \(LATE\)/);
    expect(output).toMatch(/\(5\) ESCALATED level 3/);
    // Task (2)'s lead agency explains its late report with a PDF; the supervisor accepts.
    expect(output).toMatch(/\(2\) EXPLANATION gt1 asked of .* \(Giải trình: /);
    expect(output).toMatch(/\(2\) file attached \(explanation gt1\): \d+ bytes/);
    expect(output).toMatch(/\(2\) explanation gt1 given with 1 file\(s\)/);
    expect(output).toMatch(/\(2\) explanation gt1 accepted/);
    expect(output).toContain('http://ui.test/namespaces/default/workflows/directive-');

    // The demo's people can watch it in the web app: the printed address and password sign the leader in.
    const password = /signing in with the password (\S+) as:/.exec(output)?.[1];
    const email = /(lanhdao@\S+)/.exec(output)?.[1];
    expect(output).toContain(`Watch it in the web app at ${server.url}/`);
    const page = await fetch(`${server.url}/sign-in`);
    const csrf = /dt_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
    const signedIn = await fetch(`${server.url}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dt_csrf=${csrf}` },
      body: new URLSearchParams({ email: email!, password: password!, _csrf: csrf!, next: '/' }).toString(),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('set-cookie')).toMatch(/dt_session=/);
  }, 180_000);

  it('reuses the directory and its people on a second run, giving each a fresh token', async () => {
    const admin = createClient(server.url, { token: world.adminToken });
    const first = await ensureDemoDirectory(admin);
    const usersBefore = ((await (await world.call('GET', '/v1/users')).json()) as { items: unknown[] }).items.length;
    const second = await ensureDemoDirectory(admin);
    const usersAfter = ((await (await world.call('GET', '/v1/users')).json()) as { items: unknown[] }).items.length;

    expect(second.created).toEqual([]);
    expect(usersAfter).toBe(usersBefore);
    expect(second.codeToId).toEqual(first.codeToId);
    const agencies = (await (await world.call('GET', '/v1/agencies')).json()) as { items: Array<{ code: string; supervisorId: string | null }> };
    const districts = agencies.items.filter((a) => a.code.startsWith('TCT-'));
    expect(districts).toHaveLength(8);
    expect(new Set(districts.map((a) => a.supervisorId))).toEqual(new Set([second.codeToId.get('BNCTU')]));
    const [someone, oldToken] = [...first.tokens.entries()][2]!;
    expect((await world.call('GET', '/v1/me', { token: oldToken })).status).toBe(401);
    expect((await world.call('GET', '/v1/me', { token: second.tokens.get(someone)! })).status).toBe(200);
  });
});
