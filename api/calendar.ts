import { createRoute, z } from '@hono/zod-openapi';
import { CALENDAR_OVERRIDE_KINDS, HOLIDAY_KINDS } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, newApp, problems } from './openapi.js';

const OverrideKind = z.enum(CALENDAR_OVERRIDE_KINDS);
const Source = z
  .object({
    kind: z.enum(['statute', 'computed', 'decision', 'admin']),
    document: z.string().nullable().optional().openapi({ example: 'Công văn số 8662/VPCP-KGVX' }),
    issuer: z.string().nullable().optional(),
    date: z.string().nullable().optional().openapi({ description: 'As the source states it' }),
    title: z.string().nullable().optional(),
    url: z.string().nullable().optional().openapi({ description: 'The page that was read' }),
  })
  .openapi('CalendarSource', { description: 'Where a day off or a working day comes from' });
const Override = z.object({ date: z.iso.date(), kind: OverrideKind, note: z.string().nullable(), source: Source.nullable() }).openapi('CalendarOverride');
const Holiday = z.object({ date: z.iso.date(), name: z.string(), kind: z.enum(HOLIDAY_KINDS), source: Source, decidedBy: Source.nullable() });
const Occasion = z
  .object({
    occasion: z.string(),
    daysOff: z.array(z.iso.date()),
    makeUpWorkingDays: z.array(z.iso.date()),
    source: Source,
    verified: z.boolean(),
    notes: z.string().nullable().optional(),
  })
  .openapi('CalendarOccasion');
const CalendarYear = z
  .object({
    year: z.number(),
    verified: z.boolean().openapi({ description: "Whether the year's days were checked against the Government's decisions; false: computed from the statutes" }),
    note: z.string().nullable(),
    occasions: z.array(Occasion),
    holidays: z.array(Holiday),
    workingDays: z.array(Override),
    overrides: z.array(Override),
  })
  .openapi('CalendarYear');

const Change = z
  .object({
    id: z.uuid(),
    dates: z.array(z.iso.date()),
    cause: z.string().openapi({ example: 'lịch nghỉ ngày 10/04/2030' }),
    createdAt: z.string(),
    startedAt: z.string().nullable().openapi({ description: 'When its re-plan run started; null while Temporal could not be reached' }),
    finishedAt: z.string().nullable(),
    examined: z.number().int().nullable().openapi({ description: 'Open directives whose plan spans the changed days, asked to re-plan' }),
    moved: z.number().int().nullable().openapi({ description: 'Of them, those whose deadlines moved' }),
  })
  .openapi('CalendarChange');

const YearParam = z.object({ year: z.coerce.number().int().min(2000).max(2100).openapi({ param: { name: 'year', in: 'path' } }) });
const DateParam = z.object({ date: z.iso.date().openapi({ param: { name: 'date', in: 'path' } }) });

/** The working-day calendar: computed holidays plus the per-year override table that admins edit. */
export function calendarApp({ services }: AppDeps) {
  // The admin check sits on the two routes themselves: a wildcard middleware registered before `/{year}`
  // would push Hono off its fastest router for every request the app serves.
  const admin = requirePermission('administer');
  return newApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/changes',
        middleware: [admin] as const,
        tags: ['calendar'],
        summary: 'The latest calendar changes and their re-plan of the running directives (admin)',
        security: bearerSecurity,
        responses: { 200: { description: 'Newest first', content: { 'application/json': { schema: z.array(Change) } } }, ...problems },
      }),
      async (c) => c.json(await services.calendar.changes(c.get('principal')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{year}',
        tags: ['calendar'],
        summary: "A year's days off (besides weekends) with their sources, whether the year was verified against the decisions, and the overrides in force",
        security: bearerSecurity,
        request: { params: YearParam },
        responses: {
          200: {
            description: 'The calendar',
            content: { 'application/json': { schema: CalendarYear } },
          },
          ...problems,
        },
      }),
      async (c) => c.json(await services.calendar.year(c.get('principal'), c.req.valid('param').year), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/overrides/{date}',
        middleware: [admin] as const,
        tags: ['calendar'],
        summary: 'Set a day off or a make-up working day (admin)',
        security: bearerSecurity,
        request: {
          params: DateParam,
          body: { content: { 'application/json': { schema: z.object({ kind: OverrideKind, note: z.string().max(500).optional() }).strict() } }, required: true },
        },
        responses: { 200: { description: 'Saved', content: { 'application/json': { schema: Override } } }, ...problems },
      }),
      async (c) => c.json(await services.calendar.setOverride(c.get('principal'), c.req.valid('param').date, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/overrides/{date}',
        middleware: [admin] as const,
        tags: ['calendar'],
        summary: 'Remove an override (admin)',
        security: bearerSecurity,
        request: { params: DateParam },
        responses: { 204: { description: 'Removed' }, ...problems },
      }),
      async (c) => {
        await services.calendar.removeOverride(c.get('principal'), c.req.valid('param').date);
        return c.body(null, 204);
      },
    );
}
