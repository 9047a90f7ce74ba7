import { createRoute, z } from '@hono/zod-openapi';
import { asc } from 'drizzle-orm';
import { agencies } from '../db/schema.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, newApp, problems } from './openapi.js';

const Agency = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    shortName: z.string().nullable(),
    parentId: z.uuid().nullable(),
    supervisorId: z.uuid().nullable(),
    active: z.boolean(),
  })
  .openapi('Agency');

export function agenciesApp({ db }: AppDeps) {
  const app = newApp();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['agencies'],
      summary: 'The agency directory',
      security: bearerSecurity,
      responses: {
        200: { description: 'All agencies', content: { 'application/json': { schema: z.object({ items: z.array(Agency) }) } } },
        ...problems,
      },
    }),
    async (c) => {
      const rows = await db
        .select({
          id: agencies.id,
          code: agencies.code,
          name: agencies.name,
          shortName: agencies.shortName,
          parentId: agencies.parentId,
          supervisorId: agencies.supervisorId,
          active: agencies.active,
        })
        .from(agencies)
        .orderBy(asc(agencies.code));
      return c.json({ items: rows }, 200);
    },
  );
  return app;
}
