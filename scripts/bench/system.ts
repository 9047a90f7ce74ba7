/**
 * The system a benchmark runs against, brought up by the benchmark itself as a new operator would: a fresh
 * PostgreSQL database of its own on the machine's server, the Temporal dev server, migrations, one worker and
 * the API on loopback, all in this process (the dev command's `startSystem`). Everything is removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import postgres from 'postgres';
import { createApp } from '../../http/app.js';
import { startHttpServer } from '../../http/serve.js';
import { loadConfig, type Config } from '../../config.js';
import { hashToken, newToken } from '../../db/bootstrap.js';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';
import { EVENTS_CHANNEL, type EventAnnouncement } from '../../db/events.js';
import { agencies, users } from '../../db/schema.js';
import type { Role } from '../../domain/lists.js';
import type { ConclusionParser } from '../../services/conclusion-parser.js';
import { createServices } from '../../services/index.js';
import { connectClient } from '../../temporal/client.js';
import { startSystem, type RunningSystem } from '../system.js';
import { freePort } from '../temporal-server.js';

export type BenchDatabase = { url: string; name: string; handle: DatabaseHandle; drop(): Promise<void> };

/** A migrated database of its own (`dt_bench_<what>_<time>`), dropped by `drop()`. */
export async function benchDatabase(what: string, config: Config = loadConfig(), maxConnections = 10): Promise<BenchDatabase> {
  const name = `dt_bench_${what}_${Date.now()}`;
  const admin = postgres(config.testDatabaseAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(config.testDatabaseAdminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections });
  await handle.migrate();
  return {
    url: url.toString(),
    name,
    handle,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * The API alone on loopback, on `db`, with a Temporal client that never connects: for the benchmarks that ask
 * `/healthz` while something else holds the process (an import's parse, a plan), which reach no workflow.
 */
export async function startApiWithoutTemporal(
  db: DatabaseHandle['db'],
  conclusionParser?: ConclusionParser,
): Promise<{ url: string; close(): Promise<void> }> {
  const logger = pino({ level: 'silent' });
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const services = createServices({
    db,
    temporal,
    config: { temporal: { namespace: 'default', taskQueue: 'bench-api', uiUrl: undefined } },
    logger,
    ...(conclusionParser ? { conclusionParser } : {}),
  });
  const app = createApp({
    services,
    config: { http: { rateLimitPerMinute: 1_000_000, publicUrl: 'http://127.0.0.1', trustedProxies: 0, checkHost: false }, ops: { endpoints: 'closed', token: undefined }, temporal: { metricsAddress: undefined } },
    logger,
  });
  const server = await startHttpServer(app, '127.0.0.1', 0);
  return {
    url: server.url,
    async close() {
      await server.close();
      await temporal.connection.close();
    },
  };
}

export type BenchSystem = RunningSystem & {
  config: Config;
  db: DatabaseHandle['db'];
  /** A Temporal client of the benchmark's own. */
  client: Client;
  dataDir: string;
  user(role: Role, agencyId?: string | null): Promise<{ id: string; token: string }>;
  agency(name: string, supervisorId?: string | null): Promise<{ id: string; code: string }>;
  /**
   * Settles once the directive's event of `type` (default `issued`) is recorded, told by the NOTIFY the
   * recording transaction sends: waiting costs nothing, where polling would load the system being measured.
   */
  recorded(directiveId: string, type?: string): Promise<void>;
  /** fetch against the API with a bearer token (the admin's unless given). */
  call(method: string, pathname: string, opts?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<Response>;
  down(): Promise<void>;
};

export async function startBenchSystem(what: string, env: Record<string, string> = {}): Promise<BenchSystem> {
  const base = loadConfig();
  const database = await benchDatabase(what, base, 2);
  const dataDir = path.resolve('.data', `bench-${what}-${Date.now()}`);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    MAIL_CATCHER_PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: `bench-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'warn',
    // The benchmark is one client sending thousands of requests a minute; the limiter stays on, out of reach.
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...env,
  });
  const system = await startSystem(config, () => {});
  const own = await openDatabase({ databaseUrl: database.url, maxConnections: 2 });
  const db = own.db;
  const client = await connectClient(system.temporalAddress, config.temporal.namespace);
  const seen = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  const unlisten = await own.listen(EVENTS_CHANNEL, (payload) => {
    const { directiveId, type } = JSON.parse(payload) as EventAnnouncement;
    const key = `${directiveId} ${type}`;
    seen.add(key);
    for (const resolve of waiting.get(key) ?? []) resolve();
    waiting.delete(key);
  });
  let n = 0;
  return {
    ...system,
    config,
    db,
    client,
    dataDir,
    async user(role, agencyId = null) {
      const token = newToken();
      const [row] = await db.insert(users).values({ name: `${role} ${++n}`, role, agencyId, tokenHash: hashToken(token), email: `${role}${n}@bench.test` }).returning({ id: users.id });
      return { id: row!.id, token };
    },
    async agency(name, supervisorId = null) {
      const code = `B${++n}-${randomUUID().slice(0, 6)}`.toUpperCase();
      const [row] = await db.insert(agencies).values({ code, name, supervisorId }).returning({ id: agencies.id, code: agencies.code });
      return row!;
    },
    recorded(directiveId, type = 'issued') {
      const key = `${directiveId} ${type}`;
      if (seen.has(key)) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
    },
    call(method, pathname, opts = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? system.adminToken}`, ...opts.headers };
      let body: string | undefined;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      return fetch(`${system.apiUrl}${pathname}`, { method, headers, ...(body ? { body } : {}) });
    },
    async down() {
      await unlisten();
      await client.connection.close();
      await system.stop();
      await own.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
