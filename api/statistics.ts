import { createRoute, z } from '@hono/zod-openapi';
import { generatedFileHeaders } from '../http/shared/downloads.js';
import type { Context } from 'hono';
import { BANDS, CONFERENCE_KINDS, COUNTED_CATEGORIES, REPORT_FORMATS, STAT_CATEGORIES, STAT_GROUPINGS, ASSIGNMENT_ROLES, type CountedCategory } from '../domain/lists.js';
import type { Rendered } from '../services/reports/index.js';
import { requirePermission } from './auth.js';
import type { AppDeps, AppEnv } from './context.js';
import { bearerSecurity, newApp, problems } from './openapi.js';

const PERIOD = /^(\d{4}(-(Q[1-4]|6M|9M))?|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$/;
const periodParam = z
  .string()
  .regex(PERIOD, 'a period: 2026-Q3, 2026-6M, 2026-9M, 2026 or 2026-01-01..2026-03-31')
  .openapi({
    example: '2026-Q3',
    description:
      'A quarter, the first 6 or 9 months, or the year, cut off as Decree 09/2019/NĐ-CP does (a quarter runs from the 15th of the month before it to the 14th of its last month; the year from 15 December to 14 December); or any span of days `from..to`.',
  });

const Filters = {
  conferenceKind: z.enum(CONFERENCE_KINDS).optional(),
  conferenceId: z.uuid().optional(),
  issuedBy: z.uuid().optional().openapi({ description: 'Only directives this leader issued.' }),
};
const PeriodQuery = z.object({
  period: periodParam,
  asOf: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Count as of this instant within the period instead of its end (or now, while it runs).' }),
  ...Filters,
});

const Counts = z
  .object({ ...(Object.fromEntries(STAT_CATEGORIES.map((c) => [c, z.number().int()])) as Record<(typeof STAT_CATEGORIES)[number], z.ZodNumber>), total: z.number().int() })
  .openapi('StatCounts', { description: 'Directives per category; `total` adds up all but `cancelled`.' });
const Named = z.object({ id: z.string(), name: z.string() });
const Period = z
  .object({ label: z.string(), kind: z.enum(['quarter', 'six_months', 'nine_months', 'year', 'custom']), from: z.string(), to: z.string(), title: z.object({ vi: z.string(), en: z.string() }) })
  .openapi('Period');
const StatRow = z.object({ key: Named.nullable(), counts: Counts, lead: Counts.optional(), coordinating: Counts.optional() }).openapi('StatRow');
const StatMeta = {
  period: Period,
  asOf: z.string().openapi({ description: 'The moment the numbers describe.' }),
  start: z.string(),
  grouping: z.string(),
  filters: z.object({ conferenceKind: z.string().optional(), conferenceId: z.string().optional(), issuedBy: z.string().optional() }),
};
const ExplanationCounts = z
  .object({ requested: z.number().int(), answeredOnTime: z.number().int(), answeredLate: z.number().int(), unanswered: z.number().int() })
  .openapi('ExplanationCounts');
const Explanations = z
  .object({ totals: ExplanationCounts, rows: z.array(z.object({ key: z.object({ id: z.string(), name: z.string() }), counts: ExplanationCounts })) })
  .openapi('ExplanationStatistics', { description: 'Explanation requests asked in the period, by the agency asked: answered on time, late, or not yet by the moment counted' });
const Statistics = z.object({ ...StatMeta, rows: z.array(StatRow), totals: Counts, explanations: Explanations }).openapi('Statistics');

const Points = z.object(Object.fromEntries(COUNTED_CATEGORIES.map((c) => [c, z.number().min(0).max(1000).nullable()])) as Record<CountedCategory, z.ZodNullable<z.ZodNumber>>);
const ScoringRule = z
  .object({
    points: Points.openapi({ description: 'Points a directive earns in each category; null: the category does not count towards the score.' }),
    weights: z.object({ lead: z.number().gt(0).max(10), coordinating: z.number().min(0).max(10) }),
    bands: z.object({ green: z.number().min(0).max(100), yellow: z.number().min(0).max(100) }).openapi({ description: 'The lowest score of the green and of the yellow band.' }),
  })
  .strict()
  .openapi('ScoringRule');
const RuleVersion = z.object({ version: z.number().int(), rule: ScoringRule, savedAt: z.string().nullable(), savedBy: z.string().nullable() }).openapi('ScoringRuleVersion');
const ScorecardRow = z
  .object({ agency: Named, lead: Counts, coordinating: Counts, score: z.number().nullable(), band: z.enum(BANDS).nullable(), rank: z.number().int().nullable() })
  .openapi('ScorecardRow');
const Scorecard = z.object({ ...StatMeta, rule: ScoringRule, ruleVersion: z.number().int(), rows: z.array(ScorecardRow) }).openapi('Scorecard');
const CellDirective = z
  .object({
    id: z.uuid(),
    title: z.string(),
    category: z.enum(STAT_CATEGORIES),
    leadAgency: Named,
    coordinatingAgencies: z.array(Named),
    dueAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    daysLate: z.number().int().nullable(),
  })
  .openapi('CountedDirective');
const Report = z
  .object({
    period: Period,
    asOf: z.string(),
    start: z.string(),
    filters: StatMeta.filters,
    totals: Counts,
    byLead: z.array(StatRow),
    byAssigned: z.array(StatRow),
    bySupervisor: z.array(StatRow),
    byConference: z.array(StatRow),
    rule: ScoringRule,
    scorecard: z.array(ScorecardRow),
    overdue: z.array(z.object({ directiveId: z.string(), title: z.string(), leadAgency: Named, dueAt: z.string(), daysOverdue: z.number().int() })),
    explanations: Explanations.optional().openapi({ description: 'Absent in results published before explanation requests were counted' }),
  })
  .openapi('PeriodReport');
const PublishedSummary = z.object({
  id: z.uuid(),
  period: z.string(),
  asOf: z.string(),
  ruleVersion: z.number().int().nullable(),
  note: z.string().nullable(),
  publishedAt: z.string(),
  publishedBy: Named,
});
const Published = PublishedSummary.extend({ report: Report }).openapi('PublishedResult');

const DocumentQuery = {
  format: z.enum(REPORT_FORMATS).default('json'),
  number: z.string().trim().max(20).regex(/^[0-9A-Za-z.-]*$/).optional().openapi({ description: 'The document number in "Số: …/BC-…"; left blank for the clerk when absent.' }),
  date: z.iso.date().optional().openapi({ description: 'The date in "…, ngày … tháng … năm …"; today when absent.' }),
};
const files = (description: string) => ({
  description,
  content: {
    'application/json': { schema: Report },
    'text/csv': { schema: z.string().openapi({ description: 'The scorecard: a line per agency.' }) },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: z.string().openapi({ format: 'binary' }) },
  },
});
const PeriodParam = z.object({ period: periodParam.openapi({ param: { name: 'period', in: 'path' } }) });

