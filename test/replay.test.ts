import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { quietTemporalRuntime } from './support.js';

quietTemporalRuntime();

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories', () => {
  it('are committed for replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  // A replay that fails means the current workflow code would break running directives:
  // guard the change with patched() instead of re-recording.
  it.each(files)('%s replays on the current workflow code without nondeterminism', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file),
    ).resolves.toBeUndefined();
  });

  // A history the release drill (npm run faults) left stuck: under load the worker delivered the first
  // planSchedule result in the workflow task after the one whose history holds its marker, and the code then asked
  // patched('record-as-local-activity') lazily. Replay delivers that result a task earlier, before the server has
  // told the code the patch is there, takes the remote branch and fails; the run is stuck at its next task.
  const stuck = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'first-record-next-task');
  it('could not replay a run whose first record followed its first local result into the next task, while patches were asked lazily', async () => {
    const history = JSON.parse(fs.readFileSync(path.join(stuck, 'lazy-patches-stuck.json'), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, 'stuck')).rejects.toThrow(
      /record-as-local-activity/,
    );
  });
  it('replays the same history as a run decided in its first activation writes it (local-activities-from-start)', async () => {
    const history = JSON.parse(fs.readFileSync(path.join(stuck, 'local-from-start.json'), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, 'from-start')).resolves.toBeUndefined();
  });

  it('detects a workflow change that would break a running directive', async () => {
    const history = JSON.parse(fs.readFileSync(path.join(dir, 'directive-issued-then-overdue.json'), 'utf8'));
    // Swapping the first scheduled activity for another makes the recorded history inconsistent with the code.
    const tampered = structuredClone(history);
    const scheduled = tampered.events.find((e: any) => e.activityTaskScheduledEventAttributes);
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, tampered, 'tampered'),
    ).rejects.toThrow(/[Nn]ondetermin/);
  });
});
