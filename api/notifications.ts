import { randomBytes, randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { startDelivery } from '../activities/notify/start-delivery.js';
import { agencies, notifications, webhooks } from '../db/schema.js';
import { requireRole } from './auth.js';
import type { AppDeps } from './context.js';
import { afterCursor, encodeCursor } from './cursor.js';
import { claimIdempotencyKey } from './idempotency.js';
import { bearerSecurity, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';
import { ApiProblem } from './problem.js';

const WebhookView = z
  .object({
    id: z.uuid(),
    agencyId: z.uuid(),
    url: z.string(),
    active: z.boolean(),
    consecutiveFailures: z.number().int(),
    failingSince: z.string().nullable(),
    disabledAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastDeliveryAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Webhook');
const WebhookWithSecret = WebhookView.extend({
  secret: z.string().openapi({ description: 'The signing secret (Standard Webhooks, `whsec_…`); shown when created or rotated.' }),
}).openapi('WebhookWithSecret');
const HttpUrl = z.url({ protocol: /^https?$/, message: 'An http:// or https:// URL' }).max(2000);
const NewWebhook = z.object({ agencyId: z.uuid(), url: HttpUrl }).strict().openapi('NewWebhook');
const WebhookPatch = z
  .object({
    url: HttpUrl.optional(),
    active: z.boolean().optional().openapi({ description: 'true re-enables a disabled webhook and clears its failure count.' }),
  })
  .strict()
  .openapi('WebhookPatch');

const NotificationView = z
  .object({
    id: z.uuid(),
    kind: z.string().openapi({ example: 'escalation' }),
    channel: z.enum(['email', 'webhook']),
    status: z.enum(['pending', 'retrying', 'sent', 'failed', 'skipped']),
    directiveId: z.uuid().nullable(),
    recipientUserId: z.uuid().nullable(),
    webhookId: z.uuid().nullable(),
    address: z.string(),
    language: z.string(),
    subject: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
  })
  .openapi('Notification');

const listColumns = {
  id: notifications.id,
  kind: notifications.kind,
  channel: notifications.channel,
  status: notifications.status,
  directiveId: notifications.directiveId,
  recipientUserId: notifications.recipientUserId,
  webhookId: notifications.webhookId,
  address: notifications.address,
  language: notifications.language,
  subject: notifications.subject,
  attempts: notifications.attempts,
  lastError: notifications.lastError,
  createdAt: notifications.createdAt,
  lastAttemptAt: notifications.lastAttemptAt,
  sentAt: notifications.sentAt,
};

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const webhookView = ({ secret: _secret, ...w }: typeof webhooks.$inferSelect): z.infer<typeof WebhookView> => ({
  ...w,
  disabledAt: iso(w.disabledAt),
  failingSince: iso(w.failingSince),
  lastDeliveryAt: iso(w.lastDeliveryAt),
  createdAt: w.createdAt.toISOString(),
});

/** Agencies' webhook endpoints, managed by admins. */
export function webhooksApp({ db, temporal, config }: AppDeps) {
  const app = newApp();
  app.use('*', requireRole('admin'));
  const find = async (id: string) => {
    const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id));
    if (!row) throw new ApiProblem(404, { detail: `No webhook ${id}.` });
    return row;
  };

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['notifications'],
        summary: "Every agency's webhooks with their delivery status (admin)",
        security: bearerSecurity,
        responses: { 200: { description: 'Webhooks', content: { 'application/json': { schema: z.object({ items: z.array(WebhookView) }) } } }, ...problems },
      }),
      async (c) => c.json({ items: (await db.select().from(webhooks).orderBy(webhooks.createdAt)).map(webhookView) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['notifications'],
        summary: "Add a webhook for an agency's reminders and escalations (admin); its secret is shown once",
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewWebhook } }, required: true } },
        responses: { 201: { description: 'Created', content: { 'application/json': { schema: WebhookWithSecret } } }, ...problems },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const key = c.req.valid('header')['idempotency-key'];
        let id: string = randomUUID();
        if (key) {
          const claim = await claimIdempotencyKey(db, { scope: `POST /v1/webhooks ${c.get('principal').userId}`, key, request: body, newResourceId: id });
          id = claim.resourceId;
          const [existing] = claim.replayed ? await db.select().from(webhooks).where(eq(webhooks.id, id)) : [];
          // A retried create answers with the webhook the first request made, rather than a second one.
          if (existing) return c.json({ ...webhookView(existing), secret: existing.secret }, 201, { location: `/v1/webhooks/${id}`, 'idempotent-replayed': 'true' });
        }
        const [agency] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, body.agencyId));
        if (!agency) {
          throw new ApiProblem(422, { detail: 'Unknown agency.', errors: [{ location: 'body', pointer: '/agencyId', message: `No agency ${body.agencyId}` }] });
        }
        const [row] = await db.insert(webhooks).values({ id, agencyId: body.agencyId, url: body.url, secret: newSecret() }).returning();
        return c.json({ ...webhookView(row!), secret: row!.secret }, 201, { location: `/v1/webhooks/${row!.id}` });
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags: ['notifications'],
        summary: 'Change the URL, or disable / re-enable a webhook (admin)',
        security: bearerSecurity,
        request: { params: IdParam, body: { content: { 'application/json': { schema: WebhookPatch } }, required: true } },
        responses: { 200: { description: 'Updated', content: { 'application/json': { schema: WebhookView } } }, ...problems },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const patch = c.req.valid('json');
        await find(id);
        const set: Partial<typeof webhooks.$inferInsert> = {};
        if (patch.url !== undefined) set.url = patch.url;
        if (patch.active === true) Object.assign(set, { active: true, consecutiveFailures: 0, failingSince: null, disabledAt: null });
        if (patch.active === false) Object.assign(set, { active: false, disabledAt: new Date() });
        if (Object.keys(set).length === 0) return c.json(webhookView(await find(id)), 200);
        const [row] = await db.update(webhooks).set(set).where(eq(webhooks.id, id)).returning();
        if (patch.active === true) {
          // What was held back while it was disabled goes out now.
          const requeued = await db
            .update(notifications)
            .set({ status: 'pending', leaseUntil: null })
            .where(and(eq(notifications.webhookId, id), inArray(notifications.status, ['skipped', 'failed'])))
            .returning({ source: notifications.source });
          for (const source of new Set(requeued.map((r) => r.source))) await startDelivery(temporal, config.temporal.taskQueue, source);
        }
        return c.json(webhookView(row!), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/secret',
        tags: ['notifications'],
        summary: 'Rotate the signing secret (admin); the new one is shown once',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 200: { description: 'Rotated', content: { 'application/json': { schema: WebhookWithSecret } } }, ...problems },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await find(id);
        const [row] = await db.update(webhooks).set({ secret: newSecret() }).where(eq(webhooks.id, id)).returning();
        return c.json({ ...webhookView(row!), secret: row!.secret }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}',
        tags: ['notifications'],
        summary: 'Remove a webhook (admin); its past deliveries stay listed',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 204: { description: 'Removed' }, ...problems },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await find(id);
        await db.delete(webhooks).where(eq(webhooks.id, id));
        return c.body(null, 204);
      },
    );
}

