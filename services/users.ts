import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { hashToken, newToken } from '../db/bootstrap.js';
import { agencies, invitations, sessions, users } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import { AGENCY_ROLES, includes, PERSONAL_CHANNELS, type DeliveryMode, type Language, type PersonalChannel, type Role } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';
import { claimFor } from './idempotency.js';

export type UserView = { id: string; name: string; email: string | null; role: Role; agencyId: string | null; language: Language; revoked: boolean };
export type NewUser = { name: string; email?: string | undefined; role: Role; agencyId?: string | undefined; language: Language };
export type Preferences = { channels: PersonalChannel[]; language: Language; delivery: DeliveryMode };

const columns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  agencyId: users.agencyId,
  language: users.language,
  revokedAt: users.revokedAt,
};
type Row = { id: string; name: string; email: string | null; role: Role; agencyId: string | null; language: Language; revokedAt: Date | null };
const view = ({ revokedAt, ...u }: Row): UserView => ({ ...u, revoked: revokedAt !== null });

/** Users and their tokens (admin), and everyone's own profile and notification preferences. */
export function userService({ db }: ServiceDeps) {
  const preferencesOf = async (userId: string): Promise<Preferences> => {
    const [row] = await db.select({ channels: users.channels, language: users.language, delivery: users.delivery }).from(users).where(eq(users.id, userId));
    return {
      channels: (row?.channels ?? []).filter((ch): ch is PersonalChannel => includes(PERSONAL_CHANNELS, ch)),
      language: row?.language === 'en' ? 'en' : 'vi',
      delivery: row?.delivery ?? 'immediate',
    };
  };

  return {
    async list(principal: Principal): Promise<UserView[]> {
      requirePermission(principal, 'administer');
      return (await db.select(columns).from(users).orderBy(asc(users.name))).map(view);
    },

    /** The new user's token is in this answer only; a retry with the same key answers with the user, never the token again. */
    async create(principal: Principal, body: NewUser, retry: { idempotencyKey?: string | undefined } = {}): Promise<{ user: UserView; token: string | null; replayed: boolean }> {
      requirePermission(principal, 'administer');
      if (includes(AGENCY_ROLES, body.role) && !body.agencyId) {
        throw new ServiceFailure(FailureType.Invalid, 'Officers and supervisors act for an agency.', undefined, [
          { location: 'body', pointer: '/agencyId', message: 'Officers and supervisors act for an agency' },
        ]);
      }
      if (body.agencyId) {
        const [a] = await db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, body.agencyId));
        if (!a) throw new ServiceFailure(FailureType.Invalid, 'Unknown agency.', undefined, [{ location: 'body', pointer: '/agencyId', message: `No agency ${body.agencyId}` }]);
      }
      const claim = await claimFor(db, `POST /v1/users ${principal.userId}`, retry.idempotencyKey, body);
      if (claim.replayed) {
        const [existing] = await db.select(columns).from(users).where(eq(users.id, claim.resourceId));
        if (existing) return { user: view(existing), token: null, replayed: true };
      }
      if (body.email) {
        // People sign in with their address: one address, one person.
        const [taken] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${body.email.toLowerCase()}`);
        if (taken) throw new ServiceFailure(FailureType.Conflict, 'Another user has this email address.', undefined, [{ location: 'body', pointer: '/email', message: 'Already in use' }]);
      }
      const token = newToken();
      const [row] = await db
        .insert(users)
        .values({
          id: claim.resourceId,
          name: body.name,
          email: body.email ?? null,
          role: body.role,
          agencyId: body.agencyId ?? null,
          language: body.language,
          tokenHash: hashToken(token),
        })
        .returning(columns);
      return { user: view(row!), token, replayed: false };
    },

    /** Issues a new token (the old one stops working); shown once. A revoked user stays revoked: see restore. */
    async rotateToken(principal: Principal, id: string): Promise<{ user: UserView; token: string }> {
      requirePermission(principal, 'administer');
      const token = newToken();
      const [row] = await db.update(users).set({ tokenHash: hashToken(token) }).where(and(eq(users.id, id), isNull(users.revokedAt))).returning(columns);
      if (!row) {
        const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
        if (!exists) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
        throw new ServiceFailure(FailureType.InvalidState, 'This user is revoked: restoring them is an act of its own.', 'user-revoked');
      }
      return { user: view(row), token };
    },

    /**
     * Lets a revoked user back in, as an act of its own: a new token (shown once) and no password, so the person
     * signs in on the web only after a new invitation; whatever they knew before opens nothing.
     */
    async restore(principal: Principal, id: string): Promise<{ user: UserView; token: string }> {
      requirePermission(principal, 'administer');
      const token = newToken();
      const [row] = await db
        .update(users)
        .set({ tokenHash: hashToken(token), revokedAt: null, passwordHash: null, passwordSetAt: null })
        .where(and(eq(users.id, id), isNotNull(users.revokedAt)))
        .returning(columns);
      if (!row) {
        const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
        if (!exists) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
        throw new ServiceFailure(FailureType.InvalidState, 'This user is not revoked.', 'user-not-revoked');
      }
      return { user: view(row), token };
    },

    async revokeToken(principal: Principal, id: string): Promise<UserView> {
      requirePermission(principal, 'administer');
      if (id === principal.userId) throw new ServiceFailure(FailureType.Conflict, 'You cannot revoke your own token.');
      const now = new Date();
      // Revoked means out, password included: a restored user starts again from an invitation.
      const [row] = await db.update(users).set({ revokedAt: now, passwordHash: null, passwordSetAt: null }).where(eq(users.id, id)).returning(columns);
      if (!row) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
      // Their browser sessions and password links end too.
      await db.update(sessions).set({ endedAt: now }).where(and(eq(sessions.userId, id), isNull(sessions.endedAt)));
      await db.update(invitations).set({ usedAt: now }).where(and(eq(invitations.userId, id), isNull(invitations.usedAt)));
      return view(row);
    },

    async me(principal: Principal): Promise<UserView> {
      const [row] = await db.select(columns).from(users).where(eq(users.id, principal.userId));
      if (!row) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
      return view(row);
    },

    preferences: (principal: Principal) => preferencesOf(principal.userId),

    async setPreferences(principal: Principal, p: Preferences): Promise<Preferences> {
      await db.update(users).set({ channels: [...new Set(p.channels)], language: p.language, delivery: p.delivery }).where(eq(users.id, principal.userId));
      return preferencesOf(principal.userId);
    },
  };
}
