import { createRoute, z } from '@hono/zod-openapi';
import { AGENCY_ROLES, DELIVERY_MODES, includes, LANGUAGES, PERSONAL_CHANNELS, ROLES } from '../domain/lists.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../services/accounts.js';
import { requirePermission } from './auth.js';
import type { AppDeps } from './context.js';
import { bearerSecurity, createdHeaders, createResponses, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';
import { linksFrom } from '../domain/links.js';

const User = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.enum(ROLES),
    agencyId: z.uuid().nullable(),
    language: z.enum(LANGUAGES),
    revoked: z.boolean(),
  })
  .openapi('User');
const UserWithToken = User.extend({
  token: z.string().openapi({ description: 'Shown once; only its hash is stored.' }),
}).openapi('UserWithToken');

const NewUser = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().optional(),
    role: z.enum(ROLES),
    agencyId: z.uuid().optional(),
    language: z.enum(LANGUAGES).default('vi'),
  })
  .strict()
  .refine((u) => !includes(AGENCY_ROLES, u.role) || u.agencyId, {
    message: 'Officers and supervisors act for an agency',
    path: ['agencyId'],
  })
  .openapi('NewUser');

const Preferences = z
  .object({
    channels: z.array(z.enum(PERSONAL_CHANNELS)).max(PERSONAL_CHANNELS.length).openapi({ description: 'Channels that reach you; [] for none. Webhooks belong to agencies.' }),
    language: z.enum(LANGUAGES),
    delivery: z.enum(DELIVERY_MODES).openapi({ description: '`digest`: no immediate mail, only the daily digest.' }),
  })
  .strict()
  .openapi('NotificationPreferences');

/** Users and their tokens (admin). */
export function usersApp({ services, config }: AppDeps) {
  const publicUrl = config.http.publicUrl;
  const app = newApp();
  app.use('/', requirePermission('administer'));
  app.use('/:id/*', requirePermission('administer'));

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['users'],
        summary: 'All users (admin)',
        security: bearerSecurity,
        responses: { 200: { description: 'Users', content: { 'application/json': { schema: z.object({ items: z.array(User) }) } } }, ...problems },
      }),
      async (c) => c.json({ items: await services.users.list(c.get('principal')) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['users'],
        summary: 'Add a user and issue their token (admin); the token is in the 201 answer only',
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewUser } }, required: true } },
        responses: createResponses(UserWithToken, 'Created; the token is in this response only', User),
      }),
      async (c) => {
        const { user, token, replayed } = await services.users.create(c.get('principal'), c.req.valid('json'), {
          idempotencyKey: c.req.valid('header')['idempotency-key'],
        });
        const headers = createdHeaders(`/v1/users/${user.id}`, replayed);
        // A token is never shown twice: a replay answers with the user, and a lost token is rotated.
        return token === null ? c.json(user, 200, headers) : c.json({ ...user, token }, 201, headers);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/token',
        tags: ['users'],
        summary: 'Issue a new token (the old one stops working) (admin); a revoked user is refused (409): restoring them is an act of its own',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 200: { description: 'The new token, shown once', content: { 'application/json': { schema: UserWithToken } } }, ...problems },
      }),
      async (c) => {
        const { user, token } = await services.users.rotateToken(c.get('principal'), c.req.valid('param').id);
        return c.json({ ...user, token }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}/password',
        tags: ['users'],
        summary: "Set a person's password for the web app (admin); their open sessions end",
        security: bearerSecurity,
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: z.object({ password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX) }).strict().openapi('NewPassword') } }, required: true },
        },
        responses: { 204: { description: 'Set' }, ...problems },
      }),
      async (c) => {
        await services.accounts.setPassword(c.get('principal'), c.req.valid('param').id, c.req.valid('json').password);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/invitation',
        tags: ['users'],
        summary:
          'A one-time invitation for the person to set their password, valid for a week (admin); shown once. Its code is in the link after `#` (never sent to a server) and on its own, for the person to paste into the invitation page',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: {
          201: {
            description: 'The link',
            content: { 'application/json': { schema: z.object({ url: z.string(), code: z.string(), expiresAt: z.string() }).openapi('Invitation') } },
          },
          ...problems,
        },
      }),
      async (c) => {
        const { token, expiresAt } = await services.accounts.invite(c.get('principal'), c.req.valid('param').id);
        return c.json({ url: linksFrom(publicUrl).invitation(token), code: token, expiresAt: expiresAt.toISOString() }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}/token',
        tags: ['users'],
        summary: "Revoke a user's token (admin)",
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 200: { description: 'Revoked', content: { 'application/json': { schema: User } } }, ...problems },
      }),
      async (c) => c.json(await services.users.revokeToken(c.get('principal'), c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/restoration',
        tags: ['users'],
        summary:
          'Restore a revoked user (admin): a new token, shown once, and no password; they sign in on the web again only through a new invitation',
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 200: { description: 'Restored, with its new token', content: { 'application/json': { schema: UserWithToken } } }, ...problems },
      }),
      async (c) => {
        const { user, token } = await services.users.restore(c.get('principal'), c.req.valid('param').id);
        return c.json({ ...user, token }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/sign-in-unlock',
        tags: ['users'],
        summary: "Clear a person's failed sign-ins from every address (admin): their next attempt waits for nothing",
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 204: { description: 'Cleared' }, ...problems },
      }),
      async (c) => {
        await services.accounts.unlock(c.get('principal'), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}

/** The caller: who they are and how they are notified. */
export function meApp({ services }: AppDeps) {
  return newApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['users'],
        summary: 'The caller',
        security: bearerSecurity,
        responses: { 200: { description: 'You', content: { 'application/json': { schema: User } } }, ...problems },
      }),
      async (c) => c.json(await services.users.me(c.get('principal')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/preferences',
        tags: ['users'],
        summary: 'How the caller is notified',
        security: bearerSecurity,
        responses: { 200: { description: 'Your preferences', content: { 'application/json': { schema: Preferences } } }, ...problems },
      }),
      async (c) => c.json(await services.users.preferences(c.get('principal')), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/preferences',
        tags: ['users'],
        summary: 'Choose channels, language, and immediate mail or the daily digest only',
        security: bearerSecurity,
        request: { body: { content: { 'application/json': { schema: Preferences } }, required: true } },
        responses: { 200: { description: 'Saved', content: { 'application/json': { schema: Preferences } } }, ...problems },
      }),
      async (c) => c.json(await services.users.setPreferences(c.get('principal'), c.req.valid('json')), 200),
    );
}
