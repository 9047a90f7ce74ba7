/**
 * Where a conclusion is parsed: a pool of worker threads, off the event loop every request shares. The longest text
 * accepted (200,000 characters) takes one to two seconds of CPU, which on the main thread would hold every other
 * request of the process (a /healthz, an officer's page) for as long.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { ConclusionInputError, parseConclusion, type ParseOptions, type ParseResult } from '../domain/conclusion/parse.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { ParseOutcome, ParseTask } from './conclusion-worker.js';

export type ConclusionParser = {
  /** The drafts of a text; a text the parser refuses throws ConclusionInputError, as parseConclusion does. */
  parse(text: string, options: ParseOptions): Promise<ParseResult>;
  close(): Promise<void>;
};

/** A parse that runs longer than this is stopped (its thread ends): no text accepted comes near it. */
const PARSE_TIMEOUT_MS = 30_000;

/** The compiled build runs the compiled worker; from the sources (tsx, vitest) the thread loads TypeScript through tsx. */
const compiled = import.meta.url.endsWith('.js');
const workerFile = new URL(`./conclusion-worker.${compiled ? 'js' : 'ts'}`, import.meta.url).href;
const sourceLoader = () => ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];

/**
 * Threads: one core left to the event loop, at most four. Tasks beyond what the threads and a short queue hold are
 * refused (503, retry), so a burst of imports cannot pile up memory; a thread idle for a minute ends.
 */
export function conclusionParserPool(threads = Math.max(1, Math.min(4, os.availableParallelism() - 1))): ConclusionParser {
  let pool: Piscina<ParseTask, ParseOutcome> | undefined;
  const started = () =>
    (pool ??= new Piscina<ParseTask, ParseOutcome>({
      filename: workerFile,
      minThreads: 0,
      maxThreads: threads,
      maxQueue: threads * 4,
      idleTimeout: 60_000,
      execArgv: compiled ? [] : sourceLoader(),
      // A parse holds its text, its folded copy and the drafts: far below this; a runaway one ends its thread, not the process.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    }));
  return {
    async parse(text, options) {
      let outcome: ParseOutcome;
      try {
        outcome = await started().run({ text, options }, { signal: AbortSignal.timeout(PARSE_TIMEOUT_MS) });
      } catch (err) {
        if ((err as Error).message?.includes('queue is at limit')) {
          throw new ServiceFailure(FailureType.Unavailable, 'Too many conclusions are being read at the moment; try again shortly.', 'parser-busy');
        }
        if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') {
          throw new ServiceFailure(FailureType.TooLarge, `The conclusion took more than ${PARSE_TIMEOUT_MS / 1000} s to read; import it in parts.`, 'conclusion-too-slow');
        }
        throw err;
      }
      if ('refused' in outcome) throw new ConclusionInputError(outcome.refused.code, outcome.refused.message);
      return JSON.parse(outcome.json) as ParseResult;
    },
    async close() {
      await pool?.close();
    },
  };
}

/** The parse on the calling thread: the import script's, and the benchmark's measure of what the pool spares. */
export const parserOnThisThread: ConclusionParser = {
  parse: async (text, options) => parseConclusion(text, options),
  close: async () => undefined,
};
