import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config.js';
import { createWorker } from '../worker/create-worker.js';
import { openDatabase } from '../db/client.js';
import type { Database } from '../db/database.js';
import { startEphemeralTemporalServer } from './temporal-server.js';

export type Scratch = { db: Database; client: Client; taskQueue: string };

/**
 * A throwaway system for scripts: a Temporal dev server in memory, PGlite in memory with the migrations,
 * and a worker on `taskQueue`; everything is stopped when `fn` settles.
 */
export async function withScratchSystem<T>(taskQueue: string, fn: (s: Scratch) => Promise<T>): Promise<T> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startEphemeralTemporalServer({ explicitCli: config.temporal.cli, pathVar: config.systemPath });
  const database = await openDatabase({ pgliteDir: undefined });
  await database.migrate();
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({ connection: workerConnection, namespace: 'default', taskQueue, db: database.db });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  try {
    return await fn({ db: database.db, client, taskQueue });
  } finally {
    worker.shutdown();
    await running;
    await workerConnection.close();
    await client.connection.close();
    await database.close();
    await server.stop();
  }
}
