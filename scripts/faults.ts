/**
 * Faults on the production topology (scripts/cluster.ts), each bounded in time and checked to the event:
 * a worker SIGKILLed and restarted while the other runs, the Temporal history service and then the whole
 * server restarted, PostgreSQL cut for 30 s behind a TCP proxy, and a new release (a patched() change)
 * replacing the workers under open directives. Every scenario issues directives over HTTP whose reminders,
 * deadlines and escalations fall due during the fault, then counts what the read model recorded and what the
 * SMTP sink received (by Message-ID) against what each directive must have.
 *
 * `npm run faults` runs the full scenarios and prints the table; the test suite runs them shortened.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import pMap from 'p-map';
import postgres from 'postgres';
import { loadConfig, runMain } from '../config.js';
import { writeWorkflowBundle } from './build.js';
import { startCluster, type Cluster } from './cluster.js';
import { workflowIdFor } from '../workflows/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Say = (line: string) => void;

/** A TCP proxy the test owns between the app processes and PostgreSQL: cut() drops every connection and refuses new ones. */
export class DatabaseProxy {
  private server: net.Server;
  private sockets = new Set<net.Socket>();
  private cutUntil = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (Date.now() < this.cutUntil) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.once('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  /** Cuts the database off for `ms`: open connections are reset, new ones closed at once. */
  cut(ms: number): void {
    this.cutUntil = Date.now() + ms;
    for (const s of this.sockets) s.destroy();
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export type FaultRow = {
  fault: string;
  directives: number;
  expected: number;
  recorded: number;
  duplicated: number;
  lost: number;
  mails: number;
  /** Arrivals of a Message-ID beyond the one, and beyond a resend after an attempt in doubt: never allowed. */
  mailsDuplicated: number;
  /**
   * Arrivals again after an attempt in doubt: its worker was killed between the SMTP server's acceptance and
   * the row marked sent, so the row was sent again, under the same Message-ID (a receiving system drops it).
   */
  mailsResent: number;
  mailsLost: number;
  wrongEndState: number;
  convergeSeconds: number;
  notes: string;
  /** Worker processes SIGKILLed during the scenario. */
  kills: number;
  /** What Temporal holds for the first directives that never got where they must (empty when all did). */
  stuck: string[];
  /**
   * Histories of the scenario's directives that fail to replay on the release that wrote them: a workflow that
   * behaves differently on replay than live, found even where no worker happened to replay it.
   */
  replayFailures: number;
};

/**
 * How many mails one SIGKILL may leave in doubt (accepted by the sink, not yet marked sent, so sent again): the
 * deliveries in flight at that instant, a handful; more would mean mails resent without cause.
 */
export const RESENT_PER_KILL = 10;

/** Whether a scenario ended with every event and mail where it must be. */
const withinBounds = (r: FaultRow): boolean =>
  r.duplicated + r.lost + r.mailsDuplicated + r.mailsLost + r.wrongEndState + r.replayFailures === 0 && r.mailsResent <= RESENT_PER_KILL * r.kills;

/** Directives' timing on a compressed clock: a reminder before the deadline, three escalations after it. */
export type Timing = { reminderSeconds: number; escalationSeconds: [number, number, number] };
const TIMING: Timing = { reminderSeconds: 15, escalationSeconds: [5, 10, 15] };

type Org = { runId: string; leaderToken: string; officerTokens: string[]; leadCodes: string[]; secrets: string[] };

class Api {
  private next = 0;
  constructor(
    private readonly urls: string[],
    private readonly token: string,
  ) {}

  /** A request to one of the APIs in turn, retried through a fault (503, a refused connection) with its key. */
  async call(method: string, url: string, options: { token?: string; body?: unknown; key?: string; retryFor?: number } = {}): Promise<Response> {
    const until = Date.now() + (options.retryFor ?? 120_000);
    for (;;) {
      const base = this.urls[this.next++ % this.urls.length]!;
      try {
        const res = await fetch(`${base}${url}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token ?? this.token}`,
            ...(options.body ? { 'content-type': 'application/json' } : {}),
            ...(options.key ? { 'idempotency-key': options.key } : {}),
          },
          ...(options.body ? { body: JSON.stringify(options.body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
        if (res.status < 500 || Date.now() > until) return res;
        await res.body?.cancel();
      } catch (err) {
        if (Date.now() > until) throw err;
      }
      await sleep(500);
    }
  }

  async json(method: string, url: string, options: Parameters<Api['call']>[2] = {}): Promise<Record<string, string>> {
    const res = await this.call(method, url, options);
    const body = (await res.json()) as Record<string, string>;
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }
}

/** A supervising agency, three lead agencies under it, an officer with a mailbox in each, a supervisor and a leader. */
async function prepareOrg(api: Api): Promise<Org> {
  const runId = randomUUID().slice(0, 6).toUpperCase();
  const supervisor = await api.json('POST', '/v1/agencies', { body: { code: `BNC-${runId}`, name: 'Ban Nội chính Tỉnh ủy' } });
  const leadCodes: string[] = [];
  const officerTokens: string[] = [];
  for (const [i, name] of ['Công an tỉnh', 'Viện kiểm sát nhân dân tỉnh', 'Tòa án nhân dân tỉnh'].entries()) {
    const code = `L${i + 1}-${runId}`;
    const agency = await api.json('POST', '/v1/agencies', { body: { code, name, supervisorId: supervisor.id } });
    leadCodes.push(code);
    const officer = await api.json('POST', '/v1/users', {
      body: { name: `Cán bộ ${name}`, email: `officer${i + 1}-${runId.toLowerCase()}@tinh.test`, role: 'officer', agencyId: agency.id },
      key: `officer-${runId}-${i}`,
    });
    officerTokens.push(officer.token as string);
  }
  const sup = await api.json('POST', '/v1/users', {
    body: { name: 'Chuyên viên Ban Nội chính', email: `supervisor-${runId.toLowerCase()}@tinh.test`, role: 'supervisor', agencyId: supervisor.id },
    key: `supervisor-${runId}`,
  });
  const leader = await api.json('POST', '/v1/users', {
    body: { name: 'Phó Bí thư Tỉnh ủy', email: `leader-${runId.toLowerCase()}@tinh.test`, role: 'leader' },
    key: `leader-${runId}`,
  });
  return { runId, leaderToken: leader.token as string, officerTokens, leadCodes, secrets: [sup.token as string, leader.token as string, ...officerTokens] };
}

type Issued = { id: string; dueAt: number; lead: number; acknowledged: boolean };

/** Issues `n` directives, 16 at a time over every API, due between `firstDue` and `firstDue + spread`. */
async function issue(api: Api, org: Org, n: number, firstDue: number, spreadMs: number, timing: Timing, options: { acknowledging: boolean } = { acknowledging: true }): Promise<Issued[]> {
  const issued: Issued[] = [];
  const batch = randomUUID().slice(0, 8);
  let i = 0;
  const policy = {
    reminders: [{ duration: `PT${timing.reminderSeconds}S` }],
    escalations: timing.escalationSeconds.map((s) => ({ duration: `PT${s}S` })),
  };
  const one = async () => {
    while (i < n) {
      const k = i++;
      const dueAt = firstDue + Math.round((spreadMs * k) / Math.max(1, n - 1));
      const lead = k % org.leadCodes.length;
      const body = await api.json('POST', '/v1/directives', {
        token: org.leaderToken,
        key: `fault-${batch}-${k}`,
        body: { title: `Nhiệm vụ kiểm thử sự cố số ${k + 1}: rà soát, đôn đốc giải quyết đơn thư tồn đọng`, leadAgency: org.leadCodes[lead], dueAt: new Date(dueAt).toISOString(), policy },
      });
      // Every fourth is acknowledged by its agency while the fault runs: an Update that must land once.
      issued.push({ id: body.id as string, dueAt, lead, acknowledged: options.acknowledging && k % 4 === 1 });
    }
  };
  await Promise.all(Array.from({ length: 16 }, one));
  return issued;
}

async function acknowledgeAll(api: Api, org: Org, directives: Issued[]): Promise<void> {
  let i = 0;
  const todo = directives.filter((d) => d.acknowledged);
  const one = async () => {
    while (i < todo.length) {
      const d = todo[i++]!;
      // The read model may trail a directive issued a moment ago (its agency's scope is checked there): 404 until then.
      let res = await api.call('POST', `/v1/directives/${d.id}/acknowledgements`, { token: org.officerTokens[d.lead]!, key: `ack-${d.id}` });
      for (const until = Date.now() + 60_000; res.status === 404 && Date.now() < until; ) {
        await res.body?.cancel();
        await sleep(1000);
        res = await api.call('POST', `/v1/directives/${d.id}/acknowledgements`, { token: org.officerTokens[d.lead]!, key: `ack-${d.id}` });
      }
      // A retry after the first landed is refused as a repeat: acknowledged either way.
      if (res.status >= 300 && res.status !== 409) throw new Error(`acknowledging ${d.id}: ${res.status} ${await res.text()}`);
      await res.body?.cancel();
    }
  };
  await Promise.all(Array.from({ length: 8 }, one));
}

/** What each directive must have recorded by the end: issued, its reminder, overdue, three escalations, and its acknowledgement. */
function expectedOf(d: Issued): Record<string, number> {
  return { issued: 1, reminder_due: 1, overdue: 1, 'escalated:1': 1, 'escalated:2': 1, 'escalated:3': 1, ...(d.acknowledged ? { acknowledged: 1 } : {}) };
}

type Tally = { expected: number; recorded: number; duplicated: number; lost: number; mails: number; mailsDuplicated: number; mailsResent: number; mailsLost: number; wrongEndState: number; unsent: number };
/** The directives that have not got where they must, with what they lack. */
type StuckDirective = { missing: string[]; state: string; dueAt: number };
type Stuck = Map<string, StuckDirective>;

async function tally(sql: postgres.Sql, mailDir: string, directives: Issued[], stuck: Stuck = new Map()): Promise<Tally> {
  const ids = directives.map((d) => d.id);
  const rows = await sql<{ directive_id: string; key: string; n: number }[]>`
    select directive_id, case when type = 'escalated' then 'escalated:' || (data->'escalation'->>'level') else type end as key, count(*)::int as n
    from directive_events where directive_id = any(${ids}::uuid[]) group by 1, 2`;
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = counts.get(r.directive_id) ?? new Map<string, number>();
    m.set(r.key, r.n);
    counts.set(r.directive_id, m);
  }
  const t: Tally = { expected: 0, recorded: 0, duplicated: 0, lost: 0, mails: 0, mailsDuplicated: 0, mailsResent: 0, mailsLost: 0, wrongEndState: 0, unsent: 0 };
  for (const d of directives) {
    const got = counts.get(d.id) ?? new Map<string, number>();
    const missing: string[] = [];
    for (const [key, want] of Object.entries(expectedOf(d))) {
      const n = got.get(key) ?? 0;
      t.expected += want;
      t.recorded += Math.min(n, want);
      t.duplicated += Math.max(0, n - want);
      t.lost += Math.max(0, want - n);
      if (n < want) missing.push(key);
    }
    if (missing.length > 0) stuck.set(d.id, { missing, state: '', dueAt: d.dueAt });
  }
  const states = await sql<{ id: string; status: string; timeliness: string; escalation_level: number }[]>`
    select id, status, timeliness, escalation_level from directives where id = any(${ids}::uuid[])`;
  const byId = new Map(states.map((s) => [s.id, s]));
  for (const d of directives) {
    const s = byId.get(d.id);
    const status = d.acknowledged ? 'in_progress' : 'issued';
    if (!s || s.status !== status || s.timeliness !== 'open_overdue' || s.escalation_level !== 3) {
      t.wrongEndState++;
      const state = s ? `${s.status}/${s.timeliness}/level ${s.escalation_level}` : 'no row';
      stuck.set(d.id, { missing: stuck.get(d.id)?.missing ?? [], state, dueAt: d.dueAt });
    }
  }
  const mails = await sql<{ id: string; status: string; resent_in_doubt: number }[]>`
    select id, status, resent_in_doubt from notifications where directive_id = any(${ids}::uuid[]) and channel = 'email'`;
  const received = messageIds(mailDir);
  for (const m of mails) {
    const n = received.get(`<${m.id}@directive-tracker>`) ?? 0;
    t.mails++;
    if (m.status !== 'sent') t.unsent++;
    if (n === 0) t.mailsLost++;
    const allowed = 1 + m.resent_in_doubt;
    t.mailsResent += Math.max(0, Math.min(n, allowed) - 1);
    t.mailsDuplicated += Math.max(0, n - allowed);
  }
  return t;
}

/** Message-IDs of every message the SMTP sink kept, with how many times each arrived. */
function messageIds(dir: string): Map<string, number> {
  const seen = new Map<string, number>();
  if (!fs.existsSync(dir)) return seen;
  for (const file of fs.readdirSync(dir)) {
    const id = messageIdOf(path.join(dir, file));
    if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return seen;
}

/**
 * The sink writes each message once and never changes it: a file whose id was found is not read again however
 * often we count (one caught mid-write, without its headers yet, is read again next time).
 */
const idByFile = new Map<string, string>();
function messageIdOf(file: string): string | undefined {
  const known = idByFile.get(file);
  if (known) return known;
  const head = fs.readFileSync(file, 'utf8').split(/\r?\n\r?\n/, 1)[0] ?? '';
  const id = /^message-id:\s*(\S+)/im.exec(head)?.[1];
  if (id) idByFile.set(file, id);
  return id;
}

async function converge(sql: postgres.Sql, mailDir: string, directives: Issued[], lastInstant: number, timeoutMs: number): Promise<{ t: Tally; seconds: number; stuck: Stuck }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stuck: Stuck = new Map();
    const t = await tally(sql, mailDir, directives, stuck);
    const done = t.lost === 0 && t.wrongEndState === 0 && t.unsent === 0 && t.mailsLost === 0 && t.mails > 0;
    if (done || Date.now() > deadline) return { t, seconds: Math.max(0, (Date.now() - lastInstant) / 1000), stuck };
    await sleep(2000);
  }
}

export type ScenarioOptions = {
  directives: number;
  spreadSeconds: number;
  timing?: Timing;
  say?: Say;
  kills?: number;
  /** The workflow bundle the scenario's workers end on, to replay its histories against (default: the release's). */
  bundle?: string;
};

type Env = { cluster: Cluster; api: Api; sql: postgres.Sql; proxy: DatabaseProxy; org: Org; say: Say; last?: Issued[] };

/** Resident memory of a process, from /proc (Linux), in MiB. */
function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `use` with a Temporal client of its own, closed after. */
async function withTemporal<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

/** The figures the README sizes a cluster from, measured on a scenario's directives once they converged. */
export type Sizing = { directives: number; sampled: number; eventsPerRun: number; bytesPerRun: number; timersPerRun: number; workersBaselineMiB: number; workersPeakMiB: number };

async function measureSizing(env: Env, baseline: number, peak: number): Promise<Sizing> {
  const directives = env.last ?? [];
  const sample = directives.filter((_, i) => i % Math.max(1, Math.floor(directives.length / 20)) === 0).slice(0, 20);
  let events = 0;
  let bytes = 0;
  let timers = 0;
  await withTemporal(env.cluster.temporalAddress, async (client) => {
    for (const d of sample) {
      const handle = client.workflow.getHandle(workflowIdFor(d.id));
      const description = await handle.describe();
      events += description.historyLength;
      bytes += description.historySize ?? 0;
      timers += ((await handle.fetchHistory()).events ?? []).filter((e) => e.timerStartedEventAttributes).length;
    }
  });
  const n = Math.max(1, sample.length);
  return { directives: directives.length, sampled: sample.length, eventsPerRun: Math.round(events / n), bytesPerRun: Math.round(bytes / n), timersPerRun: Math.round((timers / n) * 10) / 10, workersBaselineMiB: Math.round(baseline), workersPeakMiB: Math.round(peak) };
}

/** Issues the directives, runs `fault` while their instants fall due, and counts until everything converged. */
async function scenario(env: Env, fault: string, opts: ScenarioOptions, during: (window: { start: number; end: number; directives: Issued[] }) => Promise<string>): Promise<FaultRow> {
  const timing = opts.timing ?? TIMING;
  const say = opts.say ?? env.say;
  // Leave time to issue them all (about 10 a second here) before the first reminder falls due.
  const firstDue = Date.now() + Math.max(20_000, opts.directives * 200) + timing.reminderSeconds * 1000 + 10_000;
  const spread = opts.spreadSeconds * 1000;
  say(`${fault}: issuing ${opts.directives} directives due over ${opts.spreadSeconds} s from ${new Date(firstDue).toISOString()}`);
  const directives = await issue(env.api, env.org, opts.directives, firstDue, spread, timing);
  const issuedBy = Date.now();
  if (issuedBy > firstDue - timing.reminderSeconds * 1000) say(`${fault}: issuing ran past the first reminder (${((issuedBy - firstDue) / 1000).toFixed(1)} s)`);
  const window = { start: firstDue - timing.reminderSeconds * 1000, end: firstDue + spread + timing.escalationSeconds[2] * 1000, directives };
  const acks = acknowledgeAll(env.api, env.org, directives);
  const notes = await during(window);
  await acks;
  // Deliveries an attempt held when its worker died wait for their lease and the retry's backoff.
  const { t, seconds, stuck } = await converge(env.sql, env.cluster.mail.dir, directives, window.end, Math.max(240_000, directives.length * 600));
  env.last = directives;
  // A directive that never got there is described from its own history, so a failed run says why.
  const described = stuck.size > 0 ? await diagnose(env.cluster.temporalAddress, [...stuck].slice(0, 5), env.cluster.logDir) : [];
  const replay = await replayAll(env, directives, opts.bundle ?? path.join(env.cluster.releaseDir, 'dist', 'workflows', 'bundle.js'));
  const row: FaultRow = {
    fault,
    directives: directives.length,
    ...t,
    convergeSeconds: Math.round(seconds * 10) / 10,
    notes,
    kills: opts.kills ?? 0,
    stuck: [...described, ...replay.failures],
    replayFailures: replay.failures.length,
  };
  say(`${fault}: ${JSON.stringify(row)}`);
  return row;
}

/**
 * What Temporal holds for each stuck directive: its run's status, pending work, task failures (the one its
 * describe reports last, which history keeps only for a first attempt) and last events. Each history is saved
 * beside the logs (`stuck-<workflow id>.json`) so it can be replayed against the code.
 */
function diagnose(address: string, stuck: Array<[string, StuckDirective]>, logDir: string): Promise<string[]> {
  return withTemporal(address, async (client) => {
    const lines: string[] = [];
    for (const [id, { missing, state, dueAt }] of stuck) {
      const handle = client.workflow.getHandle(workflowIdFor(id));
      try {
        const d = await handle.describe();
        const history = await handle.fetchHistory();
        const events = history.events ?? [];
        fs.writeFileSync(path.join(logDir, `stuck-${handle.workflowId}.json`), historyToJSON(history));
        const kinds = events.map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes'))?.replace(/EventAttributes$/, '') ?? '?');
        const failures = events.flatMap((e) =>
          e.workflowTaskFailedEventAttributes ? [(e.workflowTaskFailedEventAttributes.failure?.message ?? '').slice(0, 300)] : e.workflowTaskTimedOutEventAttributes ? ['timed out'] : [],
        );
        const pending = d.raw.pendingActivities?.map((a) => `${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure?.message ?? ''}`) ?? [];
        const wft = d.raw.pendingWorkflowTask ? `pending task attempt ${d.raw.pendingWorkflowTask.attempt}` : 'no pending task';
        const lastFailure = d.raw.pendingWorkflowTask ? lastTaskFailure(logDir, d.runId) : '';
        lines.push(
          `${id} (due ${new Date(dueAt).toISOString()}) lacks [${missing.join(', ')}]${state ? ` ends ${state}` : ''}; run ${d.status.name}, ${events.length} events, ${wft}; ` +
            `task failures ${failures.length}${failures.length ? ` (${[...new Set(failures)].join(' | ')})` : ''}${lastFailure ? `; last logged: ${lastFailure}` : ''}; pending activities [${pending.join('; ')}]; last events ${kinds.slice(-8).join(' ')}`,
        );
      } catch (err) {
        lines.push(`${id} lacks [${missing.join(', ')}]: its workflow cannot be read (${String(err)})`);
      }
    }
    return lines;
  });
}

/**
 * Replays every directive's history on the bundle its workers ran, in this process; each one that fails is saved
 * beside the logs (`replay-<workflow id>.json`) and named with its error.
 */
async function replayAll(env: Env, directives: Issued[], bundle: string): Promise<{ failures: string[] }> {
  installQuietRuntime();
  return withTemporal(env.cluster.temporalAddress, async (client) => {
    const histories = await pMap(directives, async (d) => {
      const workflowId = workflowIdFor(d.id);
      return { workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() };
    }, { concurrency: 8 });
    const byId = new Map(histories.map((h) => [h.workflowId, h.history]));
    const failures: string[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: bundle } }, histories)) {
      if (!r.error) continue;
      fs.writeFileSync(path.join(env.cluster.logDir, `replay-${r.workflowId}.json`), historyToJSON(byId.get(r.workflowId)!));
      failures.push(`${r.workflowId} does not replay: ${String(r.error).slice(0, 400)}`);
    }
    return { failures };
  });
}

/** Replays run in this process: keep the SDK's own chatter out of the figures. */
function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by this process.
  }
}

