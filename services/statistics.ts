/**
 * The province's statistics: the four categories as things stood at the end of a period, computed from each
 * directive's versions (directive_facts, written with every event), never from today's projection. Grouped,
 * filtered and scoped like every other read; scored and ranked by the admin's rule; frozen when a leader
 * publishes a period's result.
 */
import { shownTitle } from '../domain/confidential.js';
import { and, eq, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { agencies, conferences, directiveFacts as f, directives, explanationRequests as x } from '../db/schema.js';
import { shownTitleSql, visibleAgencies } from '../db/scope.js';
import { STAT_CATEGORIES, includes, type AssignmentRole, type ConferenceKind, type ReportFormat, type StatCategory, type StatGrouping } from '../domain/lists.js';
import {
  addCounts,
  foldIntoSuccessors,
  bandOf,
  daysLate,
  emptyCounts,
  parsePeriod,
  periodWindow,
  quartersOf,
  rank,
  scoreOf,
  type Counts,
  type ExplanationCounts,
  type ExplanationStats,
  type Named,
  type OverdueItem,
  type Period,
  type PublishedReport,
  type ScorecardRow,
  type ScoringRule,
  type StatFilters,
  type StatRow,
  type Statistics,
} from '../domain/statistics.js';
import { loadConfig } from '../config.js';
import { renderReport, statisticsCsv, type Rendered } from './reports/index.js';
import type { Principal, ServiceDeps } from './context.js';
import { currentRule, publishing, type ExportOptions } from './published-results.js';
import { type Window, type Scope, invalid, categorySql, versionsIn, agencyTree, subtreeIn, countsFrom, add, byName } from './statistics-sql.js';
import { visibility } from './visibility.js';

export type { ExportOptions, PublishedView, RuleVersion } from './published-results.js';

export type StatQuery = {
  period: string;
  /** An instant within the period to count as of, instead of its end (or now). */
  asOf?: string | undefined;
  conferenceKind?: ConferenceKind | undefined;
  conferenceId?: string | undefined;
  issuedBy?: string | undefined;
  /** Lead and assigned lines: count a merged agency's directives in its successor's line (the directory as it is now). */
  foldMerged?: boolean | undefined;
};

/** One number of a statistic: its grouping's key (an agency, a conference; none for the province), role and category. */
export type StatCell = {
  grouping: StatGrouping;
  key?: string | undefined;
  role?: AssignmentRole | undefined;
  category?: StatCategory | undefined;
};

export type CellDirective = {
  id: string;
  title: string;
  category: StatCategory;
  leadAgency: Named;
  coordinatingAgencies: Named[];
  /** The final deadline in force at the moment counted. */
  dueAt: string | null;
  completedAt: string | null;
  /** Days past the deadline: at the moment counted (open overdue) or at completion (completed late). */
  daysLate: number | null;
};


export function statisticsService({ db, config }: ServiceDeps) {
  const issuer = config.report ?? loadConfig({}).report;
  const seeing = visibility(db);
  /** The period, its start and the moment counted; refuses what cannot be counted. */
  function windowOf(q: StatQuery, nowMs = Date.now()): Window {
    const period = parsePeriod(q.period);
    if (!period) throw invalid('/period', `"${q.period}" is not a period: write 2026-Q3, 2026-6M, 2026-9M, 2026 or 2026-01-01..2026-03-31.`);
    const w = periodWindow(period, nowMs);
    if (!w) throw invalid('/period', `The period ${period.label} has not begun yet.`);
    if (q.asOf === undefined) return { period, start: w.start, asOf: w.asOf };
    const asOf = new Date(q.asOf);
    if (Number.isNaN(asOf.getTime()) || asOf <= w.start || asOf > w.end) throw invalid('/asOf', `asOf must be an instant within the period ${period.label}.`);
    if (asOf.getTime() > nowMs) throw invalid('/asOf', 'asOf cannot be in the future.');
    return { period, start: w.start, asOf };
  }

  async function scopeOf(principal: Principal, q: StatQuery): Promise<Scope> {
    const filters: StatFilters = {};
    if (q.conferenceKind) filters.conferenceKind = q.conferenceKind;
    if (q.conferenceId) filters.conferenceId = q.conferenceId;
    if (q.issuedBy) filters.issuedBy = q.issuedBy;
    return { window: windowOf(q), filters, visible: await visibleAgencies(db, principal) };
  }

  const meta = (s: Scope, grouping: StatGrouping) => ({
    period: s.window.period,
    asOf: s.window.asOf.toISOString(),
    start: s.window.start.toISOString(),
    grouping,
    filters: s.filters,
  });

  async function byLeadCounts(s: Scope): Promise<Map<string, Counts>> {
    const cat = categorySql(s.window.asOf);
    const rows = await db
      .select({ key: f.leadAgencyId, category: cat, n: sql<number>`count(*)::int` })
      .from(f)
      .where(versionsIn(s))
      .groupBy(sql`1`, sql`2`);
    const out = new Map<string, Counts>();
    for (const r of rows) {
      const c = out.get(r.key) ?? emptyCounts();
      add(c, r.category, r.n);
      out.set(r.key, c);
    }
    return out;
  }

  async function agencyNames(ids: Iterable<string>): Promise<Map<string, Named>> {
    const list = [...new Set(ids)];
    if (list.length === 0) return new Map();
    const rows = await db.select({ id: agencies.id, name: agencies.name }).from(agencies).where(inArray(agencies.id, list));
    return new Map(rows.map((r) => [r.id, r]));
  }
  const named = (names: Map<string, Named>, id: string): Named => names.get(id) ?? { id, name: '(cơ quan không xác định)' };

  async function province(s: Scope): Promise<StatRow[]> {
    const cat = categorySql(s.window.asOf);
    const rows = await db.select({ category: cat, n: sql<number>`count(*)::int` }).from(f).where(versionsIn(s)).groupBy(sql`1`);
    return [{ key: null, counts: countsFrom(rows) }];
  }

  async function byLead(s: Scope): Promise<StatRow[]> {
    const counts = await byLeadCounts(s);
    const names = await agencyNames(counts.keys());
    return [...counts].map(([id, c]) => ({ key: named(names, id), counts: c })).sort(byName);
  }

  async function byAssigned(s: Scope): Promise<StatRow[]> {
    const cat = categorySql(s.window.asOf);
    const coordinated = db
      .select({ agencyId: sql<string>`unnest(${f.coordinatingAgencyIds})`.as('agency_id'), category: cat.as('category') })
      .from(f)
      .where(versionsIn(s))
      .as('coordinated');
    const [led, coordinating] = await Promise.all([
      byLeadCounts(s),
      db
        .select({ key: coordinated.agencyId, category: coordinated.category, n: sql<number>`count(*)::int` })
        .from(coordinated)
        .groupBy(coordinated.agencyId, coordinated.category),
    ]);
    const by = new Map<string, { lead: Counts; coordinating: Counts }>();
    const entry = (id: string) => by.get(id) ?? by.set(id, { lead: emptyCounts(), coordinating: emptyCounts() }).get(id)!;
    for (const [id, c] of led) addCounts(entry(id).lead, c);
    for (const r of coordinating) add(entry(r.key).coordinating, r.category, r.n);
    // Scoped principals see the lines of the agencies in their scope.
    if (s.visible !== null) for (const id of [...by.keys()]) if (!s.visible.includes(id)) by.delete(id);
    const names = await agencyNames(by.keys());
    return [...by]
      .map(([id, e]) => ({ key: named(names, id), counts: addCounts(addCounts(emptyCounts(), e.lead), e.coordinating), lead: e.lead, coordinating: e.coordinating }))
      .sort(byName);
  }

  async function bySupervisor(s: Scope): Promise<StatRow[]> {
    const [counts, tree] = await Promise.all([byLeadCounts(s), agencyTree(db)]);
    const supervisors = new Set([...tree.values()].map((a) => a.up).filter((id): id is string => id !== null && tree.has(id)));
    const rows: StatRow[] = [];
    for (const sup of supervisors) {
      if (s.visible !== null && !s.visible.includes(sup)) continue;
      const inside = subtreeIn(tree, sup);
      const c = emptyCounts();
      for (const [lead, n] of counts) if (inside.has(lead)) addCounts(c, n);
      rows.push({ key: { id: sup, name: tree.get(sup)!.name }, counts: c });
    }
    return rows.filter((r) => r.counts.total + r.counts.cancelled > 0).sort(byName);
  }

  async function byConference(s: Scope): Promise<StatRow[]> {
    const cat = categorySql(s.window.asOf);
    const rows = await db
      .select({ key: f.conferenceId, category: cat, n: sql<number>`count(*)::int` })
      .from(f)
      .where(versionsIn(s))
      .groupBy(sql`1`, sql`2`);
    const ids = [...new Set(rows.map((r) => r.key).filter((k): k is string => k !== null))];
    const titles = ids.length ? await db.select({ id: conferences.id, name: conferences.title }).from(conferences).where(inArray(conferences.id, ids)) : [];
    const names = new Map(titles.map((t) => [t.id, t]));
    const by = new Map<string | null, Counts>();
    for (const r of rows) {
      const c = by.get(r.key) ?? emptyCounts();
      add(c, r.category, r.n);
      by.set(r.key, c);
    }
    return [...by]
      .map(([id, c]) => ({ key: id === null ? { id: '', name: 'Không thuộc hội nghị' } : (names.get(id) ?? { id, name: id }), counts: c }))
      .sort(byName);
  }

  const GROUPINGS: Record<StatGrouping, (s: Scope) => Promise<StatRow[]>> = {
    province,
    lead: byLead,
    assigned: byAssigned,
    supervisor: bySupervisor,
    conference: byConference,
  };

  const totalOf = (rows: StatRow[]) => rows.reduce((c, r) => addCounts(c, r.counts), emptyCounts());

  function scorecardOf(assigned: StatRow[], rule: ScoringRule): ScorecardRow[] {
    return rank(
      assigned.map((r) => {
        const score = scoreOf({ lead: r.lead!, coordinating: r.coordinating! }, rule);
        return { agency: r.key!, name: r.key!.name, lead: r.lead!, coordinating: r.coordinating!, score, band: bandOf(score, rule) };
      }),
    ).map(({ name: _name, ...row }) => row);
  }

  /** The directives behind one number, as they stood at the moment counted. */
  async function cell(principal: Principal, q: StatQuery, c: StatCell, page: { limit: number; offset: number }): Promise<{ key: Named | null; total: number; items: CellDirective[] } & ReturnType<typeof meta>> {
    const s = await scopeOf(principal, q);
    const cat = categorySql(s.window.asOf);
    let key: SQL | undefined;
    if (c.grouping !== 'province' && c.key === undefined) throw invalid('/key', `A ${c.grouping} number needs the key of its line.`);
    if (c.grouping === 'lead') key = eq(f.leadAgencyId, c.key!);
    if (c.grouping === 'assigned') {
      const lead = eq(f.leadAgencyId, c.key!);
      const coordinating = sql`${c.key!}::uuid = any(${f.coordinatingAgencyIds})`;
      key = c.role === 'lead' ? lead : c.role === 'coordinating' ? coordinating : or(lead, coordinating);
    }
    if (c.grouping === 'supervisor') key = inArray(f.leadAgencyId, [...subtreeIn(await agencyTree(db), c.key!)]);
    if (c.grouping === 'conference') key = c.key === '' ? sql`${f.conferenceId} is null` : eq(f.conferenceId, c.key!);
    const where = and(versionsIn(s), key, c.category ? sql`${cat} = ${c.category}` : undefined);
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(f).where(where);
    const rows = await db
      .select({
        id: f.directiveId,
        title: directives.title,
        confidential: directives.confidential,
        category: cat,
        leadAgencyId: f.leadAgencyId,
        coordinatingAgencyIds: f.coordinatingAgencyIds,
        dueAt: f.dueAt,
        completedAt: f.completedAt,
      })
      .from(f)
      .innerJoin(directives, eq(directives.id, f.directiveId))
      .where(where)
      // By the title as shown: a confidential row's place among the others must not spell out its real title.
      .orderBy(sql`${f.dueAt} asc nulls last`, shownTitleSql, f.directiveId)
      .limit(page.limit)
      .offset(page.offset);
    const names = await agencyNames([...rows.flatMap((r) => [r.leadAgencyId, ...r.coordinatingAgencyIds]), ...(c.key && c.grouping !== 'conference' ? [c.key] : [])]);
    const asOfMs = s.window.asOf.getTime();
    let line: Named | null = null;
    if (c.grouping === 'conference' && c.key) {
      const [k] = await db.select({ id: conferences.id, name: conferences.title }).from(conferences).where(eq(conferences.id, c.key));
      line = k ?? null;
    } else if (c.grouping === 'conference' && c.key === '') line = { id: '', name: 'Không thuộc hội nghị' };
    else if (c.key) line = named(names, c.key);
    return {
      ...meta(s, c.grouping),
      key: line,
      total: count?.n ?? 0,
      items: rows.map((r) => ({
        id: r.id,
        // Counted like any other; a confidential one is named by its reference only.
        title: shownTitle(r),
        category: r.category,
        leadAgency: named(names, r.leadAgencyId),
        coordinatingAgencies: r.coordinatingAgencyIds.map((a) => named(names, a)),
        dueAt: r.dueAt?.toISOString() ?? null,
        completedAt: r.completedAt?.toISOString() ?? null,
        daysLate:
          r.dueAt === null
            ? null
            : r.category === 'open_overdue'
              ? daysLate(r.dueAt.toISOString(), asOfMs)
              : r.category === 'completed_late' && r.completedAt
                ? daysLate(r.dueAt.toISOString(), r.completedAt.getTime())
                : null,
      })),
    };
  }

  /** Everything a period's reports show, for the principal's scope. */
  async function report(principal: Principal, q: StatQuery, overdueLimit = 1000): Promise<PublishedReport & { overdueTotal: number }> {
    const s = await scopeOf(principal, q);
    const [byLeadRows, byAssignedRows, bySupervisorRows, byConferenceRows, rule, overdue, explanations] = await Promise.all([
      byLead(s),
      byAssigned(s),
      bySupervisor(s),
      byConference(s),
      currentRule(db),
      cell(principal, q, { grouping: 'province', category: 'open_overdue' }, { limit: overdueLimit, offset: 0 }),
      explanationsIn(s),
    ]);
    return {
      period: s.window.period,
      asOf: s.window.asOf.toISOString(),
      start: s.window.start.toISOString(),
      filters: s.filters,
      totals: totalOf(byLeadRows),
      byLead: byLeadRows,
      byAssigned: byAssignedRows,
      bySupervisor: bySupervisorRows,
      byConference: byConferenceRows,
      rule: rule.rule,
      scorecard: scorecardOf(byAssignedRows, rule.rule),
      overdue: overdue.items.map((i): OverdueItem => ({ directiveId: i.id, title: i.title, leadAgency: i.leadAgency, dueAt: i.dueAt!, daysOverdue: i.daysLate ?? 0 })),
      overdueTotal: overdue.total,
      explanations,
    };
  }

  /** Merged agencies' lines added to their successors' (the statistics count the agency that owned each task then, unless asked). */
  async function foldMerged(rows: StatRow[]): Promise<StatRow[]> {
    const merged = await db.select({ id: agencies.id, successorId: agencies.successorId }).from(agencies).where(isNotNull(agencies.successorId));
    const names = await agencyNames(merged.map((m) => m.successorId!));
    return foldIntoSuccessors(rows, new Map(merged.map((m) => [m.id, named(names, m.successorId!)])));
  }

  /**
   * Explanation requests asked within the period (up to the moment counted), by the agency asked: answered on
   * time or late by that moment, or not yet. Scoped and filtered like the directives they belong to.
   */
  async function explanationsIn(s: Scope): Promise<ExplanationStats> {
    const asOf = s.window.asOf.toISOString();
    const answered = sql`${x.answeredAt} is not null and ${x.answeredAt} <= ${asOf}::timestamptz`;
    const rows = await db
      .select({
        agencyId: x.agencyId,
        requested: sql<number>`count(*)::int`,
        answeredOnTime: sql<number>`(count(*) filter (where ${answered} and not ${x.answeredLate}))::int`,
        answeredLate: sql<number>`(count(*) filter (where ${answered} and ${x.answeredLate}))::int`,
      })
      .from(x)
      .innerJoin(directives, eq(directives.id, x.directiveId))
      .where(
        and(
          sql`${x.requestedAt} >= ${s.window.start.toISOString()}::timestamptz and ${x.requestedAt} < ${asOf}::timestamptz`,
          s.filters.conferenceKind
            ? inArray(directives.conferenceId, sql`(select ${conferences.id} from ${conferences} where ${conferences.kind} = ${s.filters.conferenceKind})`)
            : undefined,
          s.filters.conferenceId ? eq(directives.conferenceId, s.filters.conferenceId) : undefined,
          s.filters.issuedBy ? eq(directives.issuedBy, s.filters.issuedBy) : undefined,
          s.visible === null ? undefined : s.visible.length === 0 ? sql`false` : inArray(x.agencyId, s.visible),
        ),
      )
      .groupBy(x.agencyId);
    const names = await agencyNames(rows.map((r) => r.agencyId));
    const countsOf = ({ requested, answeredOnTime, answeredLate }: Omit<ExplanationCounts, 'unanswered'>): ExplanationCounts => ({
      requested,
      answeredOnTime,
      answeredLate,
      unanswered: requested - answeredOnTime - answeredLate,
    });
    const lines = rows
      .map((r) => ({ key: named(names, r.agencyId), counts: countsOf(r) }))
      .sort((a, b) => a.key.name.localeCompare(b.key.name, 'vi'));
    const totals = lines.reduce(
      (t, l) => ({ requested: t.requested + l.counts.requested, answeredOnTime: t.answeredOnTime + l.counts.answeredOnTime, answeredLate: t.answeredLate + l.counts.answeredLate, unanswered: t.unanswered + l.counts.unanswered }),
      { requested: 0, answeredOnTime: 0, answeredLate: 0, unanswered: 0 },
    );
    return { totals, rows: lines };
  }

  /** The four categories (with standing and cancelled directives apart) as of the period's end, grouped. */
  async function statistics(principal: Principal, q: StatQuery, grouping: StatGrouping): Promise<Statistics> {
    const s = await scopeOf(principal, q);
    const grouped = await GROUPINGS[grouping](s);
    const rows = q.foldMerged && (grouping === 'lead' || grouping === 'assigned') ? (await foldMerged(grouped)).sort(byName) : grouped;
    // The assigned grouping counts a directive once per agency; the province's total counts it once.
    const totals = grouping === 'assigned' ? (await province(s))[0]!.counts : totalOf(rows);
    return { ...meta(s, grouping), rows, totals, explanations: await explanationsIn(s) };
  }


  return {
    windowOf,

    // Scoring rules and published results (services/published-results.ts): the same service to both doors.
    ...publishing({ db, seeing, report, issuer }),

    statistics,

    /** The province's (or the scope's) four categories at the end of each quarter of a year begun so far. */
    async series(principal: Principal, year: number, q: Omit<StatQuery, 'period' | 'asOf'>): Promise<Array<{ period: Period; asOf: string; counts: Counts }>> {
      const visible = await visibleAgencies(db, principal);
      const now = Date.now();
      const out: Array<{ period: Period; asOf: string; counts: Counts }> = [];
      for (const period of quartersOf(year)) {
        const w = periodWindow(period, now);
        if (!w) continue;
        const s: Scope = { window: { period, start: w.start, asOf: w.asOf }, filters: { conferenceKind: q.conferenceKind, conferenceId: q.conferenceId, issuedBy: q.issuedBy }, visible };
        out.push({ period, asOf: w.asOf.toISOString(), counts: (await province(s))[0]!.counts });
      }
      return out;
    },

    cell,

    async scorecard(principal: Principal, q: StatQuery): Promise<ReturnType<typeof meta> & { rule: ScoringRule; ruleVersion: number; rows: ScorecardRow[] }> {
      const s = await scopeOf(principal, q);
      const [assigned, rule] = await Promise.all([byAssigned(s), currentRule(db)]);
      return { ...meta(s, 'assigned'), rule: rule.rule, ruleVersion: rule.version, rows: scorecardOf(assigned, rule.rule) };
    },

    report,

    /** A period's report as a file, for the principal's scope. */
    async exportReport(principal: Principal, q: StatQuery, format: ReportFormat, o: ExportOptions = {}): Promise<Rendered> {
      const { overdueTotal, ...r } = await report(principal, q);
      return renderReport(r, format, { issuer, ...o, overdueTotal, name: `bao-cao-${r.period.label}` });
    },

    /** One grouping of a statistic as CSV. */
    async exportStatistics(principal: Principal, q: StatQuery, grouping: StatGrouping): Promise<Rendered> {
      const s = await statistics(principal, q, grouping);
      return { body: statisticsCsv(s), contentType: 'text/csv; charset=utf-8', filename: `thong-ke-${s.period.label}-${grouping}.csv` };
    },

  };
}

export type StatisticsService = ReturnType<typeof statisticsService>;

export const isStatCategory = (v: unknown): v is StatCategory => includes(STAT_CATEGORIES, v);
