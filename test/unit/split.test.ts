import { describe, expect, it } from 'vitest';
import { parseSplitRules, successorFor } from '../../domain/split.js';

/** Which successor takes each open directive when an agency is split. */
const rules = [
  { toAgencyId: 'ytế', keywords: ['y tế', 'bệnh viện'] },
  { toAgencyId: 'xãhội', keywords: ['lao động', 'bảo trợ'] },
];

describe('splitting an agency', () => {
  it('takes the admin’s choice first, then the first rule whose keyword the title holds, then the default', () => {
    expect(successorFor('Nâng cấp Bệnh viện đa khoa', rules, 'def', 'xãhội')).toEqual({ toAgencyId: 'xãhội', by: 'admin', keyword: null });
    expect(successorFor('Nâng cấp BENH VIEN đa khoa', rules, 'def')).toEqual({ toAgencyId: 'ytế', by: 'rule', keyword: 'bệnh viện' });
    expect(successorFor('Giải quyết việc làm cho người lao động; y tế cơ sở', rules, 'def')).toEqual({ toAgencyId: 'ytế', by: 'rule', keyword: 'y tế' });
    expect(successorFor('Chi trả trợ cấp bảo trợ xã hội', rules, 'def').toAgencyId).toBe('xãhội');
    expect(successorFor('Quy hoạch đô thị', rules, 'def')).toEqual({ toAgencyId: 'def', by: 'default', keyword: null });
  });

  it('matches no rule on a title nobody may read (a confidential one): the admin’s choice, else the default', () => {
    expect(successorFor(null, rules, 'def')).toEqual({ toAgencyId: 'def', by: 'default', keyword: null });
    expect(successorFor(null, rules, 'def', 'ytế')).toEqual({ toAgencyId: 'ytế', by: 'admin', keyword: null });
  });

  it('matches whole words only', () => {
    // "y tế" must not match inside "quy tếch" nor "lao" inside "laos".
    expect(successorFor('Đề án quy tếch', rules, 'def').toAgencyId).toBe('def');
    expect(successorFor('Hợp tác với Laos động lực', [{ toAgencyId: 'x', keywords: ['lao'] }], 'def').toAgencyId).toBe('def');
  });

  it('reads the form’s rules line by line and names each bad line', () => {
    const codes: Record<string, string> = { SYT: 'ytế', SLDTBXH: 'xãhội' };
    expect(parseSplitRules('SYT: y tế, bệnh viện\n\nSLDTBXH: lao động; bảo trợ', (c) => codes[c])).toEqual({ rules, errors: [] });
    const bad = parseSplitRules('SYT y tế\nXYZ: a\nSYT:', (c) => codes[c]);
    expect(bad.rules).toEqual([]);
    expect(bad.errors).toHaveLength(3);
    expect(bad.errors[1]).toContain('XYZ');
  });
});