/** The last workflow task failure a worker logged for a run: retried attempts reach only the worker's log. */
function lastTaskFailure(logDir: string, runId: string): string {
  let last = '';
  for (const file of fs.readdirSync(logDir).filter((f) => f.endsWith('.log'))) {
    for (const line of fs.readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      if (line.includes(runId) && /Failing workflow task/i.test(line)) last = `${file}: ${(/message: \\?"([^"\\]*)/.exec(line)?.[1] ?? line).slice(0, 400)}`;
    }
  }
  return last;
}

const at = async (instant: number) => sleep(Math.max(0, instant - Date.now()));
const randomIn = (start: number, end: number) => start + Math.random() * (end - start);

export async function workerCrashes(env: Env, opts: ScenarioOptions & { kills: number }): Promise<FaultRow> {
  return scenario(env, `worker SIGKILL ×${opts.kills}`, opts, async ({ start, end }) => {
    const moments = Array.from({ length: opts.kills }, () => randomIn(start, end)).sort((a, b) => a - b);
    const victim = env.cluster.workers[0]!;
    const downtimes: string[] = [];
    for (const moment of moments) {
      await at(moment);
      const t0 = Date.now();
      victim.kill('SIGKILL');
      await victim.exited();
      await sleep(500 + Math.random() * 1500);
      await victim.start();
      downtimes.push(((Date.now() - t0) / 1000).toFixed(1));
    }
    return `killed ${victim.name} ${opts.kills}×, back after ${downtimes.join(', ')} s`;
  });
}

