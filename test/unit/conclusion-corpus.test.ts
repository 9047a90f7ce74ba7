import { describe, expect, it } from 'vitest';
import { parseConclusion } from '../../domain/conclusion/parse.js';
import { EXAMPLE_CONCLUSION } from '../../scripts/demo/example.js';
import { corpusDirectory, formatScore, loadCorpus, scoreCorpus } from '../conclusion-corpus.js';

/**
 * The importer against conclusions as provinces publish them (test/fixtures/conclusions/): each fixture's
 * expectations were written by hand from its text, independently of the parser. The score is printed; the
 * suite fails under 90 % of the expected tasks found or over 10 % of the drafts spurious.
 */
describe('the conclusion corpus', () => {
  const fixtures = loadCorpus();
  const score = scoreCorpus(fixtures, corpusDirectory());

  it('holds at least twelve conclusions of different provinces, years and forms', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
    expect(new Set(fixtures.map((f) => f.expected.province)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(fixtures.map((f) => f.expected.heldOn.slice(0, 4))).size).toBeGreaterThanOrEqual(3);
    const forms = new Set(fixtures.map((f) => f.expected.form));
    for (const form of ['paragraph', 'grouped', 'timeframe', 'report-then-tasks', 'numbered', 'lettered', 'bulleted', 'mixed']) expect(forms).toContain(form);
  });

  it('finds at least 90 % of the expected tasks with at most 10 % spurious drafts', () => {
    process.stdout.write(`conclusion corpus:\n${formatScore(score, true)}\n`);
    expect(score.foundRate).toBeGreaterThanOrEqual(0.9);
    expect(score.spuriousRate).toBeLessThanOrEqual(0.1);
  });

  it('suggests the lead, the addressee, the deadline and the references of the tasks it finds', () => {
    const rate = ([a, b]: [number, number]) => a / b;
    expect(rate(score.lead)).toBeGreaterThanOrEqual(0.85);
    expect(rate(score.addressee)).toBeGreaterThanOrEqual(0.85);
    expect(rate(score.due)).toBeGreaterThanOrEqual(0.85);
    expect(rate(score.references)).toBeGreaterThanOrEqual(0.85);
  });

  it('takes none of the praise, results and shortcomings of an assessment for a task', () => {
    expect(score.fixtures.flatMap((f) => f.assessmentTaken.map((p) => `${f.name}: ${p}`))).toEqual([]);
  });

  it('keeps every draft on its own span of the text', () => {
    for (const f of score.fixtures) {
      let end = 0;
      for (const d of f.result.drafts) {
        expect(d.span.start).toBeGreaterThanOrEqual(end);
        expect(f.result.text.slice(d.span.start, d.span.end)).toBe(d.body);
        end = d.span.end;
      }
      expect(f.result.passages.length).toBeGreaterThan(0);
    }
  });

  it('still reads the example conference exactly: six tasks', () => {
    const r = parseConclusion(EXAMPLE_CONCLUSION.read(), { referenceDate: '2024-10-11' });
    expect(r.drafts.map((d) => d.marker)).toEqual(['(1)', '(2)', '(3)', '(4)', '(5)', '(6)']);
    expect(r.statedCount).toBe(6);
  });
});
