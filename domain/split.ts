import { foldVietnamese } from './text.js';

/**
 * Splitting an agency ("chia tách"): each open directive goes to one successor. The admin may name the successor
 * of a directive outright; otherwise the first rule whose keyword the title contains decides (diacritics and
 * case ignored, whole words), and a directive no rule matches goes to the default successor. A title nobody may
 * match on (a confidential directive's, null) goes to the default successor: a rule that matched it would tell
 * the admin, by its keyword or only by the successor it picked, words of a title they may not read.
 */
export type SplitRule = { toAgencyId: string; keywords: string[] };
export type SplitChoice = { toAgencyId: string; by: 'admin' | 'rule' | 'default'; keyword: string | null };

const words = (s: string): string => ` ${foldVietnamese(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;

export function successorFor(title: string | null, rules: SplitRule[], defaultAgencyId: string, chosen?: string): SplitChoice {
  if (chosen) return { toAgencyId: chosen, by: 'admin', keyword: null };
  if (title === null) return { toAgencyId: defaultAgencyId, by: 'default', keyword: null };
  const text = words(title);
  for (const rule of rules) {
    const keyword = rule.keywords.find((k) => words(k).trim() !== '' && text.includes(words(k)));
    if (keyword !== undefined) return { toAgencyId: rule.toAgencyId, by: 'rule', keyword };
  }
  return { toAgencyId: defaultAgencyId, by: 'default', keyword: null };
}

/** The admin's rules as a form writes them: one line per successor, "CODE: keyword, keyword". */
export function parseSplitRules(text: string, agencyIdOf: (code: string) => string | undefined): { rules: SplitRule[]; errors: string[] } {
  const rules: SplitRule[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const colon = line.indexOf(':');
    const code = colon > 0 ? line.slice(0, colon).trim() : '';
    const id = code ? agencyIdOf(code) : undefined;
    const keywords = line
      .slice(colon + 1)
      .split(/[,;]/)
      .map((k) => k.trim())
      .filter(Boolean);
    if (colon <= 0 || keywords.length === 0) errors.push(`line ${i + 1}: "CODE: keyword, keyword"`);
    else if (!id) errors.push(`line ${i + 1}: no agency with code ${code}`);
    else rules.push({ toAgencyId: id, keywords });
  });
  return { rules, errors };
}
