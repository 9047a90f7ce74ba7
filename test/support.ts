import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import JSZip from 'jszip';
import postgres from 'postgres';
import { loadConfig, type Config } from '../config.js';
import { expect, inject } from 'vitest';
import { NO_NOTIFY, type NotifyOptions } from '../activities/index.js';
import { createApp, type App } from '../http/app.js';
import { hashToken, newToken } from '../db/bootstrap.js';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { eq } from 'drizzle-orm';
import { agencies, users } from '../db/schema.js';
import { LEAD_SECONDS } from './lead-time.js';
import type { Role } from '../domain/lists.js';
import type { Principal } from '../services/context.js';
import { createServices, type Services } from '../services/index.js';
import { createWorker } from '../worker/create-worker.js';

let runtimeInstalled = false;

/** The SDK logs every worker start and stop; tests want errors only. */
export function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}

export type World = {
  database: DatabaseHandle;
  db: DatabaseHandle['db'];
  client: Client;
  services: Services;
  app: App;
  taskQueue: string;
  adminToken: string;
  /** app.request with a bearer token (the admin's unless given) and JSON handling. */
  call(method: string, path: string, opts?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<Response>;
  /** Stops the worker (in-flight tasks drain) and starts a fresh one on the same task queue. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
};

/** A worker on its own task queue, a Temporal client and the API, on the run's Temporal server and database. */
export async function startWorld(
  options: {
    database?: DatabaseHandle;
    temporalAddress?: string;
    rateLimitPerMinute?: number;
    notify?: Partial<NotifyOptions>;
    taskQueue?: string;
    /** Where the app is reached (links, the OpenID redirect); `http://test` when it is only called in-process. */
    publicUrl?: string;
    oidc?: Config['oidc'];
    /** Default true: the tests' receivers listen on loopback. */
    allowPrivateWebhookTargets?: boolean;
    /** Proxies in front of the app whose X-Forwarded-For entries are trusted (default 0: none). */
    trustedProxies?: number;
    /** Where attachments are kept (the services' and the worker's blob collector's); PostgreSQL unless given. */
    attachments?: Config['attachments'];
  } = {},
): Promise<World> {
  quietTemporalRuntime();
  const address = options.temporalAddress ?? inject('temporalAddress');
  const database = options.database ?? (await openDatabase({ databaseUrl: inject('databaseUrl'), maxConnections: 5 }));
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const workerConnection = await NativeConnection.connect({ address });
  let running: Promise<void> | undefined;
  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  const startWorker = async () => {
    worker = await createWorker({
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
      db: database.db,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      attachmentsS3: options.attachments?.s3,
      // The tests' receivers listen on loopback; the refusal of such targets has tests of its own.
      notify: { ...NO_NOTIFY, publicUrl: 'http://test', allowPrivateWebhookTargets: true, ...options.notify },
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    worker = undefined;
  };
  await startWorker();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const adminToken = await createUser(database.db, { role: 'admin' });
  const logger = pino({ level: 'silent' });
  const services = createServices({
    db: database.db,
    temporal: client,
    config: {
      temporal: { namespace: 'default', taskQueue, uiUrl: 'http://ui.test' },
      notify: { webhookAllowPrivateTargets: options.allowPrivateWebhookTargets ?? true },
      ...(options.attachments ? { attachments: options.attachments } : {}),
    },
    logger,
    listen: database.listen,
  });
  const app = createApp({
    services,
    config: {
      http: { rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000, publicUrl: options.publicUrl ?? 'http://test', trustedProxies: options.trustedProxies ?? 0, checkHost: false },
      // In-process requests come from no socket: the operational endpoints are open to them.
      ops: { endpoints: 'open', token: undefined },
      temporal: { metricsAddress: undefined },
      oidc: options.oidc,
    },
    logger,
  });

  return {
    database,
    db: database.db,
    client,
    services,
    app,
    taskQueue,
    adminToken,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const token = opts.token === undefined ? adminToken : opts.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      return app.request(path, { method, headers, body });
    },
    startWorker,
    stopWorker,
    async close() {
      await stopWorker();
      await workerConnection.close();
      await connection.close();
      if (!options.database) await database.close();
    },
  };
}

export async function createUser(
  db: DatabaseHandle['db'],
  u: { role: Role; agencyId?: string },
): Promise<string> {
  return (await createUserWithId(db, u)).token;
}

export async function createUserWithId(
  db: DatabaseHandle['db'],
  u: { role: Role; agencyId?: string },
): Promise<{ token: string; id: string }> {
  const token = newToken();
  const [row] = await db
    .insert(users)
    .values({ name: `${u.role} ${token.slice(0, 6)}`, role: u.role, agencyId: u.agencyId ?? null, tokenHash: hashToken(token) })
    .returning({ id: users.id });
  return { token, id: row!.id };
}

/** Agencies with run-unique codes, so test files sharing one database never collide. */
export async function createAgency(db: DatabaseHandle['db'], name: string, supervisorId?: string) {
  const code = `${name.replace(/\W+/g, '').slice(0, 8).toUpperCase()}-${randomUUID().slice(0, 8)}`;
  const [row] = await db.insert(agencies).values({ code, name, supervisorId: supervisorId ?? null }).returning();
  if (!row) throw new Error('agency insert returned nothing');
  return row;
}

/**
 * Eventually, within `within` ms (20 s unless given), `holds` is true of what `probe` returns: polls `probe` and
 * resolves with the first value that holds (without `holds`, any value but undefined). A probe that throws (an
 * `expect` inside it) counts as "not yet". On timeout the failure shows the last value observed, or the last
 * error, so it says what the test saw and not only that it waited.
 */
export async function eventually<T>(probe: () => Promise<T>, holds?: ((value: T) => unknown) | number, within?: number): Promise<Exclude<T, undefined>> {
  const check = typeof holds === 'function' ? holds : (v: T) => v !== undefined;
  const timeoutMs = (typeof holds === 'number' ? holds : within) ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  let cutShort = false;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const hung = Symbol('hung');
    try {
      // A probe that hangs (a request no one answers) ends at the deadline too, instead of holding the test.
      const value = await Promise.race([probe(), new Promise<typeof hung>((resolve) => (timer = setTimeout(() => resolve(hung), Math.max(1, deadline - Date.now()))))]);
      if (value === hung) {
        cutShort = true;
        break;
      }
      if (check(value)) return value as Exclude<T, undefined>;
      last = { value };
    } catch (error) {
      last = { error };
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seen = !last ? 'nothing' : 'error' in last ? `an error: ${String(last.error)}` : inspect(last.value, { depth: 4, maxArrayLength: 30, breakLength: 160 });
  const shown = seen.length > 3000 ? `${seen.slice(0, 3000)}…` : seen;
  throw new Error(`not within ${timeoutMs / 1000} s; last observed: ${shown}${cutShort ? ' (the last probe was still running at the deadline)' : ''}`);
}

/** A response body as loose JSON, for assertions. */
export const json = async (res: Response) => (await res.json()) as Record<string, any>;

export const inSeconds = (s: number): string => new Date(Date.now() + s * 1000).toISOString();

export { LEAD_SECONDS };

/** The instant `LEAD_SECONDS + s` seconds from now: the earliest deadline a test sets. */
export const soon = (s = 0): string => inSeconds(LEAD_SECONDS + s);

/**
 * How long, in ms, to wait for what a deadline set with `soon(s)` brings about (its reminder, its rungs, the mail
 * they send): the lead and `s` until the instant, then `slack` seconds for the timer to fire and its effects to be
 * recorded. Waits so written keep their slack after the instant whatever LEAD_SECONDS is.
 */
export const pastSoon = (s = 0, slack = 20): number => (LEAD_SECONDS + s + slack) * 1000;

export function expectProblem(res: Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
}

/**
 * A database of its own for a test file whose admin must see only what the file itself made (the run's shared
 * database holds every other file's directives too, some of them on task queues no worker serves any more).
 */
export async function freshDatabase(): Promise<DatabaseHandle & { url: string; drop(): Promise<void> }> {
  const config = loadConfig();
  const name = `dt_own_${Date.now()}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(config.testDatabaseAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 5 });
  await database.migrate();
  return Object.assign(database, {
    /** For a process of its own (a spawned API or worker). */
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  });
}

export type FormBrowser = {
  get(path: string): Promise<Response>;
  post(path: string, fields: Record<string, string>): Promise<Response>;
  /** A multipart form as a browser sends it: the token and the fields first, the file last. */
  upload(path: string, fields: Record<string, string>, file: { name: string; bytes: Buffer }): Promise<Response>;
};

/**
 * A browser without JavaScript and, until it signs in, without a session: keeps its cookies, reads each page's form
 * token, posts forms with it. `request` is the app in-process unless given (a real socket: `fetch` against a
 * started server's URL); `headers` go with every request (an X-Forwarded-For a proxy would add, say).
 */
export function formBrowser(
  world: World,
  request: (path: string, init?: RequestInit) => Promise<Response> = async (path, init) => world.app.request(path, init),
  origin = 'http://localhost',
  headers: Record<string, string> = {},
): FormBrowser {
  const jar = new Map<string, string>();
  let csrf = '';
  const keep = async (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [k, ...v] = c.split(';')[0]!.split('=');
      jar.set(k!, v.join('='));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(await res.clone().text())?.[1];
    if (token) csrf = token;
    return res;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    get: async (path) => keep(await request(path, { headers: { ...headers, cookie: cookie(), accept: 'text/html' }, redirect: 'manual' })),
    post: async (path, fields) =>
      keep(
        await request(path, {
          method: 'POST',
          redirect: 'manual',
          headers: { ...headers, cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded', origin },
          body: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
        }),
      ),
    upload: async (path, fields, file) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ _csrf: csrf, ...fields })) form.append(k, v);
      form.append('file', new Blob([file.bytes]), file.name);
      return keep(await request(path, { method: 'POST', redirect: 'manual', headers: { ...headers, cookie: cookie(), origin }, body: form }));
    },
  };
}

/**
 * A person with a web password, signed in through the sign-in form by a `formBrowser` (see there for `request`).
 */
export async function webSession(
  world: World,
  who: Role | { role: Role; agencyId: string },
  request?: (path: string, init?: RequestInit) => Promise<Response>,
  origin = 'http://localhost',
): Promise<FormBrowser & { id: string }> {
  const { role, agencyId } = typeof who === 'string' ? { role: who, agencyId: undefined } : who;
  const person = await createUserWithId(world.db, agencyId ? { role, agencyId } : { role });
  const email = `${role}-${person.id.slice(0, 8)}@example.vn`;
  const password = 'một mật khẩu đủ dài';
  await world.db.update(users).set({ email }).where(eq(users.id, person.id));
  await world.services.accounts.setPassword({ userId: randomUUID(), name: 'admin', role: 'admin', agencyId: null }, person.id, password);
  const { get, post, upload } = formBrowser(world, request, origin);
  await get('/sign-in');
  expect((await post('/sign-in', { email, password, next: '/' })).status).toBe(303);
  // Signed in, forms carry a token of the session: read it from a page, as a browser would.
  await get('/');
  return { id: person.id, get, post, upload };
}

/** Someone signed in at both doors: a web session and an API token, of an agency or none. */
export async function bothDoors(world: World, role: Role, agencyId: string | null = null) {
  const web = await webSession(world, role);
  const token = newToken();
  await world.db.update(users).set({ agencyId, tokenHash: hashToken(token) }).where(eq(users.id, web.id));
  const principal: Principal = { userId: web.id, name: role, role, agencyId };
  return { ...web, token, role, agencyId, principal, api: (path: string) => world.call('GET', path, { token }) };
}

/** A response as text, a workbook's or a Word document's parts unzipped: where a title would be if it leaked. */
export async function textOf(res: Response): Promise<string> {
  if ((res.headers.get('content-type') ?? '').includes('openxmlformats')) {
    const zip = await JSZip.loadAsync(await res.arrayBuffer());
    return (await Promise.all(Object.values(zip.files).map((f) => f.async('string')))).join('\n');
  }
  return res.text();
}
