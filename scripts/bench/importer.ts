/**
 * The importer's speed (issue: a 200,000-character conclusion parses in ≤ 200 ms): the parser on the longest text
 * it accepts, built from the conclusion corpus (test/fixtures/conclusions: every form, prose and lists) repeated
 * to 200,000 characters, and from its paragraph-form speeches alone, the form that walks the most prose. Each
 * round parses the whole text against the corpus's directory after warm-up rounds, in this process.
 */
import { MAX_CONCLUSION_CHARS, parseConclusion } from '../../domain/conclusion/parse.js';
import { corpusDirectory, loadCorpus } from './conclusion-corpus.js';
import { fixedBar, type Bar, type BenchModule } from './harness.js';

const LIMIT_MS = 200;

/** Whole texts, one after another, to the limit: a conclusion of many conferences, as long as one can be. */
function upTo(texts: string[], chars: number): string {
  let out = '';
  for (let i = 0; ; i++) {
    const next = `${texts[i % texts.length]!}\n\n`;
    if (out.length + next.length > chars) return out;
    out += next;
  }
}

export const importerBench: BenchModule = {
  name: 'importer',
  async run(ctx) {
    const texts = loadCorpus();
    const directory = corpusDirectory();
    const shapes = [
      { bar: 'importer.corpus200k', text: upTo(texts.map((t) => t.text), MAX_CONCLUSION_CHARS), what: 'every form of the corpus' },
      {
        bar: 'importer.prose200k',
        text: upTo(texts.filter((t) => t.expected.form === 'paragraph').map((t) => t.text), MAX_CONCLUSION_CHARS),
        what: 'paragraph speeches only',
      },
    ];
    const rounds = ctx.quick ? 5 : 15;
    const bars: Bar[] = [];
    for (const shape of shapes) {
      for (let w = 0; w < 3; w++) parseConclusion(shape.text, { directory, referenceDate: '2025-10-15' });
      const ms: number[] = [];
      let drafts = 0;
      for (let r = 0; r < rounds; r++) {
        const started = performance.now();
        drafts = parseConclusion(shape.text, { directory, referenceDate: '2025-10-15' }).drafts.length;
        ms.push(performance.now() - started);
      }
      ctx.log(`${shape.bar}: ${shape.text.length} characters, ${drafts} drafts, ${ms.map((m) => m.toFixed(0)).join(' ')} ms`);
      bars.push(fixedBar(shape.bar, ms, 'ms', LIMIT_MS, `${shape.text.length.toLocaleString('en')} characters (${shape.what}), ${drafts} drafts, max ${Math.max(...ms).toFixed(0)} ms`));
    }
    return bars;
  },
};
