/**
 * One-shot setup of a real Temporal cluster (docker compose's `temporal-setup` service):
 * waits for the frontend, creates the namespace if missing and registers the search attributes
 * the workflows use, from the same definitions the dev server gets. Safe to run again.
 */
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { loadConfig, runMain } from '../config.js';
import { ensureBlobCollectionSchedule, ensureDigestSchedule } from '../temporal/client.js';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../workflows/search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;
const TYPES: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

async function retry<T>(fn: () => Promise<T>, attempts = 30, onRetry?: (attempt: number) => void): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      onRetry?.(i);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function connectWithRetry(address: string): Promise<Connection> {
  return retry(
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    },
    120,
    (i) => process.stdout.write(`waiting for Temporal at ${address} (${i})…\n`),
  );
}

async function main() {
  const config = loadConfig();
  const address = config.temporal.address ?? 'localhost:7233';
  const namespace = config.temporal.namespace;
  const connection = await connectWithRetry(address);
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('30 days'),
      });
      process.stdout.write(`created namespace ${namespace}\n`);
    }
    // A new namespace reaches every frontend through the namespace cache a few seconds later.
    await retry(async () => {
      const existing = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = SEARCH_ATTRIBUTE_DEFINITIONS.filter((sa) => !(sa.name in (existing.customAttributes ?? {})));
      if (missing.length > 0) {
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((sa) => [sa.name, TYPES[sa.type]!])),
        });
      }
    });
    process.stdout.write(`search attributes ready: ${SEARCH_ATTRIBUTE_DEFINITIONS.map((s) => s.name).join(', ')}\n`);
    await ensureDigestSchedule(new Client({ connection, namespace }), { taskQueue: config.temporal.taskQueue, ...config.notify.digestAt });
    await ensureBlobCollectionSchedule(new Client({ connection, namespace }), { taskQueue: config.temporal.taskQueue });
    process.stdout.write('unreferenced attachment blobs collected every hour (Schedule blob-collection)\n');
    process.stdout.write(`daily digest scheduled at ${config.notify.digestAt.hour}:${String(config.notify.digestAt.minute).padStart(2, '0')} Asia/Ho_Chi_Minh\n`);
  } finally {
    await connection.close();
  }
}

runMain(main);
