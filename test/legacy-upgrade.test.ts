import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createWorker } from '../worker/create-worker.js';
import { eventsOf, waitForEvents } from './lifecycle-support.js';
import { createAgency, createUser, expectProblem, inSeconds, json, pastSoon, soon, startWorld, type World } from './support.js';

/**
 * Directives started by the first release (before the `directive-lifecycle-v1` patch) had no messages: they
 * could never be acknowledged, completed or cancelled. A message now moves such a run onto the full
 * lifecycle, in the same run, and is then carried out there.
 */
const firstRelease = fileURLToPath(new URL('./fixtures/first-release/workflows.ts', import.meta.url));

let world: World;
let tmp: string;
let oldWorker: Worker | undefined;
let oldRun: Promise<void> | undefined;
let connection: NativeConnection;

beforeAll(async () => {
  world = await startWorld();
  // Only the first release serves the task queue while the directives start.
  await world.stopWorker();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'first-release-'));
  const { code } = await bundleWorkflowCode({ workflowsPath: firstRelease, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  fs.writeFileSync(path.join(tmp, 'bundle.js'), code);
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  oldWorker = await createWorker({ connection, namespace: 'default', taskQueue: world.taskQueue, db: world.db, workflowBundle: { codePath: path.join(tmp, 'bundle.js') } });
  oldRun = oldWorker.run();
});
afterAll(async () => {
  if (oldWorker?.getState() === 'RUNNING') oldWorker.shutdown();
  await oldRun;
  await connection?.close();
  await world?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a directive of the first release', () => {
  it('moves onto the full lifecycle at its first message: acknowledged, completed, or cancelled after going overdue', async () => {
    const supervisor = await createAgency(world.db, 'Ban Noi chinh');
    const lead = await createAgency(world.db, 'Cong an huyen', supervisor.id);
    const officer = await createUser(world.db, { role: 'officer', agencyId: lead.id });
    const reviewer = await createUser(world.db, { role: 'supervisor', agencyId: supervisor.id });
    const leader = await createUser(world.db, { role: 'leader' });
    const issue = async (title: string, dueAt: string) =>
      (await json(await world.call('POST', '/v1/directives', { token: leader, body: { title, leadAgency: lead.id, dueAt } }))).id as string;

    const open = await issue('Rà soát đơn thư tồn đọng (bản đầu)', inSeconds(3600));
    const late = await issue('Kiểm tra việc thi hành án (bản đầu)', soon());
    await waitForEvents(world, open, (e) => e.some((x) => x.type === 'issued'));
    await waitForEvents(world, late, (e) => e.some((x) => x.type === 'overdue'), pastSoon(0, 21));
    const history = await world.client.workflow.getHandle(`directive-${open}`).fetchHistory();
    expect(JSON.stringify(history.events)).not.toContain('directive-lifecycle-v1');

    // The new release takes over the task queue.
    oldWorker!.shutdown();
    await oldRun;
    await world.startWorker();

    const acknowledged = await world.call('POST', `/v1/directives/${open}/acknowledgements`, { token: officer });
    expect(acknowledged.status).toBe(200);
    expect(await json(acknowledged)).toMatchObject({ status: 'in_progress', timeliness: 'open_on_time' });
    // The message is checked by the lifecycle's own rules once the run has moved: a second one is refused.
    expectProblem(await world.call('POST', `/v1/directives/${open}/acknowledgements`, { token: officer }), 409);
    expect((await world.call('POST', `/v1/directives/${open}/completion`, { token: officer, body: { summary: 'Đã rà soát xong' } })).status).toBe(200);
    const reviewed = await world.call('POST', `/v1/directives/${open}/completion/review`, { token: reviewer, body: { accept: true } });
    expect(await json(reviewed)).toMatchObject({ status: 'completed', timeliness: 'completed_on_time' });
    expect((await eventsOf(world, open)).map((e) => e.type)).toEqual([
      'issued',
      'replanned',
      'acknowledged',
      'completion_submitted',
      'completion_reviewed',
    ]);
    const [, upgrade] = await eventsOf(world, open);
    expect(upgrade!.data).toMatchObject({ reason: 'lifecycle_upgrade', deadlines: [{ key: 'final', kind: 'final' }] });

    const cancelled = await world.call('POST', `/v1/directives/${late}/cancellation`, { token: leader, body: { reason: 'Nhiệm vụ đã được thay thế' } });
    expect(cancelled.status).toBe(200);
    expect(await json(cancelled)).toMatchObject({ status: 'cancelled' });
    // Its deadline had passed under the first release, which recorded it; the lifecycle does not record it again.
    expect((await eventsOf(world, late)).map((e) => e.type)).toEqual(['issued', 'overdue', 'replanned', 'cancelled']);
    await expect(world.client.workflow.getHandle(`directive-${late}`).result()).resolves.toMatchObject({ status: 'cancelled' });
  }, 120_000);
});
