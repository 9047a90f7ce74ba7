import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../config.js';
import { sdkLogger } from '../../worker/sdk-logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ logLevel: 'info' }, 'worker', stream) };
}

/** What drizzle throws when the database drops a query: the parameters in its message and as a property. */
function failedQuery(): Error {
  const err = new Error('Failed query: update "notifications" set "lease_until" = $1\nparams: 30,event:abc:2,pending') as Error & Record<string, unknown>;
  err.query = 'update "notifications" set "lease_until" = $1';
  err.params = ['tok_4f1c9e-secret-hash', 'event:abc:2'];
  err.cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  return err;
}

describe('the Temporal SDK’s log lines in a worker', () => {
  it('go through the process logger, with a failed activity’s error but without its query parameters', () => {
    const { lines, logger } = capture();
    sdkLogger(logger).warn('Activity failed', { activityType: 'deliverNotifications', taskToken: 'CiRkNzRlN2QzMC05YThh', error: failedQuery() });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: number; msg: string; activityType: string; err: Record<string, unknown> };
    expect(entry).toMatchObject({ level: 40, msg: 'Activity failed', activityType: 'deliverNotifications' });
    expect(entry.err.message).toBe('Failed query: update "notifications" set "lease_until" = $1\nparams: [redacted]');
    expect(entry.err.params).toBeUndefined();
    expect(lines[0]).not.toContain('secret-hash');
    expect(lines[0]).not.toContain('event:abc:2');
    expect(lines[0]).not.toContain('CiRkNzRlN2QzMC05YThh');
  });

  it('keeps the SDK’s levels', () => {
    const { lines, logger } = capture();
    const sdk = sdkLogger(logger);
    sdk.debug('below the level');
    sdk.info('Worker state changed', { state: 'RUNNING' });
    sdk.log('ERROR', 'Worker failed');
    expect(lines.map((l) => (JSON.parse(l) as { level: number }).level)).toEqual([30, 50]);
  });
});
