import { createRoute, z } from '@hono/zod-openapi';
import { generatedFileHeaders } from '../http/shared/downloads.js';
import { requirePermission } from './auth.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, newApp, problems } from './openapi.js';

const Entry = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorId: z.string().nullable().openapi({ description: 'Null for a write refused before anyone was signed in' }),
    actorName: z.string().nullable(),
    role: z.string().nullable(),
    agencyId: z.string().nullable(),
    action: z.string().openapi({ example: 'POST /v1/directives/:id/reports' }),
    path: z.string(),
    status: z.number().int(),
    address: z.string(),
    door: z.enum(['api', 'web']),
    requestId: z.string().nullable(),
  })
  .openapi('AuditEntry');

const Filters = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  actor: z.uuid().optional().openapi({ description: "A user's id" }),
  agency: z.uuid().optional().openapi({ description: "The actor's agency" }),
});

/** The audit log: every write through either door, newest first; read and exported, never changed. */
export function auditApp({ services }: AppDeps) {
  const reader = requirePermission('readAuditLog');
  return newApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        middleware: [reader] as const,
        tags: ['audit'],
        summary: 'Every write (who, role, agency, what, when, from where), newest first (admin)',
        security: bearerSecurity,
        request: {
          query: Filters.extend({ cursor: z.string().max(20).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
        },
        responses: {
          200: {
            description: 'A page of entries',
            content: { 'application/json': { schema: z.object({ items: z.array(Entry), nextCursor: z.string().nullable() }) } },
          },
          ...problems,
        },
      }),
      async (c) => c.json(await services.audit.list(c.get('principal'), c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/export',
        middleware: [reader] as const,
        tags: ['audit'],
        summary: 'The entries the filters select, as CSV (admin)',
        security: bearerSecurity,
        request: { query: Filters },
        responses: { 200: { description: 'CSV, UTF-8 with a BOM', content: { 'text/csv': { schema: z.string() } } }, ...problems },
      }),
      async (c) =>
        c.body(await services.audit.exportCsv(c.get('principal'), c.req.valid('query')), 200, generatedFileHeaders('audit-log.csv', 'text/csv; charset=utf-8')),
    );
}
