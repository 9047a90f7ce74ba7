import { describe, expect, it } from 'vitest';
import { planSettingsFor } from '../../services/directive-reads.js';

const own = 'a0000000-0000-4000-8000-000000000001';
const other = 'a0000000-0000-4000-8000-000000000002';

describe('what a page of directives asks of the planner', () => {
  it('plans a search for its own phrase, never with a plan made for an earlier, commoner one', () => {
    expect(planSettingsFor(null, { q: 'tái định cư Bình Đức' })).toEqual([['plan_cache_mode', 'force_custom_plan']]);
  });
  it('walks an officer’s scope crossed with another agency without parallel workers', () => {
    expect(planSettingsFor([own], { agency: other })).toEqual([['max_parallel_workers_per_gather', '0']]);
  });
  it('sets both for a search crossed with another agency, and nothing for a page the server plans well', () => {
    expect(planSettingsFor([own], { q: 'rà soát', agency: other })).toHaveLength(2);
    expect(planSettingsFor([own], { agency: own })).toEqual([]);
    expect(planSettingsFor(null, { agency: other })).toEqual([]);
    expect(planSettingsFor([own], {})).toEqual([]);
  });
});
