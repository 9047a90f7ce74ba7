import { describe, expect, it } from 'vitest';
import { eventually } from '../support.js';

describe('eventually, the one way a test waits for something asynchronous', () => {
  it('returns the first value that holds', async () => {
    let n = 0;
    expect(await eventually(async () => ++n, (v) => v >= 3)).toBe(3);
    expect(await eventually(async () => 'x')).toBe('x');
  });

  it('fails at its deadline with the last value it observed', async () => {
    let n = 0;
    await expect(eventually(async () => ++n, (v) => v > 1e9, 400)).rejects.toThrow(/^not within 0.4 s; last observed: \d+$/);
  });

  it('keeps the last value observed when the last probe is still running at the deadline', async () => {
    let n = 0;
    const probe = async () => {
      n++;
      if (n > 2) await new Promise(() => {});
      return n;
    };
    await expect(eventually(probe, (v) => v > 5, 800)).rejects.toThrow('last observed: 2 (the last probe was still running at the deadline)');
  });

  it('treats a probe that throws as not yet, and shows the error', async () => {
    await expect(
      eventually(async () => {
        throw new Error('no row yet');
      }, 300),
    ).rejects.toThrow('last observed: an error: Error: no row yet');
  });
});
