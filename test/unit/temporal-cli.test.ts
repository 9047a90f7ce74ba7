import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTemporalCli } from '../../scripts/temporal-server.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function executable(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\necho fake\n', { mode: 0o755 });
  return file;
}

const quiet = () => {};

describe('finding the Temporal CLI', () => {
  const onPath = executable(path.join(tmp, 'path-bin'), 'temporal');
  const inTools = executable(path.join(tmp, 'tools-bin'), 'temporal');
  const emptyTools = path.join(tmp, 'empty-tools');

  it('prefers $TEMPORAL_CLI, then PATH, then .tools/bin', () => {
    expect(resolveTemporalCli({ explicit: inTools, pathVar: path.dirname(onPath), toolsBin: emptyTools, log: quiet })).toBe(inTools);
    expect(resolveTemporalCli({ pathVar: path.dirname(onPath), toolsBin: path.dirname(inTools), log: quiet })).toBe(onPath);
    expect(resolveTemporalCli({ pathVar: path.join(tmp, 'nowhere'), toolsBin: path.dirname(inTools), log: quiet })).toBe(inTools);
  });

  it('refuses a $TEMPORAL_CLI that is not an executable file', () => {
    expect(() => resolveTemporalCli({ explicit: path.join(tmp, 'missing'), pathVar: '', log: quiet })).toThrow(/TEMPORAL_CLI/);
  });

  it('says how to get the CLI when it is nowhere and Go is not installed', () => {
    expect(() => resolveTemporalCli({ pathVar: path.join(tmp, 'nowhere'), toolsBin: emptyTools, log: quiet })).toThrow(
      /Go is not installed[\s\S]*TEMPORAL_CLI/,
    );
  });

  it('builds it with `go install` into .tools/bin when Go is there', () => {
    // A stand-in `go` that "installs" by writing the binary into $GOBIN, as the real one does.
    const goDir = path.join(tmp, 'go-bin');
    fs.mkdirSync(goDir, { recursive: true });
    fs.writeFileSync(
      path.join(goDir, 'go'),
      '#!/bin/sh\n[ "$1" = install ] || exit 2\necho "$2" > "$GOBIN/installed-module"\nprintf "#!/bin/sh\\n" > "$GOBIN/temporal"\nchmod +x "$GOBIN/temporal"\n',
      { mode: 0o755 },
    );
    const toolsBin = path.join(tmp, 'built-tools');
    const cli = resolveTemporalCli({ pathVar: goDir, toolsBin, log: quiet });
    expect(cli).toBe(path.join(toolsBin, 'temporal'));
    expect(fs.readFileSync(path.join(toolsBin, 'installed-module'), 'utf8').trim()).toBe('github.com/temporalio/cli/cmd/temporal@v1.5.1');
  });
});
