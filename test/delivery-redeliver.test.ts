import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DeliveryResult } from '../activities/notify/deliver.js';
import { redeliver, startDelivery } from '../temporal/client.js';
import { eventually, quietTemporalRuntime } from './support.js';

/**
 * The race a re-enabled webhook runs into: its rows go back to the outbox while the source's delivery run is
 * still going, after it has looked past them. The run must look again before it ends. The activity here is a
 * stand-in that waits to be released, so the moment is not left to chance.
 */
const taskQueue = `redeliver-${randomUUID()}`;
let connection: Connection;
let client: Client;
let workerConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const calls: string[] = [];
let release: (() => void) | undefined;

beforeAll(async () => {
  quietTemporalRuntime();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: {
      async deliverNotifications(input: { source: string }): Promise<DeliveryResult> {
        calls.push(input.source);
        // Only the first run of a held source waits.
        if (input.source.startsWith('held') && count(input.source) === 1) await new Promise<void>((resolve) => (release = resolve));
        return { sent: 1, failed: 0, skipped: 0 };
      },
      async composeDigests() {
        throw new Error('not used here');
      },
    },
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await workerConnection?.close();
  await connection?.close();
});

const count = (source: string) => calls.filter((s) => s === source).length;

describe('a delivery run told that rows came back', () => {
  it('looks again before it ends, once for the news, and a plain start while it runs joins it', async () => {
    const source = `held-${randomUUID()}`;
    await startDelivery(client, taskQueue, source);
    await eventually(async () => release, 10_000);
    await startDelivery(client, taskQueue, source);
    await redeliver(client, taskQueue, source);
    await redeliver(client, taskQueue, source);
    release!();
    const result = await client.workflow.getHandle(`notify:${source}`).result();
    expect(count(source)).toBe(2);
    expect(result).toEqual({ sent: 2, failed: 0, skipped: 0 });
  });

  it('starts a new run when the last one has ended', async () => {
    const source = `quick-${randomUUID()}`;
    await startDelivery(client, taskQueue, source);
    await client.workflow.getHandle(`notify:${source}`).result();
    expect(count(source)).toBe(1);
    await redeliver(client, taskQueue, source);
    await client.workflow.getHandle(`notify:${source}`).result();
    expect(count(source)).toBeGreaterThanOrEqual(2);
  });
});
