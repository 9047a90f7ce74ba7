/**
 * What every benchmark shares: percentiles, the machine's noise, and the one line each bar prints.
 *
 * A bar is a ratio against a limit measured in the same run (raw workflow starts, a bare Hono app, the same
 * query written by hand) or against a fixed limit (100 ms, 2 s). Rounds alternate the product and its limit
 * so that a machine that slows down in the middle slows both. A bar fails when its ratio misses the bound by
 * more than the noise the run measured.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { performance } from 'node:perf_hooks';

export type Direction = 'atLeast' | 'atMost';

export type BenchContext = {
  /** CI's run: fewer and smaller rounds, the whole table under 3 minutes. */
  quick: boolean;
  /** Progress, on stderr. */
  log(line: string): void;
};
/** One benchmark: brings up what it needs, measures, takes it down, and returns its bars. */
export type BenchModule = { name: string; run(ctx: BenchContext): Promise<Bar[]> };

export type Bar = {
  /** e.g. `create.rate`. */
  name: string;
  /** The product's figure (median over rounds) and its unit. */
  figure: number;
  unit: string;
  /** What it is measured against: the same run's limit, or the bar's fixed number. */
  limit: number;
  limitLabel: string;
  /** figure ÷ limit must be ≥ (atLeast) or ≤ (atMost) this. */
  bound: number;
  direction: Direction;
  /** The ratio of each round. */
  rounds: number[];
  /** Relative spread of the limit's own rounds (0 when the limit is a fixed number). */
  limitNoise: number;
  note?: string;
};

export type Verdict = Bar & { ratio: number; noise: number; pass: boolean; load?: Load };

/**
 * What else the machine was doing while a benchmark ran: the load average at its end, and the share of every
 * core's time that processes other than this one (and the Temporal server it started) used over it. A bar that
 * fails under such load is reported with it, so that a busy machine is told apart from a slow product.
 */
export type Load = { loadAverage: number; cores: number; othersShare: number };

