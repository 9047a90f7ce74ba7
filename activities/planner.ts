/**
 * Where deadlines are placed on the calendar: a worker thread, off the event loop that runs workflow tasks and,
 * in `npm run dev` and the demo, serves HTTP too. A year of the calendar costs some 50 ms to compute the first
 * time and a plan up to ten years ahead a few hundred; on the main thread that once held every request
 * (the security review's /healthz stall). One thread per process, shared by every worker in it; it ends when idle.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { CalendarOverride } from '../domain/calendar.js';
import { DEFAULT_POLICY, type Plan, type PlanInput, type PlannedDeadline, type ReplanInput } from '../domain/deadlines.js';
import type { PlannerOutcome, PlannerTask } from './planner-worker.js';

/** No accepted plan comes near it; one that does is refused for good rather than tried again and again. */
const PLAN_TIMEOUT_MS = 20_000;
/** A thread idle this long ends, and its holiday cache with it. */
const IDLE_MS = 10 * 60_000;

const compiled = import.meta.url.endsWith('.js');
const workerFile = new URL(`./planner-worker.${compiled ? 'js' : 'ts'}`, import.meta.url).href;
const sourceLoader = () => ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];

export type Planner = {
  /**
   * Starts the thread and has it compute this year's and next year's days off, so that the first directive a
   * worker plans does not wait for either (half a second, more on a busy machine, while its first workflow task
   * stays open and a read of the new directive waits for it).
   */
  warm(): Promise<void>;
  plan(overrides: CalendarOverride[], input: PlanInput): Promise<Plan>;
  replan(overrides: CalendarOverride[], input: ReplanInput): Promise<PlannedDeadline[]>;
  close(): Promise<void>;
};

/** A planner of its own thread (the benchmark's, which wants a cold one); the worker uses the process's one below. */
export function createPlanner(): Planner {
  let pool: Piscina<PlannerTask, PlannerOutcome> | undefined;
  const started = () =>
    (pool ??= new Piscina<PlannerTask, PlannerOutcome>({
      filename: workerFile,
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: IDLE_MS,
      execArgv: compiled ? [] : sourceLoader(),
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    }));

  /** A refusal (domain/horizon.ts) or a plan that ran out of time: the same input fails the same way, so no retry. */
  async function run(task: PlannerTask): Promise<PlannerOutcome> {
    let outcome: PlannerOutcome;
    try {
      outcome = await started().run(task, { signal: AbortSignal.timeout(PLAN_TIMEOUT_MS) });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'AbortError' || name === 'TimeoutError') throw ApplicationFailure.nonRetryable(`The plan took more than ${PLAN_TIMEOUT_MS / 1000} s`, 'PlanRefused');
      throw err;
    }
    if ('refused' in outcome) throw ApplicationFailure.nonRetryable(outcome.refused, 'PlanRefused');
    return outcome;
  }

  return {
    async warm() {
      const at = new Date().toISOString();
      const nextYear = `${Number(at.slice(0, 4)) + 1}-12-31`;
      const input: PlanInput = { issuedAt: at, from: at, dueAt: null, dueDate: nextYear, regime: { kind: 'none' }, policy: DEFAULT_POLICY };
      // A thread that cannot start says so at the first real plan, which is retried; the worker starts regardless.
      await run({ op: 'plan', overrides: [], input }).then(
        () => undefined,
        () => undefined,
      );
    },
    plan: async (overrides, input) => ((await run({ op: 'plan', overrides, input })) as { plan: Plan }).plan,
    replan: async (overrides, input) => ((await run({ op: 'replan', overrides, input })) as { deadlines: PlannedDeadline[] }).deadlines,
    close: async () => {
      await pool?.close();
      pool = undefined;
    },
  };
}

/** The process's planner: one thread shared by every worker in it, started (warm) as a worker is created, ended when idle. */
export const planner: Planner = createPlanner();
