/**
 * Planning can never freeze anything (issue 30, finding 2): while the most expensive plan the doors accept is
 * computed, the API still answers `/healthz` at once. That plan is an explicit regime of 400 report days spread
 * over the ten years of the horizon, with the longest offsets accepted (five reminders and three rungs of 60
 * working days): every year of the calendar computed (date-holidays, some 50 ms a year the first time) and
 * 3,200 reminders and rungs counted day by day. Each round plans `PLANS` of them at once, either in the planner's
 * thread (the product: a fresh thread each round, so its holiday cache is cold, the dearest case) or on the event
 * loop (what the worker did before), while a thread of its own asks `/healthz` every 10 ms; rounds alternate.
 *
 * Bars: the p99 wait of `/healthz` while the plans run is at most a fifth of the time the plans take (measured in
 * the same round), and at most a third of the same p99 with the plans on the event loop.
 */
import { createPlanner } from '../../activities/planner.js';
import { WorkingCalendar } from '../../domain/calendar.js';
import type { PlanInput } from '../../domain/deadlines.js';
import { planSchedule } from '../../domain/schedule.js';
import { median, percentile, relativeBar, waitsWhile, type BenchModule } from './harness.js';
import { benchDatabase, startApiWithoutTemporal } from './system.js';

const PLANS = 3;

/** The dearest plan accepted: 400 explicit days, one every nine days or so up to ten years ahead, the longest offsets. */
function dearestPlan(): PlanInput {
  const now = Date.now();
  const span = 10 * 365 * 86_400_000 - 5 * 86_400_000;
  const days = Array.from({ length: 400 }, (_, i) => new Date(now + 86_400_000 + Math.floor((span * (i + 1)) / 400)).toISOString().slice(0, 10));
  const at = new Date(now).toISOString();
  return {
    issuedAt: at,
    from: at,
    dueAt: null,
    dueDate: days.at(-1)!,
    regime: { kind: 'explicit', dueDates: days },
    policy: {
      reminders: [{ workingDays: 60 }, { workingDays: 45 }, { workingDays: 30 }, { workingDays: 15 }, { workingDays: 0 }],
      escalations: [{ workingDays: 60 }, { workingDays: 60 }, { workingDays: 60 }],
    },
  };
}

export const plannerBench: BenchModule = {
  name: 'planner',
  async run(ctx) {
    const database = await benchDatabase('planner');
    const server = await startApiWithoutTemporal(database.handle.db);
    const input = dearestPlan();

    /** One round: the plans at once, liveness asked meanwhile; the p99 wait and how long the plans took. */
    const round = async (side: 'thread' | 'eventLoop') => {
      const planner = side === 'thread' ? createPlanner() : null;
      try {
        const started = performance.now();
        const { result, waits } = await waitsWhile(`${server.url}/healthz`, async () => {
          const plans = await Promise.all(
            Array.from({ length: PLANS }, async () => (planner ? planner.plan([], input) : planSchedule(new WorkingCalendar([]), input))),
          );
          if (plans.some((p) => p.deadlines.length !== 401)) throw new Error('a plan did not hold the 400 days and the final deadline');
          return performance.now() - started;
        });
        return { p99: percentile(waits, 99), max: Math.max(...waits), planMs: result, probes: waits.length };
      } finally {
        await planner?.close();
      }
    };
    try {
      await round('eventLoop');
      const rounds = ctx.quick ? 3 : 8;
      const threaded: Array<Awaited<ReturnType<typeof round>>> = [];
      const inline: Array<Awaited<ReturnType<typeof round>>> = [];
      for (let r = 0; r < rounds; r++) {
        for (const side of r % 2 ? (['eventLoop', 'thread'] as const) : (['thread', 'eventLoop'] as const)) {
          const got = await round(side);
          (side === 'thread' ? threaded : inline).push(got);
          ctx.log(`${side}: /healthz p99 ${got.p99.toFixed(1)} ms, max ${got.max.toFixed(0)} ms over ${got.probes} probes; ${PLANS} plans of 401 deadlines in ${got.planMs.toFixed(0)} ms`);
        }
      }
      const onLoop = median(inline.map((r) => r.p99));
      const note = `${PLANS} plans of 400 report days over ten years at once, a cold thread each round; on the event loop (warm holidays) /healthz p99 ${onLoop.toFixed(0)} ms, max ${Math.max(...inline.map((r) => r.max)).toFixed(0)} ms`;
      return [
        relativeBar('planner.healthz-p99', threaded.map((r) => [r.p99, r.planMs]), 'ms', 'ms the plans take', 0.2, 'atMost', note),
        relativeBar('planner.vs-event-loop', threaded.map((r, i) => [r.p99, inline[i]!.p99]), 'ms', 'ms, plans on the event loop', 1 / 3, 'atMost'),
      ];
    } finally {
      await server.close();
      await database.drop();
    }
  },
};
