/**
 * The whole system in one process on embedded defaults: the Temporal dev server (SQLite under the data
 * directory) unless TEMPORAL_ADDRESS is set, the database (PGlite unless DATABASE_URL is set), migrations,
 * the worker and the API. One process, because an embedded PGlite directory has a single owner.
 */
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createLogger, type Config } from '../config.js';
import { createApp } from '../http/app.js';
import { startHttpServer } from '../http/serve.js';
import { BOOTSTRAP_ADMIN_ID, ensureBootstrapAdmin, ensureBootstrapAdminEmail, hasPassword, resolveAdminPassword, resolveAdminToken, seedAgenciesIfEmpty } from '../db/bootstrap.js';
import { openDatabase } from '../db/client.js';
import { createServices, type Services } from '../services/index.js';
import { connectClient, ensureBlobCollectionSchedule, ensureDigestSchedule } from '../temporal/client.js';
import { connectWorker, createConfiguredWorker } from '../worker/create-worker.js';
import { startMailCatcher } from './mail-catcher.js';
import { resolveTemporalCli, startTemporalDevServer, type DevServer } from './temporal-server.js';

export type RunningSystem = {
  apiUrl: string;
  temporalAddress: string;
  /** The dev server's process, when this system started one. */
  temporalPid: number | undefined;
  uiUrl: string | undefined;
  database: string;
  /** Where mail goes: the SMTP server, and the folder when it is the embedded mail catcher. */
  mail: string;
  adminToken: string;
  adminTokenFile: string | undefined;
  /** Signing in to the web app as the bootstrap admin. */
  adminSignIn: { email: string; password: string; file: string };
  /** Settles when the worker stops on its own (a fatal error). */
  workerRun: Promise<void>;
  /** The application layer the API and the pages call (benchmarks time it without the door). */
  services: Services;
  stop(): Promise<void>;
};

export async function startSystem(config: Config, say: (line: string) => void): Promise<RunningSystem> {
  const logger = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, 'dev');
  // Keep the SDK's own logs quiet; errors still surface.
  // Shutdown is ordered by stop() (API, worker, database, Temporal), not by the SDK's own signal handlers.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [],
    ...(config.temporal.metricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.temporal.metricsAddress } } } }
      : {}),
  });

  let devServer: DevServer | undefined;
  let temporalAddress = config.temporal.address;
  let uiUrl = config.temporal.uiUrl;
  if (!temporalAddress) {
    const cli = resolveTemporalCli({ explicit: config.temporal.cli, pathVar: config.systemPath, log: say });
    say(`Starting the Temporal dev server (${cli})…`);
    devServer = await startTemporalDevServer({
      cli,
      port: config.temporal.devPort,
      uiPort: config.temporal.devUiPort,
      namespace: config.temporal.namespace,
      dbFile: path.join(config.dataDir, 'temporal.sqlite'),
      log: say,
    });
    temporalAddress = devServer.address;
    uiUrl ??= devServer.uiUrl;
  }

  const database = config.databaseUrl
    ? await openDatabase({ databaseUrl: config.databaseUrl })
    : await openDatabase({ pgliteDir: path.join(config.dataDir, 'pglite') });
  say(`Database: ${database.kind} at ${database.location}; migrating…`);
  await database.migrate();
  const seeded = await seedAgenciesIfEmpty(database.db);
  if (seeded > 0) say(`Seeded ${seeded} agencies of a provincial internal-affairs bloc.`);
  const admin = resolveAdminToken(config.adminToken, config.dataDir);
  await ensureBootstrapAdmin(database.db, admin.token);

  const catcher = config.notify.smtpUrl
    ? undefined
    : await startMailCatcher({ port: config.notify.mailCatcherPort, dir: path.join(config.dataDir, 'mail') });
  const smtpUrl = config.notify.smtpUrl ?? catcher!.url;

  const workerConnection = await connectWorker(temporalAddress);
  const { worker, close: closeMailer } = await createConfiguredWorker(config, { connection: workerConnection, db: database.db, smtpUrl, logger });
  const workerRun = worker.run();

  const temporal = await connectClient(temporalAddress, config.temporal.namespace);
  await ensureDigestSchedule(temporal, { taskQueue: config.temporal.taskQueue, ...config.notify.digestAt });
  await ensureBlobCollectionSchedule(temporal, { taskQueue: config.temporal.taskQueue });
  const withUi = { ...config, temporal: { ...config.temporal, uiUrl } };
  const services = createServices({ db: database.db, temporal, config: withUi, logger, listen: database.listen });
  const app = createApp({ services, config: withUi, logger });
  // A year of record the migrator loaded re-plans the directives already planned across it.
  await services.calendar.startPendingChanges();
  await services.agencies.startPendingReorganisations();
  // A newcomer signs in to the web app as the bootstrap admin with a password kept under the data directory.
  const adminPassword = resolveAdminPassword(config.dataDir);
  const adminEmail = await ensureBootstrapAdminEmail(database.db);
  if (adminPassword.created || !(await hasPassword(database.db, BOOTSTRAP_ADMIN_ID))) {
    await services.accounts.setPassword({ userId: BOOTSTRAP_ADMIN_ID, name: 'Bootstrap admin', role: 'admin', agencyId: null }, BOOTSTRAP_ADMIN_ID, adminPassword.password);
  }
  const server = await startHttpServer(app, config.http.host, config.http.port);

  let stopped: Promise<void> | undefined;
  return {
    apiUrl: server.url,
    temporalAddress,
    temporalPid: devServer?.process.pid,
    uiUrl,
    database: `${database.kind}: ${database.location}`,
    mail: catcher ? `${catcher.url}, kept as .eml files in ${catcher.dir}` : `${new URL(smtpUrl).host} (SMTP_URL)`,
    adminToken: admin.token,
    adminTokenFile: admin.file,
    adminSignIn: { email: adminEmail, password: adminPassword.password, file: adminPassword.file },
    workerRun,
    services,
    stop() {
      stopped ??= (async () => {
        await server.close();
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerRun.catch(() => undefined);
        closeMailer();
        await catcher?.close();
        await temporal.connection.close();
        await workerConnection.close();
        await database.close();
        await devServer?.stop();
      })();
      return stopped;
    },
  };
}

