/**
 * `npm run cluster`: the production topology on one machine. The machine's PostgreSQL; Temporal's schemas set
 * up by the compose file's schema script; the Temporal frontend, history, matching and worker services as
 * four processes of the real server from one configuration file; the namespace, search attributes and digest
 * schedule; the migrations; two workers and two APIs from the compiled build with production dependencies
 * only; an SMTP sink. Every command is read from docker-compose.yml, so what runs here is what compose runs.
 * The fault tests start the same cluster on free ports and databases of their own (startCluster).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection } from '@temporalio/client';
import postgres from 'postgres';
import YAML from 'yaml';
import { loadConfig, runMain } from '../config.js';
import { startMailCatcher, type MailCatcher } from './mail-catcher.js';
import { stageRelease } from './release.js';
import { resolveTemporalServerTools, type ServerTools } from './temporal-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEMPORAL_CONFIG_DIR = path.join(root, 'scripts', 'cluster', 'temporal');
/** Where the compose file mounts TEMPORAL_CONFIG_DIR in the Temporal containers. */
const TEMPORAL_CONFIG_MOUNT = '/etc/temporal/directive-tracker';
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];
const COMPOSE_SERVICE: Record<TemporalService, string> = {
  frontend: 'temporal',
  history: 'temporal-history',
  matching: 'temporal-matching',
  worker: 'temporal-worker',
};

type Say = (line: string) => void;

/** The commands of docker-compose.yml's services: entrypoint and command, as compose gives them to the image. */
export function composeCommands(file = path.join(root, 'docker-compose.yml')): Record<string, { entrypoint: string[]; command: string[] }> {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, { entrypoint?: string[]; command?: string[] }> };
  return Object.fromEntries(Object.entries(doc.services).map(([name, s]) => [name, { entrypoint: s.entrypoint ?? [], command: s.command ?? [] }]));
}

/** A process of the topology, started, watched, killed and started again by the fault tests. */
export class Supervised {
  child: ChildProcess | undefined;
  private exit: Promise<number | string> = Promise.resolve('not started');
  starts = 0;

