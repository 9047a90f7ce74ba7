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
