/**
 * Reading the conclusion corpus (test/fixtures/conclusions/): each conclusion's text with the expectations written
 * by hand for it, and the agency directory they are matched against. The corpus test scores the parser on it;
 * the importer benchmark times the parser on its texts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DirectoryAgency } from '../../domain/conclusion/parse.js';

export const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'conclusions');

export type ExpectedTask = { opening: string; lead: string | null; addressee: string | null; dueDate: string | null; references: string[] };
export type Expectation = {
  title: string;
  province: string;
  form: string;
  heldOn: string;
  taskCount: { min: number; max: number };
  tasks: ExpectedTask[];
  notTasks: string[];
};
export type Fixture = { name: string; text: string; expected: Expectation };

function requireCorpus(): void {
  if (!fs.existsSync(CORPUS_DIR)) throw new Error(`The conclusion corpus is missing: ${CORPUS_DIR}`);
}

export function corpusDirectory(): DirectoryAgency[] {
  requireCorpus();
  const raw = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'directory.json'), 'utf8')) as { code: string; name: string; shortName: string | null; aliases?: string[] }[];
  return raw.map((a) => ({ id: a.code, code: a.code, name: a.name, shortName: a.shortName, ...(a.aliases ? { aliases: a.aliases } : {}) }));
}

export function loadCorpus(): Fixture[] {
  requireCorpus();
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => /^\d{2}-.*\.txt$/.test(f))
    .sort()
    .map((f) => ({
      name: f.replace(/\.txt$/, ''),
      text: fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8'),
      expected: JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, f.replace(/\.txt$/, '.json')), 'utf8')) as Expectation,
    }));
}
