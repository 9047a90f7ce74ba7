// Worker entry for deployments: `tsx worker/main.ts`. Run as many as the load needs.
import { Runtime } from '@temporalio/worker';
import { ConfigError, createLogger, loadConfig, runMain } from '../config.js';
import { openDatabase } from '../db/client.js';
import { connectWorker, createConfiguredWorker } from './create-worker.js';
import { sdkLogger } from './sdk-logger.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required for a standalone worker; `npm run dev` runs everything on the embedded database.');
  }
  Runtime.install({
    logger: sdkLogger(logger),
    ...(config.temporal.metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.temporal.metricsAddress } } } } : {}),
  });
  const database = await openDatabase({ databaseUrl: config.databaseUrl });
  await database.migrate();
  const connection = await connectWorker(config.temporal.address ?? 'localhost:7233');
  if (!config.notify.smtpUrl) logger.warn('SMTP_URL is not set: email notifications are recorded as skipped, not sent');
  const { worker, close } = await createConfiguredWorker(config, { connection, db: database.db, smtpUrl: config.notify.smtpUrl, logger });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  // Worker.run() installs its own SIGINT/SIGTERM handling and drains in-flight tasks before resolving.
  await worker.run();
  close();
  await connection.close();
  await database.close();
}

runMain(main);
