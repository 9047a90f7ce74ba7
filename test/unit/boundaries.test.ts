import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');
const run = promisify(execFile);

type Violation = { from: string; to: string; rule: { name: string } };

/** Runs the project's own boundary check over `dirs` of `cwd`, as `npm run lint` does. */
async function violations(cwd: string, dirs: string[]): Promise<Violation[]> {
  try {
    const { stdout } = await run(depcruise, ['--config', config, '--output-type', 'json', ...dirs], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } catch (err) {
    // depcruise exits non-zero when it finds errors; its JSON is still on stdout.
    const stdout = (err as { stdout?: string }).stdout;
    if (!stdout) throw err;
    return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  }
}

/** A small tree in the project's layout where each file breaks one rule, and the modules they reach. */
const OFFENDERS: Array<[file: string, code: string, rule: string]> = [
  ['domain/impure.ts', "import { x } from '../db/schema.js';\nexport const y = x;\n", 'domain-is-pure'],
  ['domain/lists.ts', "import Holidays from 'date-holidays';\nexport const h = Holidays;\n", 'workflow-safe-domain-imports-nothing'],
  ['workflows/plans-here.ts', "import { x } from '../domain/calendar.js';\nexport const y = x;\n", 'workflows-use-only-small-domain-rules'],
  ['workflows/reads-files.ts', "import fs from 'node:fs';\nexport const y = fs;\n", 'workflows-are-deterministic'],
  ['workflows/queries.ts', "import { x } from '../db/schema.js';\nexport const y = x;\n", 'workflows-do-no-io'],
  ['workflows/runs-activities.ts', "import { x } from '../activities/index.js';\nexport const y = x;\n", 'workflows-use-only-activity-types'],
  ['activities/calls-services.ts', "import { x } from '../services/index.js';\nexport const y = x;\n", 'activities-stay-below-services'],
  ['db/knows-http.ts', "import { x } from '../api/app.js';\nexport const y = x;\n", 'db-imports-only-domain'],
  ['services/calls-the-door.ts', "import { x } from '../api/app.js';\nexport const y = x;\n", 'services-below-the-doors'],
  ['api/runs-activities.ts', "import { x } from '../activities/index.js';\nexport const y = x;\n", 'api-only-through-services'],
  ['api/borrows.ts', "import { x } from './agencies.js';\nexport const y = x;\n", 'no-route-module-imports-another'],
  ['engine/knows-a-kind.ts', "import { x } from '../domain/calendar.js';\nexport const y = x;\n", 'engine-knows-no-kind'],
  ['engine/timers.ts', "import fs from 'node:fs';\nexport const y = fs;\n", 'workflow-safe-engine-imports-nothing'],
  ['workflows/places-offsets.ts', "import { x } from '../engine/place.js';\nexport const y = x;\n", 'workflows-use-only-safe-engine-parts'],
  ['activities/runs-workflows.ts', "import { x } from '../workflows/directive.js';\nexport const y = x;\n", 'activities-use-only-workflow-types'],
  ['api/pages.ts', "import { x } from '../web/app.js';\nexport const y = x;\n", 'the-doors-are-siblings'],
  ['web/builds-the-app.ts', "import { x } from '../http/app.js';\nexport const y = x;\n", 'only-the-host-builds-the-app'],
  ['http/shared/knows-a-door.ts', "import { x } from '../../api/app.js';\nexport const y = x;\n", 'the-shared-edge-sits-under-the-doors'],
  ['temporal/calls-services.ts', "import { x } from '../services/index.js';\nexport const y = x;\n", 'the-temporal-client-knows-only-workflow-contracts'],
  ['worker/uses-services.ts', "import { x } from '../services/index.js';\nexport const y = x;\n", 'worker-is-a-composition-root'],
  ['web/queries.ts', "import { x } from '../db/schema.js';\nexport const y = x;\n", 'web-only-through-services'],
  ['worker/serves.ts', "import { x } from '../api/app.js';\nexport const y = x;\n", 'worker-is-a-composition-root'],
  ['services/uses-tests.ts', "import { x } from '../test/support.js';\nexport const y = x;\n", 'product-never-imports-tests'],
  ['domain/egg.ts', "import { x } from './hen.js';\nexport const y = x;\n", 'no-circular'],
];
/** The other half of the cycle: dependency-cruiser reports a cycle once, from the module it met first. */
const PARTNERS: Array<[file: string, code: string]> = [['domain/hen.ts', "import { y } from './egg.js';\nexport const x = y;\n"]];
const TARGETS = [
  'db/schema.ts',
  'domain/calendar.ts',
  'activities/index.ts',
  'services/index.ts',
  'api/app.ts',
  'api/agencies.ts',
  'engine/place.ts',
  'workflows/directive.ts',
  'web/app.ts',
  'test/support.ts',
  'http/app.ts',
];

describe('the layer boundaries (dependency-cruiser, DESIGN.md §5)', () => {
  let tree: string;
  beforeAll(() => {
    tree = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
    for (const file of TARGETS) {
      fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      fs.writeFileSync(path.join(tree, file), 'export const x = 1;\n');
    }
    for (const [file, code] of [...OFFENDERS, ...PARTNERS]) {
      fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      fs.writeFileSync(path.join(tree, file), code);
    }
    fs.writeFileSync(path.join(tree, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    fs.writeFileSync(path.join(tree, 'package.json'), JSON.stringify({ type: 'module', dependencies: { 'date-holidays': '*' } }));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
  });
  afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

  it('hold in the code as it is', async () => {
    const found = await violations(root, ['engine', 'domain', 'workflows', 'activities', 'services', 'temporal', 'worker', 'api', 'web', 'http', 'db', 'scripts', 'config.ts', 'test']);
    expect(found).toEqual([]);
  });

  it('refuse each forbidden import, by the rule it breaks', async () => {
    const found = await violations(tree, ['engine', 'domain', 'workflows', 'activities', 'services', 'temporal', 'api', 'web', 'http', 'worker', 'db', 'test']);
    const broken = new Map(found.map((v) => [`${v.from} ${v.rule.name}`, v]));
    for (const [file, , rule] of OFFENDERS) expect(broken.has(`${file} ${rule}`), `${file} should break ${rule}`).toBe(true);
    // Nothing else in the tree is refused: each rule fires where it should and nowhere more.
    expect(found.filter((v) => !OFFENDERS.some(([file]) => file === v.from) && !(v.from === 'domain/hen.ts' && v.rule.name === 'no-circular'))).toEqual([]);
  });
});
