/**
 * The conclusion parser shares no event loop with everyone (issue 30): while leaders import the longest conclusions
 * a text may be, the API still answers `/healthz` at once. Two APIs on the same database and directory, in this
 * process, differ only in where they parse: in the pool of worker threads (the product), or on the event loop (what
 * the product did before). Each round sends `IMPORTS` imports of 200,000 characters at once to one of them while a
 * thread of its own asks `/healthz` every 10 ms; rounds alternate the two.
 *
 * Bars: the p99 wait of `/healthz` under the imports is at most a fifth of the time an import takes (the limit
 * measured in the same round), and at most a third of the same p99 with the parse on the event loop. What is left on
 * the event loop is the answer's JSON (reading the thread's, writing the response's): some 30 ms an import.
 */
import { hashToken, newToken } from '../../db/bootstrap.js';
import { agencies, users } from '../../db/schema.js';
import { MAX_CONCLUSION_CHARS } from '../../domain/conclusion/parse.js';
import { conclusionParserPool, parserOnThisThread, type ConclusionParser } from '../../services/conclusion-parser.js';
import { corpusDirectory } from './conclusion-corpus.js';
import { median, percentile, relativeBar, waitsWhile, type BenchModule } from './harness.js';
import { benchDatabase, startApiWithoutTemporal } from './system.js';

const IMPORTS = 2;

/**
 * The costliest text a leader may send: numbered tasks that each name an agency, to the limit (five thousand
 * drafts matched against the directory, a 3 MB answer). The corpus's own texts, as long, parse in a third of the time.
 */
const ITEM = '1. Công an tỉnh chủ trì rà soát hồ sơ.\n';
const LONGEST = ITEM.repeat(Math.floor(MAX_CONCLUSION_CHARS / ITEM.length) - 1);

export const parserBench: BenchModule = {
  name: 'parser',
  async run(ctx) {
    const database = await benchDatabase('parser');
    const db = database.handle.db;
    // The import reads the directory and the caller's token; nothing reaches Temporal, which is never connected.
    await db.insert(agencies).values(corpusDirectory().map((a) => ({ code: a.code, name: a.name, shortName: a.shortName, aliases: a.aliases ?? [] })));
    const token = newToken();
    await db.insert(users).values({ name: 'Lãnh đạo thử', role: 'leader', tokenHash: hashToken(token) });
    const pool = conclusionParserPool();
    const serve = (parser: ConclusionParser) => startApiWithoutTemporal(db, parser);
    const servers = { pool: await serve(pool), eventLoop: await serve(parserOnThisThread) };
    const text = LONGEST;
    const body = JSON.stringify({ text, heldOn: '2025-10-15' });

    /** One round: the imports at once, liveness asked meanwhile; the p99 wait and the median import time. */
    const round = async (url: string) => {
      const started = performance.now();
      const { result, waits } = await waitsWhile(`${url}/healthz`, () =>
        Promise.all(
          Array.from({ length: IMPORTS }, async () => {
            const res = await fetch(`${url}/v1/conferences/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`an import answered ${res.status}`);
            return performance.now() - started;
          }),
        ),
      );
      return { p99: percentile(waits, 99), max: Math.max(...waits), importMs: median(result), probes: waits.length };
    };
    try {
      // Warm-up: the pool's thread started, both sides JIT-compiled.
      await round(servers.pool.url);
      await round(servers.eventLoop.url);
      const rounds = ctx.quick ? 3 : 8;
      const pooled: Array<Awaited<ReturnType<typeof round>>> = [];
      const inline: Array<Awaited<ReturnType<typeof round>>> = [];
      for (let r = 0; r < rounds; r++) {
        // The order flips each round, so a machine that slows part-way slows both.
        for (const side of r % 2 ? (['eventLoop', 'pool'] as const) : (['pool', 'eventLoop'] as const)) {
          const got = await round(servers[side].url);
          (side === 'pool' ? pooled : inline).push(got);
          ctx.log(`${side}: /healthz p99 ${got.p99.toFixed(0)} ms, max ${got.max.toFixed(0)} ms over ${got.probes} probes; ${IMPORTS} imports of ${text.length.toLocaleString('en')} characters in ${got.importMs.toFixed(0)} ms`);
        }
      }
      const onLoop = median(inline.map((r) => r.p99));
      const note = `${IMPORTS} imports of ${text.length.toLocaleString('en')} characters at once; with the parse on the event loop /healthz p99 ${onLoop.toFixed(0)} ms, max ${Math.max(...inline.map((r) => r.max)).toFixed(0)} ms`;
      return [
        relativeBar('parser.healthz-p99', pooled.map((r) => [r.p99, r.importMs]), 'ms', 'ms an import takes', 0.2, 'atMost', note),
        relativeBar('parser.vs-event-loop', pooled.map((r, i) => [r.p99, inline[i]!.p99]), 'ms', 'ms, parse on the event loop', 1 / 3, 'atMost'),
      ];
    } finally {
      await servers.pool.close();
      await servers.eventLoop.close();
      await pool.close();
      await database.drop();
    }
  },
};
