import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../http/serve.js';
import { MAX_CONCLUSION_CHARS } from '../../domain/conclusion/parse.js';
import { waitsWhile } from '../../scripts/bench/harness.js';
import { createUser, startWorld, type World } from '../support.js';

/**
 * The conclusion parser shares no event loop with everyone (review 2026-12, finding 19): the longest text a leader
 * may import takes up to a second or two of CPU; the process answers everyone else meanwhile. Over a real socket,
 * and liveness asked from a thread of its own: a client on the server's event loop would stall with it, and never
 * see the stall.
 */
let world: World;
let server: HttpServer;
beforeAll(async () => {
  world = await startWorld();
  server = await startHttpServer(world.app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server?.close();
  await world?.close();
});

/** Numbered tasks naming an agency, to the limit: five thousand drafts matched against the directory, a 2.5 MB answer. */
const ITEM = '1. Công an tỉnh chủ trì rà soát hồ sơ.\n';
const LONGEST = ITEM.repeat(Math.floor(MAX_CONCLUSION_CHARS / ITEM.length) - 1);

describe('a 200,000-character import', () => {
  it('leaves /healthz answering within a fraction of the import’s own time while two of them run', async () => {
    const leader = await createUser(world.db, { role: 'leader' });
    const started = performance.now();
    const importing = () =>
      fetch(`${server.url}/v1/conferences/import`, { method: 'POST', headers: { authorization: `Bearer ${leader}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: LONGEST }) }).then(async (res) => ({
        status: res.status,
        drafts: ((await res.json()) as { drafts?: unknown[] }).drafts?.length ?? 0,
        ms: performance.now() - started,
      }));
    const { result: answered, waits } = await waitsWhile(`${server.url}/healthz`, () => Promise.all([importing(), importing()]));
    for (const a of answered) {
      expect(a.status).toBe(200);
      expect(a.drafts).toBeGreaterThan(1000);
    }
    const quickest = Math.min(...answered.map((a) => a.ms));
    const longestWait = Math.max(...waits);
    expect(waits.length, 'liveness was asked while the imports ran').toBeGreaterThan(5);
    expect(longestWait, `the longest /healthz took ${longestWait.toFixed(0)} ms of an import's ${quickest.toFixed(0)} ms`).toBeLessThan(quickest / 4);
  }, 60_000);
});