function download(c: Context<AppEnv>, f: Rendered) {
  return c.body(typeof f.body === 'string' ? f.body : new Uint8Array(f.body), 200, generatedFileHeaders(f.filename, f.contentType));
}

export function statisticsApp({ services }: AppDeps) {
  const app = newApp();
  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['statistics'],
        summary: 'The four categories as things stood at the end of a period (or as of an instant in it), grouped and scoped to the caller',
        security: bearerSecurity,
        request: {
          query: PeriodQuery.extend({
            groupBy: z.enum(STAT_GROUPINGS).default('lead'),
            format: z.enum(['json', 'csv']).default('json'),
            foldMerged: z
              .enum(['true', 'false'])
              .default('false')
              .openapi({ description: "Lead and assigned lines: count a merged agency's directives in its successor's line. By default each task counts for the agency that owned it then." }),
          }),
        },
        responses: {
          200: { description: 'The counts', content: { 'application/json': { schema: Statistics }, 'text/csv': { schema: z.string() } } },
          ...problems,
        },
      }),
      async (c) => {
        const { groupBy, format, foldMerged: fold, ...rest } = c.req.valid('query');
        const q = { ...rest, foldMerged: fold === 'true' };
        if (format === 'csv') return download(c, await services.statistics.exportStatistics(c.get('principal'), q, groupBy));
        return c.json(await services.statistics.statistics(c.get('principal'), q, groupBy), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/directives',
        tags: ['statistics'],
        summary: 'The directives behind one number of a statistic, as they stood at the moment counted',
        security: bearerSecurity,
        request: {
          query: PeriodQuery.extend({
            groupBy: z.enum(STAT_GROUPINGS).default('province'),
            key: z.union([z.uuid(), z.literal('none')]).optional().openapi({ description: "The line's agency or conference id; `none` for directives of no conference." }),
            role: z.enum(ASSIGNMENT_ROLES).optional(),
            category: z.enum(STAT_CATEGORIES).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          }),
        },
        responses: {
          200: { description: 'The directives', content: { 'application/json': { schema: z.object({ ...StatMeta, key: Named.nullable(), total: z.number().int(), items: z.array(CellDirective) }) } } },
          ...problems,
        },
      }),
      async (c) => {
        const { groupBy, key, role, category, limit, offset, ...q } = c.req.valid('query');
        const cell = { grouping: groupBy, key: key === 'none' ? '' : key, role, category };
        return c.json(await services.statistics.cell(c.get('principal'), q, cell, { limit, offset }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/series',
        tags: ['statistics'],
        summary: "The four categories at the end of each of a year's quarters begun so far",
        security: bearerSecurity,
        request: { query: z.object({ year: z.coerce.number().int().min(2000).max(2100), ...Filters }) },
        responses: {
          200: { description: 'One entry per quarter', content: { 'application/json': { schema: z.object({ items: z.array(z.object({ period: Period, asOf: z.string(), counts: Counts })) }) } } },
          ...problems,
        },
      }),
      async (c) => {
        const { year, ...q } = c.req.valid('query');
        return c.json({ items: await services.statistics.series(c.get('principal'), year, q) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/scorecard',
        tags: ['statistics'],
        summary: "Each agency's score, colour band and rank for a period, by the scoring rule in force",
        security: bearerSecurity,
        request: { query: PeriodQuery },
        responses: { 200: { description: 'The scorecard', content: { 'application/json': { schema: Scorecard } } }, ...problems },
      }),
      async (c) => c.json(await services.statistics.scorecard(c.get('principal'), c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/report',
        tags: ['statistics'],
        summary: "A period's report: JSON, CSV (the scorecard), Excel (a sheet per grouping) or Word (an official document per Decree 30/2020/NĐ-CP)",
        security: bearerSecurity,
        request: { query: PeriodQuery.extend(DocumentQuery) },
        responses: { 200: files('The report'), ...problems },
      }),
      async (c) => {
        const { format, number, date, ...q } = c.req.valid('query');
        return download(c, await services.statistics.exportReport(c.get('principal'), q, format, { number, date }));
      },
    );
}

