import { describe, expect, it } from 'vitest';
import { SESSION_SETTINGS } from '../../db/client.js';
import { planSettingsFor } from '../../services/directive-reads.js';

const own = 'a0000000-0000-4000-8000-000000000001';
const other = 'a0000000-0000-4000-8000-000000000002';

describe('what a page of directives asks of the planner', () => {
  it('plans every statement for its own values, never with a plan made for an earlier, commoner one', () => {
    expect(SESSION_SETTINGS).toEqual({ plan_cache_mode: 'force_custom_plan' });
  });
  it('walks an officer’s scope crossed with another agency without parallel workers', () => {
    expect(planSettingsFor([own], { agency: other })).toEqual([['max_parallel_workers_per_gather', '0']]);
  });
  it('sets nothing for a page the server plans well', () => {
    expect(planSettingsFor([own], { agency: own })).toEqual([]);
    expect(planSettingsFor(null, { agency: other })).toEqual([]);
    expect(planSettingsFor([own], {})).toEqual([]);
  });
});