export async function temporalRestarts(env: Env, opts: ScenarioOptions): Promise<FaultRow> {
  return scenario(env, 'Temporal history, then whole server, restarted', opts, async ({ start, end }) => {
    const { temporal } = env.cluster;
    await at(start + (end - start) * 0.25);
    const t0 = Date.now();
    await temporal.history.stop();
    await sleep(5000);
    await temporal.history.start();
    const history = (Date.now() - t0) / 1000;
    await at(start + (end - start) * 0.6);
    const t1 = Date.now();
    await env.cluster.stopTemporal();
    await sleep(5000);
    await env.cluster.startTemporal();
    return `history down ${history.toFixed(1)} s; whole server down ${((Date.now() - t1) / 1000).toFixed(1)} s`;
  });
}

export async function databaseOutage(env: Env, opts: ScenarioOptions & { outageSeconds: number }): Promise<FaultRow> {
  return scenario(env, `PostgreSQL cut ${opts.outageSeconds} s`, opts, async ({ start, end }) => {
    await at(start + (end - start) * 0.3);
    env.proxy.cut(opts.outageSeconds * 1000);
    const cutAt = Date.now();
    const probes: { status: number; type: string; ms: number }[] = [];
    let readyDuring = 0;
    const restoredAt = cutAt + opts.outageSeconds * 1000;
    while (Date.now() < restoredAt - 2000) {
      for (const url of env.cluster.apiUrls) {
        const t0 = Date.now();
        const res = await fetch(`${url}/v1/directives?overdue=true`, { headers: { authorization: `Bearer ${env.cluster.adminToken}` }, signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
        // An answer that arrives once the database is back is not an answer given during the outage.
        if (Date.now() < restoredAt) probes.push({ status: res?.status ?? 0, type: res?.headers.get('content-type') ?? '', ms: Date.now() - t0 });
        await res?.body?.cancel();
        const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
        if (ready?.ok && Date.now() < restoredAt) readyDuring++;
        await ready?.body?.cancel();
      }
      await sleep(1000);
    }
    const bad = probes.filter((p) => p.status !== 503 || !p.type.startsWith('application/problem+json'));
    const slowest = Math.max(...probes.map((p) => p.ms));
    if (bad.length > 0 || readyDuring > 0) {
      throw new Error(`during the outage: ${bad.length} of ${probes.length} reads not 503 problem+json (${JSON.stringify(bad.slice(0, 3))}); /readyz ready ${readyDuring}×`);
    }
    return `${probes.length} reads during the outage: all 503 problem+json, slowest ${slowest} ms; /readyz not ready`;
  });
}

/** The drill's next release: the same workflows, with a patched() change at the start of a directive's run. */
export const RELEASE_DRILL_WORKFLOWS = path.join(root, 'scripts', 'cluster', 'release-drill', 'workflows.ts');

export async function newRelease(env: Env, opts: ScenarioOptions & { bundleDir: string }): Promise<FaultRow> {
  const v2 = path.join(opts.bundleDir, 'workflow-bundle-v2.js');
  installQuietRuntime();
  await writeWorkflowBundle(RELEASE_DRILL_WORKFLOWS, v2);
  return scenario(env, 'new release (patched) under open directives', { ...opts, bundle: v2 }, async ({ start, directives }) => {
    // The old release runs until the directives are open and waiting; then the new one replaces it.
    await at(start - 5000);
    const next = env.cluster.workers.map((w, i) => env.cluster.appProcess('worker', `worker-v2-${i + 1}`, { TEMPORAL_WORKFLOW_BUNDLE: v2 }));
    for (const w of next) await w.start();
    for (const w of env.cluster.workers) await w.stop();
    env.cluster.workers.splice(0, env.cluster.workers.length, ...next);
    // Directives issued by the new release carry its marker; the old ones replay on it without.
    // Acknowledgements went to the first batch only.
    const newer = await issue(env.api, env.org, Math.max(4, Math.round(directives.length / 10)), Date.now() + 25_000, 5_000, opts.timing ?? TIMING, { acknowledging: false });
    directives.push(...newer);
    return withTemporal(env.cluster.temporalAddress, async (client) => {
      // Patch markers only: a local activity's result is a marker too, and the old run, further along, records
      // more of those (a reminder, an acknowledgement) than a run just started; counting every marker made this
      // check a race with the old run's reminders.
      const markersOf = (h: Awaited<ReturnType<ReturnType<typeof client.workflow.getHandle>['fetchHistory']>>) =>
        (h.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').length;
      const historyOf = async (directiveId: string) => {
        const workflowId = workflowIdFor(directiveId);
        return { workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() };
      };
      const old = await historyOf(directives[0]!.id);
      // The new run's first workflow task, which records its patch markers, may not have completed yet.
      const fresh = () => historyOf(newer[0]!.id);
      let recent = await fresh();
      for (const until = Date.now() + 30_000; markersOf(recent.history) <= markersOf(old.history) && Date.now() < until; ) {
        await sleep(500);
        recent = await fresh();
      }
      const histories = [old, recent];
      const markers = histories.map((h) => markersOf(h.history));
      if (markers[1]! <= markers[0]!) throw new Error(`the new release's run carries no patch marker of its own (patch markers ${markers.join('/')})`);
      const previous = path.join(env.cluster.releaseDir, 'dist', 'workflows', 'bundle.js');
      // An old run replays on both releases; a new run (with its patch marker) only on the new one.
      const checks = [
        { run: 'old run', h: old, label: 'new release', bundle: v2 },
        { run: 'new run', h: recent, label: 'new release', bundle: v2 },
        { run: 'old run', h: old, label: 'old release', bundle: previous },
      ];
      const replays: string[] = [];
      for (const { run, h, label, bundle } of checks) {
        const results = Worker.runReplayHistories({ workflowBundle: { codePath: bundle } }, [h]);
        for await (const r of results) if (r.error) throw new Error(`${h.workflowId} does not replay on the ${label}: ${String(r.error)}`);
        replays.push(`${run} on the ${label}`);
      }
      return `workers replaced before the first reminder; ${newer.length} issued after; patch markers ${markers.join('/')}; replayed: ${replays.join(', ')}`;
    });
  });
}

export type FaultRun = { rows: FaultRow[]; sizing: Sizing | undefined; logDir: string; secrets: string[]; cluster: Cluster };

export type FaultPlan = {
  crash: ScenarioOptions & { kills: number };
  restart: ScenarioOptions;
  outage: ScenarioOptions & { outageSeconds: number };
  release: ScenarioOptions;
  only?: Array<'crash' | 'restart' | 'outage' | 'release'>;
};

export const FULL_PLAN: FaultPlan = {
  crash: { directives: 1000, spreadSeconds: 120, kills: 5 },
  restart: { directives: 500, spreadSeconds: 60 },
  outage: { directives: 500, spreadSeconds: 60, outageSeconds: 30 },
  release: { directives: 100, spreadSeconds: 30 },
};

/** Brings up a cluster of its own, runs the plan's scenarios one after the other, stops it, returns the rows. */
export async function runFaults(
  plan: FaultPlan,
  options: { adminUrl: string; dataDir: string; releaseDir?: string; say: Say; keep?: boolean; afterRows?: (run: FaultRun) => Promise<void> },
): Promise<{ rows: FaultRow[]; sizing: Sizing | undefined }> {
  const admin = new URL(options.adminUrl);
  const proxy = new DatabaseProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  const proxyPort = await proxy.listen();
  const name = `dt_faults_${Date.now()}`;
  fs.rmSync(options.dataDir, { recursive: true, force: true });
  const cluster = await startCluster({ name, dataDir: options.dataDir, adminUrl: options.adminUrl, ports: 'free', appDatabasePort: proxyPort, say: options.say, ...(options.releaseDir ? { releaseDir: options.releaseDir } : {}) });
  const sql = postgres(cluster.databaseUrl, { max: 2, onnotice: () => {} });
  const rows: FaultRow[] = [];
  let sizing: Sizing | undefined;
  try {
    const api = new Api(cluster.apiUrls, cluster.adminToken);
    const org = await prepareOrg(api);
    const env: Env = { cluster, api, sql, proxy, org, say: options.say };
    const only = new Set(plan.only ?? ['crash', 'restart', 'outage', 'release']);
    if (only.has('crash')) {
      const workersRss = () => cluster.workers.reduce((sum, w) => sum + rssMiB(w.child?.pid), 0);
      const baseline = workersRss();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, workersRss())), 1000);
      try {
        rows.push(await workerCrashes(env, plan.crash));
      } finally {
        clearInterval(sampler);
      }
      sizing = await measureSizing(env, baseline, peak);
      options.say(`sizing: ${JSON.stringify(sizing)}`);
    }
    if (only.has('restart')) rows.push(await temporalRestarts(env, plan.restart));
    if (only.has('outage')) rows.push(await databaseOutage(env, plan.outage));
    if (only.has('release')) rows.push(await newRelease(env, { ...plan.release, bundleDir: options.dataDir }));
    await options.afterRows?.({ rows, sizing, logDir: cluster.logDir, secrets: [cluster.adminToken, ...org.secrets], cluster });
  } finally {
    await sql.end();
    await cluster.stop();
    await proxy.close();
    if (!options.keep) await cluster.drop();
  }
  return { rows, sizing };
}

