// The HTTP entry for deployments (the JSON API and the web app): `tsx http/server.ts`. Needs PostgreSQL (DATABASE_URL) and a Temporal server.
import { createLogger, loadConfig, runMain } from '../config.js';
import { openServices } from '../services/open.js';
import { createApp } from './app.js';
import { startHttpServer } from './serve.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config, 'api');
  const opened = await openServices(config, logger);
  const app = createApp({ services: opened.services, config, logger });
  const server = await startHttpServer(app, config.http.host, config.http.port);
  logger.info({ url: server.url }, 'API listening');
  // Calendar changes the migrator loaded (a year of record) or that Temporal missed: their directives are re-planned.
  const started = await opened.services.calendar.startPendingChanges();
  if (started > 0) logger.info({ changes: started }, 'calendar re-plans started');
  const moves = await opened.services.agencies.startPendingReorganisations();
  if (moves > 0) logger.info({ reorganisations: moves }, 'reorganisations started');

  const shutdown = async () => {
    await server.close();
    await opened.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

runMain(main);
