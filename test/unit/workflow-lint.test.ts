import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });

async function problemsIn(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

describe('the lint rule that keeps workflow code deterministic', () => {
  it.each([
    ["import fs from 'node:fs';\nexport const x = fs;\n", 'a Node built-in'],
    ["import { z } from 'zod';\nexport const x = z;\n", 'zod'],
    ["import { Hono } from 'hono';\nexport const x = Hono;\n", 'hono'],
    ["import { createActivities } from '../activities/index.js';\nexport const x = createActivities;\n", 'a value from activities/'],
    ["import { openDatabase } from '../db/client.js';\nexport const x = openDatabase;\n", 'a value from db/'],
    ["import { loadConfig } from '../config.js';\nexport const x = loadConfig;\n", 'the config module'],
    ['export const x = () => process.env.X;\n', 'process'],
    ['export const x = () => setTimeout(() => {}, 1);\n', 'setTimeout'],
  ])('rejects %#: %s', async (code, _what) => {
    const ruleIds = await problemsIn('workflows/offender.ts', code);
    expect(ruleIds.some((r) => r === '@typescript-eslint/no-restricted-imports' || r === 'no-restricted-globals')).toBe(true);
  });

  it('allows type-only imports from activities/ and the Temporal workflow API', async () => {
    const code =
      "import type { Activities } from '../activities/index.js';\nimport { proxyActivities } from '@temporalio/workflow';\nexport const a = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });\n";
    expect(await problemsIn('workflows/fine.ts', code)).toEqual([]);
  });

  it('does not restrict the same imports outside workflows/', async () => {
    expect(await problemsIn('api/fine.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).toEqual([]);
  });
});
