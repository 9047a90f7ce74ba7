/**
 * A quarter's per-agency statistics at a province's scale: seeds a database of its own with 100,000 directives
 * and 1,000,000 events (two years of them, completions on time and late, extensions, reassignments,
 * cancellations, standing directives), lets the migrator's backfill derive their versions, then times the
 * per-agency counts of 2026-Q3 as of its end (directive_facts) beside the same counts over today's
 * projection (directives), each as a ratio: against the 200 ms p95 bar and against each other.
 *
 *   npm run bench:statistics                      # 100,000 directives, 1,000,000 events
 *   npm run bench:statistics -- --directives 5000 --runs 10
 *
 * Needs PostgreSQL at TEST_DATABASE_ADMIN_URL (the machine's, trust auth); the database is dropped afterwards
 * unless --keep is given.
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import postgres from 'postgres';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { backfillFacts } from '../../db/facts.js';
import type { DirectiveStatus, Timeliness } from '../../domain/lists.js';
import type { ServiceDeps } from '../../services/context.js';
import { statisticsService } from '../../services/statistics.js';
import { fixedBar, type BenchModule, seededRandom, uuidOf } from './harness.js';

export const LIMIT_P95_MS = 200;
const EVENTS_PER_DIRECTIVE = 10;
const DAY = 86_400_000;

type Event = { type: string; at: number; data: unknown };

export type StatisticsFigures = {
  lines: string[];
  asOf: { p50: number; p95: number };
  assigned: { p50: number; p95: number };
  current: { p50: number; p95: number };
  agree: boolean;
};

export async function measureStatistics(options: { directives: number; runs: number; keep?: boolean }): Promise<StatisticsFigures> {
  const total = options.directives;
  const runs = options.runs;
  const values = { keep: options.keep ?? false };
  const config = loadConfig();
  const name = `dt_bench_statistics_${Date.now()}`;
  const admin = postgres(config.testDatabaseAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(config.testDatabaseAdminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 4 });
  const raw = postgres(url.toString(), { max: 2, onnotice: () => {} });
  try {
    await database.migrate();
    const rand = seededRandom(20261202);
    const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;

    // The directory: the province, 8 supervising agencies, 6 agencies under each.
    const root = uuidOf(1, 0);
    const supervisors = Array.from({ length: 8 }, (_, i) => uuidOf(1, 1 + i));
    const agencies = supervisors.flatMap((_, s) => Array.from({ length: 6 }, (_, i) => uuidOf(1, 100 + s * 10 + i)));
    await raw`insert into agencies ${raw([
      { id: root, code: 'TU', name: 'Tỉnh ủy', supervisor_id: null },
      ...supervisors.map((id, i) => ({ id, code: `S${i}`, name: `Cơ quan theo dõi ${i + 1}`, supervisor_id: root })),
      ...agencies.map((id, i) => ({ id, code: `A${i}`, name: `Cơ quan ${String(i + 1).padStart(2, '0')}`, supervisor_id: supervisors[Math.floor(i / 6)]! })),
    ])}`;
    const leaders = Array.from({ length: 5 }, (_, i) => uuidOf(2, i));
    await raw`insert into users ${raw(leaders.map((id, i) => ({ id, name: `Lãnh đạo ${i + 1}`, role: 'leader', token_hash: `bench-${i}` })))}`;
    const conferences = Array.from({ length: 400 }, (_, i) => uuidOf(3, i));
    await raw`insert into conferences ${raw(conferences.map((id, i) => ({ id, title: `Hội nghị ${i + 1}`, kind: ['giao_ban', 'tong_ket', 'chuyen_de'][i % 3]! })))}`;

    const now = Date.now();
    const first = Date.parse('2025-01-01T00:00:00+07:00');
    const seedStarted = performance.now();
    let events = 0;
    const BATCH = 5000;
    for (let from = 0; from < total; from += BATCH) {
      const d = { id: [] as string[], conference: [] as string[], title: [] as string[], lead: [] as string[], status: [] as string[], timeliness: [] as string[], due: [] as (string | null)[], issuedBy: [] as string[], issuedAt: [] as string[], completedAt: [] as (string | null)[], lastSeq: [] as number[] };
      const e = { directive: [] as string[], seq: [] as number[], type: [] as string[], at: [] as string[], data: [] as string[] };
      for (let n = from; n < Math.min(total, from + BATCH); n++) {
        const id = uuidOf(4, n);
        const issuedAt = first + Math.floor(rand() * (now - 30 * DAY - first));
        let due: number | null = rand() < 0.05 ? null : issuedAt + Math.floor((30 + rand() * 210) * DAY);
        let lead = pick(agencies);
        let coordinating = rand() < 0.6 ? [pick(agencies), pick(agencies)].filter((a, i, all) => a !== lead && all.indexOf(a) === i) : [];
        const key: Event[] = [{ type: 'issued', at: issuedAt, data: { leadAgencyId: lead, coordinatingAgencyIds: coordinating, dueAt: due === null ? null : new Date(due).toISOString() } }];
        let status: DirectiveStatus = 'in_progress';
        let completedAt: number | null = null;
        if (due !== null && rand() < 0.1 && issuedAt + 20 * DAY < now) {
          due += 60 * DAY;
          key.push({ type: 'replanned', at: issuedAt + 20 * DAY, data: { reason: 'extension', requestId: 'x1', dueAt: new Date(due).toISOString(), deadlines: [] } });
        }
        if (rand() < 0.08 && issuedAt + 15 * DAY < now) {
          const before = { leadAgencyId: lead, coordinatingAgencyIds: coordinating };
          lead = pick(agencies.filter((a) => a !== lead));
          coordinating = coordinating.filter((a) => a !== lead);
          key.push({ type: 'reassigned', at: issuedAt + 15 * DAY, data: { before, after: { leadAgencyId: lead, coordinatingAgencyIds: coordinating }, reason: 'Điều chỉnh' } });
        }
        const closing = rand();
        if (closing < 0.05 && issuedAt + 40 * DAY < now) {
          status = 'cancelled';
          key.push({ type: 'cancelled', at: issuedAt + 40 * DAY, data: { reason: 'Không còn phù hợp' } });
        } else if (closing < 0.7) {
          const submitted = issuedAt + Math.floor((10 + rand() * 290) * DAY);
          if (submitted + 2 * DAY < now) {
            status = 'completed';
            completedAt = submitted;
            key.push({ type: 'completion_submitted', at: submitted, data: { summary: 'Đã hoàn thành' } }, { type: 'completion_reviewed', at: submitted + 2 * DAY, data: { accepted: true, note: '' } });
          }
        }
        key.sort((a, b) => a.at - b.at);
        // Reports and reminders fill the history to ten events, between its first and last key event.
        const end = Math.max(key[key.length - 1]!.at, Math.min(now - DAY, issuedAt + 120 * DAY));
        const fillers: Event[] = Array.from({ length: EVENTS_PER_DIRECTIVE - key.length }, (_, i) => {
          const at = issuedAt + Math.floor(((i + 1) * (end - issuedAt)) / (EVENTS_PER_DIRECTIVE - key.length + 1));
          return i % 2 === 0
            ? { type: 'report_submitted', at, data: { report: { deadlineKey: `R${i}`, agencyId: lead, at: new Date(at).toISOString(), summary: 'Báo cáo', late: false, by: leaders[0] } } }
            : { type: 'reminder_due', at, data: { deadlineKey: `R${i}`, label: 'Báo cáo', dueAt: new Date(at).toISOString(), agencyId: lead, reminder: 0 } };
        });
        const history = [key[0]!, ...[...key.slice(1), ...fillers].sort((a, b) => a.at - b.at)];
        history.forEach((ev, i) => {
          e.directive.push(id);
          e.seq.push(i + 1);
          e.type.push(ev.type);
          e.at.push(new Date(ev.at).toISOString());
          e.data.push(JSON.stringify(ev.data));
        });
        events += history.length;
        const timeliness: Timeliness =
          status === 'completed' ? (due === null || completedAt! <= due ? 'completed_on_time' : 'completed_late') : due === null ? 'no_deadline' : now < due ? 'open_on_time' : 'open_overdue';
        d.id.push(id);
        d.conference.push(pick(conferences));
        d.title.push(`Nhiệm vụ ${n + 1}`);
        d.lead.push(lead);
        d.status.push(status);
        d.timeliness.push(timeliness);
        d.due.push(due === null ? null : new Date(due).toISOString());
        d.issuedBy.push(pick(leaders));
        d.issuedAt.push(new Date(issuedAt).toISOString());
        d.completedAt.push(completedAt === null ? null : new Date(completedAt).toISOString());
        d.lastSeq.push(history.length);
      }
      await raw`
        insert into directives (id, workflow_id, conference_id, title, lead_agency_id, status, timeliness, due_at, issued_by, issued_at, completed_at, last_seq)
        select id, 'directive-' || id, conference_id, title, lead_agency_id, status, timeliness, due_at, issued_by, issued_at, completed_at, last_seq
        from unnest(${d.id}::uuid[], ${d.conference}::uuid[], ${d.title}::text[], ${d.lead}::uuid[], ${d.status}::text[], ${d.timeliness}::text[],
                    ${d.due}::timestamptz[], ${d.issuedBy}::uuid[], ${d.issuedAt}::timestamptz[], ${d.completedAt}::timestamptz[], ${d.lastSeq}::int[])
          as t(id, conference_id, title, lead_agency_id, status, timeliness, due_at, issued_by, issued_at, completed_at, last_seq)`;
      await raw`
        insert into directive_events (directive_id, seq, type, occurred_at, data)
        select * from unnest(${e.directive}::uuid[], ${e.seq}::int[], ${e.type}::text[], ${e.at}::timestamptz[], ${e.data}::jsonb[])`;
    }
    const seeded = (performance.now() - seedStarted) / 1000;
    const backfillStarted = performance.now();
    const backfill = await backfillFacts(database.db, 1000);
    const backfilled = (performance.now() - backfillStarted) / 1000;
    await raw`analyze`;

    const service = statisticsService({ db: database.db, config: { temporal: { namespace: 'default', taskQueue: 'bench', uiUrl: undefined } }, logger: pino({ level: 'silent' }) } as unknown as ServiceDeps);
    const leader = { userId: leaders[0]!, name: 'Lãnh đạo 1', role: 'leader' as const, agencyId: null };
    const time = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < 5; i++) await fn();
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await fn();
        ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
      return { p50: at(0.5), p95: at(0.95) };
    };
    const asOf = await time(() => service.statistics(leader, { period: '2026-Q3' }, 'lead'));
    const assigned = await time(() => service.statistics(leader, { period: '2026-Q3' }, 'assigned'));
    const today = () => raw<Array<{ lead_agency_id: string; category: string; n: number }>>`
      select lead_agency_id, case when status = 'cancelled' then 'cancelled' else timeliness end as category, count(*)::int as n
      from directives group by 1, 2`;
    const current = await time(today);
    const check = await service.statistics(leader, { period: '2026-Q3' }, 'lead');
    // As of now, over all the seeded years, the versions must say what today's projection says.
    const sinceStart = `2024-12-15..${new Date(now + 7 * 3_600_000).toISOString().slice(0, 10)}`;
    const asOfNow = await service.statistics(leader, { period: sinceStart, asOf: new Date(now).toISOString() }, 'lead');
    const fromVersions = asOfNow.rows.flatMap((r) => Object.entries(r.counts).filter(([k, n]) => k !== 'total' && n > 0).map(([k, n]) => `${r.key!.id} ${k} ${n}`)).sort();
    const fromProjection = (await today()).map((r) => `${r.lead_agency_id} ${r.category} ${r.n}`).sort();
    const agree = JSON.stringify(fromVersions) === JSON.stringify(fromProjection);

    const f = (n: number) => n.toFixed(1);
    const out = [
      `statistics benchmark: ${total.toLocaleString('en')} directives, ${events.toLocaleString('en')} events, ${backfill.versions.toLocaleString('en')} versions, ${runs} timed runs each`,
      `  seeded in ${f(seeded)} s; the migrator's backfill derived the versions from the events in ${f(backfilled)} s`,
      `  2026-Q3 per lead agency, as of ${check.asOf} (directive_facts): p50 ${f(asOf.p50)} ms, p95 ${f(asOf.p95)} ms = ${(asOf.p95 / LIMIT_P95_MS).toFixed(2)}× the ${LIMIT_P95_MS} ms limit (${check.rows.length} agencies, ${check.totals.total.toLocaleString('en')} directives counted)`,
      `  2026-Q3 per assigned agency, lead and coordinating apart:        p50 ${f(assigned.p50)} ms, p95 ${f(assigned.p95)} ms = ${(assigned.p95 / LIMIT_P95_MS).toFixed(2)}× the limit`,
      `  the same per-agency counts over today's projection (directives): p50 ${f(current.p50)} ms, p95 ${f(current.p95)} ms; as of / today = ${(asOf.p95 / current.p95).toFixed(2)}× at p95`,
    ];
    out.push(`  as of the moment seeded, the versions and today's projection give ${agree ? 'the same' : 'DIFFERENT'} per-agency counts (${fromProjection.length} agency × category cells)`);
    return { lines: out, asOf, assigned, current, agree };
  } finally {
    await raw.end();
    await database.close();
    if (!values.keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
    else process.stderr.write(`kept ${url.toString()}\n`);
    await admin.end();
  }
}


/** The statistics bar of `npm run bench`: 100,000 directives and 1,000,000 events (20,000 quick). */
export const statisticsBench: BenchModule = {
  name: 'statistics',
  async run(ctx) {
    const directives = ctx.quick ? 20_000 : 100_000;
    const f = await measureStatistics({ directives, runs: ctx.quick ? 15 : 40 });
    for (const line of f.lines) ctx.log(line.trim());
    if (!f.agree) throw new Error('The versions and today’s projection disagree on the per-agency counts.');
    const note = `${directives.toLocaleString('en')} directives, ${(directives * EVENTS_PER_DIRECTIVE).toLocaleString('en')} events`;
    return [
      fixedBar('statistics.quarterByLead', [f.asOf.p95], 'ms', LIMIT_P95_MS, `p95, ${note}`),
      fixedBar('statistics.quarterByAssigned', [f.assigned.p95], 'ms', LIMIT_P95_MS, `p95, ${note}`),
    ];
  },
};
