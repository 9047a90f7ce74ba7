import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type NotifyOptions } from '../activities/index.js';
import { planner } from '../activities/planner.js';
import { createMailer } from '../activities/notify/mailer.js';
import { pino } from 'pino';
import { ConfigError, type AttachmentS3Config, type Config, type Logger } from '../config.js';
import type { Database } from '../db/database.js';
import { blobStores, collectBlobs } from '../db/blob-store.js';
import { sendReplan, sendTransfer, startDelivery } from '../temporal/client.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/**
 * Where `npm run build` writes the workflow bundle. The compiled worker loads it instead of bundling at start
 * (seconds instead of a webpack run, and no build tool in the production image).
 */
export const prebuiltBundlePath = fileURLToPath(new URL('../workflows/bundle.js', import.meta.url));
const compiled = import.meta.url.endsWith('.js');

/** The bundle a worker runs: the one given, else the build's (compiled code), else none (bundle the sources). */
export function workflowBundleFor(explicit: string | undefined): { codePath: string } | undefined {
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new ConfigError(`TEMPORAL_WORKFLOW_BUNDLE=${explicit} does not exist.`);
    return { codePath: explicit };
  }
  if (!compiled) return undefined;
  if (!fs.existsSync(prebuiltBundlePath)) throw new ConfigError(`The workflow bundle ${prebuiltBundlePath} is missing: run \`npm run build\`.`);
  return { codePath: prebuiltBundlePath };
}

export type CreateWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** Prebuilt workflow bundle (tests build one per run); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: { codePath: string };
  identity?: string;
  /** Runs kept in memory between their tasks (TEMPORAL_MAX_CACHED_WORKFLOWS); unset: the SDK's default. */
  maxCachedWorkflows?: number;
  /** Where reminders and escalations go; without it mail is recorded as skipped. */
  notify?: NotifyOptions;
  /** The bucket attachments are kept in (ATTACHMENT_S3_BUCKET), whose unnamed objects the collector takes too. */
  attachmentsS3?: AttachmentS3Config | undefined;
  logger?: Logger;
};

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  await planner.warm();
  const stores = blobStores(options.db, options.attachmentsS3, options.logger ?? pino({ level: 'silent' }));
  const workerOptions: WorkerOptions = {
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({
      db: options.db,
      startDelivery,
      sendReplan,
      sendTransfer,
      collectBlobs: (graceSeconds) => collectBlobs(options.db, stores, graceSeconds),
      ...(options.notify ? { notify: options.notify } : {}),
    }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  };
  return Worker.create(workerOptions);
}

export async function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

/**
 * A worker as the configuration says: its task queue, and notifications through `smtpUrl` (the configured
 * server, or the dev command's mail catcher). The one construction every process entry uses.
 */
export async function createConfiguredWorker(
  config: Pick<Config, 'temporal' | 'http' | 'notify' | 'attachments'>,
  deps: { connection: NativeConnection; db: Database; smtpUrl: string | undefined; logger: Logger },
): Promise<{ worker: Worker; close(): void }> {
  const mailer = deps.smtpUrl ? createMailer(deps.smtpUrl) : undefined;
  const bundle = workflowBundleFor(config.temporal.workflowBundle);
  const worker = await createWorker({
    connection: deps.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: deps.db,
    ...(bundle ? { workflowBundle: bundle } : {}),
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
    attachmentsS3: config.attachments.s3,
    logger: deps.logger,
    notify: {
      publicUrl: config.http.publicUrl,
      mailer,
      mailFrom: config.notify.mailFrom,
      webhookFailureLimit: config.notify.webhookFailureLimit,
      webhookDisableAfterSeconds: config.notify.webhookDisableAfterSeconds,
      allowPrivateWebhookTargets: config.notify.webhookAllowPrivateTargets,
    },
  });
  return { worker, close: () => mailer?.close() };
}