  constructor(
    readonly name: string,
    readonly argv: string[],
    readonly options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; ready: (p: Supervised) => Promise<void> },
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until it is ready (its own check: a port, a health answer, a log line). */
  async start(): Promise<void> {
    fs.mkdirSync(path.dirname(this.options.logFile), { recursive: true });
    const out = fs.openSync(this.options.logFile, 'a');
    this.starts++;
    const [command, ...args] = this.argv;
    const child = spawn(command!, args, { cwd: this.options.cwd, env: this.options.env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
    live.add(this);
    void this.exit.then(() => live.delete(this));
    await Promise.race([
      this.options.ready(this),
      this.exit.then((code) => {
        throw new Error(`${this.name} exited (${code}) before it was ready; its log: ${this.options.logFile}\n${tail(this.options.logFile)}`);
      }),
    ]);
  }

  /** Runs a one-shot process to its end; throws with its log unless it exits 0. */
  async runToEnd(timeoutMs = 120_000): Promise<void> {
    const start = this.start();
    start.catch(() => {});
    const code = await Promise.race([this.exit, sleep(timeoutMs).then(() => 'timeout')]);
    if (code !== 0) {
      this.kill('SIGKILL');
      throw new Error(`${this.name} failed (${code}); its log: ${this.options.logFile}\n${tail(this.options.logFile)}`);
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child!.kill(signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  exited(): Promise<number | string> {
    return this.exit;
  }
}

const live = new Set<Supervised>();
// A parent that dies must not leave the topology holding ports and databases.
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

function tail(file: string, bytes = 3000): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new Error(`${what} not ready in ${timeoutMs / 1000} s${last ? `: ${String(last)}` : ''}`);
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const waitPort = (port: number, timeoutMs = 60_000) => () => until(`port ${port}`, async () => ((await portOpen(port)) ? true : undefined), timeoutMs).then(() => {});

export type ClusterPorts = {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: Record<TemporalService, number>;
  apis: number[];
  smtp: number;
};

const DEFAULT_PORTS: ClusterPorts = {
  frontend: 7233,
  frontendHttp: 7243,
  history: 7234,
  matching: 7235,
  worker: 7239,
  membership: { frontend: 6933, history: 6934, matching: 6935, worker: 6939 },
  apis: [3000, 3001],
  smtp: 1025,
};

/**
 * A free port below 32768: Temporal keeps membership ports in a smallint column, and the kernel's ephemeral
 * range (what port 0 gives) starts above it.
 */
async function lowFreePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

async function freePorts(apis: number): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const p = async () => lowFreePort(taken);
  return {
    frontend: await p(),
    frontendHttp: await p(),
    history: await p(),
    matching: await p(),
    worker: await p(),
    membership: { frontend: await p(), history: await p(), matching: await p(), worker: await p() },
    apis: await Promise.all(Array.from({ length: apis }, p)),
    smtp: 0,
  };
}

export type ClusterOptions = {
  /** Prefix of the three databases (`<name>_temporal`, `<name>_temporal_visibility`, `<name>_app`). */
  name: string;
  /** Folder for logs, mail, the staged release and the admin token. */
  dataDir: string;
  ports?: 'default' | 'free';
  workers?: number;
  apis?: number;
  /** The PostgreSQL server and a role that may create databases. */
  adminUrl: string;
  /** Where the app processes reach PostgreSQL (a proxy in the outage test); the server itself otherwise. */
  appDatabasePort?: number;
  /** Extra environment of the app processes (worker and API). */
  appEnv?: Record<string, string>;
  rebuild?: boolean;
  /** Where the release is staged; default `<dataDir>/release`. Clusters may share one. */
  releaseDir?: string;
  say?: Say;
};

export type Cluster = {
  temporalAddress: string;
  apiUrls: string[];
  databaseUrl: string;
  adminToken: string;
  mail: MailCatcher;
  logDir: string;
  releaseDir: string;
  temporal: Record<TemporalService, Supervised>;
  workers: Supervised[];
  apis: Supervised[];
  databases: string[];
  /** Starts the four Temporal services one at a time, in TEMPORAL_SERVICES order. */
  startTemporal(): Promise<void>;
  /** Stops them in the reverse order. */
  stopTemporal(): Promise<void>;
  /** A further app process from the release, as compose's `service` runs it (a worker of a new release). */
  appProcess(service: 'worker' | 'api', name: string, env?: Record<string, string>): Supervised;
  stop(): Promise<void>;
  /** Drops the cluster's databases (tests). */
  drop(): Promise<void>;
};

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const say = options.say ?? (() => {});
  const started = Date.now();
  const admin = new URL(options.adminUrl);
  const pg = { host: admin.hostname, port: Number(admin.port || 5432), user: decodeURIComponent(admin.username || 'postgres'), password: decodeURIComponent(admin.password) };
  const tools: ServerTools = resolveTemporalServerTools({ pathVar: process.env.PATH, log: say });
  const ports = options.ports === 'free' ? await freePorts(options.apis ?? 2) : DEFAULT_PORTS;
  const logDir = path.join(options.dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const compose = composeCommands();
  const db = { temporal: `${options.name}_temporal`, visibility: `${options.name}_temporal_visibility`, app: `${options.name}_app` };

  say('Building and staging the release (dist/ with production dependencies only)…');
  const release = await stageRelease({ dir: options.releaseDir ?? path.join(options.dataDir, 'release'), rebuild: options.rebuild ?? true, log: say });

  const pathVar = [path.dirname(tools.server), process.env.PATH].join(path.delimiter);
  const baseEnv = { PATH: pathVar, HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8' };

  // Temporal's schemas, with the compose file's own job (its entrypoint runs the script we mount).
  const schemaArgv = compose['temporal-schema']!.entrypoint.map((a) => a.replace(TEMPORAL_CONFIG_MOUNT, TEMPORAL_CONFIG_DIR));
  await new Supervised('temporal-schema', schemaArgv, {
    cwd: root,
    env: {
      ...baseEnv,
      SQL_PLUGIN: 'postgres12',
      SQL_HOST: pg.host,
      SQL_PORT: String(pg.port),
      SQL_USER: pg.user,
      SQL_PASSWORD: pg.password,
      TEMPORAL_DB: db.temporal,
      TEMPORAL_VISIBILITY_DB: db.visibility,
      TEMPORAL_SCHEMA_DIR: tools.schemaDir,
    },
    logFile: path.join(logDir, 'temporal-schema.log'),
    ready: async () => {},
  }).runToEnd();
  say(`Temporal schemas up to date in ${db.temporal} and ${db.visibility}`);

  const frontendAddress = `127.0.0.1:${ports.frontend}`;
  const temporalEnv = {
    ...baseEnv,
    TEMPORAL_DB: db.temporal,
    TEMPORAL_VISIBILITY_DB: db.visibility,
    TEMPORAL_DB_HOST: pg.host,
    TEMPORAL_DB_PORT: String(pg.port),
    TEMPORAL_DB_USER: pg.user,
    TEMPORAL_DB_PASSWORD: pg.password,
    TEMPORAL_DB_MAX_CONNS: '10',
    TEMPORAL_BIND_IP: '127.0.0.1',
    TEMPORAL_FRONTEND_ADDRESS: frontendAddress,
    TEMPORAL_DYNAMIC_CONFIG_FILE: path.join(TEMPORAL_CONFIG_DIR, 'dynamicconfig.yaml'),
    TEMPORAL_FRONTEND_PORT: String(ports.frontend),
    TEMPORAL_FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    TEMPORAL_HISTORY_PORT: String(ports.history),
    TEMPORAL_MATCHING_PORT: String(ports.matching),
    TEMPORAL_WORKER_PORT: String(ports.worker),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.membership.frontend),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.membership.history),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.membership.matching),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.membership.worker),
  };
  const grpcPort: Record<TemporalService, number> = { frontend: ports.frontend, history: ports.history, matching: ports.matching, worker: ports.worker };
  const temporal = {} as Record<TemporalService, Supervised>;
  for (const service of TEMPORAL_SERVICES) {
    const { entrypoint, command } = compose[COMPOSE_SERVICE[service]]!;
    const argv = [...entrypoint, ...command].map((a) => (a === TEMPORAL_CONFIG_MOUNT ? TEMPORAL_CONFIG_DIR : a));
    argv[0] = tools.server;
    temporal[service] = new Supervised(`temporal-${service}`, argv, {
      cwd: root,
      env: temporalEnv,
      logFile: path.join(logDir, `temporal-${service}.log`),
      // The worker service serves no gRPC of its own: it is up once it listens for its peers.
      ready: service === 'frontend' ? () => frontendHealthy(frontendAddress) : waitPort(service === 'worker' ? ports.membership.worker : grpcPort[service]),
    });
  }
  // One at a time: services that start together race to record the cluster's metadata.
  const startTemporal = async () => {
    for (const service of TEMPORAL_SERVICES) await temporal[service].start();
  };
  const stopTemporal = async () => {
    for (const service of [...TEMPORAL_SERVICES].reverse()) await temporal[service].stop();
  };
  await startTemporal();
  say(`Temporal services up: frontend ${frontendAddress}, history :${ports.history}, matching :${ports.matching}, worker :${ports.worker}`);

  const mail = await startMailCatcher({ port: ports.smtp, dir: path.join(options.dataDir, 'mail') });
  const tokenFile = path.join(options.dataDir, 'admin-token');
  if (!fs.existsSync(tokenFile)) fs.writeFileSync(tokenFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const adminToken = fs.readFileSync(tokenFile, 'utf8').trim();

  const adminSql = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await adminSql`select 1 from pg_database where datname = ${db.app}`;
    if (!exists) await adminSql.unsafe(`create database "${db.app}"`);
  } finally {
    await adminSql.end();
  }
  const appUrl = (port: number) => {
    const u = new URL(options.adminUrl);
    u.port = String(port);
    u.pathname = `/${db.app}`;
    return u.toString();
  };
  const databaseUrl = appUrl(pg.port);
  const appEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...baseEnv,
    NODE_ENV: 'production',
    DATABASE_URL: appUrl(options.appDatabasePort ?? pg.port),
    TEMPORAL_ADDRESS: frontendAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'directives',
    LOG_LEVEL: 'info',
    SMTP_URL: mail.url,
    MAIL_FROM: 'Theo dõi nhiệm vụ <directive-tracker@localhost>',
    DIGEST_AT: '07:30',
    ADMIN_TOKEN: adminToken,
    PUBLIC_URL: `http://127.0.0.1:${ports.apis[0]}`,
    ...options.appEnv,
    ...extra,
  });
  const appArgv = (service: string) => {
    const [cmd, ...args] = compose[service]!.command;
    return [cmd === 'node' ? process.execPath : cmd!, ...args];
  };
  const oneShot = (service: string) =>
    new Supervised(service, appArgv(service), { cwd: release.dir, env: appEnv(), logFile: path.join(logDir, `${service}.log`), ready: async () => {} }).runToEnd();
  await oneShot('temporal-setup');
  await oneShot('migrate');
  say(`Namespace, search attributes and digest schedule ready; ${db.app} migrated`);

  const appProcess = (service: 'worker' | 'api', name: string, env: Record<string, string> = {}) => {
    const merged = appEnv(env);
    const ready =
      service === 'api'
        ? () => until(`${name} /readyz`, async () => ((await fetch(`http://127.0.0.1:${merged.PORT}/readyz`).catch(() => undefined))?.ok ? true : undefined), 60_000).then(() => {})
        : (p: Supervised) => until(`${name} polling`, async () => (countLines(p.options.logFile, '"msg":"worker running"') >= p.starts ? true : undefined), 60_000).then(() => {});
    return new Supervised(name, appArgv(service), { cwd: release.dir, env: merged, logFile: path.join(logDir, `${name}.log`), ready });
  };
  const workers = Array.from({ length: options.workers ?? 2 }, (_, i) => appProcess('worker', `worker-${i + 1}`));
  const apis = ports.apis.slice(0, options.apis ?? 2).map((port, i) => appProcess('api', `api-${i + 1}`, { PORT: String(port), HOST: '127.0.0.1' }));
  await Promise.all([...workers, ...apis].map((p) => p.start()));
  say(`Workers and APIs up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const cluster: Cluster = {
    temporalAddress: frontendAddress,
    apiUrls: ports.apis.slice(0, apis.length).map((p) => `http://127.0.0.1:${p}`),
    databaseUrl,
    adminToken,
    mail,
    logDir,
    releaseDir: release.dir,
    temporal,
    workers,
    apis,
    databases: [db.app, db.temporal, db.visibility],
    appProcess,
    startTemporal,
    stopTemporal,
    async stop() {
      await Promise.all([...apis, ...workers].map((p) => p.stop()));
      await stopTemporal();
      await mail.close();
    },
    async drop() {
      const sql = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
      try {
        for (const name of cluster.databases) await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
  return cluster;
}

function countLines(file: string, needle: string): number {
  return tail(file, 1_000_000).split('\n').filter((l) => l.includes(needle)).length;
}

async function frontendHealthy(address: string): Promise<void> {
  await until(
    `Temporal frontend ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const health = await connection.healthService.check({});
        return health.status === 1 ? true : undefined;
      } finally {
        await connection.close();
      }
    },
    90_000,
  );
}

async function main(): Promise<void> {
  const config = loadConfig();
  const say: Say = (line) => process.stdout.write(`${line}\n`);
  const dataDir = path.resolve(config.dataDir, 'cluster');
  const cluster = await startCluster({ name: 'cluster', dataDir, adminUrl: config.testDatabaseAdminUrl, ports: 'default', rebuild: true, say });
  const version = spawnSync(cluster.temporal.frontend.argv[0]!, ['--version'], { encoding: 'utf8' }).stdout.trim();
  say('');
  say('The production topology is up (Ctrl+C stops it):');
  say(`  Temporal        ${cluster.temporalAddress}   (${version}; frontend, history, matching, worker: one process each)`);
  for (const [i, url] of cluster.apiUrls.entries()) say(`  API ${i + 1}           ${url}   (web app at /, JSON under /v1, ${url}/readyz)`);
  say(`  Workers         ${cluster.workers.map((w) => `${w.name} (pid ${w.child?.pid})`).join(', ')}`);
  say(`  Database        ${cluster.databaseUrl}   (Temporal: ${cluster.databases.slice(1).join(', ')})`);
  say(`  Mail            ${cluster.mail.url}, kept as .eml files in ${cluster.mail.dir}`);
  say(`  Logs            ${cluster.logDir}`);
  say(`  Release         ${cluster.releaseDir}   (dist/ + npm ci --omit=dev, as the image's final stage)`);
  say(`  Admin token     kept in ${path.join(dataDir, 'admin-token')}`);
  say('');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('Stopping…');
  await cluster.stop();
  say('Stopped.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMain(main);
