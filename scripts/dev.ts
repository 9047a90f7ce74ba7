/**
 * `npm run dev`: the whole system in one command on embedded defaults — the Temporal dev server
 * (SQLite under .data/), the database (PGlite under .data/ unless DATABASE_URL is set), migrations,
 * the worker and the API, in one process so the embedded database has a single owner.
 */
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createLogger, loadConfig, runMain } from '../config.js';
import { connectWorker, createWorker } from '../activities/create-worker.js';
import { createApp } from '../api/app.js';
import { startHttpServer } from '../api/serve.js';
import { connectClient } from '../api/temporal.js';
import { ensureBootstrapAdmin, resolveAdminToken, seedAgenciesIfEmpty } from '../db/bootstrap.js';
import { openDatabase } from '../db/client.js';
import { resolveTemporalCli, startTemporalDevServer, type DevServer } from './temporal-server.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, 'dev');
  const say = (msg: string) => process.stdout.write(`${msg}\n`);
  // Keep the SDK's own logs quiet; errors still surface.
  // Shutdown is ordered here (API, worker, database, Temporal), not by the SDK's own signal handlers.
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

  const workerConnection = await connectWorker(temporalAddress);
  const worker = await createWorker({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: database.db,
  });
  const workerRun = worker.run();

  const temporal = await connectClient(temporalAddress, config.temporal.namespace);
  const app = createApp({
    db: database.db,
    temporal,
    config: { http: config.http, temporal: { ...config.temporal, uiUrl } },
    logger,
    ping: { db: () => database.ping() },
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    temporalMetricsAddress: config.temporal.metricsAddress,
  });
  const server = await startHttpServer(app, config.http.host, config.http.port);

  say('');
  say('Directive tracker is up.');
  say(`  API            ${server.url}   (health: ${server.url}/healthz)`);
  say(`  API docs       ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json, metrics: ${server.url}/metrics)`);
  say(`  Temporal       ${temporalAddress}${uiUrl ? `   UI: ${uiUrl}` : ''}`);
  say(`  Database       ${database.kind}: ${database.location}`);
  say(`  Admin token    ${admin.token}${admin.file ? `   (kept in ${admin.file})` : ''}`);
  say('');
  say('Try it:');
  say(`  export TOKEN=${admin.token}`);
  say(`  curl -s ${server.url}/v1/agencies -H "Authorization: Bearer $TOKEN"`);
  say(
    `  curl -s -X POST ${server.url}/v1/directives -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\\n` +
      `       -H "Idempotency-Key: $(date +%s)" -d '{"title":"Rà soát đơn thư trễ hạn","leadAgency":"THADS","dueDate":"2026-12-31"}'`,
  );
  say(`  curl -s ${server.url}/v1/directives -H "Authorization: Bearer $TOKEN"`);
  say('');
  say('Press Ctrl+C to stop.');

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say('Stopping…');
    await server.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun.catch(() => undefined);
    await temporal.connection.close();
    await workerConnection.close();
    await database.close();
    await devServer?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  await workerRun.catch(async (err: unknown) => {
    logger.error({ err }, 'worker stopped');
    await shutdown();
  });
}

runMain(main);
