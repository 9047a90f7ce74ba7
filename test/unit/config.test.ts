import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { vnEndOfDay as endOfDayInVietnam } from '../../domain/vn-time.js';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.temporal.address).toBeUndefined();
    expect(c.http.port).toBe(3000);
    expect(c.temporal.taskQueue).toBe('directives');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '  ' }).databaseUrl).toBeUndefined();
  });

  it('names every invalid variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud' });
    } catch (err) {
      expect(String(err)).toMatch(/PORT/);
      expect(String(err)).toMatch(/ADMIN_TOKEN/);
      expect(String(err)).toMatch(/LOG_LEVEL/);
    }
  });
});

describe('a calendar due date', () => {
  it('ends at 24:00 Vietnam time, which is 17:00 UTC of the same day', () => {
    expect(endOfDayInVietnam('2024-11-30').toISOString()).toBe('2024-11-30T17:00:00.000Z');
    expect(endOfDayInVietnam('2024-12-31').toISOString()).toBe('2024-12-31T17:00:00.000Z');
  });
});
