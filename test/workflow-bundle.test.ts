import fs from 'node:fs';
import { describe, expect, inject, it } from 'vitest';

/** The modules of the workflow bundle the worker runs (built once per run by global-setup.ts from workflows/index.ts). */
function bundledModules(): string[] {
  const code = fs.readFileSync(inject('workflowBundlePath'), 'utf8');
  // webpack names each module it bundles in a marker comment: /***/ "./domain/lists.ts"
  const modules = [...new Set([...code.matchAll(/\/\*{3}\/ "\.\/([^"]+)"/g)].map((m) => m[1]!))];
  if (modules.length === 0) throw new Error('no module markers found in the workflow bundle');
  return modules;
}

describe('the workflow bundle', () => {
  it('holds the workflows, the small domain rules and the engine\'s timers and recorder, and no calendar, planner, database, HTTP or validation library', () => {
    const modules = bundledModules();
    const project = modules.filter((m) => !m.startsWith('node_modules/'));
    expect(project).toEqual(expect.arrayContaining(['workflows/directive.ts', 'workflows/updates.ts', 'domain/timeliness.ts', 'domain/vn-time.ts']));
    expect(project.filter((s) => s.startsWith('domain/')).sort()).toEqual(
      ['domain/failures.ts', 'domain/lists.ts', 'domain/limits.ts', 'domain/policy.ts', 'domain/timeliness.ts', 'domain/vn-time.ts', 'domain/deadlines.ts', 'domain/confidential.ts', 'domain/horizon.ts'].sort(),
    );
    // The deadline engine's workflow half only: placing offsets on the calendar (engine/place.ts) is the planner's.
    expect(project.filter((s) => s.startsWith('engine/')).sort()).toEqual(['engine/recorder.ts', 'engine/timers.ts']);
    for (const forbidden of ['date-holidays', 'iso8601-duration', 'drizzle-orm', 'postgres', 'zod', 'hono', 'pino', 'nodemailer']) {
      expect(modules.filter((m) => m.startsWith(`node_modules/${forbidden}/`)), forbidden).toEqual([]);
    }
  });
});
