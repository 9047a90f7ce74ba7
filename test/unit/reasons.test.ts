import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reasonIn } from '../../web/reasons.js';

/** Every reason the workflow's rules refuse with, as written in their sources (a `${…}` filled with a sample). */
function workflowReasons(): string[] {
  const dir = new URL('../../workflows/', import.meta.url);
  const source = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(new URL(f, dir), 'utf8'))
    .join('\n');
  const found = [...source.matchAll(/reject\(\s*FailureType\.\w+,\s*(['`])((?:(?!\1).)*)\1/g)].map((m) => m[2]!);
  return found.flatMap((text) => {
    // A conditional message in a template gives each of its branches.
    const branches = /^\$\{[^?]+\? `([^`]*)` : `([^`]*)`\}$/.exec(text);
    return (branches ? [branches[1]!, branches[2]!] : [text]).map((t) => t.replace(/\$\{(?:[^{}]|\{[^}]*\})*\}/g, 'R1'));
  });
}

describe('the reasons a page shows', () => {
  const reasons = workflowReasons();

  it('finds the workflow rules’ reasons', () => {
    expect(reasons.length).toBeGreaterThanOrEqual(20);
  });

  it.each(reasons)('shows "%s" in Vietnamese', (reason) => {
    const vi = reasonIn('vi', reason);
    expect(vi).not.toBe(reason);
    expect(vi).toMatch(/[ăâđêôơưàảãáạèẻẽéẹìỉĩíịòỏõóọùủũúụỳỷỹýỵ]/i);
  });

  it('shows a reason as it is on an English page, and an unknown one unchanged', () => {
    expect(reasonIn('en', 'Your agency has already reported for this period.')).toBe('Your agency has already reported for this period.');
    expect(reasonIn('vi', 'Something nobody wrote down.')).toBe('Something nobody wrote down.');
  });
});
