/**
 * The conclusion corpus (test/fixtures/conclusions/): conclusions of different provinces, years and forms, each
 * with what a careful reader takes from it, written by hand. `scoreCorpus` parses each against the corpus's
 * directory and scores the drafts against those expectations.
 */
import { type DirectoryAgency, type DraftDirective, parseConclusion, type ParseResult } from '../domain/conclusion/parse.js';
import { foldVietnamese } from '../domain/text.js';
import { corpusDirectory, type ExpectedTask, type Fixture, loadCorpus } from '../scripts/bench/conclusion-corpus.js';

export { corpusDirectory, loadCorpus };

const tokens = (s: string): string[] => foldVietnamese(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * A draft is the expected task when the task's first four words open the draft (within its first eight words,
 * so a lead-in the draft kept does not hide it), or the draft's first three words stand within the task's
 * opening (the draft started a little later, after its subject).
 */
export function sameTask(draft: DraftDirective, task: ExpectedTask): boolean {
  const d = tokens(draft.body).slice(0, 40);
  const o = tokens(task.opening);
  const need = o.slice(0, 4);
  for (let i = 0; i <= Math.min(8, d.length - need.length); i++) if (need.every((w, k) => d[i + k] === w)) return true;
  const head = d.slice(0, 3);
  if (head.length < 3) return false;
  for (let i = 0; i <= Math.min(4, o.length - 3); i++) if (head.every((w, k) => o[i + k] === w)) return true;
  return false;
}

export type FixtureScore = {
  name: string;
  form: string;
  expected: number;
  found: number;
  drafts: number;
  spurious: string[];
  missed: string[];
  assessmentTaken: string[];
  lead: [number, number];
  addressee: [number, number];
  due: [number, number];
  references: [number, number];
  countInRange: boolean;
  result: ParseResult;
};

export function scoreFixture(fx: Fixture, directory: DirectoryAgency[]): FixtureScore {
  const result = parseConclusion(fx.text, { directory, referenceDate: fx.expected.heldOn });
  const used = new Set<number>();
  const lead: [number, number] = [0, 0];
  const addressee: [number, number] = [0, 0];
  const due: [number, number] = [0, 0];
  const references: [number, number] = [0, 0];
  const missed: string[] = [];
  for (const task of fx.expected.tasks) {
    const k = result.drafts.findIndex((d, i) => !used.has(i) && sameTask(d, task));
    if (k === -1) {
      missed.push(task.opening);
      continue;
    }
    used.add(k);
    const d = result.drafts[k]!;
    if (task.lead !== null) {
      lead[1]++;
      if (d.leadAgency?.code === task.lead) lead[0]++;
    }
    if (task.addressee !== null) {
      addressee[1]++;
      const want = tokens(task.addressee).join(' ');
      const got = tokens(d.addressee?.text ?? '').join(' ');
      if (got !== '' && (got.includes(want) || want.includes(got))) addressee[0]++;
    }
    if (task.dueDate !== null) {
      due[1]++;
      if (d.deadline?.dueDate === task.dueDate) due[0]++;
    }
    for (const ref of task.references) {
      references[1]++;
      if (d.references.some((r) => foldVietnamese(r.ref).includes(foldVietnamese(ref)))) references[0]++;
    }
  }
  const spurious = result.drafts.filter((_, i) => !used.has(i)).map((d) => d.body.slice(0, 80));
  const assessmentTaken = fx.expected.notTasks.filter((phrase) => result.drafts.some((d) => d.body.includes(phrase)));
  return {
    name: fx.name,
    form: fx.expected.form,
    expected: fx.expected.tasks.length,
    found: fx.expected.tasks.length - missed.length,
    drafts: result.drafts.length,
    spurious,
    missed,
    assessmentTaken,
    lead,
    addressee,
    due,
    references,
    countInRange: result.drafts.length >= fx.expected.taskCount.min && result.drafts.length <= fx.expected.taskCount.max,
    result,
  };
}

export type CorpusScore = {
  fixtures: FixtureScore[];
  expected: number;
  found: number;
  drafts: number;
  spurious: number;
  foundRate: number;
  spuriousRate: number;
  lead: [number, number];
  addressee: [number, number];
  due: [number, number];
  references: [number, number];
};

const add = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];

export function scoreCorpus(fixtures: Fixture[] = loadCorpus(), directory: DirectoryAgency[] = corpusDirectory()): CorpusScore {
  const scores = fixtures.map((fx) => scoreFixture(fx, directory));
  const sum = (f: (s: FixtureScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const expected = sum((s) => s.expected);
  const found = sum((s) => s.found);
  const drafts = sum((s) => s.drafts);
  const spurious = sum((s) => s.spurious.length);
  return {
    fixtures: scores,
    expected,
    found,
    drafts,
    spurious,
    foundRate: expected === 0 ? 0 : found / expected,
    spuriousRate: drafts === 0 ? 0 : spurious / drafts,
    lead: scores.reduce((a, s) => add(a, s.lead), [0, 0] as [number, number]),
    addressee: scores.reduce((a, s) => add(a, s.addressee), [0, 0] as [number, number]),
    due: scores.reduce((a, s) => add(a, s.due), [0, 0] as [number, number]),
    references: scores.reduce((a, s) => add(a, s.references), [0, 0] as [number, number]),
  };
}

const pct = ([a, b]: [number, number]) => (b === 0 ? 'n/a' : `${a}/${b} (${((100 * a) / b).toFixed(0)}%)`);

export function formatScore(s: CorpusScore, detail = false): string {
  const lines = [
    `fixture                                     form               expected found drafts spurious`,
    ...s.fixtures.map(
      (f) =>
        `${f.name.padEnd(44)}${f.form.padEnd(19)}${String(f.expected).padStart(8)}${String(f.found).padStart(6)}${String(f.drafts).padStart(7)}${String(f.spurious.length).padStart(9)}` +
        (detail ? [...f.missed.map((m) => `\n    missed: ${m}`), ...f.spurious.map((m) => `\n    spurious: ${m}`), ...f.assessmentTaken.map((m) => `\n    assessment taken: ${m}`)].join('') : ''),
    ),
    `found ${s.found}/${s.expected} (${(100 * s.foundRate).toFixed(1)}%), spurious ${s.spurious}/${s.drafts} drafts (${(100 * s.spuriousRate).toFixed(1)}%); ` +
      `lead ${pct(s.lead)}, addressee ${pct(s.addressee)}, due date ${pct(s.due)}, references ${pct(s.references)}`,
  ];
  return lines.join('\n');
}
