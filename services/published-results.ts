/**
 * Scoring rules and published results: a rule is versioned, a period's province-wide result is frozen once, with
 * the rule and every number it used, and read back as each reader may see its overdue list.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { publishedResults, scoringRules, users } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { ReportFormat } from '../domain/lists.js';
import { DEFAULT_SCORING_RULE, parsePeriod, periodWindow, ruleProblems, type Named, type PublishedReport, type ScoringRule } from '../domain/statistics.js';
import type { Config } from '../config.js';
import type { IsoDate } from '../domain/vn-time.js';
import { requirePermission } from './auth.js';
import type { Principal } from './context.js';
import { renderReport, type Rendered } from './reports/index.js';
import type { visibility } from './visibility.js';

export type RuleVersion = { version: number; rule: ScoringRule; savedAt: string | null; savedBy: string | null };

export type PublishedView = {
  id: string;
  period: string;
  asOf: string;
  ruleVersion: number | null;
  note: string | null;
  publishedAt: string;
  publishedBy: Named;
  report: PublishedReport;
};

/** The scoring rule in force: its latest version, or the default one. */
export async function currentRule(db: Database): Promise<RuleVersion> {
    const [row] = await db.select().from(scoringRules).orderBy(desc(scoringRules.id)).limit(1);
  if (!row) return { version: 0, rule: DEFAULT_SCORING_RULE, savedAt: null, savedBy: null };
  return { version: row.id, rule: row.rule, savedAt: row.createdAt.toISOString(), savedBy: row.createdBy };
}

const invalidPeriod = (periodLabel: string) => {
  const message = `"${periodLabel}" is not a period.`;
  return new ServiceFailure(FailureType.Invalid, message, 'validation', [{ location: 'query', pointer: '/period', message }]);
};

/** What a report file is numbered and dated with. */
export type ExportOptions = { number?: string | undefined; date?: IsoDate | undefined };

type PublishingDeps = {
  db: Database;
  seeing: ReturnType<typeof visibility>;
  /** The report of a period as the statistics service computes it. */
  report: (principal: Principal, q: { period: string }) => Promise<PublishedReport & { overdueTotal: number }>;
  issuer: NonNullable<Config['report']>;
};

export function publishing({ db, seeing, report, issuer }: PublishingDeps) {
  const publishedView = (r: typeof publishedResults.$inferSelect, by: Named): PublishedView => ({
    id: r.id,
    period: r.period,
    asOf: r.asOf.toISOString(),
    ruleVersion: r.ruleVersion,
    note: r.note,
    publishedAt: r.publishedAt.toISOString(),
    publishedBy: by,
    report: r.report,
  });

  async function publisherNames(ids: string[]): Promise<Map<string, Named>> {
    if (ids.length === 0) return new Map();
    const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...new Set(ids)]));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * A published result as `principal` reads it: its numbers are the province's, the same for every reader (they
   * were published to be compared); its list of overdue directives names only those the reader sees, as reading
   * each of them would decide.
   */
  async function asSeenBy(principal: Principal, p: PublishedView): Promise<PublishedView> {
    const seen = await seeing.seen(principal, p.report.overdue.map((o) => o.directiveId));
    return { ...p, report: { ...p.report, overdue: p.report.overdue.filter((o) => seen.has(o.directiveId)) } };
  }

  async function publishedOne(principal: Principal, idOrPeriod: string): Promise<PublishedView> {
    const isId = /^[0-9a-f-]{36}$/i.test(idOrPeriod);
    const [row] = await db.select().from(publishedResults).where(isId ? eq(publishedResults.id, idOrPeriod) : eq(publishedResults.period, idOrPeriod));
    if (!row) throw new ServiceFailure(FailureType.NotFound, `No published result ${idOrPeriod}.`);
    const names = await publisherNames([row.publishedBy]);
    return asSeenBy(principal, publishedView(row, names.get(row.publishedBy) ?? { id: row.publishedBy, name: '' }));
  }

  return {
    /** A published result's report, as it was frozen, with the overdue directives the principal sees. */
    async exportPublished(principal: Principal, idOrPeriod: string, format: ReportFormat, o: ExportOptions = {}): Promise<Rendered> {
      const p = await publishedOne(principal, idOrPeriod);
      return renderReport(p.report, format, { issuer, ...o, name: `ket-qua-${p.period}` });
    },

    rule: () => currentRule(db),

    /** Who can have issued directives, for a filter: the leaders and admins. */
    async issuers(): Promise<Named[]> {
      return db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(and(inArray(users.role, ['leader', 'admin']), sql`${users.revokedAt} is null`))
        .orderBy(users.name);
    },

    /** Saves a new version of the scoring rule (admin); published results keep the version they used. */
    async saveRule(principal: Principal, rule: ScoringRule): Promise<RuleVersion> {
      requirePermission(principal, 'editScoringRule');
      const problems = ruleProblems(rule);
      if (problems.length > 0)
        throw new ServiceFailure(FailureType.Invalid, problems.join(' '), 'invalid-rule', problems.map((message) => ({ location: 'body', pointer: '', message })));
      const [row] = await db.insert(scoringRules).values({ rule, createdBy: principal.userId }).returning();
      return { version: row!.id, rule: row!.rule, savedAt: row!.createdAt.toISOString(), savedBy: row!.createdBy };
    },

    /**
     * Freezes a period's province-wide result (leader): the rule in force and every number it used, kept as
     * they were whatever changes later. Only a period that has ended, and only once.
     */
    async publish(principal: Principal, periodLabel: string, note: string | undefined): Promise<PublishedView> {
      requirePermission(principal, 'publishResults');
      const period = parsePeriod(periodLabel);
      if (!period) throw invalidPeriod(periodLabel);
      const w = periodWindow(period, Date.now());
      if (!w || w.asOf < w.end)
        throw new ServiceFailure(FailureType.InvalidState, `The period ${period.label} ends at 24:00 on ${period.to}; its result can be published after that.`);
      const [existing] = await db.select({ id: publishedResults.id }).from(publishedResults).where(eq(publishedResults.period, period.label));
      if (existing) throw new ServiceFailure(FailureType.Conflict, `The result of ${period.label} is already published.`, 'already-published');
      // Province-wide whoever publishes: a published result is the province's.
      const data = await report({ ...principal, role: 'leader', agencyId: null }, { period: period.label });
      const { overdueTotal: _overdueTotal, ...frozen } = data;
      const rule = await currentRule(db);
      const [row] = await db
        .insert(publishedResults)
        .values({ period: period.label, asOf: new Date(data.asOf), ruleVersion: rule.version || null, rule: frozen.rule, report: frozen, note: note ?? null, publishedBy: principal.userId })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new ServiceFailure(FailureType.Conflict, `The result of ${period.label} is already published.`, 'already-published');
      return asSeenBy(principal, publishedView(row, { id: principal.userId, name: principal.name }));
    },

    async published(): Promise<Array<Omit<PublishedView, 'report'>>> {
      const rows = await db.select().from(publishedResults).orderBy(desc(publishedResults.period));
      const names = await publisherNames(rows.map((r) => r.publishedBy));
      return rows.map((r) => {
        const { report: _report, ...rest } = publishedView(r, names.get(r.publishedBy) ?? { id: r.publishedBy, name: '' });
        return rest;
      });
    },

    publishedOne,
  };
}
