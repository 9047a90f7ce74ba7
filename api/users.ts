import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { newToken } from '../db/bootstrap.js';
import { agencies, users } from '../db/schema.js';
import { ROLES } from '../workflows/types.js';
import { hashToken, requireRole } from './auth.js';
import type { AppDeps } from './context.js';
import { claimIdempotencyKey } from './idempotency.js';
import { bearerSecurity, IdempotencyHeaders, IdParam, newApp, problems } from './openapi.js';
import { ApiProblem } from './problem.js';

const User = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.enum(ROLES),
    agencyId: z.uuid().nullable(),
    language: z.string(),
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
    language: z.enum(['vi', 'en']).default('vi'),
  })
  .strict()
  .refine((u) => !['officer', 'supervisor'].includes(u.role) || u.agencyId, {
    message: 'Officers and supervisors act for an agency',
    path: ['agencyId'],
  })
  .openapi('NewUser');

const columns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  agencyId: users.agencyId,
  language: users.language,
  revokedAt: users.revokedAt,
};
type Row = { id: string; name: string; email: string | null; role: (typeof ROLES)[number]; agencyId: string | null; language: string; revokedAt: Date | null };
const view = ({ revokedAt, ...u }: Row) => ({ ...u, revoked: revokedAt !== null });

/** Users and their tokens (admin), and `me` for everyone. */
export function usersApp({ db }: AppDeps) {
  const app = newApp();
  const admin = requireRole('admin');
  app.use('/', admin);
  app.use('/:id/*', admin);

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
      async (c) => c.json({ items: (await db.select(columns).from(users).orderBy(asc(users.name))).map(view) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags: ['users'],
        summary: 'Add a user and issue their token (admin)',
        security: bearerSecurity,
        request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: NewUser } }, required: true } },
        responses: { 201: { description: 'Created; the token is in this response only', content: { 'application/json': { schema: UserWithToken } } }, ...problems },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const key = c.req.valid('header')['idempotency-key'];
        if (body.agencyId) {
          const [a] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, body.agencyId));
          if (!a) throw new ApiProblem(422, { errors: [{ location: 'body', pointer: '/agencyId', message: `No agency ${body.agencyId}` }] });
        }
        let id: string = crypto.randomUUID();
        if (key) {
          const claim = await claimIdempotencyKey(db, { scope: `POST /v1/users ${c.get('principal').userId}`, key, request: body, newResourceId: id });
          // A token is never shown twice: a replay cannot return it again.
          if (claim.replayed) throw new ApiProblem(409, { detail: 'This user was already created with this Idempotency-Key; rotate the token if it was lost.' });
          id = claim.resourceId;
        }
        const token = newToken();
        const [row] = await db
          .insert(users)
          .values({ id, name: body.name, email: body.email ?? null, role: body.role, agencyId: body.agencyId ?? null, language: body.language, tokenHash: hashToken(token) })
          .returning(columns);
        return c.json({ ...view(row!), token }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/token',
        tags: ['users'],
        summary: "Issue a new token (the old one stops working) (admin)",
        security: bearerSecurity,
        request: { params: IdParam },
        responses: { 200: { description: 'The new token, shown once', content: { 'application/json': { schema: UserWithToken } } }, ...problems },
      }),
      async (c) => {
        const token = newToken();
        const [row] = await db
          .update(users)
          .set({ tokenHash: hashToken(token), revokedAt: null })
          .where(eq(users.id, c.req.valid('param').id))
          .returning(columns);
        if (!row) throw new ApiProblem(404, { detail: 'No such user.' });
        return c.json({ ...view(row), token }, 200);
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
      async (c) => {
        const { id } = c.req.valid('param');
        if (id === c.get('principal').userId) throw new ApiProblem(409, { detail: 'You cannot revoke your own token.' });
        const [row] = await db.update(users).set({ revokedAt: new Date() }).where(eq(users.id, id)).returning(columns);
        if (!row) throw new ApiProblem(404, { detail: 'No such user.' });
        return c.json(view(row), 200);
      },
    );
}

export function meApp({ db }: AppDeps) {
  const app = newApp();

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['users'],
        summary: 'The caller',
        security: bearerSecurity,
        responses: { 200: { description: 'You', content: { 'application/json': { schema: User } } }, ...problems },
      }),
      async (c) => {
        const [row] = await db.select(columns).from(users).where(eq(users.id, c.get('principal').userId));
        return c.json(view(row!), 200);
      },
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
      async (c) => c.json(await preferencesOf(db, c.get('principal').userId), 200),
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
      async (c) => {
        const { channels, language, delivery } = c.req.valid('json');
        const userId = c.get('principal').userId;
        await db.update(users).set({ channels: [...new Set(channels)], language, delivery }).where(eq(users.id, userId));
        return c.json(await preferencesOf(db, userId), 200);
      },
    );
}

const Preferences = z
  .object({
    channels: z.array(z.enum(['email'])).max(1).openapi({ description: 'Channels that reach you; [] for none. Webhooks belong to agencies.' }),
    language: z.enum(['vi', 'en']),
    delivery: z.enum(['immediate', 'digest']).openapi({ description: '`digest`: no immediate mail, only the daily digest.' }),
  })
  .strict()
  .openapi('NotificationPreferences');

async function preferencesOf(db: AppDeps['db'], userId: string): Promise<z.infer<typeof Preferences>> {
  const [row] = await db.select({ channels: users.channels, language: users.language, delivery: users.delivery }).from(users).where(eq(users.id, userId));
  return { channels: (row?.channels ?? []).filter((ch): ch is 'email' => ch === 'email'), language: row?.language === 'en' ? 'en' : 'vi', delivery: row?.delivery ?? 'immediate' };
}
