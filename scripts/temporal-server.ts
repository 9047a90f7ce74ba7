/**
 * Provisioning of the Temporal dev server, shared by the dev command, the tests and CI.
 * Run directly (`tsx scripts/temporal-server.ts install`) it only makes sure the CLI is there (and the other tools the
 * tests run: the Temporal server, gofakes3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection } from '@temporalio/client';
import { ConfigError, loadConfig, runMain } from '../config.js';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../workflows/search-attributes.js';
// The Go tools and their versions, in one file that .ci/run also reads (it builds them while npm ci runs).
import GO_TOOLS from './go-tools.json' with { type: 'json' };

export const TEMPORAL_CLI_MODULE = GO_TOOLS.temporalCli;
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultToolsBin = path.join(projectRoot, '.tools', 'bin');

type Log = (msg: string) => void;
const defaultLog: Log = (msg) => process.stderr.write(`${msg}\n`);

function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export type ResolveCliOptions = {
  /** $TEMPORAL_CLI, read by the config module. */
  explicit?: string | undefined;
  pathVar?: string | undefined;
  toolsBin?: string;
  log?: Log;
};

/** $TEMPORAL_CLI, else `temporal` on PATH, else .tools/bin/temporal, else build it with Go. */
export function resolveTemporalCli(options: ResolveCliOptions = {}): string {
  const log = options.log ?? defaultLog;
  const toolsBin = options.toolsBin ?? defaultToolsBin;
  if (options.explicit) {
    if (!isExecutable(options.explicit)) throw new ConfigError(`TEMPORAL_CLI=${options.explicit} is not an executable file`);
    return options.explicit;
  }
  const onPath = findOnPath('temporal', options.pathVar);
  if (onPath) return onPath;
  const local = path.join(toolsBin, 'temporal');
  if (isExecutable(local)) return local;

  const go = findOnPath('go', options.pathVar);
  if (!go) {
    throw new ConfigError(
      [
        'The Temporal CLI was not found and Go is not installed to build it.',
        'Either install Go (https://go.dev/dl/) and run this again, or install the Temporal CLI',
        '(https://docs.temporal.io/cli#install) and put `temporal` on PATH, or set TEMPORAL_CLI to its path.',
      ].join('\n'),
    );
  }
  log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${toolsBin}; the first build takes a few minutes…`);
  fs.mkdirSync(toolsBin, { recursive: true });
  const started = Date.now();
  const result = spawnSync(go, ['install', TEMPORAL_CLI_MODULE], {
    env: { ...process.env, GOBIN: toolsBin },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !isExecutable(local)) {
    throw new ConfigError(`\`go install ${TEMPORAL_CLI_MODULE}\` failed (exit ${result.status ?? result.signal}).`);
  }
  log(`Built the Temporal CLI in ${((Date.now() - started) / 1000).toFixed(1)} s: ${local}`);
  return local;
}

/** The production topology's server: the same release the CLI embeds and the compose file's images run. */
export const TEMPORAL_SERVER_VERSION = GO_TOOLS.temporalServer.split('@')[1]!;
const SERVER_TOOLS = [
  { module: GO_TOOLS.temporalServer, built: 'server', name: 'temporal-server' },
  { module: GO_TOOLS.temporalSqlTool, built: 'sql', name: 'temporal-sql-tool' },
] as const;

export type ServerTools = {
  /** `temporal-server`: frontend, history, matching and worker services, one per process. */
  server: string;
  /** `temporal-sql-tool`: creates and updates the schemas. */
  sqlTool: string;
  /** The release's PostgreSQL schemas (`temporal/versioned`, `visibility/versioned` inside). */
  schemaDir: string;
};

/**
 * The Temporal server and its SQL tool in .tools/bin under the names the official images give them, and the
 * release's PostgreSQL schemas beside them: built with Go from the module proxy when missing.
 */