/** Stops the system on Ctrl+C / SIGTERM, or when the worker dies, then exits. */
export function stopOnSignals(system: RunningSystem, say: (line: string) => void): Promise<never> {
  return new Promise<never>(() => {
    const shutdown = async (code: number) => {
      say('Stopping…');
      await system.stop();
      process.exit(code);
    };
    process.on('SIGINT', () => void shutdown(0));
    process.on('SIGTERM', () => void shutdown(0));
    system.workerRun.catch((err: unknown) => {
      say(`The worker stopped: ${err instanceof Error ? err.message : String(err)}`);
      void shutdown(1);
    });
  });
}

export function printWelcome(system: RunningSystem, say: (line: string) => void): void {
  const { apiUrl, adminToken } = system;
  say('');
  say('Directive tracker is up.');
  say(`  Web app        ${apiUrl}/   sign in as ${system.adminSignIn.email} / ${system.adminSignIn.password}   (kept in ${system.adminSignIn.file})`);
  say(`  API            ${apiUrl}   (JSON under /v1; health: ${apiUrl}/healthz)`);
  say(`  API docs       ${apiUrl}/docs   (OpenAPI: ${apiUrl}/openapi.json, metrics: ${apiUrl}/metrics)`);
  say(`  Temporal       ${system.temporalAddress}${system.uiUrl ? `   UI: ${system.uiUrl}` : ''}`);
  say(`  Database       ${system.database}`);
  say(`  Mail           ${system.mail}`);
  say(`  Admin token    ${adminToken}${system.adminTokenFile ? `   (kept in ${system.adminTokenFile})` : ''}`);
  say('');
  say('Try it:');
  say(`  export TOKEN=${adminToken}`);
  say(`  curl -s ${apiUrl}/v1/agencies -H "Authorization: Bearer $TOKEN"`);
  say(
    `  curl -s -X POST ${apiUrl}/v1/directives -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\\n` +
      `       -H "Idempotency-Key: $(date +%s)" -d '{"title":"Rà soát đơn thư trễ hạn","leadAgency":"THADS","dueDate":"2026-12-31"}'`,
  );
  say(`  curl -s ${apiUrl}/v1/directives -H "Authorization: Bearer $TOKEN"`);
  say('  npm run demo   # in another terminal: the example conference\'s six tasks on a compressed clock');
  say('');
}