/** mulberry32, a small deterministic generator: two runs of a benchmark seed the same province. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A readable, deterministic UUID for seeded rows: `prefix` tells the tables apart, `n` the rows. */
export const uuidOf = (prefix: number, n: number) => `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** (max − min) ÷ median: how far apart the same measurement came out. */
export function spread(values: number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m;
}

/**
 * The machine's noise: the same fixed CPU task (hashing) timed again and again. Sampled before and between
 * benchmarks; its spread says how much a figure may move for reasons that are not the product's.
 */
export class NoiseMeter {
  private readonly samples: number[] = [];

  sample(times = 5): void {
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      let h = Buffer.alloc(64);
      for (let n = 0; n < 20_000; n++) h = createHash('sha256').update(h).digest();
      this.samples.push(performance.now() - t0);
    }
  }

  /** Never below 5 %: two timings of anything on a shared machine differ by that much. */
  get noise(): number {
    return Math.max(0.05, spread(this.samples));
  }

  get count(): number {
    return this.samples.length;
  }
}

/** A full collection, where the process was started with --expose-gc (`npm run bench` is); otherwise nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Waits until the machine is quiet enough to measure: PostgreSQL has written its dirty buffers (a checkpoint;
 * skipped where the role may not) and the load average of the last minute is under one busy core per two, for at
 * most `maxMs`. `npm test` ends with the quick run right after the suite, whose last minutes (two hundred
 * directives through a cluster, databases dropped) otherwise show up in the first benchmark's figures.
 */
export async function settle(adminUrl: string, log: (line: string) => void, maxMs = 90_000): Promise<void> {
  const started = Date.now();
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`checkpoint`;
  } catch {
    // Not a superuser: the checkpointer catches up on its own.
  } finally {
    await sql.end();
  }
  const busyCores = () => os.loadavg()[0]!;
  const quiet = os.cpus().length / 2;
  while (busyCores() > quiet && Date.now() - started < maxMs) await new Promise((r) => setTimeout(r, 2000));
  log(`machine settled in ${((Date.now() - started) / 1000).toFixed(0)} s (load ${busyCores().toFixed(2)}, quiet below ${quiet})`);
}

/** The noise a bar is judged with: the machine's or its limit's own spread, whichever is larger, at most 30 %. */
export function judge(bar: Bar, machineNoise: number): Verdict {
  const ratio = bar.figure / bar.limit;
  const noise = Math.min(0.3, Math.max(machineNoise, bar.limitNoise));
  const pass = bar.direction === 'atLeast' ? ratio >= bar.bound * (1 - noise) : ratio <= bar.bound * (1 + noise);
  return { ...bar, ratio, noise, pass };
}

/**
 * Starts watching the machine, once a second; the returned function stops and says what load it saw. "Ours" is
 * this process, its descendants (the Temporal server a benchmark starts) and PostgreSQL, which every benchmark
 * uses; everything else busy on the machine is "others".
 */
export function loadProbe(): () => Load {
  let others = 0;
  let total = 0;
  let last = { machine: machineCpu(), ours: ourCpu() };
  const tick = () => {
    const now = { machine: machineCpu(), ours: ourCpu() };
    const busy = now.machine.busy - last.machine.busy;
    // Only processes alive at both ticks are compared, so one that starts or ends in between counts as nobody's.
    let mine = 0;
    for (const [pid, cpu] of now.ours) mine += Math.max(0, cpu - (last.ours.get(pid) ?? cpu));
    others += Math.max(0, busy - mine);
    total += now.machine.total - last.machine.total;
    last = now;
  };
  const timer = setInterval(tick, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    tick();
    return { loadAverage: os.loadavg()[0]!, cores: os.cpus().length, othersShare: total > 0 ? others / total : 0 };
  };
}

/** CPU seconds so far of each process that is this one, a descendant of it, or PostgreSQL's, by pid. */
function ourCpu(): Map<number, number> {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  const postgresPids = new Set<number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return cpu;
  }
  for (const e of entries) {
    try {
      const raw = readFileSync(`/proc/${e}/stat`, 'utf8');
      const comm = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
      const fields = raw.slice(raw.lastIndexOf(') ') + 2).split(' ');
      const pid = Number(e);
      parents.set(pid, Number(fields[1]));
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
      if (comm === 'postgres') postgresPids.add(pid);
    } catch {
      // Gone between the listing and the read.
    }
  }
  const ours = new Map<number, number>();
  for (const [pid, seconds] of cpu) {
    let p: number | undefined = pid;
    for (let hops = 0; p && hops < 64; hops++, p = parents.get(p)) {
      if (p === process.pid || postgresPids.has(pid)) {
        ours.set(pid, seconds);
        break;
      }
    }
  }
  return ours;
}

export const formatLoad = (l: Load) => `load ${l.loadAverage.toFixed(2)} on ${l.cores} cores; other processes ${(l.othersShare * 100).toFixed(0)}% of the CPU`;

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

export function formatVerdict(v: Verdict): string {
  const rel = v.direction === 'atLeast' ? '≥' : '≤';
  const min = Math.min(...v.rounds);
  const max = Math.max(...v.rounds);
  return [
    v.pass ? 'PASS' : 'FAIL',
    v.name.padEnd(30),
    `${fmt(v.figure)} ${v.unit}`.padEnd(18),
    `vs ${fmt(v.limit)} ${v.limitLabel}`.padEnd(34),
    `ratio ${v.ratio.toFixed(2)} (bar ${rel} ${v.bound.toFixed(2)})`.padEnd(24),
    `rounds ${min.toFixed(2)}–${max.toFixed(2)} ×${v.rounds.length}`.padEnd(20),
    `noise ±${(v.noise * 100).toFixed(0)}%`,
    v.load ? `(${formatLoad(v.load)})` : '',
    v.note ? `  ${v.note}` : '',
  ].join('  ');
}

/** A fixed limit (ms, s, MB, events): figure ÷ limit must stay ≤ 1. */
export function fixedBar(name: string, values: number[], unit: string, limit: number, note?: string): Bar {
  return {
    name,
    figure: median(values),
    unit,
    limit,
    limitLabel: `${unit} (fixed)`,
    bound: 1,
    direction: 'atMost',
    rounds: values.map((v) => v / limit),
    limitNoise: 0,
    ...(note ? { note } : {}),
  };
}

/** A figure against a limit measured in the same rounds (`pairs`: [product, limit] per round). */
export function relativeBar(
  name: string,
  pairs: Array<[number, number]>,
  unit: string,
  limitLabel: string,
  bound: number,
  direction: Direction,
  note?: string,
): Bar {
  return {
    name,
    figure: median(pairs.map(([p]) => p)),
    unit,
    limit: median(pairs.map(([, l]) => l)),
    limitLabel,
    bound,
    direction,
    rounds: pairs.map(([p, l]) => p / l),
    limitNoise: spread(pairs.map(([, l]) => l)),
    ...(note ? { note } : {}),
  };
}

/** Runs `fn` with at most `concurrency` calls in flight until `count` calls are done; the latency of each. */
export async function pool(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const s = performance.now();
      await fn(i);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A client of its own: a thread with its own event loop asks `url` again and again, 10 ms apart, until told to stop. */
const PROBE = `const { parentPort, workerData } = require('node:worker_threads');
const waits = [];
let stop = false;
parentPort.on('message', () => (stop = true));
(async () => {
  while (!stop) {
    const asked = performance.now();
    const res = await fetch(workerData);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(workerData + ' answered ' + res.status);
    waits.push(performance.now() - asked);
    await new Promise((r) => setTimeout(r, 10));
  }
  parentPort.postMessage(waits);
})();`;

/**
 * How long each request to `url` (a liveness probe) waited while `work` ran, asked from a thread of its own: a
 * client on the server's own event loop would stall with it and never see the stall. The last request ends after
 * `work` does.
 */
export async function waitsWhile<T>(url: string, work: () => Promise<T>): Promise<{ result: T; waits: number[] }> {
  const prober = new Worker(PROBE, { eval: true, workerData: url });
  try {
    const waited = new Promise<number[]>((resolve, reject) => {
      prober.once('message', resolve);
      prober.once('error', reject);
    });
    const result = await work().finally(() => prober.postMessage('stop'));
    return { result, waits: await waited };
  } finally {
    await prober.terminate();
  }
}

/** `promise`, or a failure naming `what` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not reached in ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `check` returns true, failing after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 when it cannot be read. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

/** Where the CPU went between `start()` and `stop()`: this process (API, worker, benchmark) and the Temporal server. */
export function cpuSplit(temporalPid: number | undefined) {
  const t0 = { self: process.cpuUsage(), temporal: cpuSeconds(temporalPid), wall: performance.now(), machine: machineCpu() };
  return () => {
    const self = process.cpuUsage(t0.self);
    const wall = (performance.now() - t0.wall) / 1000;
    const temporal = cpuSeconds(temporalPid) - t0.temporal;
    const m = machineCpu();
    const busy = m.busy - t0.machine.busy;
    return `CPU over ${wall.toFixed(0)} s: node ${((self.user + self.system) / 1e6).toFixed(0)} s, Temporal server ${temporal.toFixed(0)} s, the whole machine ${busy.toFixed(0)} of ${(m.total - t0.machine.total).toFixed(0)} s`;
  };
}

/** Busy and total CPU seconds of the whole machine so far (every core), from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = fields.map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
  } catch {
    return { busy: 0, total: 0 };
  }
}
