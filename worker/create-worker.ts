import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type NotifyOptions } from '../activities/index.js';
import { createMailer } from '../activities/notify/mailer.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { startDelivery } from '../services/temporal.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export type CreateWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** Prebuilt workflow bundle (tests build one per run); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: { codePath: string };
  identity?: string;
  /** Where reminders and escalations go; without it mail is recorded as skipped. */
  notify?: NotifyOptions;
};

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const workerOptions: WorkerOptions = {
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({ db: options.db, startDelivery, ...(options.notify ? { notify: options.notify } : {}) }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    ...(options.identity ? { identity: options.identity } : {}),
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
  config: Pick<Config, 'temporal' | 'http' | 'notify'>,
  deps: { connection: NativeConnection; db: Database; smtpUrl: string | undefined },
): Promise<{ worker: Worker; close(): void }> {
  const mailer = deps.smtpUrl ? createMailer(deps.smtpUrl) : undefined;
  const worker = await createWorker({
    connection: deps.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: deps.db,
    notify: {
      publicUrl: config.http.publicUrl,
      mailer,
      mailFrom: config.notify.mailFrom,
      webhookFailureLimit: config.notify.webhookFailureLimit,
      webhookDisableAfterSeconds: config.notify.webhookDisableAfterSeconds,
    },
  });
  return { worker, close: () => mailer?.close() };
}