export function scoringRuleApp({ services }: AppDeps) {
  const app = newApp();
  app.put('/', requirePermission('editScoringRule'));
  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['statistics'],
        summary: 'The scoring rule in force (version 0: the default, never edited)',
        security: bearerSecurity,
        responses: { 200: { description: 'The rule', content: { 'application/json': { schema: RuleVersion } } }, ...problems },
      }),
      async (c) => c.json(await services.statistics.rule(), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/',
        tags: ['statistics'],
        summary: 'Save a new version of the scoring rule (admin); published results keep the one they used',
        security: bearerSecurity,
        request: { body: { content: { 'application/json': { schema: ScoringRule } }, required: true } },
        responses: { 200: { description: 'The new version', content: { 'application/json': { schema: RuleVersion } } }, ...problems },
      }),
      async (c) => c.json(await services.statistics.saveRule(c.get('principal'), c.req.valid('json')), 200),
    );
}

export function publishedResultsApp({ services }: AppDeps) {
  const app = newApp();
  app.post('/', requirePermission('publishResults'));
  return app
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['statistics'],
        summary: "Freeze an ended period's province-wide result with the rule in force (leader); once per period",
        security: bearerSecurity,
        request: {
          body: {
            content: { 'application/json': { schema: z.object({ period: periodParam, note: z.string().trim().max(2000).optional() }).strict().openapi('NewPublishedResult') } },
            required: true,
          },
        },
        responses: { 201: { description: 'Published', content: { 'application/json': { schema: Published } } }, ...problems },
      }),
      async (c) => {
        const { period, note } = c.req.valid('json');
        const published = await services.statistics.publish(c.get('principal'), period, note);
        return c.json(published, 201, { location: `/v1/published-results/${encodeURIComponent(published.period)}` });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['statistics'],
        summary: 'Published results, newest period first',
        security: bearerSecurity,
        responses: { 200: { description: 'Published results', content: { 'application/json': { schema: z.object({ items: z.array(PublishedSummary) }) } } }, ...problems },
      }),
      async (c) => c.json({ items: await services.statistics.published() }, 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{period}',
        tags: ['statistics'],
        summary: 'A published result with the rule and every number it froze (the province’s); its overdue list names only the directives the caller sees',
        security: bearerSecurity,
        request: { params: PeriodParam },
        responses: { 200: { description: 'The published result', content: { 'application/json': { schema: Published } } }, ...problems },
      }),
      async (c) => c.json(await services.statistics.publishedOne(c.get('principal'), c.req.valid('param').period), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{period}/report',
        tags: ['statistics'],
        summary: "A published result's report as frozen, its overdue list the directives the caller sees, in any of the report formats",
        security: bearerSecurity,
        request: { params: PeriodParam, query: z.object(DocumentQuery) },
        responses: { 200: files('The report'), ...problems },
      }),
      async (c) => {
        const { format, number, date } = c.req.valid('query');
        return download(c, await services.statistics.exportPublished(c.get('principal'), c.req.valid('param').period, format, { number, date }));
      },
    );
}