/** Every notification's delivery status: admins see all, everyone else what was addressed to them. */
export function notificationsApp({ db }: AppDeps) {
  const app = newApp();
  return app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['notifications'],
      summary: 'Notifications and their delivery status, newest first; `limit` + `cursor`',
      security: bearerSecurity,
      request: {
        query: z.object({
          status: z.enum(['pending', 'retrying', 'sent', 'failed', 'skipped']).optional(),
          channel: z.enum(['email', 'webhook']).optional(),
          directiveId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page' }),
        }),
      },
      responses: {
        200: {
          description: 'Notifications',
          content: { 'application/json': { schema: z.object({ items: z.array(NotificationView), nextCursor: z.string().nullable() }) } },
        },
        ...problems,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const p = c.get('principal');
      const where: Array<SQL | undefined> = [
        p.role === 'admin' ? undefined : eq(notifications.recipientUserId, p.userId),
        q.status ? eq(notifications.status, q.status) : undefined,
        q.channel ? eq(notifications.channel, q.channel) : undefined,
        q.directiveId ? eq(notifications.directiveId, q.directiveId) : undefined,
      ];
      if (q.cursor) where.push(afterCursor(q.cursor, notifications.createdAt, notifications.id));
      // The message bodies stay in the table: a status list never needs them.
      const rows = await db
        .select(listColumns)
        .from(notifications)
        .where(and(...where))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return c.json(
        {
          nextCursor: rows.length > q.limit && last ? encodeCursor({ t: last.createdAt.toISOString(), id: last.id }) : null,
          items: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), lastAttemptAt: iso(r.lastAttemptAt), sentAt: iso(r.sentAt) })),
        },
        200,
      );
    },
  );
}