export function formatTable(rows: FaultRow[]): string {
  const head = ['fault', 'directives', 'expected events', 'recorded', 'duplicated', 'lost', 'mails', 'mails twice', 'resent in doubt', 'mails lost', 'wrong end state', 'no replay', 'converged (s)'];
  const body = rows.map((r) => [r.fault, r.directives, r.expected, r.recorded, r.duplicated, r.lost, r.mails, r.mailsDuplicated, r.mailsResent, r.mailsLost, r.wrongEndState, r.replayFailures, r.convergeSeconds].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', ...rows.map((r) => `${r.fault}: ${r.notes}`)].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const say: Say = (line) => process.stderr.write(`${line}\n`);
  const started = Date.now();
  // `npm run faults -- --only outage,release` runs some of the scenarios.
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '').split(',').filter((s): s is 'crash' | 'restart' | 'outage' | 'release' => ['crash', 'restart', 'outage', 'release'].includes(s)) : undefined;
  const { rows, sizing } = await runFaults({ ...FULL_PLAN, ...(only ? { only } : {}) }, { adminUrl: config.testDatabaseAdminUrl, dataDir: path.resolve(config.dataDir, 'faults'), releaseDir: path.resolve(config.dataDir, 'release'), say });
  if (sizing) {
    process.stdout.write(
      `\nsizing, from ${sizing.sampled} of the ${sizing.directives} directives of the first scenario: ${sizing.eventsPerRun} history events, ` +
        `${(sizing.bytesPerRun / 1024).toFixed(1)} KiB and ${sizing.timersPerRun} timers per run; workers' RSS ${sizing.workersBaselineMiB} MiB idle, ` +
        `${sizing.workersPeakMiB} MiB at most with them open\n`,
    );
  }
  process.stdout.write(`\n${formatTable(rows)}\n\nnpm run faults: ${((Date.now() - started) / 60_000).toFixed(1)} min in all\n`);
  const failed = rows.filter((r) => !withinBounds(r));
  if (failed.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMain(main);
