import { describe, expect, it } from 'vitest';
import { PrincipalCache } from '../../api/auth.js';
import type { Principal } from '../../services/index.js';

const someone: Principal = { userId: '00000000-0000-4000-8000-000000000001', name: 'Cán bộ', role: 'officer', agencyId: null };

describe('PrincipalCache', () => {
  const counting = () => {
    const tokens = new Map<string, Principal>([['good', someone]]);
    const asked: string[] = [];
    return { tokens, asked, lookup: async (t: string) => (asked.push(t), tokens.get(t)) };
  };

  it('asks the database again once its few seconds are over, so a revocation elsewhere takes effect', async () => {
    let now = 0;
    const db = counting();
    const cache = new PrincipalCache(db.lookup, 5_000, 100, () => now);
    expect(await cache.principalFor('good')).toEqual(someone);
    now = 4_999;
    expect(await cache.principalFor('good')).toEqual(someone);
    expect(db.asked).toEqual(['good']);
    db.tokens.delete('good'); // revoked by another process
    now = 5_000;
    expect(await cache.principalFor('good')).toBeUndefined();
    expect(db.asked).toEqual(['good', 'good']);
  });

  it('never keeps an unknown token, and forgets everything on clear()', async () => {
    const db = counting();
    const cache = new PrincipalCache(db.lookup);
    expect(await cache.principalFor('nobody')).toBeUndefined();
    expect(await cache.principalFor('nobody')).toBeUndefined();
    expect(db.asked).toEqual(['nobody', 'nobody']);
    await cache.principalFor('good');
    db.tokens.delete('good');
    cache.clear();
    expect(await cache.principalFor('good')).toBeUndefined();
  });

  it('does not keep an answer that was on its way while the cache was cleared', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const cache = new PrincipalCache(async () => (await gate, someone));
    const pending = cache.principalFor('good');
    cache.clear();
    release();
    expect(await pending).toEqual(someone);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries tokens, dropping the oldest', async () => {
    const cache = new PrincipalCache(async () => someone, 5_000, 2);
    for (const t of ['a', 'b', 'c']) await cache.principalFor(t);
    expect(cache.size).toBe(2);
  });
});