export function resolveTemporalServerTools(options: { pathVar?: string | undefined; toolsBin?: string; log?: Log } = {}): ServerTools {
  const log = options.log ?? defaultLog;
  const toolsBin = options.toolsBin ?? defaultToolsBin;
  const tools: ServerTools = {
    server: path.join(toolsBin, 'temporal-server'),
    sqlTool: path.join(toolsBin, 'temporal-sql-tool'),
    schemaDir: path.join(toolsBin, '..', `temporal-schema-${TEMPORAL_SERVER_VERSION}`, 'postgresql', 'v12'),
  };
  if (isExecutable(tools.server) && isExecutable(tools.sqlTool) && fs.existsSync(path.join(tools.schemaDir, 'temporal', 'versioned'))) return tools;

  const go = findOnPath('go', options.pathVar);
  if (!go) throw new ConfigError('The Temporal server is built with Go (https://go.dev/dl/), which is not installed.');
  const started = Date.now();
  const scratch = path.join(toolsBin, '..', 'build');
  fs.mkdirSync(scratch, { recursive: true });
  const modules = SERVER_TOOLS.map((t) => t.module);
  log(`Building the Temporal server and SQL tool (go.temporal.io/server@${TEMPORAL_SERVER_VERSION}) into ${toolsBin}; the first build takes a few minutes…`);
  const result = spawnSync(go, ['install', ...modules], { env: { ...process.env, GOBIN: scratch }, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new ConfigError(`\`go install ${modules.join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
  fs.mkdirSync(toolsBin, { recursive: true });
  for (const t of SERVER_TOOLS) fs.renameSync(path.join(scratch, t.built), path.join(toolsBin, t.name));
  const modCache = spawnSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
  const schemas = path.join(modCache, `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  fs.rmSync(tools.schemaDir, { recursive: true, force: true });
  fs.cpSync(schemas, tools.schemaDir, { recursive: true });
  // The module cache is read-only, and so would the copy be.
  for (const entry of fs.readdirSync(path.dirname(path.dirname(tools.schemaDir)), { recursive: true, withFileTypes: true })) {
    fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  log(`Built the Temporal server in ${((Date.now() - started) / 1000).toFixed(1)} s: ${tools.server}`);
  return tools;
}

/** An S3-compatible server kept in memory, which the attachment tests store files in (test/attachments-s3.test.ts). */
export const GOFAKES3_MODULE = GO_TOOLS.gofakes3;
/** Where the install step puts gofakes3; the tests look only there. */
export const gofakes3Path = (toolsBin: string = defaultToolsBin): string => path.join(toolsBin, 'gofakes3');

/** .tools/bin/gofakes3, built with Go when missing. */
export function resolveGofakes3(options: { pathVar?: string | undefined; toolsBin?: string; log?: Log } = {}): string {
  const log = options.log ?? defaultLog;
  const toolsBin = options.toolsBin ?? defaultToolsBin;
  const local = gofakes3Path(toolsBin);
  if (isExecutable(local)) return local;
  const go = findOnPath('go', options.pathVar);
  if (!go) throw new ConfigError('gofakes3 (the S3-compatible server of the attachment tests) is built with Go (https://go.dev/dl/), which is not installed.');
  log(`Building gofakes3 (${GOFAKES3_MODULE}) into ${toolsBin}…`);
  fs.mkdirSync(toolsBin, { recursive: true });
  const started = Date.now();
  const result = spawnSync(go, ['install', GOFAKES3_MODULE], { env: { ...process.env, GOBIN: toolsBin }, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !isExecutable(local)) throw new ConfigError(`\`go install ${GOFAKES3_MODULE}\` failed (exit ${result.status ?? result.signal}).`);
  log(`Built gofakes3 in ${((Date.now() - started) / 1000).toFixed(1)} s: ${local}`);
  return local;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type DevServerOptions = {
  cli: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file that keeps workflows across restarts; undefined keeps everything in memory. */
  dbFile: string | undefined;
  /** `key=value` pairs passed as --dynamic-config-value. */
  dynamicConfig?: string[];
  headless?: boolean;
  /** Register the directive search attributes (default); false gives a bare server. */
  registerSearchAttributes?: boolean;
  startTimeoutMs?: number;
  log?: Log;
};

export type DevServer = { address: string; uiUrl: string | undefined; process: ChildProcess; stop(): Promise<void> };

export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? defaultLog;
  const address = `127.0.0.1:${options.port}`;
  const registerSearchAttributes = options.registerSearchAttributes ?? true;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
    ...(options.headless ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    // WAL and synchronous=NORMAL: a commit is not an fsync of the whole file any more (SQLite's defaults make
    // every workflow start and task wait on one), and a crash of the machine can lose only the last moments.
    ...(options.dbFile ? ['--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'] : []),
    ...(registerSearchAttributes
      ? SEARCH_ATTRIBUTE_DEFINITIONS.flatMap((sa) => ['--search-attribute', `${sa.name}=${sa.type}`])
      : []),
    // One partition per task queue. With the dev server's default of four, a task written to a partition no
    // poller is waiting on sits there until it is forwarded: 50 directives of a conference were all recorded in
    // about 1 s, except a few that came 1.7 s later, and an empty workflow's round trip swung between 64 and 24
    // a second (npm run bench -- --only create, 2026-12-05). One process per queue needs no partitions.
    ...['matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1', ...(options.dynamicConfig ?? [])].flatMap((kv) => [
      '--dynamic-config-value',
      kv,
    ]),
  ];
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null = null;
  child.once('exit', (code, signal) => {
    exited = code ?? signal ?? 'unknown';
    process.off('exit', killOnExit);
  });
  // A parent that dies without stopping the server must not leave it holding the ports.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    if (exited !== null) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  const wanted = registerSearchAttributes ? SEARCH_ATTRIBUTE_DEFINITIONS.map((sa) => sa.name) : [];
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`temporal server start-dev exited (${exited}) before it was healthy:\n${output}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const health = await connection.healthService.check({});
        const attrs = await connection.operatorService.listSearchAttributes({ namespace: options.namespace });
        const registered = Object.keys(attrs.customAttributes ?? {});
        const missing = wanted.filter((n) => !registered.includes(n));
        if (health.status === 1 && missing.length === 0) {
          log(`Temporal dev server healthy at ${address}`);
          return {
            address,
            uiUrl: options.headless ? undefined : `http://127.0.0.1:${options.uiPort}`,
            process: child,
            stop,
          };
        }
        lastError = new Error(`not ready: health=${health.status}, missing search attributes ${missing.join(', ')}`);
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Temporal dev server at ${address} not healthy in time: ${String(lastError)}\n${output}`);
}

/** A headless server in memory (or on a temporary file) on a free port, for tests and scripts. */
export async function startEphemeralTemporalServer(options: {
  explicitCli: string | undefined;
  pathVar: string;
  dbFile?: string;
  registerSearchAttributes?: boolean;
  dynamicConfig?: string[];
  log?: Log;
}): Promise<DevServer> {
  return startTemporalDevServer({
    cli: resolveTemporalCli({ explicit: options.explicitCli, pathVar: options.pathVar, log: options.log }),
    port: await freePort(),
    uiPort: 0,
    headless: true,
    namespace: 'default',
    dbFile: options.dbFile,
    registerSearchAttributes: options.registerSearchAttributes ?? true,
    dynamicConfig: options.dynamicConfig,
    log: options.log ?? (() => {}),
  });
}

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const command = argv[0] ?? 'install';
  if (command !== 'install') throw new Error(`unknown command ${command}; usage: temporal-server.ts install`);
  const cli = resolveTemporalCli({ explicit: config.temporal.cli, pathVar: config.systemPath });
  const version = spawnSync(cli, ['--version'], { encoding: 'utf8' });
  process.stdout.write(`${cli}: ${version.stdout.trim()}\n`);
  // The production topology's server (npm run cluster and its tests).
  const started = Date.now();
  const tools = resolveTemporalServerTools({ pathVar: config.systemPath });
  const serverVersion = spawnSync(tools.server, ['--version'], { encoding: 'utf8' });
  process.stdout.write(`${tools.server}: ${serverVersion.stdout.trim()} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  // The S3-compatible server of the attachment tests (it has no --version: its module's is the one built).
  process.stdout.write(`${resolveGofakes3({ pathVar: config.systemPath })}: ${GOFAKES3_MODULE.split('@')[1]}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMain(() => main(process.argv.slice(2)));
}
