// API entry for deployments: `tsx api/server.ts`. Needs PostgreSQL (DATABASE_URL) and a Temporal server.
import { ConfigError, createLogger, loadConfig, runMain } from '../config.js';
import { ensureBootstrapAdmin } from '../db/bootstrap.js';
import { openDatabase } from '../db/client.js';
import { createApp } from './app.js';
import { startHttpServer } from './serve.js';
import { connectClient } from './temporal.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config, 'api');
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required for the standalone API; `npm run dev` runs everything on the embedded database.');
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl });
  await database.migrate();
  if (config.adminToken) await ensureBootstrapAdmin(database.db, config.adminToken);
  const temporal = await connectClient(config.temporal.address ?? 'localhost:7233', config.temporal.namespace);
  const app = createApp({
    db: database.db,
    temporal,
    config,
    logger,
    ping: { db: () => database.ping() },
    rateLimitPerMinute: config.http.rateLimitPerMinute,
  });
  const server = await startHttpServer(app, config.http.host, config.http.port);
  logger.info({ url: server.url }, 'API listening');

  const shutdown = async () => {
    await server.close();
    await temporal.connection.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

runMain(main);
