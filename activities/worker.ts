// Worker entry for deployments: `tsx activities/worker.ts`. Run as many as the load needs.
import { Runtime } from '@temporalio/worker';
import { ConfigError, createLogger, loadConfig, runMain } from '../config.js';
import { openDatabase } from '../db/client.js';
import { connectWorker, createWorker } from './create-worker.js';
import { createMailer } from './notify/mailer.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL is required for a standalone worker; `npm run dev` runs everything on the embedded database.');
  }
  if (config.temporal.metricsAddress) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.temporal.metricsAddress } } } });
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl });
  await database.migrate();
  const connection = await connectWorker(config.temporal.address ?? 'localhost:7233');
  if (!config.notify.smtpUrl) logger.warn('SMTP_URL is not set: email notifications are recorded as skipped, not sent');
  const mailer = config.notify.smtpUrl ? createMailer(config.notify.smtpUrl) : undefined;
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: database.db,
    notify: {
      publicUrl: config.http.publicUrl,
      mailer,
      mailFrom: config.notify.mailFrom,
      webhookFailureLimit: config.notify.webhookFailureLimit,
      webhookDisableAfterSeconds: config.notify.webhookDisableAfterSeconds,
    },
  });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  // Worker.run() installs its own SIGINT/SIGTERM handling and drains in-flight tasks before resolving.
  await worker.run();
  mailer?.close();
  await connection.close();
  await database.close();
}

runMain(main);
