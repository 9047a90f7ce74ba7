import { createRoute, z } from '@hono/zod-openapi';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, createdHeaders, createResponses, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';

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
    kind: z.enum(NOTIFICATION_KINDS),
    channel: z.enum(NOTIFICATION_CHANNELS),
    status: z.enum(NOTIFICATION_STATUSES),
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

/** Agencies' webhook endpoints, managed by admins. */
export function webhooksApp({ services }: AppDeps) {
  const app = newApp();
  app.use('*', requirePermission('administer'));
  const w = services.webhooks;

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
      async (c) => c.json({ items: await w.list(c.get('principal')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['notifications'],
        summary: "Add a webhook for an agency's reminders and escalations (admin); its secret is shown once",
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewWebhook } }, required: true } },
        responses: createResponses(WebhookWithSecret, 'Created', WebhookView),
      }),
      async (c) => {
        const { webhook, secret, replayed } = await w.create(c.get('principal'), c.req.valid('json'), { idempotencyKey: c.req.valid('header')['idempotency-key'] });
        const headers = createdHeaders(`/v1/webhooks/${webhook.id}`, replayed);
        // The secret is shown once: a replay answers with the webhook, and a lost secret is rotated.
        return secret === null ? c.json(webhook, 200, headers) : c.json({ ...webhook, secret }, 201, headers);
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
      async (c) => c.json(await w.update(c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 200),
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
        const { webhook, secret } = await w.rotateSecret(c.get('principal'), c.req.valid('param').id);
        return c.json({ ...webhook, secret }, 200);
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
        await w.remove(c.get('principal'), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}

/** Every notification's delivery status: admins see all, everyone else what was addressed to them. */
export function notificationsApp({ services }: AppDeps) {
  return newApp().openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['notifications'],
      summary: 'Notifications and their delivery status, newest first; `limit` + `cursor`',
      security: bearerSecurity,
      request: {
        query: z.object({
          status: z.enum(NOTIFICATION_STATUSES).optional(),
          channel: z.enum(NOTIFICATION_CHANNELS).optional(),
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
    async (c) => c.json(await services.notifications.list(c.get('principal'), c.req.valid('query')), 200),
  );
}
