import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { WorkingCalendar } from '../activities/calendar.js';
import { loadOverrides } from '../activities/calendar-overrides.js';
import { calendarOverrides } from '../db/schema.js';
import { requireRole } from './auth.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, newApp, problems } from './openapi.js';
import { ApiProblem } from './problem.js';

const OverrideKind = z.enum(['day_off', 'working_day']);
const Override = z.object({ date: z.iso.date(), kind: OverrideKind, note: z.string().nullable() }).openapi('CalendarOverride');
const Holiday = z.object({ date: z.iso.date(), name: z.string(), kind: z.enum(['statutory', 'compensatory', 'override']) });

const YearParam = z.object({ year: z.coerce.number().int().min(2000).max(2100).openapi({ param: { name: 'year', in: 'path' } }) });
const DateParam = z.object({ date: z.iso.date().openapi({ param: { name: 'date', in: 'path' } }) });

/** The working-day calendar: computed holidays plus the per-year override table that admins edit. */
export function calendarApp({ db }: AppDeps) {
  const app = newApp();

  app.use('/overrides/*', requireRole('admin'));

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/{year}',
        tags: ['calendar'],
        summary: "A year's days off (besides weekends) and the overrides in force",
        security: bearerSecurity,
        request: { params: YearParam },
        responses: {
          200: {
            description: 'The calendar',
            content: { 'application/json': { schema: z.object({ year: z.number(), holidays: z.array(Holiday), overrides: z.array(Override) }) } },
          },
          ...problems,
        },
      }),
      async (c) => {
        const { year } = c.req.valid('param');
        const overrides = await loadOverrides(db, year, year);
        return c.json({ year, holidays: new WorkingCalendar(overrides).holidays(year), overrides }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/overrides/{date}',
        tags: ['calendar'],
        summary: 'Set a day off or a make-up working day (admin)',
        security: bearerSecurity,
        request: {
          params: DateParam,
          body: { content: { 'application/json': { schema: z.object({ kind: OverrideKind, note: z.string().max(500).optional() }).strict() } }, required: true },
        },
        responses: { 200: { description: 'Saved', content: { 'application/json': { schema: Override } } }, ...problems },
      }),
      async (c) => {
        const { date } = c.req.valid('param');
        const { kind, note } = c.req.valid('json');
        const [row] = await db
          .insert(calendarOverrides)
          .values({ date, kind, note: note ?? null })
          .onConflictDoUpdate({ target: calendarOverrides.date, set: { kind, note: note ?? null } })
          .returning({ date: calendarOverrides.date, kind: calendarOverrides.kind, note: calendarOverrides.note });
        return c.json(row!, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/overrides/{date}',
        tags: ['calendar'],
        summary: 'Remove an override (admin)',
        security: bearerSecurity,
        request: { params: DateParam },
        responses: { 204: { description: 'Removed' }, ...problems },
      }),
      async (c) => {
        const { date } = c.req.valid('param');
        const deleted = await db.delete(calendarOverrides).where(eq(calendarOverrides.date, date)).returning();
        if (deleted.length === 0) throw new ApiProblem(404, { detail: `No override on ${date}.` });
        return c.body(null, 204);
      },
    );
}
